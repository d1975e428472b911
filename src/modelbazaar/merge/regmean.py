"""RegMean: merge linear layers so each contributor's layer outputs on its own inputs survive.

Jin, Ren, Preotiuc-Pietro and Cheng, "Dataless Knowledge Fusion by Merging Weights of Language
Models", ICLR 2023. For one linear layer y = W x, contributor i fine-tuned Wᵢ = W₀ + ΔWᵢ and
measured Gᵢ = XᵢᵀXᵢ / nᵢ, the Gram of the layer's inputs on its own training data
(``train/gram.py``). The weight that minimises Σᵢ ‖Xᵢ W − Xᵢ Wᵢ‖² is the closed form

    W* = (Σᵢ Gᵢ′)⁻¹ Σᵢ Gᵢ′ Wᵢ,    Gᵢ′ = α Gᵢ + (1 − α) diag(Gᵢ)

(weights in the (in, out) orientation; PyTorch stores (out, in), hence the transposes below).
Because W₀ appears in every Wᵢ, W* = W₀ + (Σ Gᵢ′)⁻¹ Σ Gᵢ′ ΔWᵢ: only the deltas are solved for.
The off-diagonal shrinkage α pulls the solution towards a per-input-feature weighted mean
(α = 0 is diagonal "Fisher-like" averaging, α = 1 the plain regression). The authors shrink
(their reference notebook ``regmean_demo.ipynb``: "reduce_non_diag(…, a=0.9) … important for
deberta and t5", full fine-tunes) and tune α per model on validation data. For LoRA deltas we
measured instead (``bench/merge_quality.py --alphas``, shakespeare base, k = 4, selection seeds
3–5, not the seeds the README reports): kept share rises monotonically with α — 0.5: 73.8%,
0.7: 76.4%, 0.9: 78.9%, 0.95: 79.8%, 0.99: 81.4%, 1.0: 84.1% mean, and the task nearest the
base's own data (verse) 36 → 46 → 53 → 62% — because shrinking is a ridge that takes weight
from exactly the input directions only one contributor's data uses. So ``DEFAULT_ALPHA`` is
1.0, the exact regression; a merge records its α, so merges made with 0.9 replay with 0.9.

Equal Grams give the plain mean of the deltas (the ``linear`` method): RegMean is a mean that
knows which input directions each contributor's change is about.

Numerics: sums and the solve are float64: an LU solve with partial pivoting, never an explicit
inverse (``train/exact_solve.py``: LAPACK's algorithm written so that no library or CPU can
reorder its sums), with a tiny ridge only when the summed Gram is singular (an input feature
no contributor's data ever used). Under portable numerics the products are exact as well
(``train/exact_matmul.py``), so a merge replays to the same bits on any CPU.

Example::

    merged, missing = regmean_deltas([{"l.weight": d1}, {"l.weight": d2}],
                                     [{"l": g1}, {"l": g2}], [1.0, 1.0], alpha=0.9)
"""

from __future__ import annotations

import torch

from modelbazaar.errors import BazaarError, BundleError
from modelbazaar.train.exact_solve import solve

DEFAULT_ALPHA = 1.0
LEGACY_ALPHA = 0.9  # the default before 1.0; only for merge records that predate recording α
RIDGE = 1e-6  # × mean diagonal, added only when the summed Gram is singular


def shrink(gram: torch.Tensor, alpha: float) -> torch.Tensor:
    """α G + (1 − α) diag(G) in float64. Example: alpha 0 keeps only the diagonal."""
    g = gram.double()
    return alpha * g + (1 - alpha) * torch.diag(torch.diagonal(g))


def regmean_layer(
    deltas: list[torch.Tensor], grams: list[torch.Tensor], weights: list[float], alpha: float
) -> torch.Tensor:
    """The merged (out, in) delta of one layer: (Σ wᵢ Gᵢ′)⁻¹ Σ wᵢ Gᵢ′ ΔWᵢᵀ, transposed back."""
    width, out = grams[0].shape[0], deltas[0].shape[0]
    lhs = torch.zeros(width, width, dtype=torch.float64)
    rhs = torch.zeros(width, out, dtype=torch.float64)
    for delta, gram, weight in zip(deltas, grams, weights, strict=True):
        g = weight * shrink(gram, alpha)
        lhs += g
        rhs += g @ delta.double().T
    solution, singular = solve(lhs, rhs)
    if singular:
        ridge = RIDGE * float(lhs.diagonal().mean()) * torch.eye(width, dtype=torch.float64)
        solution, singular = solve(lhs + ridge, rhs)
        if singular:
            raise BazaarError(
                "RegMean: the summed Gram matrix stays singular even with a ridge (its "
                "statistics hold no usable input directions); merge with --method linear"
            )
    return solution.T.float().contiguous()


def regmean_deltas(
    deltas: list[dict[str, torch.Tensor]],
    statistics: list[dict[str, torch.Tensor]],
    weights: list[float],
    alpha: float = DEFAULT_ALPHA,
    *,
    names: list[str] | None = None,
    refuse_missing: bool = True,
) -> tuple[dict[str, torch.Tensor], list[str]]:
    """(merged delta per weight RegMean could merge, weights it could not: no statistics).

    A layer is merged from the bundles that change it, each with its Gram. When one of them has
    no Gram for it, the layer is listed as missing (for a fallback method), or, with
    ``refuse_missing``, a BazaarError names the bundle and the fallback flag.
    """
    if not 0 <= alpha <= 1:
        raise BazaarError(f"--regmean-alpha {alpha} must lie in [0, 1]")
    names = names or [f"bundle {i + 1}" for i in range(len(deltas))]
    merged: dict[str, torch.Tensor] = {}
    missing: list[str] = []
    for key in sorted(set().union(*deltas)):
        module = key.removesuffix(".weight")
        touching = [i for i, d in enumerate(deltas) if key in d]
        lacking = [i for i in touching if module not in statistics[i]]
        if lacking:
            if refuse_missing:
                raise BazaarError(_no_statistics(names[lacking[0]], module, statistics[lacking[0]]))
            missing.append(key)
            continue
        for i in touching:
            if statistics[i][module].shape[0] != deltas[i][key].shape[1]:
                raise BundleError(
                    f"{names[i]}: the Gram of {module} is {statistics[i][module].shape[0]} wide, "
                    f"its delta reads {deltas[i][key].shape[1]}-wide inputs; refusing it"
                )
        merged[key] = regmean_layer(
            [deltas[i][key] for i in touching],
            [statistics[i][module] for i in touching],
            [weights[i] for i in touching],
            alpha,
        )
    return merged, missing


def _no_statistics(name: str, module: str, stats: dict[str, torch.Tensor]) -> str:
    what = (
        "has no Gram statistics (contributed with --no-gram, or by an older modelbazaar)"
        if not stats
        else f"has no Gram statistics for layer {module}"
    )
    return (
        f"{name} {what}, so --method regmean cannot merge it. Ask its contributor for a bundle "
        "with statistics, or pass --regmean-fallback linear (or another data-free method) to "
        "merge the layers without statistics that way"
    )
