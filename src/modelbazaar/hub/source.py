"""A model's source as the hub keeps it: a tree object listing files by sha256.

The tree is canonical JSON stored as an object itself, so a source is named by its hash like
everything else. What counts as source: ``bazaar.toml``, top-level README/LICENSE/NOTICE files,
and every regular file under ``data/`` and ``evals/`` — except data files whose manifest
licence does not allow redistribution (`redistributable`): those are *withheld*, listed with
their manifest entry and where the data comes from, and never leave the maintainer's machine.
A clone writes a ``<file>.missing`` note in their place; `bazaar build`/`verify` then name the
missing file.

Trees come from strangers: paths are relative POSIX paths of plain components (no ``..``, no
hidden files, no absolute paths, nothing outside the folder), bounded in length and count.

Example: collect_source(Path("my-model")) -> (SourceTree(files=[…], withheld=[]), {path: file})
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from modelbazaar.errors import BazaarError, validation_problems
from modelbazaar.licenses.facts import is_open
from modelbazaar.licenses.gate import family
from modelbazaar.store.catalogue import canonical_json
from modelbazaar.store.objects import sha256_file

MAX_FILES = 10_000
MAX_PATH = 255
COMPONENT = re.compile(r"^[A-Za-z0-9_+@=,-][A-Za-z0-9._+@=,-]*$")  # no leading dot
TOP_FILES = re.compile(r"^(bazaar\.toml|(README|LICENSE|NOTICE|COPYING)[A-Za-z0-9._-]*)$")
FOLDERS = ("data", "evals")
Digest = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


def check_path(path: str) -> str:
    """`path` if it is a safe relative POSIX path, else BazaarError naming the rule."""
    parts = path.split("/")
    if not path or len(path) > MAX_PATH or len(parts) > 16:
        raise BazaarError(f"source path {path[:80]!r} is empty, too long or too deep")
    bad = next((p for p in parts if not COMPONENT.match(p) or p in (".", "..")), None)
    if bad is not None:
        raise BazaarError(
            f"source path {path[:80]!r} has the component {bad[:40]!r}: use letters, digits "
            "and . _ + @ = , - (no hidden files, '..', spaces or absolute paths)"
        )
    return path


class TreeFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    path: str
    sha256: Digest
    bytes: int = Field(ge=0)

    @field_validator("path")
    @classmethod
    def _safe(cls, value: str) -> str:
        try:
            return check_path(value)
        except BazaarError as exc:
            raise ValueError(str(exc)) from None


class Withheld(TreeFile):
    license: str = Field(max_length=200)
    source: str = Field(max_length=2000)


class SourceTree(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    files: list[TreeFile] = Field(max_length=MAX_FILES)
    withheld: list[Withheld] = Field(default_factory=list, max_length=MAX_FILES)

    def to_bytes(self) -> bytes:
        return canonical_json(self.model_dump(mode="json")).encode()

    @classmethod
    def from_bytes(cls, data: bytes) -> SourceTree:
        try:
            tree = cls.model_validate_json(data)
        except ValidationError as exc:
            problems = validation_problems(exc.errors(), prefix="tree.")
            raise BazaarError(f"not a source tree: {problems}"[:2000]) from None
        paths = [f.path for f in tree.files] + [w.path for w in tree.withheld]
        if len(set(paths)) != len(paths):
            raise BazaarError("the source tree names a path twice")
        return tree


def redistributable(license_id: str) -> bool:
    """May a hub hand this data to anyone who clones? Yes for licences we can judge that
    allow copying (permissive, share-alike, non-commercial, no-derivatives families, or any
    OSI/FSF/open-data licence); no for proprietary, unknown or unassessed licences."""
    return family(license_id) != "unknown" or is_open(license_id)


def _manifest_licences(manifest_text: str) -> tuple[str, str, list[tuple[str, str, int]]]:
    """(licence, source, [(data/<path>, sha256, bytes)]) of a manifest's text, leniently:
    a malformed manifest yields nothing withheld here; `bazaar build` reports it properly."""
    try:
        data = tomllib.loads(manifest_text)
        files = [
            (f"data/{f['path']}", str(f["sha256"]), int(f["bytes"])) for f in data.get("files", [])
        ]
        return str(data.get("license", "")), str(data.get("source", "")), files
    except (tomllib.TOMLDecodeError, KeyError, TypeError, ValueError, AttributeError):
        return "", "", []


def withheld_entries(manifests: dict[str, str]) -> dict[str, Withheld]:
    """Data files of `manifests` (path -> TOML text) that must not be redistributed."""
    found: dict[str, Withheld] = {}
    for text in manifests.values():
        license_id, where, files = _manifest_licences(text)
        if license_id and not redistributable(license_id):
            for path, digest, size in files:
                try:
                    check_path(path)
                except BazaarError:
                    continue
                found[path] = Withheld(
                    path=path, sha256=digest, bytes=size, license=license_id, source=where
                )
    return found


def _candidates(model_dir: Path) -> list[Path]:
    """Regular files that are source, never following a symlink or entering a hidden folder."""
    found = [p for p in model_dir.iterdir() if p.is_file() and TOP_FILES.match(p.name)]
    for folder in FOLDERS:
        top = model_dir / folder
        if top.is_dir() and not top.is_symlink():
            for path in sorted(top.rglob("*")):
                rel = path.relative_to(model_dir)
                if any(part.startswith(".") for part in rel.parts) or path.is_symlink():
                    continue
                if path.is_file():
                    found.append(path)
    return sorted(found)


def collect_source(model_dir: Path) -> tuple[SourceTree, dict[str, Path]]:
    """The source tree of a model folder and the local file of each entry sent."""
    model_dir = Path(model_dir)
    if not (model_dir / "bazaar.toml").is_file():
        raise BazaarError(f"{model_dir} has no bazaar.toml; run this in a model source folder")
    manifests = {
        str(p.relative_to(model_dir)): p.read_text("utf-8", errors="replace")
        for p in sorted((model_dir / "data").glob("*.toml"))
    }
    withheld = withheld_entries(manifests)
    files, local = [], {}
    for path in _candidates(model_dir):
        rel = check_path(path.relative_to(model_dir).as_posix())
        if rel in withheld:
            continue
        files.append(TreeFile(path=rel, sha256=sha256_file(path), bytes=path.stat().st_size))
        local[rel] = path
    kept = [w for p, w in sorted(withheld.items())]
    return SourceTree(files=files, withheld=kept), local


def missing_note(entry: Withheld) -> str:
    """The text of `<file>.missing` in a clone: what the file is and where to get it."""
    return (
        f"{entry.path} was not sent by the hub: its licence {entry.license} does not allow "
        f"redistribution.\nGet it from: {entry.source}\nand put it at {entry.path} "
        f"({entry.bytes} bytes, sha256 {entry.sha256}).\n"
    )
