"""Data donations as bundles: the donor's files checked by the rules `open_bundle` applies.

A donation is a bundle of ``kind = "data"``: ``manifest.json`` (the data card: licence, source,
provenance, consent, and each file's size and sha256), ``manifest.sig`` and ``data/<name>``
members. Nothing else: no adapter, no other payload. The donor's side refuses, before writing
a byte, every file the reviewer's side would refuse, and says which file (and which line):

- not a regular file (a folder, a device, a FIFO), or larger than a bundle member may be;
- more files, or more bytes in all, than a bundle may hold;
- a name that is not a plain portable file name, or two names that differ only in case;
- not UTF-8 text (``.txt``, ``.md``) or JSON Lines (``.jsonl``, ``.json``): binary, non-UTF-8,
  a line that is not a JSON object, JSON nested too deep;
- text so repetitive it would compress past the zip-bomb ratio a reviewer refuses.

Example::

    files = read_donation_files([Path("sonnets.txt")])      # {"sonnets.txt": b"..."}
    parse_provenance("synthetic:gpt-4o")                      # ("synthetic", "gpt-4o")
"""

from __future__ import annotations

import os
import stat
import zlib
from pathlib import Path

from modelbazaar.contrib.datacheck import JSONL_SUFFIXES, TEXT_SUFFIXES
from modelbazaar.contrib.manifest import PLAIN_NAME_RE, BundleManifest
from modelbazaar.contrib.zipcheck import BundleLimits
from modelbazaar.data.documents import read_documents
from modelbazaar.errors import BundleError, DataError

RESERVED_MEMBERS = 2  # manifest.json and manifest.sig take two of the bundle's file slots


def parse_provenance(text: str) -> tuple[str, str | None]:
    """``human`` -> ("human", None); ``synthetic:GENERATOR`` -> ("synthetic", "GENERATOR").

    Synthetic data must name the model that wrote it: its terms and its lineage follow it.
    """
    kind, _, generator = text.partition(":")
    generator = generator.strip()
    if kind == "human" and not generator:
        return "human", None
    if kind == "synthetic" and generator:
        return "synthetic", generator
    if kind == "synthetic":
        raise DataError(
            "--provenance synthetic must name the model that wrote the data: "
            "synthetic:GENERATOR (a model name, or a ref of this model such as synthetic:main)"
        )
    raise DataError(f"--provenance {text!r}: give human, or synthetic:GENERATOR")


def read_donation_files(
    paths: list[Path], limits: BundleLimits = BundleLimits()
) -> dict[str, bytes]:
    """name -> bytes of each donated file, every one checked as a bundle member would be."""
    if not paths:
        raise DataError("a donation needs at least one --data FILE")
    if len(paths) > limits.max_files - RESERVED_MEMBERS:
        raise DataError(
            f"{len(paths)} files: a bundle holds at most {limits.max_files - RESERVED_MEMBERS} "
            "data files; concatenate them (one JSONL file can hold any number of documents)"
        )
    files: dict[str, bytes] = {}
    total = 0
    for path in paths:
        name = Path(path).name
        _check_name(path, name, {n.lower() for n in files})
        raw = _read_regular(Path(path), limits.max_member_bytes)
        total += len(raw)
        if total > limits.max_total_bytes:
            raise DataError(
                f"the donation is over {limits.max_total_bytes:,} bytes at {path}; a bundle "
                "holds at most that much: split it into several donations"
            )
        read_documents(name, raw)  # UTF-8 text or JSON Lines: names the file (and the line)
        _check_ratio(path, raw, limits)
        files[name] = raw
    return files


def _check_name(path: Path, name: str, taken: set[str]) -> None:
    if not PLAIN_NAME_RE.match(name):
        raise DataError(
            f"{path}: the file name {name!r} cannot travel in a bundle; rename it to letters, "
            "digits, '.', '_' and '-' (starting with a letter or digit, at most 128 characters)"
        )
    if not name.endswith(TEXT_SUFFIXES + JSONL_SUFFIXES):
        raise DataError(
            f"{path}: donate UTF-8 text (.txt, .md) or JSON Lines (.jsonl, .json); "
            f"{Path(name).suffix or 'a file without a suffix'} is not accepted"
        )
    if name.lower() in taken:
        raise DataError(f"{path}: another donated file is also called {name!r}; rename one")


def _read_regular(path: Path, cap: int) -> bytes:
    """The bytes of a regular file no larger than ``cap``, decided by stat before reading."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise DataError(f"cannot read {path}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise DataError(f"{path} is not a regular file (a folder, device or pipe); donate files")
    if info.st_size > cap:
        raise DataError(f"{path} is {info.st_size:,} bytes; a bundle member may be {cap:,}")
    with open(path, "rb") as f:
        raw = f.read(cap + 1)
    if len(raw) > cap:
        raise DataError(f"{path} grew past {cap:,} bytes while it was read")
    return raw


def _check_ratio(path: Path, raw: bytes, limits: BundleLimits) -> None:
    """Refuse what a reviewer would refuse as a zip bomb (deflate at zipfile's default level)."""
    if len(raw) <= limits.ratio_floor_bytes:
        return
    ratio = len(raw) / max(1, len(zlib.compress(raw)))
    if ratio > limits.max_ratio:
        raise DataError(
            f"{path} compresses {ratio:.0f}:1 (the limit is {limits.max_ratio:.0f}:1): it is "
            "mostly repetition, and reviewers refuse such members as zip bombs"
        )


def check_donation_card(manifest: BundleManifest) -> None:
    """A donation is one dataset: every file included, under the bundle's licence, with one
    provenance. Refuse (BundleError) a hand-made card that mixes them, naming the file."""
    if manifest.kind != "data":
        raise BundleError(f"a bundle of kind {manifest.kind!r} is not a data donation")
    first = manifest.data_card.files[0] if manifest.data_card.files else None
    if first is None:
        raise BundleError("the donation's data card lists no files")
    for f in manifest.data_card.files:
        if not f.included:
            raise BundleError(f"data card lists {f.name!r} as not included; donate the file")
        if f.license != manifest.license:
            raise BundleError(
                f"{f.name!r} is under {f.license}, the donation under {manifest.license}; "
                "donate files under different licences as separate donations"
            )
        if (f.provenance, f.generator, f.generator_version) != (
            first.provenance,
            first.generator,
            first.generator_version,
        ):
            raise BundleError(
                f"{f.name!r} has another provenance than {first.name!r}; donate human and "
                "synthetic data (or data of different generators) as separate donations"
            )
