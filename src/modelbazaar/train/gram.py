"""Gram matrices of linear-layer inputs: the statistics RegMean merges with, without the data.

For every linear layer a LoRA adapter touches, ``contribute`` measures G = XᵀX / n, where the rows
of X are that layer's inputs (one row per non-padding token of the contributor's training data,
as the trained model sees them) and n is the number of tokens. G is what RegMean (Jin et al.
2023) needs to merge: the layer weight that best reproduces every contributor's outputs on their
own inputs, W* = (Σᵢ Gᵢ)⁻¹ Σᵢ Gᵢ Wᵢ.

What a Gram matrix reveals (README "What statistics reveal"): second-order statistics of the
layer inputs, summed over tokens, so no word order and no text. But it is not nothing. The
inputs of layer 0's q/k/v projections are RMSNorm(embedding(token)) — one known vector per
vocabulary entry — so layer 0's Gram is Σ_v count(v)·u_v u_vᵀ, linear in the token counts, and
anyone holding the base model can solve for the training data's token histogram (exactly when
d(d+1)/2 ≥ vocabulary size and few tokens are used; ``bench/gram_leak.py`` measures it). Deeper
layers mix context, so they reveal less, but a Gram of fewer tokens than its width has the token
vectors themselves as eigenvectors. Hence two rules:

- ``MIN_TOKENS_PER_DIM``: a Gram is shipped only when n ≥ 10 × its width d. With n < d it is
  singular (rank ≤ n) and its eigenvectors are the individual token vectors; from about 10·d
  tokens a sample second-moment matrix is estimated with a relative spectral error of order
  √(d/n) ≈ 0.3 (Vershynin 2012, "How close is the sample covariance matrix to the actual
  covariance matrix?"), which is what RegMean's α < 1 shrinkage tolerates.
- ``noise`` (optional): add symmetric Gaussian noise with per-entry standard deviation
  ``noise × mean(diag G)`` and lift the spectrum back to positive semi-definite. It blurs what a
  Gram reveals (the bench shows how much); it is not a formal differential-privacy guarantee,
  which would need each token's contribution clipped.

Example::

    grams, tokens, shared = gram_matrices(model, rows, pad_id, ["model.layers.0.self_attn.q_proj"])
    grams["model.layers.0.self_attn.q_proj"].shape   # (hidden, hidden), float64, XᵀX / tokens
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Literal

import torch
from safetensors.torch import save as save_safetensors

from modelbazaar.contrib.basecheck import LORA_NAME_RE
from modelbazaar.contrib.manifest import GramStatistics
from modelbazaar.contrib.stats_check import MIN_TOKENS_PER_DIM
from modelbazaar.errors import DataError
from modelbazaar.progress import progress_bar
from modelbazaar.train.lora import _collate

MAX_GRAM_EXAMPLES = 4096  # training examples the Gram is measured on (all when fewer)
FP16_MAX = 65504.0  # the largest finite float16
PEFT_PREFIX = "base_model.model."  # peft wraps the model: its module names carry this prefix


@dataclass(frozen=True)
class GramConfig:
    """What ``contribute`` ships besides the adapter; ``enabled=False`` ships no statistics."""

    enabled: bool = True
    dtype: Literal["float32", "float16"] = "float32"
    noise: float = 0.0  # σ: per-entry noise std as a share of the Gram's mean diagonal


@torch.no_grad()
def gram_matrices(
    model: torch.nn.Module,
    rows: list[tuple[list[int], list[int]]],
    pad_id: int,
    modules: list[str],
    *,
    batch_size: int = 16,
    show_progress: bool = False,
) -> tuple[dict[str, torch.Tensor], int, dict[str, str]]:
    """(module -> XᵀX / n in float64, n tokens, module -> module whose input it shares).

    ``modules`` are base module paths ("model.layers.0.self_attn.q_proj"); ``model`` may be the
    peft-wrapped model. Padding never counts. Modules fed the very same tensor (q, k and v read
    one normed hidden state) get one Gram: the later ones are listed in the shared map.
    """
    wanted = set(modules)
    sums: dict[str, torch.Tensor] = {}
    shared: dict[str, str] = {}
    state: dict = {"mask": None, "seen": {}, "first": True}

    def hook(name: str):
        def pre_hook(_module: torch.nn.Module, args: tuple) -> None:
            x = args[0]
            owner = next((o for o, t in state["seen"].values() if t is x), None)
            if state["first"] and owner is not None:
                shared[name] = owner
            if name in shared:  # same input object as its owner in every batch (checked)
                if owner != shared[name]:
                    raise RuntimeError(f"{name} stopped sharing its input with {shared[name]}")
                return
            state["seen"][id(x)] = (name, x)
            flat = x[state["mask"]].double()  # (tokens, in): padding rows dropped
            product = flat.T @ flat
            sums[name] = product if name not in sums else sums[name] + product

        return pre_hook

    handles = [
        module.register_forward_pre_hook(hook(name.removeprefix(PEFT_PREFIX)))
        for name, module in model.named_modules()
        if name.removeprefix(PEFT_PREFIX) in wanted
    ]
    used = rows[:MAX_GRAM_EXAMPLES]
    tokens = 0
    model.eval()
    try:
        with progress_bar(disable=not show_progress) as bar:
            task = bar.add_task("grams", total=len(used), info="")
            for start in range(0, len(used), batch_size):
                batch = _collate(used[start : start + batch_size], pad_id)
                state["mask"], state["seen"] = batch["attention_mask"].bool(), {}
                model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"])
                state["first"] = False
                tokens += int(batch["attention_mask"].sum())
                bar.update(task, advance=len(batch["input_ids"]), info=f"{tokens:,} tokens")
    finally:
        for handle in handles:
            handle.remove()
    missing = wanted - set(sums) - set(shared)
    if missing:
        raise RuntimeError(f"no input reached {sorted(missing)[0]}; is it a module of the model?")
    return {name: total / max(tokens, 1) for name, total in sorted(sums.items())}, tokens, shared


def too_few_tokens(grams: dict[str, torch.Tensor], tokens: int) -> str | None:
    """Why these Grams must not be shipped, or None. Example: 100 tokens, width 32 -> a reason."""
    width = max(g.shape[0] for g in grams.values())
    needed = MIN_TOKENS_PER_DIM * width
    if tokens >= needed:
        return None
    return (
        f"the Gram statistics would come from {tokens:,} tokens, but a {width}-wide layer needs "
        f"at least {MIN_TOKENS_PER_DIM} × {width} = {needed:,} (fewer tokens give a singular "
        "matrix whose eigenvectors are your individual token vectors)"
    )


def add_noise(gram: torch.Tensor, scale: float, generator: torch.Generator) -> torch.Tensor:
    """G + σ·mean(diag G)·S (S symmetric, N(0, 1) entries), lifted back to PSD.

    Example: add_noise(torch.eye(4), 0.1, g) -> a PSD matrix within ~0.1 of I per entry.
    """
    if scale <= 0:
        return gram
    size = gram.shape[0]
    draw = torch.randn(size, size, generator=generator, dtype=torch.float64)
    symmetric = torch.triu(draw) + torch.triu(draw, diagonal=1).T
    noisy = gram + scale * gram.diagonal().mean() * symmetric
    lowest = float(torch.linalg.eigvalsh(noisy)[0])
    if lowest < 0:  # noise can push eigenvalues below zero; a Gram never has them
        noisy = noisy + (-lowest) * torch.eye(size, dtype=torch.float64)
    return noisy


def gram_payload(grams: dict[str, torch.Tensor], cfg: GramConfig) -> dict[str, torch.Tensor]:
    """The tensors to ship: noise added (fresh secret randomness), cast to ``cfg.dtype``.

    The noise is drawn from the operating system's randomness, never from the training seed:
    anyone could re-draw noise from a known seed and subtract it.
    """
    generator = torch.Generator().manual_seed(secrets.randbits(63))
    dtype = torch.float16 if cfg.dtype == "float16" else torch.float32
    out = {}
    for name, gram in sorted(grams.items()):
        noisy = add_noise((gram + gram.T) / 2, cfg.noise, generator)  # exactly symmetric
        if dtype == torch.float16 and float(noisy.abs().max()) > FP16_MAX:
            raise DataError(
                f"the Gram of {name} has entries up to {float(noisy.abs().max()):.3g}, beyond "
                "float16's range; ship float32 statistics (--gram-dtype float32)"
            )
        out[name] = noisy.to(dtype).contiguous()
    return out


def touched_modules(adapter: dict[str, torch.Tensor]) -> list[str]:
    """Base module paths an adapter changes. Example: "...q_proj.lora_A.weight" -> "...q_proj"."""
    return sorted({m["module"] for name in adapter if (m := LORA_NAME_RE.match(name))})


def check_enough_tokens(
    model: torch.nn.Module, rows: list[tuple[list[int], list[int]]], target_modules: list[str]
) -> None:
    """Refuse, before any training, data too small for the Grams of the layers LoRA will touch.

    Padding never counts, so the tokens are exactly the rows' lengths.
    """
    widths = [
        module.in_features
        for name, module in model.named_modules()
        if isinstance(module, torch.nn.Linear)
        and any(name == t or name.endswith("." + t) or t == "all-linear" for t in target_modules)
    ]
    tokens = sum(len(ids) for ids, _ in rows[:MAX_GRAM_EXAMPLES])
    width = max(widths, default=0)
    if tokens < MIN_TOKENS_PER_DIM * width:
        raise DataError(
            f"the Gram statistics would come from {tokens:,} tokens, but a {width}-wide layer "
            f"needs at least {MIN_TOKENS_PER_DIM} × {width} = {MIN_TOKENS_PER_DIM * width:,} "
            "(fewer give a singular matrix whose eigenvectors are your own token vectors); add "
            "data, or contribute without statistics (--no-gram: RegMean cannot merge it then)"
        )


def ship_statistics(
    model: torch.nn.Module,
    rows: list[tuple[list[int], list[int]]],
    pad_id: int,
    adapter: dict[str, torch.Tensor],
    cfg: GramConfig,
    show_progress: bool = False,
) -> tuple[bytes, GramStatistics]:
    """``statistics.safetensors`` bytes and the manifest entry describing them."""
    grams, tokens, shared = gram_matrices(
        model, rows, pad_id, touched_modules(adapter), show_progress=show_progress
    )
    if reason := too_few_tokens(grams, tokens):
        raise DataError(reason + "; add data, or contribute with --no-gram")
    tensors = gram_payload(grams, cfg)
    entry = GramStatistics(tokens=tokens, dtype=cfg.dtype, noise=cfg.noise, shared=shared)
    return save_safetensors(tensors), entry
