"""Will a recipe's training fit this machine? Estimated from its sizes before anything runs.

A recipe parses on every machine (its absolute limits are in ``recipe.py``); whether it can train
*here* depends on memory. The estimate is deliberately simple and on the safe side, calibrated
on this kind of machine (torch 2.13 CPU, fp32, AdamW; peak RSS of two training steps):

    parameters:   PARAM_BYTES per parameter (fp32 weights, gradients, AdamW's two moments, and a
                  serialised copy while a checkpoint or version is written)
    activations:  ACT_BYTES_PER_WIDTH per token x layer x hidden unit (what backward keeps)
                  + LOGIT_BYTES per token x vocabulary entry (logits, fp32 copy, softmax, grad)

Measured (peak RSS above the ~0.4 GiB of an idle process with torch loaded) against the estimate:
4.2M params at batch 16 x 256: 808 MiB (824); 4.2M at 64 x 256: 2,866 MiB (3,008); 34M at
8 x 512: 2,829 MiB (3,683); 8.6M with a 32k vocabulary at 16 x 256: 2,246 MiB (2,347).

Example::

    estimate = training_memory(recipe)        # MemoryEstimate(parameters=4.2e6, ...)
    check_fits_machine(recipe)                # RecipeError if it cannot fit; else the estimate
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from modelbazaar.errors import RecipeError
from modelbazaar.recipe import Recipe

GiB = 1 << 30
PARAM_BYTES = 24  # 4 weights + 4 grad + 8 AdamW moments + 4 serialised copy + 4 slack
ACT_BYTES_PER_WIDTH = 150  # ~37 fp32 values per hidden unit per layer per token
LOGIT_BYTES = 16  # 4 fp32 values per logit per token


@dataclass(frozen=True)
class MemoryEstimate:
    parameters: int
    parameter_bytes: int
    activation_bytes: int

    @property
    def total_bytes(self) -> int:
        return self.parameter_bytes + self.activation_bytes


def parameter_estimate(recipe: Recipe) -> int:
    """Parameters of the Llama a recipe describes, with its tokenizer's full vocabulary.

    Example: the tiny template (hidden 32, 2 layers, vocab 512, untied) -> 59,552, as HF counts.
    """
    m = recipe.model
    h, vocab = m.hidden_size, recipe.tokenizer.vocab_size
    kv_width = h * (m.num_kv_heads or m.num_heads) // m.num_heads  # grouped-query attention
    inter = m.intermediate_size or 16 * -(-8 * h // 3 // 16)  # 8/3 h up to a multiple of 16
    per_layer = 2 * h * h + 2 * h * kv_width + 3 * h * inter + 2 * h  # q,o + k,v + MLP + norms
    embeddings = vocab * h * (1 if m.tie_embeddings else 2)
    return m.num_layers * per_layer + embeddings + h  # + the final norm


def training_memory(recipe: Recipe) -> MemoryEstimate:
    """Peak memory of one training step of ``recipe``, by the formula in the module docstring."""
    params = parameter_estimate(recipe)
    tokens = recipe.train.batch_size * recipe.train.seq_len  # per step, all processes together
    m = recipe.model
    activations = tokens * (
        m.num_layers * m.hidden_size * ACT_BYTES_PER_WIDTH
        + recipe.tokenizer.vocab_size * LOGIT_BYTES
    )
    return MemoryEstimate(params, params * PARAM_BYTES, activations)


def available_memory() -> int | None:
    """Bytes of memory this process could still use (Linux MemAvailable), None if unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024  # the kernel reports kB
    except OSError:
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def check_fits_machine(recipe: Recipe, available: int | None = None) -> MemoryEstimate:
    """Refuse, naming the sizes to change, a recipe whose training would not fit in memory."""
    estimate = training_memory(recipe)
    available = available_memory() if available is None else available
    if available is not None and estimate.total_bytes > available:
        t, m = recipe.train, recipe.model
        raise RecipeError(
            f"this recipe needs about {estimate.total_bytes / GiB:,.1f} GiB to train and this "
            f"machine has {available / GiB:,.1f} GiB available: "
            f"{estimate.parameters / 1e6:,.1f}M parameters take "
            f"{estimate.parameter_bytes / GiB:,.1f} GiB (model.hidden_size {m.hidden_size}, "
            f"num_layers {m.num_layers}, tokenizer.vocab_size {recipe.tokenizer.vocab_size}) and "
            f"a step's activations {estimate.activation_bytes / GiB:,.1f} GiB (train.batch_size "
            f"{t.batch_size} x seq_len {t.seq_len}); make them smaller"
        )
    return estimate
