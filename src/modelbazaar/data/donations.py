"""A merged data donation in the model source: its files, its manifest, the source revision.

`bazaar merge donation.bazaar` writes ``data/<name>/<file>`` and ``data/<name>.toml`` (a data
manifest with a ``[donation]`` table: contribution id, donor key, consent, documents dropped as
duplicates), so the next `bazaar build` trains on it like any other dataset. The source's data
as a whole is named by a *revision*: the sha256 of every manifest's name and file hashes, which
the catalogue records with its parent revision and the donation that made it.

Example::

    revision_id(load_manifests(model_dir))            # "5be1…" (64 hex digits)
    kept_bytes("a.txt", raw, drop={"a.txt:#2"})       # the file without its 2nd paragraph
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from modelbazaar.data.documents import decode_text
from modelbazaar.data.manifest import DATA_DIR, Manifest, load_manifests
from modelbazaar.errors import DataError
from modelbazaar.release.source import toml_dump
from modelbazaar.store.catalogue import canonical_json
from modelbazaar.store.objects import atomic_write, sha256_bytes


def revision_summary(manifests: list[Manifest]) -> dict[str, dict[str, Any]]:
    """What a revision is made of: each manifest's licence, provenance and file hashes."""
    return {
        m.name: {
            "license": m.license,
            "provenance": m.provenance,
            "generator": m.generator,
            "files": [f.sha256 for f in m.files],
        }
        for m in sorted(manifests, key=lambda m: m.name)
    }


def revision_id(manifests: list[Manifest]) -> str:
    """The source revision: sha256 of the canonical summary (same data, same id)."""
    return sha256_bytes(canonical_json(revision_summary(manifests)).encode())


def current_revision(model_dir: Path) -> tuple[str, dict[str, Any]]:
    """(id, summary) of the data now in ``model_dir``, every manifest checked against its files."""
    manifests = load_manifests(model_dir)
    return revision_id(manifests), revision_summary(manifests)


def kept_bytes(name: str, raw: bytes, drop: set[str]) -> bytes:
    """The file without the documents in ``drop`` (ids as ``read_documents`` gives them).

    Untouched bytes when nothing is dropped, so the file keeps the hash the donor signed.
    Text: paragraphs (blank-line separated) are kept in order; JSONL: lines are kept in order.
    """
    mine = {d for d in drop if d.startswith(f"{name}:")}
    if not mine:
        return raw
    text = decode_text(name, raw)
    if name.endswith((".jsonl", ".json")):
        kept = [
            line
            for number, line in enumerate(text.splitlines(), start=1)
            if line.strip() and f"{name}:{number}" not in mine
        ]
    else:
        paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n")]
        kept = [p for i, p in enumerate(paragraphs) if p and f"{name}:#{i + 1}" not in mine]
    return ("\n\n" if not name.endswith((".jsonl", ".json")) else "\n").join(kept).encode() + (
        b"\n" if kept else b""
    )


def write_donation(model_dir: Path, manifest: dict[str, Any], files: dict[str, bytes]) -> Path:
    """Write ``data/<name>/<file>`` for every file, then ``data/<name>.toml``; return its path.

    ``manifest`` is a data manifest without ``files`` (they are filled in here, split "train").
    Refuses to replace anything: a folder or manifest of that name means it is merged already.
    The manifest is written last, so an interrupted merge leaves files no manifest lists
    (a build ignores them) and a re-run writes the same bytes again.
    """
    data_dir = Path(model_dir) / DATA_DIR
    name = manifest["name"]
    target, manifest_path = data_dir / name, data_dir / f"{name}.toml"
    if manifest_path.exists():
        raise DataError(f"{manifest_path} already exists; this donation is merged already")
    target.mkdir(parents=True, exist_ok=True)
    entries = []
    for file_name, data in sorted(files.items()):
        atomic_write(target / file_name, data, 0o644)
        entries.append(
            {
                "path": f"{name}/{file_name}",
                "split": "train",
                "bytes": len(data),
                "sha256": sha256_bytes(data),
            }
        )
    full = Manifest.model_validate(manifest | {"files": entries})  # never write a bad manifest
    header = "# Data manifest written by `bazaar merge` for a reviewed data donation.\n"
    text = header + toml_dump(full.model_dump(mode="json", exclude_none=True))
    atomic_write(manifest_path, text.encode("utf-8"), 0o644)
    _sync_folder(data_dir)
    return manifest_path


def _sync_folder(folder: Path) -> None:
    """fsync a folder so the renames into it survive a power cut (POSIX; a no-op elsewhere)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
