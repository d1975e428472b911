"""Data manifests: one TOML file per dataset in `data/`, checked before anything trains.

name = "tinyshakespeare"
license = "LicenseRef-Public-Domain"
source = "https://github.com/karpathy/char-rnn data/tinyshakespeare/input.txt"
provenance = "human"            # or "synthetic", with generator = "model or program"
[[files]]
path = "tinyshakespeare/train.txt"   # relative to data/
split = "train"                      # train | validation | test
bytes = 1003854
sha256 = "…"
"""

import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from modelbazaar.errors import DataError, RecipeError, validation_problems
from modelbazaar.licenses.spdx import license_id_problem
from modelbazaar.recipe import read_toml_text
from modelbazaar.store.objects import sha256_file

DATA_DIR = "data"


class DataFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    path: str
    split: Literal["train", "validation", "test"]
    bytes: int = Field(ge=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class Donation(BaseModel):
    """The `[donation]` table of a manifest that `bazaar merge` wrote for a data donation."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    contribution: str = Field(pattern=r"^[0-9a-f]{64}$")  # the signed manifest's sha256
    author: str  # the donor's public key
    consent: str = ""  # the donor's consent statement, quoted in the datasheet
    dropped_duplicates: int = Field(0, ge=0)  # documents left out as duplicates at merge


class Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    license: str
    source: str
    provenance: Literal["human", "synthetic"]
    generator: str | None = None  # required when provenance = "synthetic"
    # the generator as a version hash, when it is a model of a store ("synthetic:main")
    generator_version: str | None = Field(None, pattern=r"^[0-9a-f]{64}$")
    donation: Donation | None = None
    files: list[DataFile] = Field(min_length=1)

    @model_validator(mode="after")
    def _synthetic_names_generator(self) -> "Manifest":
        if self.provenance == "synthetic" and not self.generator:
            raise ValueError("provenance 'synthetic' needs `generator` (the model or program)")
        return self


def load_manifest(path: Path) -> Manifest:
    """Parse one manifest; errors name the file and the problem."""
    try:
        data = tomllib.loads(read_toml_text(path))
        manifest = Manifest.model_validate(data)
    except tomllib.TOMLDecodeError as exc:
        raise RecipeError(f"data manifest {path} is not valid TOML: {exc}") from None
    except ValidationError as exc:
        problems = validation_problems(exc.errors(), top="manifest")
        raise RecipeError(f"data manifest {path}: {problems}") from None
    if problem := license_id_problem(manifest.license):
        raise DataError(f"data manifest {path}: license {problem}")
    return manifest


def verify_manifest(manifest: Manifest, data_dir: Path, path: Path) -> None:
    """Check every file exists inside data/, with the recorded size and sha256."""
    root = data_dir.resolve()
    for entry in manifest.files:
        target = (data_dir / entry.path).resolve()
        if not target.is_relative_to(root):
            raise DataError(f"data manifest {path}: file '{entry.path}' points outside {data_dir}")
        if not target.is_file():
            raise DataError(f"data manifest {path}: file '{entry.path}' is missing from {data_dir}")
        size = target.stat().st_size
        if size != entry.bytes:
            raise DataError(
                f"data manifest {path}: '{entry.path}' has {size} bytes, the manifest says "
                f"{entry.bytes}; if the change is intended, update bytes and sha256"
            )
        digest = sha256_file(target)
        if digest != entry.sha256:
            raise DataError(
                f"data manifest {path}: sha256 of '{entry.path}' is {digest}, the manifest says "
                f"{entry.sha256}; the file changed — restore it or update the manifest"
            )


def load_manifests(model_dir: Path) -> list[Manifest]:
    """All manifests in `model_dir/data/*.toml`, each verified against its files."""
    data_dir = Path(model_dir) / DATA_DIR
    paths = sorted(data_dir.glob("*.toml"))
    if not paths:
        raise DataError(f"no data manifests in {data_dir}; add one TOML file per dataset")
    manifests = []
    for path in paths:
        manifest = load_manifest(path)
        verify_manifest(manifest, data_dir, path)
        manifests.append(manifest)
    return manifests


def split_files(manifests: list[Manifest], model_dir: Path, split: str) -> list[tuple[Path, str]]:
    """(path, sha256) of every file of `split`, in manifest-name then listed order."""
    data_dir = Path(model_dir) / DATA_DIR
    return [
        (data_dir / f.path, f.sha256)
        for m in sorted(manifests, key=lambda m: m.name)
        for f in m.files
        if f.split == split
    ]


def write_manifest_entry(data_dir: Path, relpath: str, split: str) -> dict[str, object]:
    """The `[[files]]` entry for a file, as `bazaar init` and contributors write them."""
    target = data_dir / relpath
    return {
        "path": relpath,
        "split": split,
        "bytes": target.stat().st_size,
        "sha256": sha256_file(target),
    }
