"""The licence gate: may work under licence X enter a model released under licence Y?

Every licence is put in a family, and one table says which family may flow into which. The
table is deliberately conservative: when in doubt, refuse and name the reason; a maintainer
can always relicense or widen ``[policy] allowed_licenses`` on purpose.

Example::

    check_inflow("CC-BY-NC-4.0", "Apache-2.0")
    # -> 'CC-BY-NC-4.0 is non-commercial; it cannot enter a model licensed Apache-2.0 (permissive),
    #     whose users may use it commercially'
    check_inflow("MIT", "Apache-2.0")  # -> None (compatible)
"""

from __future__ import annotations

import re
from typing import Literal

from modelbazaar.licenses.spdx import is_license_id

Family = Literal["permissive", "share-alike", "non-commercial", "no-derivatives", "unknown"]

# Licences we know by name, beyond the patterns below. Permissive: attribution at most.
PERMISSIVE = {
    "0BSD",
    "Apache-2.0",
    "BSD-2-Clause",
    "BSD-3-Clause",
    "BSL-1.0",
    "CC-BY-2.0",
    "CC-BY-2.5",
    "CC-BY-3.0",
    "CC-BY-4.0",
    "CC0-1.0",
    "CDLA-Permissive-1.0",
    "CDLA-Permissive-2.0",
    "ISC",
    "MIT",
    "MIT-0",
    "PDDL-1.0",
    "ODC-By-1.0",
    "PSF-2.0",
    "Unlicense",
    "Zlib",
    "LicenseRef-Public-Domain",
    "LicenseRef-WordNet-3.0",  # WordNet: keep the notice, else free
}
SHARE_ALIKE = {"CDLA-Sharing-1.0", "ODbL-1.0", "MPL-2.0", "EUPL-1.2"}
# Patterns, tried in order; the first match decides (NC before SA: CC-BY-NC-SA is non-commercial).
PATTERNS: list[tuple[str, Family]] = [
    (r"^CC-BY(-SA)?-NC|^CC-BY-NC", "non-commercial"),  # CC-BY-NC-4.0, CC-BY-NC-SA-4.0, -NC-ND-
    (r"^CC-BY-ND", "no-derivatives"),
    (r"^CC-BY-SA-", "share-alike"),
    (r"^(A|L)?GPL-", "share-alike"),  # GPL, LGPL, AGPL: derivatives keep the licence
    (r"^LicenseRef-.*(NonCommercial|Non-Commercial|Research|NC)", "non-commercial"),
]

# model family -> contribution families that may flow into it, with why others may not.
ALLOWED_INTO: dict[Family, set[Family]] = {
    "permissive": {"permissive"},
    "share-alike": {"permissive", "share-alike"},  # only the same share-alike licence: below
    "non-commercial": {"permissive", "non-commercial"},
    "no-derivatives": set(),  # a no-derivatives model cannot be changed at all
    "unknown": set(),
}
WHY: dict[Family, str] = {
    "non-commercial": "is non-commercial; it cannot enter a model licensed {model} ({family}), "
    "whose users may use it commercially",
    "share-alike": "is share-alike; it would force the model's licence to become {license} "
    "too, which {model} ({family}) does not allow",
    "no-derivatives": "forbids derivatives; a model trained on it is one",
    "unknown": "is not a licence we can judge; only licences in the compatibility table are "
    "accepted (ask the maintainers to review it by hand)",
    "permissive": "is permissive, but {model} ({family}) accepts nothing from outside",
}


def family(license_id: str) -> Family:
    """The family of an SPDX id. Example: family("CC-BY-SA-4.0") -> 'share-alike'."""
    if not is_license_id(license_id):
        return "unknown"
    if license_id in PERMISSIVE:
        return "permissive"
    if license_id in SHARE_ALIKE:
        return "share-alike"
    for pattern, name in PATTERNS:
        if re.search(pattern, license_id):
            return name
    return "unknown"


def check_inflow(contribution: str, model: str) -> str | None:
    """None if work under ``contribution`` may enter a model under ``model``, else the reason."""
    source, target = family(contribution), family(model)
    if source in ALLOWED_INTO[target]:
        if source == "share-alike" and contribution != model:
            return (
                f"{contribution} is share-alike and differs from the model's licence {model}; "
                "two different share-alike licences cannot both hold"
            )
        return None
    reason = WHY[source].format(model=model, family=target, license=contribution)
    return f"{contribution} {reason}"


def license_gate(
    licenses: dict[str, str], model_license: str, allowed: list[str]
) -> tuple[list[str], list[dict[str, str]]]:
    """Judge every licence a contribution carries; return (reasons to reject, table rows).

    ``licenses`` maps what carries the licence to its id, e.g. {"adapter": "MIT",
    "data train.jsonl": "CC-BY-NC-4.0"}. A licence must be compatible with the model's licence
    *and* listed in the policy's ``allowed_licenses``.
    """
    reasons, rows = [], []
    for what, license_id in sorted(licenses.items()):
        problem = check_inflow(license_id, model_license)
        if problem is None and allowed and license_id not in allowed:
            problem = f"{license_id} is not in [policy] allowed_licenses ({', '.join(allowed)})"
        rows.append(
            {
                "what": what,
                "license": license_id,
                "family": family(license_id),
                "verdict": "ok" if problem is None else "refused",
                "reason": problem or "",
            }
        )
        if problem:
            reasons.append(f"licence of {what}: {problem}")
    return reasons, rows
