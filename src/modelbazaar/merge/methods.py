"""Merge methods behind one registry: name -> how to combine per-weight deltas.

Every method has the same shape, ``(deltas, weights, density) -> merged delta``, and is one entry
in ``METHODS``; the arithmetic is ``peft.utils.merge_utils``. The CLI's ``--method`` choices, the
merge workflow's check and the bench all read this table.

Example: ``merge_deltas([{"w": a}, {"w": b}], "linear", [1.0, 1.0], 1.0, 0)["w"]`` -> (a + b) / 2.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from peft.utils import merge_utils
from safetensors.torch import load as load_safetensors
from safetensors.torch import save as save_safetensors

from modelbazaar.contrib import VerifiedBundle
from modelbazaar.errors import BazaarError, unknown_name
from modelbazaar.train.lora import lora_deltas

Combine = Callable[[list[torch.Tensor], torch.Tensor, float], torch.Tensor]

METHODS: dict[str, Combine] = {
    "linear": lambda t, w, _d: merge_utils.task_arithmetic(t, w / w.sum()),  # weighted mean
    "task_arithmetic": lambda t, w, _d: merge_utils.task_arithmetic(t, w),
    "ties": merge_utils.ties,
    "dare_ties": merge_utils.dare_ties,
    "dare_linear": merge_utils.dare_linear,
}


def check_method(method: str) -> Combine:
    """The combine function for ``method``, or a BazaarError listing the known ones."""
    if method not in METHODS:
        raise BazaarError(unknown_name("merge method", method, list(METHODS)))
    return METHODS[method]


def merge_deltas(
    deltas: list[dict[str, torch.Tensor]],
    method: str,
    weights: list[float],
    density: float,
    seed: int,
) -> dict[str, torch.Tensor]:
    """One merged delta per weight name. Example: linear, weights [1, 1] -> the mean delta."""
    combine = check_method(method)
    torch.manual_seed(seed)  # DARE prunes with torch.bernoulli on the global generator
    w = torch.tensor(weights, dtype=torch.float32)
    merged = {}
    for key in sorted(set().union(*deltas)):  # sorted: DARE's random draws come in a fixed order
        shape = next(d[key] for d in deltas if key in d).shape
        tensors = [d.get(key, torch.zeros(shape)) for d in deltas]  # a bundle may skip a module
        merged[key] = combine(tensors, w, density)
    return merged


def merged_weights(base_weights: bytes, bundles: list[VerifiedBundle], recipe: dict) -> bytes:
    """safetensors bytes of base + merged deltas; ``recipe`` is the ``merge`` part of info."""
    state = load_safetensors(base_weights)
    deltas = [lora_deltas(b.adapter, b.manifest.adapter_config) for b in bundles]
    merged = merge_deltas(
        deltas, recipe["method"], recipe["weights"], recipe["density"], recipe["seed"]
    )
    for key, delta in merged.items():
        state[key] = (state[key].float() + delta).contiguous()
    return save_safetensors(dict(sorted(state.items())))
