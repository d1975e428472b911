"""Hostile-input checks of a bundle's Gram statistics (``statistics.safetensors``).

A Gram matrix feeds a linear solve in every RegMean merge, so a stranger's one could poison the
merged weights (a huge, indefinite or asymmetric matrix turns the solve into an amplifier) or
exhaust memory. Two stages, like the adapter's:

- :func:`load_statistics` (needs only the bundle): strict safetensors (floating dtypes, finite,
  bounded header and tensor count), the dtype the signed manifest declares, module names,
  square 2-D matrices of bounded width, not all zero, symmetric and positive semi-definite within
  a tolerance, and a ``shared`` map that points at stored matrices.
- :func:`check_statistics_against_base` (needs the base): only modules the adapter touches, each
  Gram as wide as its layer's input, and enough tokens for the widest one.

Example::

    stats = load_statistics(members["statistics.safetensors"], manifest, BundleLimits())
    check_statistics_against_base(stats, manifest, adapter, base_shapes)
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import torch

from modelbazaar.contrib.basecheck import LORA_NAME_RE
from modelbazaar.contrib.manifest import STATISTICS_NAME, BundleManifest
from modelbazaar.contrib.safetensors_check import load_safetensors_strict
from modelbazaar.contrib.zipcheck import BundleLimits
from modelbazaar.errors import BundleError

# A Gram is shipped and accepted only from at least 10 × its width tokens: below its width it is
# singular and its eigenvectors are the individual token vectors; from ~10·d tokens a sample
# second-moment matrix has a relative spectral error of order √(d/n) ≈ 0.3 (train/gram.py).
MIN_TOKENS_PER_DIM = 10

MAX_GRAM_WIDTH = 16_384  # widest layer input we accept (Llama-70B's MLP input is 8,192)
SYMMETRY_TOLERANCE = 1e-5  # max |G - Gᵀ| as a share of max |G| (we write exactly symmetric ones)
# λ_min ≥ -PSD_TOLERANCE × ‖G‖_F: float16 rounding moves each entry by ≤ 2⁻¹¹ ≈ 4.9e-4 of it,
# hence eigenvalues by at most 4.9e-4 × ‖G‖_F; 1e-3 leaves a margin and refuses real negatives.
PSD_TOLERANCE = 1e-3
DTYPES = {"float32": torch.float32, "float16": torch.float16}
MODULE_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")


def check_statistics_listed(manifest: BundleManifest, members: Mapping[str, bytes]) -> None:
    """The manifest declares statistics exactly when the bundle holds them, and only beside an
    adapter."""
    declared, present = manifest.statistics is not None, STATISTICS_NAME in members
    if declared != present:
        has = "declares" if declared else "does not declare"
        holds = "no" if declared else "a"
        raise BundleError(
            f"the manifest {has} Gram statistics but the bundle has {holds} {STATISTICS_NAME}; "
            "refusing an inconsistent bundle"
        )
    if present and manifest.kind != "adapter":
        raise BundleError(f"{STATISTICS_NAME} belongs beside an adapter; a data bundle has none")


def load_statistics(
    data: bytes, manifest: BundleManifest, limits: BundleLimits
) -> dict[str, torch.Tensor]:
    """The Gram matrices by module, each checked; a BundleError names the first bad one."""
    stats = manifest.statistics
    assert stats is not None  # check_statistics_listed ran first
    tensors = load_safetensors_strict(data, STATISTICS_NAME, limits)  # finite, float, bounded
    if not tensors:
        raise BundleError(f"{STATISTICS_NAME} holds no matrices; leave it out instead")
    for name in sorted(tensors):
        _check_matrix(name, tensors[name], stats.dtype)
    for alias, owner in sorted(stats.shared.items()):
        if alias in tensors or owner not in tensors:
            raise BundleError(
                f"statistics: {alias!r} is listed as sharing the Gram of {owner!r}, but "
                f"{'it has its own' if alias in tensors else 'no such matrix is stored'}"
            )
    return tensors


def _check_matrix(name: str, gram: torch.Tensor, dtype: str) -> None:
    where = f"{STATISTICS_NAME} matrix {name!r}"
    if not MODULE_RE.match(name) or name.endswith(".weight"):
        raise BundleError(f"{where}: expected a module path like model.layers.0.self_attn.q_proj")
    if gram.dtype != DTYPES[dtype]:
        raise BundleError(f"{where} is {gram.dtype}, the signed manifest says {dtype}")
    if gram.dim() != 2 or gram.shape[0] != gram.shape[1] or gram.shape[0] == 0:
        raise BundleError(f"{where} has shape {tuple(gram.shape)}; a Gram matrix is square")
    if gram.shape[0] > MAX_GRAM_WIDTH:
        raise BundleError(f"{where} is {gram.shape[0]} wide, the limit is {MAX_GRAM_WIDTH}")
    g = gram.double()
    scale = float(g.abs().max())
    if scale == 0:
        raise BundleError(f"{where} is all zeros; a Gram of real inputs has a positive trace")
    asymmetry = float((g - g.T).abs().max())
    if asymmetry > SYMMETRY_TOLERANCE * scale:
        raise BundleError(
            f"{where} is not symmetric (max |G - Gᵀ| = {asymmetry:.3g}, "
            f"{asymmetry / scale:.2g} of its largest entry); a Gram XᵀX always is"
        )
    # PSD within tolerance: G + τI has a Cholesky factor iff λ_min(G) > -τ (one O(d³) pass).
    tau = PSD_TOLERANCE * float(torch.linalg.matrix_norm(g))
    _, info = torch.linalg.cholesky_ex(g + tau * torch.eye(g.shape[0], dtype=torch.float64))
    if int(info) != 0:
        lowest = float(torch.linalg.eigvalsh(g)[0])
        raise BundleError(
            f"{where} is not positive semi-definite (smallest eigenvalue {lowest:.3g}, "
            f"tolerance -{tau:.3g}); a Gram XᵀX never has negative eigenvalues"
        )


def check_statistics_against_base(
    stats: Mapping[str, torch.Tensor],
    manifest: BundleManifest,
    adapter: Mapping[str, torch.Tensor],
    base_shapes: Mapping[str, tuple[int, ...]],
) -> None:
    """Each Gram belongs to a layer the adapter touches and is as wide as that layer's input."""
    if manifest.statistics is None:
        return
    touched = {m["module"] for name in adapter if (m := LORA_NAME_RE.match(name))}
    widths: dict[str, int] = {}
    for module in sorted(set(stats) | set(manifest.statistics.shared)):
        if module not in touched:
            raise BundleError(
                f"statistics for {module!r}, a layer the adapter does not touch; a bundle ships "
                "Grams only of the layers it changes"
            )
        shape = base_shapes[module + ".weight"]  # touched: check_adapter_against_base saw it
        owner = manifest.statistics.shared.get(module, module)
        width = stats[owner].shape[0]
        if width != shape[1]:
            raise BundleError(
                f"statistics for {module!r} are {width}×{width}, but its base weight {shape} "
                f"reads {shape[1]}-wide inputs; were they measured on another base?"
            )
        widths[module] = width
    widest = max(widths.values(), default=0)
    needed = MIN_TOKENS_PER_DIM * widest
    if manifest.statistics.tokens < needed:
        raise BundleError(
            f"statistics from {manifest.statistics.tokens:,} tokens, but a {widest}-wide "
            f"Gram needs at least {MIN_TOKENS_PER_DIM} × that = {needed:,} tokens; refusing "
            "statistics that could reveal individual token vectors"
        )
