"""Load the licence data shipped in `modelbazaar/licenses/data/` (read once, cached).

Everything the audit knows about frameworks and licences is data, not code: the MOF component list
and licence lists, the European open-source AI index parameters, the licence-text corpus and the
reference clause findings. Each folder keeps a SOURCE.txt naming where its files came from.

Example: `corpus_texts()["MIT"][:20] -> 'MIT License\n\nCopyri'`.
"""

from __future__ import annotations

import csv
import io
import json
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any


def data_root() -> Traversable:
    """The `data/` folder inside the installed package (works from a wheel or a checkout)."""
    return resources.files("modelbazaar.licenses").joinpath("data")


def _text(*parts: str) -> str:
    node = data_root()
    for part in parts:
        node = node.joinpath(part)
    return node.read_text(encoding="utf-8")


@cache
def spdx_licenses() -> dict[str, dict[str, Any]]:
    """SPDX licence list used by the MOF tool, keyed by licence id (OSI / FSF flags inside)."""
    raw = json.loads(_text("mof", "licenses.json"))
    return {entry["licenseId"]: entry for entry in raw["licenses"]}


@cache
def mof_type_licenses() -> dict[str, frozenset[str]]:
    """Type-appropriate licences per content type: {"code": {...}, "data": ..., "document": ...}.

    `ContentType` is a string or a list in mof-licenses.json (Apache-2.0 suits code and documents).
    """
    raw = json.loads(_text("mof", "mof-licenses.json"))
    by_type: dict[str, set[str]] = {"code": set(), "data": set(), "document": set()}
    for entry in raw["licenses"]:
        types = entry["ContentType"]
        for kind in [types] if isinstance(types, str) else types:
            by_type.setdefault(kind, set()).add(entry["licenseId"])
    return {kind: frozenset(ids) for kind, ids in by_type.items()}


@cache
def mof_license_flags() -> dict[str, dict[str, Any]]:
    """mof-licenses.json entries keyed by id (their OSI / FSF flags complement the SPDX list)."""
    raw = json.loads(_text("mof", "mof-licenses.json"))
    return {entry["licenseId"]: entry for entry in raw["licenses"]}


@cache
def open_data_licenses() -> frozenset[str]:
    """Licences the MOF tool counts as open besides OSI-approved / FSF-libre ones."""
    raw = json.loads(_text("mof", "open-data-licenses.json"))
    return frozenset(raw["open_data"]) | frozenset(raw["also_open"])


@cache
def corpus_sources() -> dict[str, str]:
    """Licence corpus file name -> where it came from (SOURCES.tsv)."""
    rows = csv.reader(io.StringIO(_text("texts", "SOURCES.tsv")), delimiter="\t")
    return {row[0]: row[1] for row in rows if len(row) >= 2}


@cache
def corpus_texts() -> dict[str, str]:
    """Licence id -> full text, for every licence text shipped in `data/licenses/`.

    The id is the file name without its extension: `LicenseRef-Llama-3.1-Community.txt` ->
    `LicenseRef-Llama-3.1-Community`.
    """
    folder = data_root().joinpath("texts")
    texts: dict[str, str] = {}
    for node in folder.iterdir():
        name = node.name
        if name.endswith((".txt", ".md")) and not name.startswith("SOURCE"):
            texts[name.rsplit(".", 1)[0]] = node.read_text(encoding="utf-8")
    return dict(sorted(texts.items()))


@cache
def reference_clauses() -> list[dict[str, Any]]:
    """Hand-checked restrictive-clause findings for the model licences in the corpus."""
    return json.loads(_text("license_clauses.json"))["licenses"]
