"""Eval suites are versioned data: one YAML file per suite, data checked against its hash.

    name: wordnet_mc                 # what `bazaar eval --suite` takes
    version: "1"                     # bump when data or parameters change (part of the cache key)
    kind: multiple_choice            # perplexity | generation | multiple_choice | safety
    description: Pick the WordNet definition of a word among four.
    data:                            # a file next to the YAML, with its manifest entry ...
      path: data/wordnet_mc/wordnet_mc_200.jsonl
      sha256: f40c2c...
      bytes: 63725
      license: LicenseRef-WordNet-3.0
      source: Princeton WordNet 3.0 via Debian wordnet-base
    #   ... or `split: validation`: the model source's own split, read from its data manifests
    parameters: {question_field: question, choices_field: choices, answer_field: answer}

Built-in suites live in `evals/suites/` of this package; a model source adds its own in its
`evals/` folder. Example: ``load_suite("wordnet_mc").kind`` -> ``"multiple_choice"``.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from modelbazaar.errors import EvalError, unknown_name, validation_problems
from modelbazaar.licenses.spdx import is_license_id
from modelbazaar.store.objects import sha256_file

BUILTIN_DIR = Path(__file__).parent / "suites"
SOURCE_DIR = "evals"  # a model source's own suites: <model dir>/evals/*.yaml
Kind = Literal["perplexity", "generation", "multiple_choice", "safety"]


class SuiteData(BaseModel):
    """Where a suite's examples come from: a hashed file, or the model source's own split."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    path: str | None = None
    sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")
    bytes: int | None = Field(default=None, ge=0)
    license: str | None = None
    source: str | None = None
    split: Literal["validation", "test"] | None = None

    @model_validator(mode="after")
    def _file_has_manifest(self) -> "SuiteData":
        if (self.path is None) == (self.split is None):
            raise ValueError("give exactly one of `path` (a data file) or `split` (the source's)")
        if self.path is not None:
            missing = [
                k for k in ("sha256", "bytes", "license", "source") if getattr(self, k) is None
            ]
            if missing:
                raise ValueError(f"a data file needs {', '.join(missing)} (its manifest entry)")
            if not is_license_id(self.license or ""):
                raise ValueError(f"license '{self.license}' is not an SPDX id or LicenseRef-…")
        return self


class SuiteSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    version: str | int
    kind: Kind
    description: str = ""
    data: SuiteData | None = None  # only the safety kind may leave it out (prompts are shipped)
    parameters: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _data_unless_safety(self) -> "SuiteSpec":
        if self.data is None and self.kind != "safety":
            raise ValueError(f"kind '{self.kind}' needs `data`")
        return self


@dataclass(frozen=True)
class Suite:
    """A loaded suite. `path` is its YAML file; data paths are relative to its folder."""

    name: str
    version: str
    kind: str
    description: str
    data: SuiteData | None
    parameters: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None

    def data_file(self) -> Path:
        """The suite's data file, refused when its size or sha256 is not the recorded one."""
        assert self.data is not None and self.data.path is not None and self.path is not None
        target = (self.path.parent / self.data.path).resolve()
        if not target.is_relative_to(self.path.parent.resolve()):
            raise EvalError(f"suite '{self.name}': data path '{self.data.path}' leaves its folder")
        if not target.is_file():
            raise EvalError(f"suite '{self.name}': data file {target} is missing")
        digest = sha256_file(target)
        if digest != self.data.sha256 or target.stat().st_size != self.data.bytes:
            raise EvalError(
                f"suite '{self.name}' v{self.version}: data {target.name} has sha256 "
                f"{digest[:16]}…, "
                f"the suite says {str(self.data.sha256)[:16]}…; refusing to run on changed data "
                "(restore the file, or update sha256/bytes and bump the suite version)"
            )
        return target


def parse_suite(path: Path) -> Suite:
    """Read and validate one suite file; every problem names the file and the field."""
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        spec = SuiteSpec.model_validate(raw)
    except yaml.YAMLError as exc:
        raise EvalError(f"suite file {path} is not valid YAML: {exc}") from None
    except ValidationError as exc:
        problems = validation_problems(exc.errors(), top="suite")
        raise EvalError(f"suite file {path}: {problems}") from None
    return Suite(
        spec.name,
        str(spec.version),
        spec.kind,
        spec.description,
        spec.data,
        dict(spec.parameters),
        Path(path),
    )


def suite_files(model_dir: Path | None = None) -> dict[str, Path]:
    """name -> YAML path of every known suite: built-in ones, then the model source's own."""
    found: dict[str, Path] = {}
    folders = [BUILTIN_DIR] + ([Path(model_dir) / SOURCE_DIR] if model_dir else [])
    for folder in folders:
        for path in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")):
            name = parse_suite(path).name
            if name in found:  # a source must not silently replace a built-in yardstick
                raise EvalError(f"suite '{name}' is defined twice: {found[name]} and {path}")
            found[name] = path
    return found


def load_suite(name: str, model_dir: Path | None = None) -> Suite:
    """The suite called `name`; an unknown name lists the known ones (and a close match)."""
    files = suite_files(model_dir)
    if name not in files:
        raise EvalError(unknown_name("suite", name, sorted(files)))
    return parse_suite(files[name])


def read_rows(path: Path) -> list[dict[str, Any]]:
    """Rows of a data file: JSON lines, or one {"text": line} per non-empty line of a .txt file."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    return [{"text": line} for line in text.splitlines() if line.strip()]
