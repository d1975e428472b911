"""Clauses of the licences whose texts ship in the corpus, by licence id.

Example: `corpus_clauses(["LicenseRef-Llama-3.1-Community"])` -> findings for the user cap, the
naming rule and the acceptable-use policy (marked updatable: the policy says it can change).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from modelbazaar.licenses import _data
from modelbazaar.licenses import facts as lic
from modelbazaar.licenses.clause_model import shipped_model
from modelbazaar.licenses.clauses import UPDATABLE, find_clauses
from modelbazaar.licenses.models import ClauseFinding


def corpus_clauses(license_ids: Iterable[str | None]) -> list[ClauseFinding]:
    """Clauses of every licence id whose text ships in the corpus (unknown ids add none).

    A licence's acceptable-use policy ships beside it (`...-Community` -> `...-AUP`), so its
    text also decides whether the policy can change.
    """
    findings: list[ClauseFinding] = []
    for license_id in sorted({i for i in license_ids if i}):
        canonical = lic.canonical_id(license_id) or license_id
        text = _data.license_text(canonical)
        if text is not None and not lic.is_open(canonical):
            # an open licence's own terms restrict nothing (GPL's conveyance terms included)
            findings += find_clauses(text, canonical, classifier=shipped_model())
            policy = _data.license_text(canonical.replace("-Community", "-AUP"))
            if policy is not None and canonical.endswith("-Community"):
                mark_updatable(findings, [policy])
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
