"""The licence verdict: "open source", "open weights" or "closed", with every reason.

"open source" needs every component's licence to be OSI-approved or an open-data licence and no
use, field-of-use, user or revenue restriction anywhere. Weights released under anything else
make "open weights"; no weights licence (or no licence at all) makes "closed".

Example: `verdict({"Model parameters (Final)": "Apache-2.0"}, [])` -> ("open source", [...]);
`verdict({"Model parameters (Final)": "LicenseRef-Llama-3.1-Community"}, findings)` ->
("open weights", ["Model parameters (Final) is under LicenseRef-Llama-3.1-Community, ...", ...]).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from modelbazaar.licenses import facts as lic
from modelbazaar.licenses.models import ClauseFinding, Verdict
from modelbazaar.licenses.rules import RULES

WEIGHTS = "Model parameters (Final)"


def describe(finding: ClauseFinding, items: int = 0) -> str:
    """One reason line for a restrictive finding, with where it is.

    Example: a revenue cap added to MIT -> 'a revenue or company-size cap limits who may use
    it (USD 1,000,000; text the licence adds) [LICENSE]'.
    """
    where = f"{finding.source} §{finding.section}" if finding.section else finding.source
    rule = RULES.get(finding.kind)
    notes = []
    threshold = finding.detail.get("threshold")
    if finding.kind in ("mau_cap", "user_cap") and isinstance(threshold, int):
        notes.append(f"{threshold:,} users")
    elif finding.kind == "revenue_cap" and threshold:
        notes.append(str(threshold))
    if finding.kind == "aup" and finding.detail.get("updatable"):
        notes.append("the policy can change without a new licence")
    if items:
        notes.append(f"{items} listed uses")
    if finding.detail.get("changed"):
        notes.append("text the known licence does not contain")
    extra = f" ({'; '.join(notes)})" if notes else ""
    return f"{rule.why if rule else finding.kind}{extra} [{where}]"


def restriction_reasons(findings: Sequence[ClauseFinding]) -> list[str]:
    """One line per restrictive clause; the items of a use-restriction list count, not repeat."""
    items: dict[str, int] = {}
    for finding in findings:
        if finding.detail.get("item"):
            key = f"{finding.source}\0{finding.detail.get('heading')}"
            items[key] = items.get(key, 0) + 1
    lines: list[str] = []
    for finding in findings:
        if not finding.restrictive or finding.detail.get("item"):
            continue
        line = describe(finding, items.get(f"{finding.source}\0{finding.quote}", 0))
        if line not in lines:
            lines.append(line)
    return lines


def verdict(
    components: Mapping[str, str | None],
    findings: Sequence[ClauseFinding] = (),
    blockers: Sequence[str] = (),
) -> tuple[Verdict, list[str]]:
    """Decide the verdict from component licences (MOF names -> id) and clause findings.

    Only restrictive findings count; informational ones (governing law, attribution notices,
    Apache-style patent retaliation) do not. `blockers` are problems that rule out "open
    source" on their own (an empty LICENSE). Works without a folder, for `bazaar release`.
    """
    reasons: list[str] = list(blockers)
    licensed = {name: lid for name, lid in components.items() if not lic.is_no_license(lid)}
    if not licensed and not findings:
        return "closed", [
            *blockers,
            "no licence found: without one, nobody may use, study, change or share it",
        ]
    for name, lid in components.items():
        if lic.is_no_license(lid):
            reasons.append(f"{name} has no licence")
        elif not lic.is_open(lid):
            kind = lic.license_kind(lid)
            reasons.append(
                f"{name} is under {lid}, which is not OSI-approved or open data ({kind})"
            )
    reasons += restriction_reasons(findings)
    if not reasons:
        return "open source", [
            "every component is under an OSI-approved or open-data licence and no use, "
            "field-of-use or user restriction applies"
        ]
    weights = components.get(WEIGHTS)
    if WEIGHTS in components and not lic.is_no_license(weights):
        return "open weights", reasons
    return "closed", [f"{WEIGHTS} are not released under any licence", *reasons]
