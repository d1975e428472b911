"""The MOF component -> licence map of a stored version, built from its lineage.

A version is not a release: it has weights, a recipe, data manifests and maybe eval results,
but no model card, data card or report (those exist once `bazaar release` writes them), so a
version alone never reaches MOF Class III. The verdict is what matters here: the licences of
every ancestor, data set and contribution decide it (an open licence on a derivative does not
lift a parent's restrictions).

Example: `version_components(store, record, lineage)` for the built tiny template ->
`{"Model parameters (Final)": "Apache-2.0", "Datasets": "CC0-1.0", ...}` (public domain data
is scored as CC0-1.0, see lineage.py).
"""

from __future__ import annotations

import json
from importlib import metadata

from modelbazaar.audit import AuditReport, audit_components, corpus_clauses
from modelbazaar.store import Store, VersionRecord
from modelbazaar.store.lineage import Lineage, is_open, mof_license, walk

CODE_COMPONENTS = (
    "Training code",
    "Inference code",
    "Evaluation code",
    "Data preprocessing code",
    "Supporting libraries and tools",
)


def package_license() -> str:
    """modelbazaar's own licence (the training, inference and evaluation code): Apache-2.0."""
    try:
        return (
            metadata.metadata("modelbazaar").get("License-Expression")
            or metadata.metadata("modelbazaar").get("License")
            or "Apache-2.0"
        )
    except metadata.PackageNotFoundError:  # running from a checkout without install
        return "Apache-2.0"


def effective_weights_license(record: VersionRecord, lineage: Lineage) -> str | None:
    """The version's own weights licence, unless an ancestor's non-open licence governs it.

    Example: own "Apache-2.0", parent imported under LicenseRef-Llama-3.1-Community ->
    "LicenseRef-Llama-3.1-Community" (a derivative stays under the parent's terms).
    """
    own = record.info.get("license")
    for node in lineage.nodes:
        if node.kind != "data" and node.license and not is_open(node.license):
            return node.license
    return own


def data_license(licenses: list[str]) -> str | None:
    """One licence for a set of data sets: the first non-open one, else the first (MOF ids)."""
    if not licenses:
        return None
    closed = [x for x in licenses if not is_open(x)]
    return mof_license(closed[0] if closed else licenses[0])


def version_components(
    store: Store, record: VersionRecord, lineage: Lineage
) -> dict[str, str | None]:
    """MOF components a stored version provides, each with the licence that governs it."""
    weights = mof_license(effective_weights_license(record, lineage))
    comps: dict[str, str | None] = {
        "Model parameters (Final)": weights,
        "Model metadata": weights,  # config + recipe + training metrics travel with the weights
    }
    recipe = record.info.get("recipe") or {}
    licenses = recipe.get("license") or {}
    # as `bazaar release` writes it: config.json + modelbazaar's model code, under the code licence
    comps["Model architecture"] = mof_license(licenses.get("code") or package_license())
    if recipe:  # built from source with modelbazaar: its code trained and evaluates it
        code = package_license()
        comps.update({name: code for name in CODE_COMPONENTS})
    data = data_license(lineage.licenses("data"))
    if data:
        comps["Datasets"] = data
        if any(
            f.get("split") == "validation"
            for m in record.info.get("data") or []
            for f in m.get("files", [])
        ):
            comps["Evaluation data"] = data
    return comps


# What `bazaar release` writes beside a version's weights, under the documentation licence:
# component -> (file, written only for a version built from a recipe).
RELEASE_DOCUMENTS: dict[str, tuple[str, bool]] = {
    "Model card": ("README.md", False),
    "Evaluation results": ("eval_results.json", False),
    "Sample model outputs": ("samples.md", False),
    "Data card": ("DATASHEET.md", True),
    "Technical report": ("TECHNICAL_REPORT.md", True),
    "Research paper": ("PAPER.md", True),
}
DEFAULT_DOC_LICENSE = "CC-BY-4.0"  # `bazaar release` documents when the recipe names none


def release_additions(
    store: Store, record: VersionRecord, weights: str | None
) -> dict[str, tuple[str | None, str]]:
    """Components a release of this version adds to what the store holds: name -> (licence,
    where it comes from). Example for the built tiny template: Model card (README.md),
    Data card (DATASHEET.md), ..., Model parameters (Intermediate) (checkpoints the build kept).
    """
    recipe = record.info.get("recipe") or {}
    docs = mof_license((recipe.get("license") or {}).get("documentation") or DEFAULT_DOC_LICENSE)
    added = {
        name: (docs, file)
        for name, (file, needs_recipe) in RELEASE_DOCUMENTS.items()
        if recipe or not needs_recipe
    }
    how = _intermediate_source(store, record)
    if how:
        added["Model parameters (Intermediate)"] = (weights, how)
    return added


def _intermediate_source(store: Store, record: VersionRecord) -> str | None:
    """Where a release would take intermediate parameters from (train/replay.py), or None.

    Read from the catalogue only: the release itself replays and verifies; this only says
    whether it can.
    """
    built = record
    if record.relation != "built":
        built = next((r for r in store.history(record.hash) if r.relation == "built"), None)
    if built is None:
        return None
    row = store.catalogue.build((built.info.get("builds") or {}).get("pretrain", ""))
    if row is None:
        return None
    if row["outputs"].get("checkpoints"):
        return "checkpoints/ (kept by the build)"
    inputs = json.loads(row["inputs"]) if isinstance(row["inputs"], str) else row["inputs"]
    steps = ((built.info.get("recipe") or {}).get("train") or {}).get("max_steps", 0)
    if inputs.get("world_size", 1) == 1 and steps >= 3:
        return "checkpoints/ (replayed from the build and verified when releasing)"
    return None


def audit_version(store: Store, ref: str) -> tuple[AuditReport, Lineage]:
    """Audit a stored version through its lineage: (report, lineage with obligations)."""
    record = store.version(ref)
    lineage = walk(store, record.hash)
    comps = version_components(store, record, lineage)
    added = {
        name: value
        for name, value in release_additions(
            store, record, comps["Model parameters (Final)"]
        ).items()
        if name not in comps
    }
    notes = [
        "audited as `bazaar release` would publish it; the release adds "
        + "; ".join(
            f"{name} ({where}, {lic or 'unlicensed'})" for name, (lic, where) in added.items()
        )
    ]
    report = audit_components(
        comps | {name: lic for name, (lic, _) in added.items()},
        findings=corpus_clauses(lineage.licenses()),
        subject=f"version {record.short} ({record.info.get('name', record.relation)})",
        kind="components",
        notes=notes if added else (),
    )
    return report, lineage
