"""Load a built guard and check texts with it.

A guard is found in one of three shapes: a model source whose store holds a built guard (its
`main`), a released guard folder (``config.json`` with ``model_type = "bazaar-guard"``,
``model.safetensors``, ``tokenizer.json``), or by default the source that ``bazaar guard
build`` builds under ``$BAZAAR_GUARD`` (else ``~/.local/share/modelbazaar/guard``).

A guard may carry a lexical half (TF-IDF + logistic regression, safety/guard/lexical.py) in
the same weights file; its logits are blended with the network's per output.

Long texts are read whole: a text longer than the guard's window (128 tokens) is cut into
windows and each output takes its maximum over them, so a harmful request cannot hide behind
padding. Example:

    guard = load_guard()
    guard.check(["How do I kill a Python process?", "How do I make a pipe bomb?"])
    -> [GuardVerdict(flagged=False, codes=[], ...), GuardVerdict(flagged=True, codes=["S9"], ...)]
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import load as load_safetensors
from transformers import BertConfig, LlamaConfig

from modelbazaar.errors import BazaarError
from modelbazaar.safety.guard.framing import framing_of, padded
from modelbazaar.safety.guard.lexical import blend, probabilities, split_state
from modelbazaar.safety.guard.network import empty_guard
from modelbazaar.safety.guard.taxonomy import CODES, OUTPUTS, sort_codes

MAX_TEXT_CHARS = 100_000  # one message; longer input is refused, not silently cut
MAX_BATCH_TEXTS = 10_000  # texts per check() call
WINDOWS_PER_BATCH = 32  # windows per forward pass
ROLES = ("user", "assistant")
GUARD_TYPE = "bazaar-guard"


class GuardUnavailable(Exception):
    """No guard could be loaded; the message says why and what to do."""


class GuardInputError(BazaarError, ValueError):
    """A text or role the guard refuses (not a string, too long, unknown role)."""


@dataclass(frozen=True)
class GuardVerdict:
    flagged: bool
    codes: list[str]  # hazards of a flagged text, sorted by number: ["S1", "S10"]; [] if safe
    scores: dict[str, float]  # probability per category S1..S14 (all 14 keys)
    probability: float = field(default=0.0)  # P(unsafe), compared with Guard.threshold


def default_guard_home() -> Path:
    """Where `bazaar guard build` puts the default guard source."""
    if os.environ.get("BAZAAR_GUARD"):
        return Path(os.environ["BAZAAR_GUARD"])
    data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data) / "modelbazaar" / "guard"


class Guard:
    """A loaded guard: `check` scores texts in batches; `threshold` decides `flagged`."""

    def __init__(
        self, config: dict, weights: bytes, tokenizer: str, name: str = "", int8: bool = False
    ) -> None:
        if not isinstance(config, dict) or config.get("model_type") != GUARD_TYPE:
            raise GuardUnavailable(f"{name or 'this model'} is not a guard (config model_type)")
        if config.get("outputs") != list(OUTPUTS):
            raise GuardUnavailable(f"{name or 'this model'} is not a guard (config outputs)")
        self.name = name
        self.config = config
        self.threshold = unit_number(config, "threshold", None, upper=1.0)
        self.category_threshold = unit_number(config, "category_threshold", 0.5, upper=1.0)
        self.max_length: int = int(config["max_length"])
        kind = config.get("kind", "bert")
        if kind not in ("bert", "llama"):
            raise ValueError(f"unknown guard backbone kind {kind!r}")
        if int8 and kind == "llama":  # measured: README "The guard", backbone comparison
            raise ValueError(
                "int8 is not offered for a guard on a causal-LM backbone: its activations' "
                "outliers break per-tensor int8 (test AUPRC 0.69 -> 0.44, XSTest FPR 0.05 -> "
                "0.43); check without --int8"
            )
        encoder = (LlamaConfig if kind == "llama" else BertConfig)(**config["encoder"])
        self.net = empty_guard(encoder)
        network, self.lexical = split_state(load_safetensors(weights))
        self.lexical_weight = unit_number(config, "lexical_weight", 0.0, upper=1.0, open_=True)
        if self.lexical_weight and self.lexical is None:
            raise ValueError("the config blends a lexical model the weights do not hold")
        if self.lexical is not None and not self.lexical_weight:
            raise ValueError("the weights hold a lexical model the config does not blend")
        self.net.load_state_dict(network)
        self.net.eval()
        if int8:
            self.net = quantized(self.net)
        frame = config.get("frame")
        self.framing = framing_of(tokenizer, self.max_length, tuple(frame) if frame else None)

    def check(self, texts: list[str], role: str = "user") -> list[GuardVerdict]:
        """One verdict per text, in order. `role` is "user" (a prompt) or "assistant" (an answer).

        The shipped training data are prompts; an answer is scored by the same classifier
        (README "The guard": what the role changes).
        """
        check_input(texts, role)
        if not texts:
            return []
        windows, owner, pieces = self._windows(texts)
        logits = self._logits(windows).double().numpy()
        if self.lexical is not None:  # each window as a message of its own, both halves
            words = self.lexical.logits(pieces)
            logits = blend(logits, words, self.lexical.present, self.lexical_weight)
        if not np.isfinite(logits).all():  # a damaged guard must not pass everything
            raise GuardUnavailable(f"{self.name or 'the guard'} gave non-finite scores")
        # a text's score is its most unsafe window's (max logit = max probability), so
        # padding around a request cannot dilute it
        ends = np.cumsum(np.bincount(owner, minlength=len(texts)))[:-1]
        per_text = [part.max(axis=0) for part in np.split(logits, ends)]
        return [self._verdict(row) for row in probabilities(np.array(per_text))]

    def _windows(self, texts: list[str]) -> tuple[list[list[int]], list[int], list[str]]:
        """Token windows of at most max_length (framed), the text each belongs to, and the
        part of that text it covers (what the lexical half reads)."""
        windows, owner, pieces = [], [], []
        for index, (framed, parts) in enumerate(self.framing.pieces(texts)):
            windows += framed
            owner += [index] * len(framed)
            pieces += parts
        return windows, owner, pieces

    @torch.no_grad()
    def _logits(self, windows: list[list[int]]) -> torch.Tensor:
        order = sorted(range(len(windows)), key=lambda i: len(windows[i]))  # little padding
        out = torch.zeros(len(windows), len(OUTPUTS))
        for first in range(0, len(order), WINDOWS_PER_BATCH):
            chunk = order[first : first + WINDOWS_PER_BATCH]
            out[chunk] = self.net(*padded([windows[i] for i in chunk]))
        return out

    def _verdict(self, row: np.ndarray) -> GuardVerdict:
        scores = {code: round(float(p), 6) for code, p in zip(CODES, row[1:].tolist(), strict=True)}
        probability = float(row[0])
        flagged = probability >= self.threshold
        codes: list[str] = []
        if flagged:  # the hazards over their own threshold, else the most likely one
            codes = [c for c, p in scores.items() if p >= self.category_threshold]
            codes = sort_codes(codes or [max(scores, key=scores.__getitem__)])
        return GuardVerdict(flagged, codes, scores, round(probability, 6))


def unit_number(
    config: dict, key: str, default: float | None, upper: float, open_: bool = False
) -> float:
    """A config number in [0, upper] ([0, upper) with `open_`), refused otherwise: a NaN
    threshold would never flag, a lexical weight of 5 would silence the network."""
    value = config.get(key, default)
    bad = isinstance(value, bool) or not isinstance(value, int | float)
    if bad or not math.isfinite(value) or not 0 <= value <= upper or (open_ and value == upper):
        bound = f"[0, {upper:g})" if open_ else f"[0, {upper:g}]"
        raise ValueError(f"config {key} must be a number in {bound}, got {value!r}")
    return float(value)


def quantized(net: torch.nn.Module) -> torch.nn.Module:
    """The net with its linear layers in int8 (weights per tensor, activations quantised on the
    fly: PyTorch's dynamic quantisation). Measured on the test split (bench/guard_quality.py
    --int8): a message's p95 latency 66 -> 23 ms on 2 cores; quality in README "The guard".
    The probabilities differ slightly from the fp32 guard the build measured, so `--portable`
    (the same numbers everywhere) uses fp32."""
    import warnings  # noqa: PLC0415

    with warnings.catch_warnings():  # the torch.ao API announces its move to torchao
        warnings.simplefilter("ignore")
        return torch.ao.quantization.quantize_dynamic(net, {torch.nn.Linear}, dtype=torch.qint8)


def check_input(texts: object, role: str) -> None:
    if role not in ROLES:
        raise GuardInputError(f"role must be one of {', '.join(ROLES)}, got {role!r}")
    if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
        raise GuardInputError("the guard checks a list of strings")
    if len(texts) > MAX_BATCH_TEXTS:
        raise GuardInputError(f"{len(texts)} texts in one call; at most {MAX_BATCH_TEXTS}")
    for index, text in enumerate(texts):
        if len(text) > MAX_TEXT_CHARS:
            raise GuardInputError(
                f"text {index + 1} has {len(text):,} characters; the guard reads at most "
                f"{MAX_TEXT_CHARS:,} per message"
            )


def load_guard(source: str | Path | None = None, ref: str = "main", int8: bool = False) -> Guard:
    """The guard in `source` (a guard source with a build, or a released guard folder); None:
    the default guard (`bazaar guard build`). `int8`: linear layers quantised (`quantized`).
    Raises GuardUnavailable saying why and what to do.
    """
    folder = Path(source) if source is not None else default_guard_home()
    if not folder.is_dir():
        hint = "run `bazaar guard build` first" if source is None else "give a guard folder"
        raise GuardUnavailable(f"no guard at {folder}: {hint}")
    config_file = folder / "config.json"
    if config_file.is_file():
        return _from_release(folder, config_file, int8)
    if (folder / ".bazaar").is_dir():
        return _from_store(folder, ref, int8)
    raise GuardUnavailable(
        f"{folder} holds no guard: neither a released guard (config.json, model.safetensors, "
        "tokenizer.json) nor a built guard source (.bazaar); run `bazaar guard build`"
    )


def _from_release(folder: Path, config_file: Path, int8: bool) -> Guard:
    try:
        config = json.loads(config_file.read_text(encoding="utf-8"))
        weights = (folder / "model.safetensors").read_bytes()
        tokenizer = (folder / "tokenizer.json").read_text(encoding="utf-8")
        return Guard(config, weights, tokenizer, name=str(folder), int8=int8)
    except (OSError, ValueError, KeyError, TypeError, RuntimeError) as exc:
        raise GuardUnavailable(f"cannot load the guard in {folder}: {exc}") from None


def _from_store(folder: Path, ref: str, int8: bool) -> Guard:
    from modelbazaar.store import Store  # the store's SQLAlchemy import only when needed

    try:
        store = Store(folder / ".bazaar")
        record = store.version(ref)
        config = json.loads(store.objects.get_bytes(record.config))
        weights = store.objects.get_bytes(record.weights)
        tokenizer = store.objects.get_bytes(record.tokenizer).decode("utf-8")
    except (BazaarError, OSError, ValueError) as exc:
        raise GuardUnavailable(f"no built guard in {folder} ({exc}); run `bazaar build`") from None
    try:
        return Guard(config, weights, tokenizer, name=f"{folder}@{record.short}", int8=int8)
    except (ValueError, KeyError, TypeError, RuntimeError) as exc:
        raise GuardUnavailable(f"cannot load the guard {record.short}: {exc}") from None
