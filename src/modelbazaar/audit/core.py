"""Assemble an AuditReport from a component -> licence map (the path every audit ends on).

`audit_components` is what `bazaar release` and `bazaar audit REF` call with the map they build
from a stored version; `audit_mof_yaml` builds the map from a MOF file; `audit_folder`
(folder.py) from the files in a folder.

Example: `audit_components({"Model parameters (Final)": "llama3.1"}).verdict` -> "open weights"
(the Llama 3.1 licence text ships in the corpus, so its clauses are read too).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from modelbazaar.audit.frameworks import osai_index, osaid_checklist
from modelbazaar.audit.models import AuditReport, ClauseFinding, LicenseMatch
from modelbazaar.audit.mof import mof_score
from modelbazaar.audit.mof_yaml import read_mof_yaml
from modelbazaar.licenses.corpus import corpus_clauses
from modelbazaar.licenses.verdict import verdict


def audit_components(
    components: Mapping[str, str | None],
    *,
    global_licenses: Mapping[str, str | None] | None = None,
    findings: Sequence[ClauseFinding] | None = None,
    licenses: Sequence[LicenseMatch] = (),
    subject: str = "components",
    kind: str = "components",
    problems: Sequence[str] = (),
    verdict_components: Mapping[str, str | None] | None = None,
    blockers: Sequence[str] = (),
    notes: Sequence[str] = (),
) -> AuditReport:
    """Audit a model described only by its MOF components and their licences.

    `findings` defaults to the clauses of every component licence whose text is in the corpus.
    `verdict_components` lets a folder audit say which licence governs components it could not
    see (the weights of a folder holding only licence texts).
    """
    mof = mof_score(components, global_licenses)
    resolved = {c.name: c.license for c in mof.components if c.present}
    if findings is None:
        findings = corpus_clauses(resolved.values())
    decided, reasons = verdict(verdict_components or resolved, findings, blockers)
    return AuditReport(
        subject=subject,
        kind=kind,  # type: ignore[arg-type]
        verdict=decided,
        reasons=reasons,
        licenses=list(licenses),
        clauses=list(findings),
        components=resolved,
        mof=mof,
        osaid=osaid_checklist(mof, findings),
        osai=osai_index(mof, findings),
        problems=list(problems),
        notes=list(notes),
    )


def audit_mof_yaml(path: Path) -> AuditReport:
    """Audit a Model Openness Framework YAML (validated against the MOF schema first).

    Example: `audit_mof_yaml(Path("FullTestFile.yml")).mof.mof_class` -> 1.
    """
    name, comps, globals_ = read_mof_yaml(Path(path))
    return audit_components(
        comps, global_licenses=globals_, subject=f"{name} ({Path(path).name})", kind="mof"
    )
