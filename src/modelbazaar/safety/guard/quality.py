"""Quality measures of a guard on labelled rows: AUPRC, F1, false-positive rate, recall.

Shared by `bench/guard_quality.py` and the guard's model card, so both report the same numbers.
Every function takes plain lists; a detector is anything that maps texts to (P(unsafe) per
text, {code: score per text}) and a threshold.

Example: auprc([0, 1, 1], [0.1, 0.8, 0.4]) -> 1.0; rates([0, 1], [True, True]) -> F1 0.667,
FPR 1.0.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from sklearn.metrics import average_precision_score

from modelbazaar.safety.guard.rows import GuardRow

HARMFUL_SUITES = ("advbench", "harmbench", "jailbreakbench", "simplesafetytests", "strongreject")
# The OpenAI sample's own categories and the S-code each maps to (taxonomy/ mapping, README).
OPENAI_CATEGORIES = {"S": "S12", "S3": "S4", "H": "S10", "H2": "S10", "V": "S1", "V2": "S1",
                     "HR": "S10", "SH": "S11"}  # fmt: skip


def auprc(labels: list[int], scores: list[float]) -> float:
    """Average precision (area under the precision-recall curve); NaN without positives."""
    if not any(labels) or all(labels):
        return float("nan")
    return float(average_precision_score(labels, scores))


@dataclass(frozen=True)
class Rates:
    f1: float
    fpr: float  # share of safe rows flagged
    recall: float  # share of unsafe rows flagged
    precision: float


def rates(labels: list[int], flagged: list[bool]) -> Rates:
    tp = sum(1 for y, f in zip(labels, flagged, strict=True) if y and f)
    fp = sum(1 for y, f in zip(labels, flagged, strict=True) if not y and f)
    positives, negatives = sum(labels), len(labels) - sum(labels)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / positives if positives else float("nan")
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Rates(f1, fp / negatives if negatives else float("nan"), recall, precision)


def bootstrap_ci(
    labels: list[int], scores: list[float], metric, rounds: int = 1000, seed: int = 0
) -> tuple[float, float]:  # noqa: ANN001 (metric: (labels, scores) -> float)
    """95% percentile interval of `metric` over rows resampled with replacement."""
    rng = random.Random(seed)
    n, values = len(labels), []
    for _ in range(rounds):
        pick = [rng.randrange(n) for _ in range(n)]
        value = metric([labels[i] for i in pick], [scores[i] for i in pick])
        if value == value:  # NaN when a resample has one class only
            values.append(value)
    values.sort()
    if not values:
        return float("nan"), float("nan")
    return values[int(0.025 * len(values))], values[int(0.975 * len(values)) - 1]


def per_category_auprc(rows: list[GuardRow], code_scores: dict[str, list[float]]) -> dict:
    """AUPRC per OpenAI category over the rows where that label is known, scored by its code."""
    out = {}
    for category, code in OPENAI_CATEGORIES.items():
        known = [
            (dict(r.labels)[category], i) for i, r in enumerate(rows) if category in dict(r.labels)
        ]
        out[category] = auprc([y for y, _ in known], [code_scores[code][i] for _, i in known])
    return out
