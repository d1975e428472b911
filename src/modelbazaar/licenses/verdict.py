"""The licence verdict: "open source", "open weights" or "closed", with every reason.

"open source" needs every component's licence to be OSI-approved or an open-data licence and no
use, field-of-use or user restriction anywhere. Weights released under anything else make
"open weights"; no weights licence (or no licence at all) makes "closed".

Example: `verdict({"Model parameters (Final)": "Apache-2.0"}, [])` -> ("open source", [...]);
`verdict({"Model parameters (Final)": "LicenseRef-Llama-3.1-Community"}, findings)` ->
("open weights", ["Model parameters (Final) is under LicenseRef-Llama-3.1-Community, ...", ...]).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from modelbazaar.licenses import facts as lic
from modelbazaar.licenses.models import ClauseFinding, Verdict

WEIGHTS = "Model parameters (Final)"

_WHY = {
    "aup": "an acceptable-use policy restricts use",
    "naming": "derivatives must carry a prescribed name or statement",
    "mau_cap": "a monthly-active-user cap limits who may use it",
    "litigation_termination": "the licence ends if you sue the licensor",
    "non_commercial": "use is limited to non-commercial or research purposes",
    "output_use": "use of outputs to build other models is restricted",
    "use_restriction": "use-based (RAIL) restrictions apply",
    "flow_down": "restrictions must be imposed on downstream users",
    "remote_update": "the licensor may restrict use remotely",
    "field_of_use": "some people or places are excluded",
}


def describe(finding: ClauseFinding) -> str:
    """One reason line for a restrictive finding, with where it is."""
    where = f"{finding.source} §{finding.section}" if finding.section else finding.source
    extra = ""
    if finding.kind == "mau_cap" and finding.detail.get("threshold"):
        extra = f" ({finding.detail['threshold']:,} users)"
    if finding.kind == "aup" and finding.detail.get("updatable"):
        extra = " (the policy can change without a new licence)"
    return f"{_WHY.get(finding.kind, finding.kind)}{extra} [{where}]"


def verdict(
    components: Mapping[str, str | None], findings: Sequence[ClauseFinding] = ()
) -> tuple[Verdict, list[str]]:
    """Decide the verdict from component licences (MOF names -> id) and clause findings.

    Only restrictive findings count; informational ones (governing law, attribution notices,
    Apache-style patent retaliation) do not. Works without a folder, for `bazaar release`.
    """
    reasons: list[str] = []
    licensed = {name: lid for name, lid in components.items() if not lic.is_no_license(lid)}
    if not licensed and not findings:
        return "closed", [
            "no licence found: without one, nobody may use, study, change or share it"
        ]
    for name, lid in components.items():
        if lic.is_no_license(lid):
            reasons.append(f"{name} has no licence")
        elif not lic.is_open(lid):
            kind = lic.license_kind(lid)
            reasons.append(
                f"{name} is under {lid}, which is not OSI-approved or open data ({kind})"
            )
    seen: set[str] = set()
    for finding in findings:
        line = describe(finding)
        if finding.restrictive and line not in seen:
            seen.add(line)
            reasons.append(line)
    if not reasons:
        return "open source", [
            "every component is under an OSI-approved or open-data licence and no use, "
            "field-of-use or user restriction applies"
        ]
    weights = components.get(WEIGHTS)
    if WEIGHTS in components and not lic.is_no_license(weights):
        return "open weights", reasons
    return "closed", [f"{WEIGHTS} are not released under any licence", *reasons]
