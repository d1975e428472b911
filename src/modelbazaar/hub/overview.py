"""What the hub's pages show about a model, computed by the code the CLI uses.

- `openness`: the audit `bazaar audit`/`release` computes for a version (MOF class, OSAID,
  EU index, licence verdict with quoted clauses), cached per version: a version never changes.
- `source_view`: the pushed source: recipe text, model card (README*), data manifests with
  licence and provenance, and the synthetic share the build recorded.
- `main_chain`: main's versions, newest first, along first parents (what "over time" means).

Example: openness(db, main_hash).verdict -> "open source"
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, field
from typing import Any

from modelbazaar.audit.components import audit_version
from modelbazaar.audit.models import AuditReport
from modelbazaar.errors import BazaarError
from modelbazaar.hub.db import HubDB
from modelbazaar.hub.repos import Model
from modelbazaar.hub.source import SourceTree

MAX_SHOWN_BYTES = 512 * 1024  # a card or recipe longer than this is shown cut


@functools.lru_cache(maxsize=512)
def _audit(db: HubDB, version: str) -> AuditReport | None:
    try:
        report, _ = audit_version(db.store, version)
    except (BazaarError, KeyError, ValueError, TypeError):  # a version without a build record
        return None
    return report


def openness(db: HubDB, version: str | None) -> AuditReport | None:
    """The audit of `version` as `bazaar audit` computes it; None when it cannot be audited."""
    return _audit(db, version) if version else None


@dataclass
class SourceView:
    recipe: str = ""
    card: str = ""
    card_path: str = ""
    manifests: list[dict[str, Any]] = field(default_factory=list)
    files: list[dict[str, Any]] = field(default_factory=list)
    withheld: list[dict[str, Any]] = field(default_factory=list)


def _text(db: HubDB, digest: str) -> str:
    data = db.store.objects.get_bytes(digest)[:MAX_SHOWN_BYTES]
    return data.decode("utf-8", errors="replace")


@functools.lru_cache(maxsize=256)
def _source(db: HubDB, tree_digest: str) -> SourceView:
    view = SourceView()
    try:
        tree = SourceTree.from_bytes(db.store.objects.get_bytes(tree_digest))
    except BazaarError:
        return view
    view.files = [{"path": f.path, "bytes": f.bytes, "sha256": f.sha256} for f in tree.files]
    view.withheld = [w.model_dump() if hasattr(w, "model_dump") else dict(w) for w in tree.withheld]
    for f in tree.files:
        if f.path == "bazaar.toml":
            view.recipe = _text(db, f.sha256)
        elif f.path.upper().startswith("README") and not view.card:
            view.card, view.card_path = _text(db, f.sha256), f.path
        elif f.path.startswith("data/") and f.path.endswith(".toml") and f.path.count("/") == 1:
            try:
                entry = tomllib.loads(_text(db, f.sha256))
            except tomllib.TOMLDecodeError as exc:
                entry = {"name": f.path, "problem": f"not valid TOML: {exc}"}
            view.manifests.append({"path": f.path} | entry)
    return view


def source_view(db: HubDB, model: Model) -> SourceView:
    return _source(db, model.source) if model.source else SourceView()


def main_chain(rows: list[dict[str, Any]], head: str | None) -> list[str]:
    """main's versions, newest first, following first parents through `version_rows` rows
    (one query for all versions, not one per step)."""
    by_hash = {r["hash"]: r for r in rows}
    chain: list[str] = []
    seen: set[str] = set()
    while head and head in by_hash and head not in seen:
        seen.add(head)
        chain.append(head)
        parents = by_hash[head]["parents"]
        head = parents[0]["parent"] if parents else None
    return chain


def synthetic_share(db: HubDB, version: str | None) -> dict[str, Any] | None:
    """The synthetic summary the build recorded for `version` (None when it recorded none)."""
    if not version:
        return None
    try:
        return db.store.version(version).info.get("synthetic")
    except BazaarError:
        return None
