"""Paired bootstrap: is B better or worse than A on the same examples, beyond chance?

Resample the shared example ids with replacement (seeded), recompute each metric's ratio
sum(num)/sum(den) for A and B on the *same* resample, and take the 2.5/97.5 percentiles of B - A.
A delta is significant only when that interval excludes zero; `better` follows the metric's
direction (lower loss is better).
Example: acc A [1,0,0,0], B [1,1,1,0] -> delta +0.5, better=True (significant only with more data).
"""

from dataclasses import asdict, dataclass

import numpy as np

from modelbazaar.errors import EvalError
from modelbazaar.evals.result import Series, SuiteResult

RESAMPLES = 2000
SEED = 0  # fixed: the same two results always give the same interval


@dataclass(frozen=True)
class Delta:
    """B - A for one metric of one suite, with its paired bootstrap 95% interval."""

    suite: str
    metric: str
    a: float
    b: float
    delta: float
    ci_low: float
    ci_high: float
    significant: bool  # the interval excludes zero
    better: bool  # B is better than A in this metric's direction (whatever the significance)
    higher_is_better: bool
    n: int  # shared examples

    @property
    def regression(self) -> bool:
        return self.significant and not self.better

    def to_dict(self) -> dict:
        return asdict(self) | {"regression": self.regression}


def ratio_samples(series: Series, index: np.ndarray) -> np.ndarray:
    """The ratio metric on each resample. index: (RESAMPLES, n) example positions."""
    num, den = np.asarray(series.num)[index].sum(1), np.asarray(series.den)[index].sum(1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return num / den  # a resample with no eligible example gives nan, dropped below


def interval(series: Series, resamples: int = RESAMPLES, seed: int = SEED) -> tuple[float, float]:
    """Percentile bootstrap 95% interval of one result's metric (for reports)."""
    n = len(series.num)
    index = np.random.default_rng(seed).integers(0, n, size=(resamples, n))
    values = ratio_samples(series, index)
    low, high = np.nanpercentile(values, [2.5, 97.5])
    return float(low), float(high)


def aligned(series: Series, ids: list[str], keep: list[str]) -> Series:
    where = {i: k for k, i in enumerate(ids)}
    return Series([series.num[where[i]] for i in keep], [series.den[where[i]] for i in keep])


def compare_results(
    a: SuiteResult, b: SuiteResult, resamples: int = RESAMPLES, seed: int = SEED
) -> list[Delta]:
    """One Delta per metric both results can bootstrap, over the examples they share."""
    if a.suite != b.suite:
        raise EvalError(f"cannot compare suite '{a.suite}' with suite '{b.suite}'")
    mine = set(b.ids)
    shared = [i for i in a.ids if i in mine]
    if not shared:
        raise EvalError(f"suite '{a.suite}': the two results share no examples")
    index = np.random.default_rng(seed).integers(0, len(shared), size=(resamples, len(shared)))
    deltas = []
    for metric, higher in a.higher_is_better.items():
        if metric not in b.series:
            continue
        sa, sb = aligned(a.series[metric], a.ids, shared), aligned(b.series[metric], b.ids, shared)
        va, vb = sa.value(), sb.value()
        if va is None or vb is None:
            continue  # e.g. a rate over benign prompts when the subset has none
        diff = ratio_samples(sb, index) - ratio_samples(sa, index)
        low, high = (float(x) for x in np.nanpercentile(diff, [2.5, 97.5]))
        delta = vb - va
        deltas.append(
            Delta(
                suite=a.suite,
                metric=metric,
                a=va,
                b=vb,
                delta=delta,
                ci_low=low,
                ci_high=high,
                significant=low > 0 or high < 0,
                better=(delta > 0) == higher and delta != 0,
                higher_is_better=higher,
                n=len(shared),
            )
        )
    return deltas


def paired_difference(
    base: list[float], candidate: list[float], resamples: int = RESAMPLES, seed: int = SEED
) -> tuple[float, float, float]:
    """Mean of candidate - base over paired examples, with its paired bootstrap 95% interval.

    The same resampling as ``compare_results`` (a ratio with denominator 1 is a mean).
    Example: base [2.0, 2.2, 1.9], candidate [1.5, 1.8, 1.6] -> (-0.4, ~-0.5, ~-0.3)
    """
    if len(base) != len(candidate) or not base:
        raise EvalError(f"need paired examples to compare ({len(base)} vs {len(candidate)})")
    ones = [1.0] * len(base)
    index = np.random.default_rng(seed).integers(0, len(base), size=(resamples, len(base)))
    diff = ratio_samples(Series(candidate, ones), index) - ratio_samples(Series(base, ones), index)
    low, high = (float(x) for x in np.percentile(diff, [2.5, 97.5]))
    return float(np.mean(candidate) - np.mean(base)), low, high
