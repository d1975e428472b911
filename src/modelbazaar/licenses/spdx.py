"""SPDX licence identifiers: is this a licence id a manifest may carry, and if not, what was meant?

The one SPDX list lives in `data/spdx/licenses.json` (read by `_data.spdx_licenses`); manifests,
the contribution gate, the audit, lineage and release all check ids here.

Example: is_license_id("MIT") -> True; is_license_id("LicenseRef-Llama-3.1") -> True;
is_license_id("mit-ish") -> False; suggest_license("apache 2.0") -> "Apache-2.0".
"""

from __future__ import annotations

import difflib
import re

from modelbazaar.licenses import _data

LICENSE_REF = re.compile(r"^LicenseRef-[A-Za-z0-9.\-]+$")  # SPDX: idstring = 1*(ALPHA/DIGIT/-/.)


def spdx_licenses() -> dict[str, bool]:
    """SPDX id -> OSI approved, from the one shipped SPDX licence list."""
    return {i: bool(e["isOsiApproved"]) for i, e in _data.spdx_licenses().items()}


def is_license_id(value: str) -> bool:
    """True for an SPDX licence id (exact case) or a LicenseRef-… id."""
    return value in _data.spdx_licenses() or bool(LICENSE_REF.match(value))


def suggest_license(value: str) -> str | None:
    """The SPDX id a near-miss probably meant: 'apache-2.0' -> 'Apache-2.0', 'apache 2' -> ..."""
    ids = list(_data.spdx_licenses())
    lowered = {key.lower(): key for key in ids}
    cleaned = value.strip().lower()
    if cleaned in lowered:
        return lowered[cleaned]
    close = difflib.get_close_matches(cleaned.replace(" ", "-"), list(lowered), n=1, cutoff=0.8)
    return lowered[close[0]] if close else None


def license_id_problem(value: str) -> str | None:
    """None for a valid id, else a sentence saying what is wrong and what to write instead.

    Example: license_id_problem("apache-2.0") -> "'apache-2.0' is not an SPDX id; did you mean
    'Apache-2.0'?"; license_id_problem("MIT") -> None.
    """
    if is_license_id(value):
        return None
    hint = suggest_license(value)
    fix = f"did you mean '{hint}'?" if hint else "use an SPDX id (e.g. MIT) or LicenseRef-…"
    return f"'{value}' is not an SPDX id; {fix}"
