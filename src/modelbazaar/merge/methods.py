"""Merge methods behind one registry: name -> how to combine per-weight deltas.

Data-free methods have the same shape, ``(deltas, weights, density) -> merged delta``, and their
arithmetic is ``peft.utils.merge_utils``. ``regmean`` merges with the contributors' Gram
statistics instead (``merge/regmean.py``). The CLI's ``--method`` choices, the merge workflow's
check and the bench all read this table.

Example: ``merge_deltas([{"w": a}, {"w": b}], "linear", [1.0, 1.0], 1.0, 0)["w"]`` -> (a + b) / 2.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch
from peft.utils import merge_utils
from safetensors.torch import load as load_safetensors
from safetensors.torch import save as save_safetensors

from modelbazaar.contrib import VerifiedBundle
from modelbazaar.errors import BazaarError, unknown_name
from modelbazaar.merge.regmean import DEFAULT_ALPHA, LEGACY_ALPHA, regmean_deltas
from modelbazaar.train.lora import lora_deltas

Combine = Callable[[list[torch.Tensor], torch.Tensor, float], torch.Tensor]


@dataclass(frozen=True)
class Method:
    combine: Combine | None  # per-weight combination; None: merges with statistics (regmean)
    summary: str

    @property
    def needs_statistics(self) -> bool:
        return self.combine is None


METHODS: dict[str, Method] = {
    "linear": Method(
        lambda t, w, _d: merge_utils.task_arithmetic(t, w / w.sum()), "weighted mean of deltas"
    ),
    "task_arithmetic": Method(lambda t, w, _d: merge_utils.task_arithmetic(t, w), "weighted sum"),
    "ties": Method(merge_utils.ties, "trim, elect sign, disjoint mean (Yadav et al. 2023)"),
    "dare_ties": Method(merge_utils.dare_ties, "random drop + rescale, then TIES"),
    "dare_linear": Method(merge_utils.dare_linear, "random drop + rescale, then weighted sum"),
    "regmean": Method(
        None,
        "per layer, the least-squares fit of every contributor's outputs on "
        "its own inputs, from Gram statistics (Jin et al. 2023)",
    ),
}


def check_method(method: str) -> Method:
    """The registry entry of ``method``, or a BazaarError listing the known ones."""
    if method not in METHODS:
        raise BazaarError(unknown_name("merge method", method, list(METHODS)))
    return METHODS[method]


def combine_deltas(
    deltas: list[dict[str, torch.Tensor]],
    method: str,
    weights: list[float],
    density: float,
    seed: int,
    keys: list[str] | None = None,
) -> dict[str, torch.Tensor]:
    """A data-free method over ``keys`` (default: every weight any delta has), in sorted order."""
    combine = check_method(method).combine
    if combine is None:
        raise BazaarError(f"{method} needs Gram statistics; call merge_deltas with statistics")
    torch.manual_seed(seed)  # DARE prunes with torch.bernoulli on the global generator
    w = torch.tensor(weights, dtype=torch.float32)
    merged = {}
    for key in sorted(keys if keys is not None else set().union(*deltas)):  # fixed DARE order
        shape = next(d[key] for d in deltas if key in d).shape
        tensors = [d.get(key, torch.zeros(shape)) for d in deltas]  # a bundle may skip a module
        merged[key] = combine(tensors, w, density)
    return merged


def merge_deltas(
    deltas: list[dict[str, torch.Tensor]],
    method: str,
    weights: list[float],
    density: float,
    seed: int,
    *,
    statistics: list[dict[str, torch.Tensor]] | None = None,
    alpha: float = DEFAULT_ALPHA,
    fallback: str | None = None,
    names: list[str] | None = None,
) -> dict[str, torch.Tensor]:
    """One merged delta per weight name. Example: linear, weights [1, 1] -> the mean delta.

    ``regmean`` needs ``statistics`` (per bundle: module -> Gram); layers some bundle has no
    Gram for are merged by ``fallback`` (a data-free method) or refused, naming the bundle.
    """
    if not check_method(method).needs_statistics:
        return combine_deltas(deltas, method, weights, density, seed)
    if fallback is not None and check_method(fallback).needs_statistics:
        raise BazaarError(
            f"--regmean-fallback {fallback} needs statistics itself; name a "
            "data-free method such as linear"
        )
    merged, missing = regmean_deltas(
        deltas,
        statistics or [{} for _ in deltas],
        weights,
        alpha,
        names=names,
        refuse_missing=fallback is None,
    )
    if missing:
        merged |= combine_deltas(deltas, fallback or "linear", weights, density, seed, missing)
    return merged


def bundle_statistics(bundle: VerifiedBundle) -> dict[str, torch.Tensor]:
    """module -> Gram of a bundle, with shared inputs (q/k/v) resolved to their stored matrix."""
    stats = dict(bundle.statistics)
    if bundle.manifest.statistics is not None:
        for alias, owner in bundle.manifest.statistics.shared.items():
            stats[alias] = bundle.statistics[owner]
    return stats


def merged_weights(
    base_weights: bytes, bundles: list[VerifiedBundle], recipe: dict, names: list[str] | None = None
) -> bytes:
    """safetensors bytes of base + merged deltas; ``recipe`` is the ``merge`` part of info."""
    state = load_safetensors(base_weights)
    deltas = [lora_deltas(b.adapter, b.manifest.adapter_config) for b in bundles]
    merged = merge_deltas(
        deltas,
        recipe["method"],
        recipe["weights"],
        recipe["density"],
        recipe["seed"],
        statistics=[bundle_statistics(b) for b in bundles],
        alpha=recipe.get("alpha", LEGACY_ALPHA),
        fallback=recipe.get("fallback"),
        names=names,
    )
    for key, delta in merged.items():
        state[key] = (state[key].float() + delta).contiguous()
    return save_safetensors(dict(sorted(state.items())))
