"""`bazaar.toml`, the recipe of a model source: architecture, tokenizer, training, evals, policy.

The schema is a set of pydantic models with `extra="forbid"`, so a typo is an error, not a
silently ignored key. Errors name the key, the line and what was expected, for example::

    bazaar.toml line 12: [train] lr: expected a number, got 'fast'
"""

import re
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from modelbazaar.errors import RecipeError

RECIPE_FILE = "bazaar.toml"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ModelConfig(Strict):
    """Llama architecture. Defaults give a ~5M-parameter model that trains on a laptop."""

    name: str
    hidden_size: int = Field(256, gt=0)
    num_layers: int = Field(4, gt=0)
    num_heads: int = Field(4, gt=0)
    num_kv_heads: int | None = None  # None: same as num_heads (no grouped-query attention)
    intermediate_size: int | None = None  # None: 8/3 * hidden rounded up to a multiple of 16
    max_position_embeddings: int = Field(256, gt=0)
    rope_theta: float = 10000.0
    tie_embeddings: bool = False

    @model_validator(mode="after")
    def _heads_divide_width(self) -> "ModelConfig":
        if self.hidden_size % self.num_heads:
            raise ValueError(
                f"hidden_size {self.hidden_size} must be divisible by num_heads {self.num_heads}"
            )
        return self


class TokenizerConfig(Strict):
    vocab_size: int = Field(2048, ge=300)  # 256 byte symbols + specials + merges
    min_frequency: int = Field(2, ge=1)


class TrainConfig(Strict):
    seq_len: int = Field(256, gt=1)
    batch_size: int = Field(16, gt=0)  # global batch, split across processes under torchrun
    max_steps: int = Field(400, gt=0)
    lr: float = Field(3e-3, gt=0)
    min_lr_ratio: float = Field(0.1, ge=0, le=1)  # cosine decays to lr * min_lr_ratio
    warmup_steps: int = Field(40, ge=0)
    weight_decay: float = Field(0.1, ge=0)
    betas: tuple[float, float] = (0.9, 0.95)
    grad_clip: float = Field(1.0, gt=0)
    eval_every: int = Field(50, gt=0)
    eval_batches: int = Field(8, gt=0)
    checkpoint_every: int = Field(50, gt=0)
    seed: int = 1337
    # fp32 is portable; "bf16" and "auto" (bf16 on CPUs with native bf16) need `build --fast`
    precision: Literal["auto", "fp32", "bf16"] = "fp32"
    threads: int = Field(2, ge=1, le=512)  # intra-op threads: fixed, as reductions follow them


class LicenseConfig(Strict):
    weights: str = "Apache-2.0"
    code: str = "Apache-2.0"
    documentation: str = "CC-BY-4.0"


class PolicyConfig(Strict):
    """What a contribution must show to be accepted (used by `bazaar review`)."""

    max_regression: dict[str, float] = Field(default_factory=dict)  # suite -> allowed drop
    default_max_regression: float = 0.05  # relative, on perplexity-style metrics
    min_task_gain: float = 0.0  # the contribution's own task must improve by more than this
    max_refusal_drop: float = 0.05  # harmful-refusal rate may not fall by more than this
    max_over_refusal_rise: float = 0.10  # benign over-refusal may not rise by more than this
    allowed_licenses: list[str] = Field(
        default_factory=lambda: ["Apache-2.0", "MIT", "CC0-1.0", "CC-BY-4.0", "BSD-3-Clause"]
    )
    require_signature: bool = True
    suites: list[str] = Field(default_factory=lambda: ["validation", "safety_smoke"])
    limit: int | None = None  # examples per suite during review (None: all)


class Recipe(Strict):
    model: ModelConfig
    tokenizer: TokenizerConfig = TokenizerConfig()
    train: TrainConfig = TrainConfig()
    license: LicenseConfig = LicenseConfig()
    evals: list[str] = Field(default_factory=list)  # suites `bazaar eval` runs by default
    policy: PolicyConfig = PolicyConfig()
    maintainers: list[str] = Field(default_factory=list)  # ed25519 public keys
    trusted_contributors: list[str] = Field(default_factory=list)
    description: str = ""

    def build_part(self) -> dict[str, Any]:
        """The part of the recipe a build depends on (evals and policy are not in it)."""
        return self.model_dump(mode="json", include={"model", "tokenizer", "train"})


def _line_of(text: str, loc: tuple[Any, ...]) -> int | None:
    """1-based line of the key at `loc` (e.g. ('train', 'lr')), or of its table."""
    lines = text.splitlines()
    keys = [str(k) for k in loc if not isinstance(k, int)]
    start, found = 0, None
    for depth, key in enumerate(keys):
        header = re.compile(rf"^\s*\[+\s*{re.escape('.'.join(keys[: depth + 1]))}\s*\]+")
        assign = re.compile(rf"^\s*{re.escape(key)}\s*=")
        for number in range(start, len(lines)):
            if header.match(lines[number]) or assign.match(lines[number]):
                start, found = number, number + 1
                break
    return found


def _describe(error: dict[str, Any]) -> str:
    kind, got = error["type"], error.get("input")
    if kind == "extra_forbidden":
        return "unknown key (check the spelling; see the README for the recipe keys)"
    if kind == "missing":
        return "required key is missing"
    expected = {
        "int_parsing": "an integer",
        "int_type": "an integer",
        "float_parsing": "a number",
        "float_type": "a number",
        "string_type": "a string",
        "bool_type": "true or false",
        "bool_parsing": "true or false",
        "list_type": "a list",
        "dict_type": "a table",
        "model_type": "a table",
    }.get(kind)
    if expected:
        return f"expected {expected}, got {got!r}"
    return error["msg"]


def parse_recipe(text: str, source: str = RECIPE_FILE) -> Recipe:
    """Parse and validate recipe text; raise RecipeError naming key, line and problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RecipeError(f"{source} is not valid TOML: {exc}") from None
    try:
        return Recipe.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = tuple(error["loc"])
            line = _line_of(text, loc)
            where = f"line {line}: " if line else ""
            key = ".".join(str(part) for part in loc) or "(top level)"
            problems.append(f"{source} {where}{key}: {_describe(error)}")
        raise RecipeError("; ".join(problems)) from None


def load_recipe(model_dir: Path) -> Recipe:
    path = Path(model_dir) / RECIPE_FILE
    if not path.exists():
        raise RecipeError(
            f"no {RECIPE_FILE} in {model_dir}; run `bazaar init DIR --template shakespeare` "
            "to create a model source, or cd into one"
        )
    return parse_recipe(path.read_text(encoding="utf-8"), str(path))
