"""Facts about licence ids: canonical spelling, OSI / FSF / open-data status, kind.

The MOF tool's rule decides what "open" means here: a licence is open when SPDX marks it
OSI-approved or FSF-libre, or it is on the MOF open-data list, or it is OpenMDW-1.0. Public
domain material (`LicenseRef-Public-Domain`) is open data. An SPDX expression is open when the
licensee can choose open terms ("MIT OR Apache-2.0"; every part of an AND).

Example: `canonical_id("apache-2.0") -> "Apache-2.0"`; `is_open("CC-BY-NC-4.0") -> False`;
`license_kind("LicenseRef-Llama-3.1-Community") -> "restricted"`.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Literal

from modelbazaar.licenses import _data

LicenseKind = Literal["osi", "open-data", "restricted", "unknown", "none"]

PUBLIC_DOMAIN = "LicenseRef-Public-Domain"
# Hugging Face `license:` values that are not SPDX ids -> our corpus ids. The Hub lists these
# names on its licence page; only the model licences we ship texts for are mapped.
HF_ALIASES: dict[str, str] = {
    "llama2": "LicenseRef-Llama-2-Community",
    "llama3": "LicenseRef-Llama-3-Community",
    "llama3.1": "LicenseRef-Llama-3.1-Community",
    "llama3.2": "LicenseRef-Llama-3.2-Community",
    "llama3.3": "LicenseRef-Llama-3.3-Community",
    "gemma": "LicenseRef-Gemma-Terms-of-Use-2024-02-21",
    "bigscience-openrail-m": "BigScience-OpenRAIL-M",
    "creativeml-openrail-m": "CreativeML-OpenRAIL-M",
    "bigcode-openrail-m": "LicenseRef-BigCode-OpenRAIL-M-v1",
    "openrail": "BigScience-OpenRAIL-M",
    "tongyi-qianwen": "LicenseRef-Tongyi-Qianwen",
    "qwen": "LicenseRef-Qwen-2024",
    "mrl": "LicenseRef-Mistral-Research-License-MRL-0.1",
    "falcon": "LicenseRef-Falcon-2-11B-TII-1.0",
    "gpl-3.0": "GPL-3.0-only",
    "agpl-3.0": "AGPL-3.0-only",
    "gpl-2.0": "GPL-2.0-only",
    "lgpl-2.1": "LGPL-2.1-only",
    "lgpl-3.0": "LGPL-3.0-only",
}
# SPDX does not flag PSF-2.0 OSI-approved because the OSI approved it as the first part of the
# Python License (Python-2.0); on its own it grants the same freedoms, without restriction.
APPROVED_AS_PART_OF = {"PSF-2.0": "Python-2.0"}

# Ids that are never an open licence whatever their flags: "no licence" markers used in cards.
NO_LICENSE = frozenset({"", "unlicensed", "none", "unknown", "other", "noassertion"})


@cache
def _lookup() -> dict[str, str]:
    """Lower-cased id -> canonical id, over SPDX ids, MOF ids and the corpus ids."""
    ids = set(_data.spdx_licenses()) | set(_data.mof_license_flags()) | set(_data.corpus_ids())
    ids |= _data.open_data_licenses() | {PUBLIC_DOMAIN}
    return {i.lower(): i for i in ids}


def canonical_id(name: str | None) -> str | None:
    """The canonical spelling of a licence id, or the stripped input if it is not known.

    Example: `canonical_id(" MIT ") -> "MIT"`, `canonical_id("llama3.1") ->
    "LicenseRef-Llama-3.1-Community"`, `canonical_id("my-own") -> "my-own"`.
    """
    if name is None:
        return None
    cleaned = name.strip()
    key = cleaned.lower()
    if key in HF_ALIASES:
        return HF_ALIASES[key]
    return _lookup().get(key, cleaned)


def is_no_license(license_id: str | None) -> bool:
    """True when the id says there is no licence (None, "", "unlicensed", "other", ...)."""
    return license_id is None or license_id.strip().lower() in NO_LICENSE


def _flag(license_id: str, flag: str) -> bool:
    for table in (_data.spdx_licenses(), _data.mof_license_flags()):
        if table.get(license_id, {}).get(flag) is True:
            return True
    return False


def is_osi(license_id: str) -> bool:
    """OSI-approved according to the SPDX licence list (or mof-licenses.json)."""
    if license_id in APPROVED_AS_PART_OF:
        return is_osi(APPROVED_AS_PART_OF[license_id])
    if _is_expression(license_id):
        return _expression_open(license_id, is_osi)
    return _flag(license_id, "isOsiApproved")


def is_fsf_libre(license_id: str) -> bool:
    """FSF-libre according to the SPDX licence list (or mof-licenses.json)."""
    return _flag(license_id, "isFsfLibre")


def is_open_data(license_id: str) -> bool:
    """On the MOF open-data list (CC-BY, CC0, CDLA, ODC, ...), OpenMDW-1.0 or public domain."""
    return license_id in _data.open_data_licenses() or license_id == PUBLIC_DOMAIN


def is_open(license_id: str | None) -> bool:
    """Open under the MOF rule: OSI-approved, FSF-libre, or an open-data licence.

    Ids are compared exactly, as the MOF tool does (`mit` is not `MIT`); call `canonical_id`
    first when the spelling may vary. Expressions: see the module docstring.
    """
    if is_no_license(license_id):
        return False
    assert license_id is not None
    if _is_expression(license_id):
        return _expression_open(license_id, is_open)
    return is_osi(license_id) or is_fsf_libre(license_id) or is_open_data(license_id)


def _is_expression(license_id: str) -> bool:
    return " " in license_id.strip()


def _expression_open(value: str, test: object) -> bool:
    from modelbazaar.licenses.expression import expression_is_open  # only when one is used

    return expression_is_open(value, test)  # type: ignore[arg-type]


def mof_license(license_id: str | None) -> str | None:
    """The id MOF scoring should see: public domain -> CC0-1.0 (same effect, an id MOF knows)."""
    if license_id == PUBLIC_DOMAIN:
        return "CC0-1.0"
    return canonical_id(license_id)


def is_type_appropriate(license_id: str | None, content_type: str) -> bool:
    """Listed in mof-licenses.json for this content type ("code", "data" or "document")."""
    return license_id in _data.mof_type_licenses().get(content_type, frozenset())


_RESTRICTED_PATTERN = re.compile(r"(^LicenseRef-)|(-NC(-|$))|(-ND(-|$))|(RAIL)", re.IGNORECASE)


def license_kind(license_id: str | None) -> LicenseKind:
    """Sort a licence id into osi / open-data / restricted / unknown / none.

    "restricted" covers model licences (LicenseRef-*), RAIL licences and CC NonCommercial or
    NoDerivatives variants: weights are available but use is limited.
    """
    if is_no_license(license_id):
        return "none"
    assert license_id is not None
    if is_osi(license_id):
        return "osi"
    if is_open(license_id):
        return "open-data"
    if _RESTRICTED_PATTERN.search(license_id) or license_id in _data.spdx_licenses():
        return "restricted"
    return "unknown"
