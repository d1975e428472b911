"""Hostile-zip checks: everything decided from the central directory, then capped reads.

A bundle comes from a stranger, so the zip container itself is an attack surface: member names can
point outside a folder, members can be symlinks, a few KiB can inflate to gigabytes, and the sizes
in the headers can lie. :func:`check_central_directory` refuses all of that *before a single member
is decompressed*; :func:`read_member` then enforces the sizes again while inflating.

Example::

    with zipfile.ZipFile(io.BytesIO(blob)) as zf:
        infos = check_central_directory(zf.infolist(), BundleLimits())   # name -> ZipInfo
        manifest = read_member(zf, infos["manifest.json"], cap=1 << 20)
"""

from __future__ import annotations

import os
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path

from modelbazaar.contrib.manifest import (
    ADAPTER_NAME,
    DATA_PREFIX,
    MANIFEST_NAME,
    PLAIN_NAME_RE,
    SIGNATURE_NAME,
    STATISTICS_NAME,
)
from modelbazaar.errors import BundleError

MiB = 1 << 20
READ_CHUNK = 1 * MiB  # inflate in 1 MiB steps so a lying header costs at most one extra chunk


@dataclass(frozen=True)
class BundleLimits:
    """Resource limits for opening one bundle; the defaults fit a LoRA of a ~1B model on a laptop.

    Example: BundleLimits(max_member_bytes=64 * MiB) for a hub that only takes small adapters.
    """

    max_archive_bytes: int = 1024 * MiB  # the .bazaar file itself (read into memory once)
    max_files: int = 64  # manifest + signature + adapter + up to 61 data files
    max_total_bytes: int = 1024 * MiB  # sum of uncompressed member sizes
    max_member_bytes: int = 512 * MiB  # one uncompressed member (r=8 on SmolLM2-135M is ~20 MiB)
    max_manifest_bytes: int = 1 * MiB  # manifest.json; a real one is a few KiB
    max_signature_bytes: int = 1024  # manifest.sig is exactly 64 bytes; leave room to say so
    max_ratio: float = 100.0  # uncompressed / compressed; text ~3-10x, weights ~1.1x, zeros ~1000x
    ratio_floor_bytes: int = 1 * MiB  # members smaller than this may compress as well as they like
    max_header_bytes: int = 1 * MiB  # the JSON header inside adapter.safetensors
    max_tensors: int = 10_000  # SmolLM2-135M with LoRA on all linear layers has 420


def check_member_name(name: str) -> None:
    """Refuse any name outside the allowed set; the allowed set alone rules out traversal.

    Allowed: manifest.json, manifest.sig, adapter.safetensors, statistics.safetensors,
    data/<plain name>.
    Example: "data/train.jsonl" passes; "../x", "/etc/passwd", "C:x", "data\\\\x" raise BundleError.
    """
    # Say *why* a name is refused: the specific hostile forms first, then "not allowed".
    if "\x00" in name:
        raise BundleError(f"zip member {name!r} contains a NUL byte; refusing a hostile bundle")
    if name.startswith("/"):
        raise BundleError(f"zip member {name!r} is an absolute path; refusing a hostile bundle")
    if "\\" in name:
        raise BundleError(f"zip member {name!r} contains a backslash; refusing a hostile bundle")
    if len(name) >= 2 and name[1] == ":":
        raise BundleError(f"zip member {name!r} has a drive letter; refusing a hostile bundle")
    if ".." in name.split("/"):
        raise BundleError(
            f"zip member {name!r} has a '..' component (path traversal); refusing a hostile bundle"
        )
    if name in (MANIFEST_NAME, SIGNATURE_NAME, ADAPTER_NAME, STATISTICS_NAME):
        return
    if name.startswith(DATA_PREFIX) and PLAIN_NAME_RE.match(name[len(DATA_PREFIX) :]):
        return
    raise BundleError(
        f"zip member {name!r} is not allowed in a bundle (only {MANIFEST_NAME}, {SIGNATURE_NAME}, "
        f"{ADAPTER_NAME}, {STATISTICS_NAME} and data/<plain name>); refusing it"
    )


def _member_cap(name: str, limits: BundleLimits) -> int:
    if name == MANIFEST_NAME:
        return limits.max_manifest_bytes
    if name == SIGNATURE_NAME:
        return limits.max_signature_bytes
    return limits.max_member_bytes


def check_central_directory(
    infos: list[zipfile.ZipInfo], limits: BundleLimits
) -> dict[str, zipfile.ZipInfo]:
    """Validate every entry of the central directory; return the entries by name.

    Nothing is decompressed here; sizes are the ones the archive claims, which
    :func:`read_member` holds it to.
    """
    if len(infos) > limits.max_files:
        raise BundleError(
            f"bundle has {len(infos)} files, the limit is {limits.max_files}; "
            "refusing it (a real bundle has a manifest, a signature, an adapter, a few data files)"
        )
    by_name: dict[str, zipfile.ZipInfo] = {}
    seen_lower: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        # zipfile silently cuts a name at a NUL byte; the original name is what the attacker wrote.
        check_member_name(info.orig_filename)
        check_member_name(name)
        mode = info.external_attr >> 16  # Unix st_mode when the archive was made on Unix
        if stat.S_ISLNK(mode):
            raise BundleError(f"zip member {name!r} is a symlink; refusing a hostile bundle")
        if stat.S_IFMT(mode) not in (0, stat.S_IFREG):  # 0: made on a system without modes
            raise BundleError(f"zip member {name!r} is not a regular file; refusing it")
        if name in by_name or name.lower() in seen_lower:
            raise BundleError(f"zip member {name!r} appears twice; refusing an ambiguous bundle")
        if info.flag_bits & 0x1:
            raise BundleError(
                f"zip member {name!r} is encrypted; bundles are signed, not encrypted"
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            # bzip2/lzma cost far more memory and CPU to inflate, and write_bundle never uses them.
            raise BundleError(
                f"zip member {name!r} uses compression method {info.compress_type}; "
                "only stored and deflate are accepted"
            )
        cap = _member_cap(name, limits)
        if info.file_size > cap:
            what = "manifest" if name == MANIFEST_NAME else f"zip member {name!r}"
            raise BundleError(
                f"{what} claims {info.file_size} bytes uncompressed, the limit is {cap}; "
                "refusing it (oversized or a zip bomb)"
            )
        if info.file_size > limits.ratio_floor_bytes and info.file_size > limits.max_ratio * max(
            info.compress_size, 1
        ):
            ratio = info.file_size / max(info.compress_size, 1)
            raise BundleError(
                f"zip member {name!r} has compression ratio {ratio:.0f}:1 "
                f"({info.compress_size} -> {info.file_size} bytes), the limit is "
                f"{limits.max_ratio:.0f}:1; refusing a likely zip bomb"
            )
        total += info.file_size
        if total > limits.max_total_bytes:
            raise BundleError(
                f"bundle members add up to more than {limits.max_total_bytes} bytes uncompressed; "
                "refusing it (oversized or a zip bomb)"
            )
        by_name[name] = info
        seen_lower.add(name.lower())
    _check_no_overlap(infos)
    return by_name


def _check_no_overlap(infos: list[zipfile.ZipInfo]) -> None:
    # Overlapping entries share compressed bytes, so one small stream is counted many times
    # (David Fifield's "better zip bomb"); a well-formed zip stores members one after another.
    spans = sorted((i.header_offset, i.header_offset + i.compress_size, i.filename) for i in infos)
    for (_, end, first), (start, _, second) in zip(spans, spans[1:], strict=False):
        if start < end:
            raise BundleError(
                f"zip members {first!r} and {second!r} overlap; refusing a likely zip bomb"
            )


def read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes:
    """Inflate one member into memory, never more than ``min(info.file_size, cap)`` bytes.

    The central directory was checked, but the deflate stream is what actually inflates: read in
    chunks and stop as soon as it produces more than the header promised.
    """
    limit = min(info.file_size, cap)
    chunks: list[bytes] = []
    got = 0
    with zf.open(info) as f:
        while True:
            chunk = f.read(min(READ_CHUNK, limit - got + 1))  # +1: detect "more than promised"
            if not chunk:
                break
            got += len(chunk)
            if got > limit:
                raise BundleError(
                    f"zip member {info.filename!r} inflates past its declared {info.file_size} "
                    "bytes; refusing a lying header (zip bomb)"
                )
            chunks.append(chunk)
    if got != info.file_size:
        raise BundleError(
            f"zip member {info.filename!r} has {got} bytes but its header says {info.file_size}; "
            "the bundle is corrupt"
        )
    return b"".join(chunks)


def read_bundle_file(path: Path, cap: int) -> bytes:
    """The bytes of a bundle file, refused by its metadata before a byte is read.

    ``/dev/zero``, a FIFO or a folder is not a bundle: only a regular file whose size (from
    ``stat``) is within ``cap`` is read, and it must still be that size once read.
    Example: read_bundle_file(Path("/dev/zero"), 1 << 30) -> BundleError "not a regular file"
    """
    try:
        before = os.stat(path)
        _check_regular(path, before, cap)
        # O_NONBLOCK: a FIFO swapped in after the stat must not hang the open
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as f:
            opened = os.fstat(f.fileno())
            _check_regular(path, opened, cap)
            data = f.read(opened.st_size + 1)  # +1: notice a file that grew since the stat
    except OSError as exc:
        raise BundleError(f"cannot read bundle {path}: {exc.strerror or exc}") from None
    if len(data) != opened.st_size:
        raise BundleError(f"{path} changed while it was being read; try again")
    return data


def _check_regular(path: Path, st: os.stat_result, cap: int) -> None:
    if not stat.S_ISREG(st.st_mode):
        raise BundleError(
            f"{path} is not a regular file (a device, pipe, socket or folder); a bundle is a "
            ".bazaar file written by `bazaar contribute`"
        )
    if st.st_size > cap:
        raise BundleError(f"{path} is {st.st_size} bytes, the limit is {cap}; refusing it")
