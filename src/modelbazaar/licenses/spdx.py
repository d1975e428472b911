"""SPDX licence identifiers: is this a licence id a manifest may carry?

Example: is_license_id("MIT") -> True; is_license_id("LicenseRef-Llama-3.1") -> True;
is_license_id("mit-ish") -> False.
"""

import re
from functools import cache
from importlib import resources

LICENSE_REF = re.compile(r"^LicenseRef-[A-Za-z0-9.\-]+$")  # SPDX: idstring = 1*(ALPHA/DIGIT/-/.)


@cache
def spdx_licenses() -> dict[str, bool]:
    """SPDX id -> OSI approved, from the shipped SPDX licence list."""
    text = resources.files("modelbazaar.licenses").joinpath("data", "spdx_licenses.tsv").read_text()
    table: dict[str, bool] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            license_id, osi, _deprecated = line.split("\t")
            table[license_id] = osi == "1"
    return table


def is_license_id(value: str) -> bool:
    """True for an SPDX licence id (exact case) or a LicenseRef-… id."""
    return value in spdx_licenses() or bool(LICENSE_REF.match(value))


def suggest_license(value: str) -> str | None:
    """The SPDX id a near-miss probably meant, e.g. 'apache-2.0' -> 'Apache-2.0'."""
    lowered = {key.lower(): key for key in spdx_licenses()}
    return lowered.get(value.strip().lower())


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
