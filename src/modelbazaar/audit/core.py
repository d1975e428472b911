"""Assemble an AuditReport from a component -> licence map (the path every audit ends on).

`audit_components` is what `bazaar release` and `bazaar audit REF` call with the map they build
from a stored version; `audit_mof_yaml` builds the map from a MOF file; `audit_folder`
(folder.py) from the files in a folder.

Example: `audit_components({"Model parameters (Final)": "llama3.1"}).verdict` -> "open weights"
(the Llama 3.1 licence text ships in the corpus, so its clauses are read too).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from modelbazaar.audit import _data
from modelbazaar.audit import licenses as lic
from modelbazaar.audit.clauses import UPDATABLE, find_clauses
from modelbazaar.audit.frameworks import osai_index, osaid_checklist
from modelbazaar.audit.models import AuditReport, ClauseFinding, LicenseMatch
from modelbazaar.audit.mof import mof_score
from modelbazaar.audit.mof_yaml import read_mof_yaml
from modelbazaar.audit.verdict import verdict


def corpus_clauses(license_ids: Iterable[str | None]) -> list[ClauseFinding]:
    """Clauses of every licence id whose text ships in the corpus (unknown ids add none).

    A licence's acceptable-use policy ships beside it (`...-Community` -> `...-AUP`), so its
    text also decides whether the policy can change.
    """
    texts = _data.corpus_texts()
    findings: list[ClauseFinding] = []
    for license_id in sorted({i for i in license_ids if i}):
        canonical = lic.canonical_id(license_id)
        if canonical in texts:
            findings += find_clauses(texts[canonical], canonical)
            policy = canonical.replace("-Community", "-AUP")
            if policy != canonical and policy in texts:
                mark_updatable(findings, [texts[policy]])
    return findings


def mark_updatable(findings: Sequence[ClauseFinding], policy_texts: Iterable[str]) -> None:
    """Set `updatable` on AUP findings when a policy text says it can change ("most recent copy").

    The licence incorporates the policy; whether that policy can change is written in the
    policy itself, so the evidence is looked for there.
    """
    evidence = next((m for t in policy_texts if (m := UPDATABLE.search(t.lower()))), None)
    if evidence is None:
        return
    for finding in findings:
        if finding.kind == "aup" and not finding.detail.get("updatable"):
            finding.detail.update(updatable=True, evidence=evidence[0])


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
    decided, reasons = verdict(verdict_components or resolved, findings)
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
    )


def audit_mof_yaml(path: Path) -> AuditReport:
    """Audit a Model Openness Framework YAML (validated against the MOF schema first).

    Example: `audit_mof_yaml(Path("FullTestFile.yml")).mof.mof_class` -> 1.
    """
    name, comps, globals_ = read_mof_yaml(Path(path))
    return audit_components(
        comps, global_licenses=globals_, subject=f"{name} ({Path(path).name})", kind="mof"
    )
