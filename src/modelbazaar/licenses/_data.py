"""Load the licence data shipped in `modelbazaar/licenses/data/` (read once, cached).

    spdx/licenses.json   THE SPDX licence list (3.28): id -> name, OSI / FSF / deprecated flags
    spdx/texts.json.xz   the text of every licence on that list
    texts/               model licences and policies (Llama, Gemma, Qwen, RAIL, ...) + SOURCES.tsv
    index.npz/.json      the shingle index over all of those texts (scripts/build_license_data.py)
    mof/                 the MOF tool's type-appropriate and open-data licence lists
    license_clauses.json hand-checked clause findings for the model licences
    clause_model.npz     the clause classifier beside the rules (clause_model.py)
    clause_encoder.safetensors  `bazaar audit --deep`'s fine-tuned layers (audit/clause_encoder.py)

Each folder keeps a SOURCE.txt naming where its files came from.

Example: `corpus_texts()["MIT"][:11] -> 'MIT License'`; `spdx_licenses()["MIT"]["isOsiApproved"]`
-> True.
"""

from __future__ import annotations

import csv
import io
import json
import lzma
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any


def data_root() -> Traversable:
    """The `data/` folder inside the installed package (works from a wheel or a checkout)."""
    return resources.files("modelbazaar.licenses").joinpath("data")


def package_text(package: str, *parts: str) -> str:
    """UTF-8 text of `package`/data/<parts…> (works from a wheel or a checkout)."""
    return resources.files(package).joinpath("data", *parts).read_text(encoding="utf-8")


def _text(*parts: str) -> str:
    return package_text("modelbazaar.licenses", *parts)


@cache
def spdx_licenses() -> dict[str, dict[str, Any]]:
    """The SPDX licence list, keyed by licence id, with SPDX's own flag names.

    Example: `spdx_licenses()["CC-BY-NC-4.0"]` -> `{"name": "Creative Commons Attribution
    Non Commercial 4.0 International", "isOsiApproved": False, "isFsfLibre": None, ...}`.
    """
    return json.loads(_text("spdx", "licenses.json"))["licenses"]


@cache
def spdx_texts() -> dict[str, str]:
    """SPDX id -> licence text (decompressed on first use, ~0.1 s)."""
    with data_root().joinpath("spdx", "texts.json.xz").open("rb") as handle:
        return json.loads(lzma.decompress(handle.read()).decode("utf-8"))


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
    """Model licence file name -> where it came from (texts/SOURCES.tsv)."""
    rows = csv.reader(io.StringIO(_text("texts", "SOURCES.tsv")), delimiter="\t")
    return {row[0]: row[1] for row in rows if len(row) >= 2}


@cache
def model_texts() -> dict[str, str]:
    """Licence id -> text for the model licences and policies in `data/texts/`.

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
def corpus_ids() -> frozenset[str]:
    """Every id we hold a licence text for (SPDX + model licences), without reading texts."""
    folder = data_root().joinpath("texts")
    names = {n.name.rsplit(".", 1)[0] for n in folder.iterdir() if n.name.endswith((".txt", ".md"))}
    return frozenset(spdx_licenses()) | frozenset(names)


@cache
def corpus_texts() -> dict[str, str]:
    """Licence id -> full text, for every SPDX licence and every model licence we ship."""
    return dict(sorted((spdx_texts() | model_texts()).items()))


def license_text(license_id: str) -> str | None:
    """The text of one licence, or None when we do not ship it. Example: license_text("MIT")."""
    if license_id in model_texts():
        return model_texts()[license_id]
    return spdx_texts().get(license_id)


@cache
def reference_clauses() -> list[dict[str, Any]]:
    """Hand-checked restrictive-clause findings for the model licences in the corpus."""
    return json.loads(_text("license_clauses.json"))["licenses"]
