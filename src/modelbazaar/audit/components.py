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
    comps["Model architecture"] = mof_license(licenses.get("code")) or weights
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
    has_evals = bool(store.catalogue.eval_results_for(record.hash))
    if has_evals and licenses.get("documentation"):
        comps["Evaluation results"] = mof_license(licenses["documentation"])
    return comps


def audit_version(store: Store, ref: str) -> tuple[AuditReport, Lineage]:
    """Audit a stored version through its lineage: (report, lineage with obligations)."""
    record = store.version(ref)
    lineage = walk(store, record.hash)
    comps = version_components(store, record, lineage)
    findings = corpus_clauses(lineage.licenses())
    report = audit_components(
        comps,
        findings=findings,
        subject=f"version {record.short} ({record.info.get('name', record.relation)})",
        kind="components",
    )
    return report, lineage
