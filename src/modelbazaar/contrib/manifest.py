"""The schema of ``manifest.json``, the signed description of a contribution bundle.

Every model forbids unknown fields: a manifest is hostile input, and a field we do not know is a
field we would silently ignore. Example (abridged)::

    BundleManifest(
        base_version="ab" * 32, kind="adapter", task="gsm8k", author="ed25519:3J0y...",
        license="MIT", adapter_config=AdapterConfig(r=8, alpha=16, target_modules=["q_proj"]),
        created=datetime.now(UTC),
    )

``payload`` is filled in by :func:`modelbazaar.contrib.bundle.write_bundle`.
"""

from __future__ import annotations

import json
import re
from functools import partial
from typing import Annotated, Literal

import pydantic
from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from modelbazaar.errors import BundleError
from modelbazaar.recipe import PUBLIC_KEY_PATTERN
from modelbazaar.safe_text import check_plain_text

FORMAT_VERSION = 1

# Member names a bundle may hold; everything else is refused (see zipcheck.check_member_name).
MANIFEST_NAME = "manifest.json"
SIGNATURE_NAME = "manifest.sig"
ADAPTER_NAME = "adapter.safetensors"
STATISTICS_NAME = "statistics.safetensors"  # Gram matrices of the adapter's layer inputs
DATA_PREFIX = "data/"

# A data file's name: one plain path component, no dot first (no ".", "..", hidden files),
# portable characters only, so it is safe as a file name on every OS if a reviewer saves it.
PLAIN_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")

Sha256Hex = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]  # lowercase, as hashlib prints it
PlainName = Annotated[str, Field(pattern=PLAIN_NAME_RE.pattern)]
# An SPDX identifier ("MIT", "CC-BY-NC-4.0", "Apache-2.0") or "LicenseRef-<anything>"; whether
# the licence is acceptable is the review's licence gate, not the schema's business.
SpdxId = Annotated[str, Field(pattern=r"^(LicenseRef-[A-Za-z0-9.-]+|[A-Za-z0-9][A-Za-z0-9.+-]*)$")]
PublicKey = Annotated[str, Field(pattern=PUBLIC_KEY_PATTERN)]  # 32 bytes in base64
# peft matches target modules by name suffix ("q_proj", "self_attn.q_proj") or "all-linear".
ModuleName = Annotated[str, Field(pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
FiniteFloat = Annotated[float, Field(allow_inf_nan=False)]
# A payload member: the adapter or data/<plain name> (manifest.json and .sig are not payload).
PayloadName = Annotated[
    str,
    Field(
        pattern=rf"^(adapter\.safetensors|statistics\.safetensors|data/{PLAIN_NAME_RE.pattern[1:-1]})$"
    ),
]
# The model that wrote synthetic data, as its makers name it: "Qwen/Qwen2.5-7B-Instruct",
# "gpt-4o-2024-08-06", "Llama 3.1 405B". ASCII letters, digits and a little punctuation: it is
# shown in reports and terminals, so nothing that could be markup or a control sequence.
GeneratorName = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9 ._:/@+-]{0,127}$")]
# Free prose for people (the data card's description): any printable text, lines and tabs, but
# no control or invisible characters (ANSI escapes, bidi overrides); renderers escape the rest.
Prose = Annotated[
    str, Field(max_length=10_000), AfterValidator(partial(check_plain_text, multiline=True))
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AdapterConfig(_Strict):
    """The LoRA hyper-parameters the adapter was trained with (peft's LoraConfig subset)."""

    r: int = Field(gt=0, le=4096)  # rank: lora_A is (r, in_features), lora_B is (out_features, r)
    alpha: FiniteFloat = Field(gt=0)  # scaling = alpha / r, so delta W = B @ A * alpha / r
    target_modules: list[ModuleName] = Field(min_length=1, max_length=256)
    dropout: FiniteFloat = Field(default=0.0, ge=0.0, lt=1.0)


class DataFile(_Strict):
    """One file of the contributor's data, whether or not it travels in the bundle."""

    name: PlainName  # stored as data/<name> when included
    bytes: int = Field(ge=0)
    sha256: Sha256Hex
    provenance: Literal["human", "synthetic"]
    generator: GeneratorName | None = None  # the model that wrote it
    # When the generator is a version of a model in the donor's store ("synthetic:main"), its
    # hash: lineage then knows the data came from that model (collapse monitor, issue 16).
    generator_version: Sha256Hex | None = None
    license: SpdxId
    included: bool  # False: the data stayed on the contributor's machine (only its hash travels)

    @model_validator(mode="after")
    def _synthetic_names_generator(self) -> DataFile:
        # Synthetic data inherits the terms of the model that produced it; we must know which.
        if self.provenance == "synthetic" and not self.generator:
            raise ValueError("synthetic data must name its generator")
        return self


class DataCard(_Strict):
    """What the adapter was trained on (or what is donated)."""

    files: list[DataFile] = Field(default_factory=list, max_length=1024)
    description: Prose = ""
    source: Prose = ""  # where the data comes from (a donation's manifest records it)
    consent: Prose = ""  # the donor's statement of consent (a donation's datasheet quotes it)

    @model_validator(mode="after")
    def _unique_names(self) -> DataCard:
        names = [f.name.lower() for f in self.files]  # lower: "A.txt" and "a.txt" collide on macOS
        if len(names) != len(set(names)):
            raise ValueError("data file names must be unique (case-insensitively)")
        return self


class GramStatistics(_Strict):
    """``statistics.safetensors``: per touched linear layer, G = XᵀX / tokens of its inputs on the
    contributor's training data (what RegMean merges with; see ``train/gram.py`` for what a Gram
    reveals). Tensors are named by module ("model.layers.0.self_attn.q_proj"); a module that
    reads the same input as another (q, k, v) is listed in ``shared`` instead of stored twice.
    Example: GramStatistics(tokens=52_000, dtype="float32", shared={"m.k_proj": "m.q_proj"})
    """

    tokens: int = Field(ge=1, le=10**13)  # non-padding tokens the Grams were measured on
    dtype: Literal["float32", "float16"]
    noise: FiniteFloat = Field(default=0.0, ge=0, le=100)  # σ, share of the mean diagonal
    shared: dict[ModuleName, ModuleName] = Field(default_factory=dict, max_length=4096)


class PayloadEntry(_Strict):
    """One zip member other than manifest.json/manifest.sig, with the hash the signature covers."""

    name: PayloadName
    sha256: Sha256Hex
    bytes: int = Field(ge=0)


class ContributorEvaluation(_Strict):
    """The contributor's own measurement on its held-out slice (reported, never trusted).

    Only these keys exist: a report shows them, so an unknown key would be a stranger's string in
    it. ``held_out_every`` is also how the review finds the held-out slice of included data.
    Example: ContributorEvaluation(task_loss_base=2.1, task_loss_adapter=1.7, held_out_every=10)
    """

    task_loss_base: FiniteFloat | None = Field(default=None, ge=0)  # mean nats per token
    task_loss_adapter: FiniteFloat | None = Field(default=None, ge=0)
    task_loss_delta: FiniteFloat | None = None  # adapter - base; negative is better
    task_loss_delta_ci_low: FiniteFloat | None = None  # 95% paired-bootstrap interval
    task_loss_delta_ci_high: FiniteFloat | None = None
    held_out_every: int = Field(default=10, ge=2, le=1000)  # every N-th example is held out
    held_out_examples: int | None = Field(default=None, ge=0, le=10**9)
    train_examples: int | None = Field(default=None, ge=0, le=10**9)
    steps: int | None = Field(default=None, ge=0, le=10**9)
    lr: FiniteFloat | None = Field(default=None, ge=0)
    seed: int | None = Field(default=None, ge=0, lt=2**64)

    def reported(self) -> dict[str, float | int]:
        """The numbers the contributor gave, for a report. Example: {"held_out_every": 10}"""
        return self.model_dump(exclude_none=True)


class BundleManifest(_Strict):
    """The contents of ``manifest.json``; the signature covers its exact bytes."""

    format_version: Literal[1] = FORMAT_VERSION
    base_version: Sha256Hex  # the version hash the adapter was trained from
    kind: Literal["adapter", "data"]  # an adapter (data may ride along) or a pure data donation
    task: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
    author: PublicKey
    license: SpdxId  # the licence the contributor offers the adapter under
    adapter_config: AdapterConfig | None = None
    data_card: DataCard = Field(default_factory=DataCard)
    # the contributor's own numbers, e.g. {"task_loss_base": 2.1, "task_loss_adapter": 1.7}
    evaluation: ContributorEvaluation = Field(default_factory=ContributorEvaluation)
    statistics: GramStatistics | None = None  # present iff statistics.safetensors is
    created: AwareDatetime  # with a timezone, so two contributors' times compare
    payload: list[PayloadEntry] = Field(default_factory=list, max_length=1024)

    @model_validator(mode="after")
    def _adapter_has_config(self) -> BundleManifest:
        if self.kind == "adapter" and self.adapter_config is None:
            raise ValueError("kind 'adapter' needs adapter_config (r, alpha, target_modules)")
        return self

    def to_json_bytes(self) -> bytes:
        """The canonical bytes written as manifest.json (sorted keys, 2-space indent, UTF-8)."""
        data = self.model_dump(mode="json")
        if data["statistics"] is None:  # absent, as in every bundle written before statistics
            del data["statistics"]  # existed: the same manifest keeps the same bytes and id
        return (json.dumps(data, sort_keys=True, indent=2) + "\n").encode()


def parse_manifest(data: bytes) -> BundleManifest:
    """Parse manifest.json bytes; raise BundleError naming the first invalid field.

    Example: parse_manifest(b'{"kind": "x"}') -> BundleError "... field 'base_version' ..."
    """
    try:
        raw = json.loads(data.decode("utf-8"), parse_constant=_no_constants)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise BundleError(f"manifest.json is not valid JSON ({exc}); refusing the bundle") from None
    if isinstance(raw, dict) and raw.get("format_version", FORMAT_VERSION) != FORMAT_VERSION:
        raise BundleError(
            f"manifest format_version {raw['format_version']!r} is not supported "
            f"(this modelbazaar reads version {FORMAT_VERSION}); upgrade modelbazaar"
        )
    try:
        return BundleManifest.model_validate(raw)
    except pydantic.ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "(top level)"
        raise BundleError(
            f"manifest.json field {where!r} is invalid: {err['msg']} "
            f"({exc.error_count()} problem(s) in all); refusing the bundle"
        ) from None


def _no_constants(token: str) -> object:
    raise ValueError(f"{token} is not allowed")  # Python's json accepts NaN/Infinity; JSON does not
