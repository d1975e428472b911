"""Lineage: every version, data set and contribution a version descends from, and the
obligations their licences put on it (the "effective" licence terms of a derivative).

Walks parents breadth-first; for each ancestor it reads only stored data (version info, data
manifests, contributions' manifests and data cards), never another workflow's module, so it
works whatever commands produced the history.

`LicenseRef-Public-Domain` (e.g. Shakespeare's plays) is treated as open data: public-domain
material carries no conditions. MOF knows no id for it, so `mof_license` scores it as CC0-1.0,
the open-data id whose effect (no conditions) is the same.

Example: a version tuned from an import under LicenseRef-Llama-3.1-Community ->
`effective_obligations(store, ref)` holds "naming" (the "Llama" prefix), "aup" (the acceptable
use policy), "mau_cap" (700M users) and "litigation_termination", each quoting its sentence.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from modelbazaar.licenses import facts as lic
from modelbazaar.licenses.corpus import corpus_clauses
from modelbazaar.licenses.rules import RULES
from modelbazaar.store import Store, VersionRecord

PUBLIC_DOMAIN = lic.PUBLIC_DOMAIN
# Obligation kind -> what a derivative must do, in plain words (one table: licenses/rules.py).
_PLAIN = {kind: rule.plain for kind, rule in RULES.items() if rule.plain}


@dataclass
class Node:
    """One thing in the lineage: a version, a data set or a contribution."""

    id: str  # version hash, "data:<name>" or "contribution:<sha256>"
    kind: str  # built | imported | merged | tuned | distilled | data | contribution
    name: str
    license: str | None
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class Obligation:
    """What a licence in the lineage asks of this model and who imposes it."""

    kind: str
    text: str  # a sentence a person understands
    license: str
    origin: str  # the node that brings it in, e.g. "imported 1a2b3c4d5e6f (llama-tiny)"
    quote: str = ""
    section: str | None = None


@dataclass
class Lineage:
    """The graph (nodes + edges child -> parent) and the effective obligations."""

    root: str
    nodes: list[Node]
    edges: list[dict[str, str]]
    obligations: list[Obligation]

    def to_json(self) -> dict[str, Any]:
        """Plain JSON-able dict (what LINEAGE.json holds)."""
        return asdict(self)

    def mermaid(self) -> str:
        """A Mermaid flowchart, child above parent: `v1["merged abc (main)"] --> v0[...]`."""
        ids = {n.id: f"n{i}" for i, n in enumerate(self.nodes)}
        lines = ["graph TD"]
        for n in self.nodes:
            label = f"{n.kind} {n.name}" + (f" · {n.license}" if n.license else "")
            lines.append(f'  {ids[n.id]}["{label.replace(chr(34), "")}"]')
        for e in self.edges:
            lines.append(f"  {ids[e['child']]} -->|{e['relation']}| {ids[e['parent']]}")
        return "\n".join(lines)

    def licenses(self, kind: str | None = None) -> list[str]:
        """Distinct licences of nodes (of one kind when given), in lineage order."""
        seen = [n.license for n in self.nodes if n.license and (kind is None or n.kind == kind)]
        return list(dict.fromkeys(seen))


mof_license = lic.mof_license  # public domain -> CC0-1.0; one rule, in licenses/facts.py


def is_open(license_id: str | None) -> bool:
    """Open under the MOF rule, public domain included."""
    return lic.is_open(mof_license(license_id))


def _label(record: VersionRecord) -> str:
    return str(record.info.get("name") or record.short)


def _data_nodes(owner: str, manifests: list[dict[str, Any]]) -> list[Node]:
    return [
        Node(
            id=f"data:{m.get('name')}",
            kind="data",
            name=str(m.get("name")),
            license=m.get("license"),
            detail={
                "source": m.get("source"),
                "provenance": m.get("provenance"),
                "generator": m.get("generator"),
                "generator_version": m.get("generator_version"),  # a model in this store
                "donation": m.get("donation"),  # merged from a data donation
                "used_by": owner,
            },
        )
        for m in manifests
    ]


def _contribution_nodes(store: Store, cid: str) -> list[Node]:
    row = store.catalogue.contribution(cid)
    if row is None:  # merged elsewhere: the id is all we know
        return [Node(f"contribution:{cid}", "contribution", cid[:12], None, {"missing": True})]
    manifest = row["manifest"]
    nodes = [
        Node(
            id=f"contribution:{cid}",
            kind="contribution",
            name=str(manifest.get("task") or cid[:12]),
            license=row.get("license") or manifest.get("license"),
            detail={"author": row.get("author"), "kind": manifest.get("kind")},
        )
    ]
    for f in (manifest.get("data_card") or {}).get("files", []):
        detail = {k: f.get(k) for k in ("provenance", "generator", "included", "sha256")}
        nodes.append(
            Node(
                f"data:{cid[:12]}/{f.get('name')}",
                "data",
                str(f.get("name")),
                f.get("license"),
                detail | {"used_by": f"contribution:{cid}"},
            )
        )
    return nodes


def walk(store: Store, ref: str) -> Lineage:
    """The lineage of `ref`: versions, data sets and contributions, with obligations."""
    root = store.version(ref)
    nodes: dict[str, Node] = {}
    edges: list[dict[str, str]] = []
    queue, seen = [root.hash], set()
    while queue:
        digest = queue.pop(0)
        if digest in seen:
            continue
        seen.add(digest)
        record = store.version(digest)
        nodes[digest] = Node(
            digest,
            record.relation,
            _label(record),
            record.info.get("license"),
            {"short": record.short, "message": record.message},
        )
        # the generators a build resolved against the store (data/synthetic.py)
        synthetic = (record.info.get("synthetic") or {}).get("generators") or []
        writers = {g.get("dataset"): g.get("version") for g in synthetic}
        for data in _data_nodes(digest, record.info.get("data") or []):
            nodes.setdefault(data.id, data)
            edges.append({"child": digest, "parent": data.id, "relation": "trained on"})
            writer = data.detail.get("generator_version") or writers.get(data.name)
            if writer and store.catalogue.version(writer):
                edges.append({"child": data.id, "parent": writer, "relation": "generated by"})
                queue.append(writer)
        for parent in record.parents:
            cid = (parent.get("detail") or {}).get("contribution")
            if cid:
                for node in _contribution_nodes(store, cid):
                    nodes.setdefault(node.id, node)
                edges.append(
                    {"child": digest, "parent": f"contribution:{cid}", "relation": "merged"}
                )
            edges.append(
                {"child": digest, "parent": parent["parent"], "relation": parent["relation"]}
            )
            queue.append(parent["parent"])
    # contribution data hangs under its contribution, not the version
    for node in nodes.values():
        used_by = node.detail.get("used_by", "")
        if node.kind == "data" and used_by.startswith("contribution:"):
            edges.append({"child": used_by, "parent": node.id, "relation": "trained on"})
    edges = [dict(t) for t in dict.fromkeys(tuple(sorted(e.items())) for e in edges)]
    listed = list(nodes.values())
    return Lineage(root.hash, listed, edges, obligations(listed, root.hash))


def obligations(nodes: list[Node], root: str) -> list[Obligation]:
    """Restrictive clauses of every licence in the lineage, plus what non-open licences imply."""
    found: list[Obligation] = []
    for node in nodes:
        if not node.license or node.license == PUBLIC_DOMAIN:
            continue
        origin = f"{node.kind} {node.name}" + ("" if node.id == root else f" ({node.id[:17]})")
        for finding in corpus_clauses([node.license]):
            if finding.restrictive:
                text = _PLAIN.get(finding.kind, finding.kind)
                found.append(
                    Obligation(
                        finding.kind, text, node.license, origin, finding.quote, finding.section
                    )
                )
        if node.kind == "data" and lic.license_kind(node.license) == "restricted":
            if "-NC" in node.license.upper() and not any(
                o.kind == "non_commercial" and o.origin == origin for o in found
            ):
                found.append(
                    Obligation("non_commercial", _PLAIN["non_commercial"], node.license, origin)
                )
        if not is_open(node.license) and not any(o.origin == origin for o in found):
            found.append(
                Obligation(
                    "not_open",
                    f"{node.license} is not an open licence; read its terms before reuse",
                    node.license,
                    origin,
                )
            )
        if node.detail.get("provenance") == "synthetic" and node.detail.get("generator"):
            found.append(
                Obligation(
                    "synthetic",
                    "synthetic data inherits the terms of its "
                    f"generator {node.detail['generator']}",
                    node.license,
                    origin,
                )
            )
    return found
