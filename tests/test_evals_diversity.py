"""The `diversity` kind: seeded samples, distinct-n, entropy, tail loss, collapse warnings."""

from __future__ import annotations

import copy

import torch

from modelbazaar.evals import compare_results, run_suite_on_model
from modelbazaar.evals.compare import Delta
from modelbazaar.evals.diversity import collapse_warnings, distinct, entropy
from modelbazaar.model import load_version


def test_distinct_and_entropy_by_hand() -> None:
    assert distinct([[1, 1, 1, 1], [1, 1, 1, 1]], 1) == (1.0, 8.0)
    assert distinct([[1, 2, 3, 4], [5, 6, 7, 8]], 2) == (6.0, 6.0)
    assert entropy([[1, 2], [3, 4]]) == 2.0 and entropy([[7, 7, 7]]) == 0.0


def test_diversity_is_seeded_and_drops_for_a_sharpened_model(tiny_built) -> None:
    model_dir, store = tiny_built
    loaded = load_version(store, "main")
    run = lambda model: run_suite_on_model(  # noqa: E731
        model, loaded.tokenizer, "diversity", 6, model_dir=model_dir
    )
    first, again = run(loaded.model), run(loaded.model)
    assert first.metrics == again.metrics  # fixed seeds: the same samples every run
    assert set(first.metrics) == {*(f"distinct_{n}" for n in (1, 2, 3, 4)), "entropy", "tail_loss"}
    assert 0 < first.metrics["distinct_1"] <= 1 and first.metrics["entropy"] > 0
    # A model that puts all its mass on its top tokens (logits x 20): mode collapse in miniature.
    sharp = copy.deepcopy(loaded.model)
    with torch.no_grad():
        sharp.lm_head.weight.mul_(20.0)
    collapsed = run(sharp)
    assert collapsed.metrics["distinct_2"] < first.metrics["distinct_2"]
    deltas = compare_results(first, collapsed)
    warnings = collapse_warnings(deltas, first.extra["collapse_drop"])
    assert any("distinct" in w or "entropy" in w for w in warnings), warnings
    assert collapse_warnings(compare_results(first, again), 0.1) == []  # no change, no warning


def test_collapse_warning_needs_significance_and_size() -> None:
    def delta(a: float, b: float, low: float, high: float) -> Delta:
        return Delta("diversity", "distinct_2", a, b, b - a, low, high, low > 0 or high < 0,
                     b > a, True, 24)  # fmt: skip

    assert collapse_warnings([delta(0.8, 0.5, -0.4, -0.2)], 0.1, 1)  # 37% worse, CI below zero
    assert not collapse_warnings([delta(0.8, 0.76, -0.06, -0.02)], 0.1, 1)  # significant, 5%
    assert not collapse_warnings([delta(0.8, 0.5, -0.6, 0.1)], 0.1, 1)  # large, not significant


def test_collapse_warning_needs_two_metrics_by_default() -> None:
    def delta(metric: str, a: float, b: float) -> Delta:
        return Delta("diversity", metric, a, b, b - a, b - a - 0.01, b - a + 0.01, True,
                     b > a, True, 24)  # fmt: skip

    one = [delta("distinct_1", 0.61, 0.58), delta("entropy", 6.5, 6.45)]  # 4.9% and 0.8%
    assert collapse_warnings(one, 0.03) == []  # one metric alone: the half-human chain's case
    two = [delta("distinct_1", 0.61, 0.58), delta("entropy", 6.5, 6.2)]  # 4.9% and 4.6%
    assert len(collapse_warnings(two, 0.03)) == 2
    assert len(collapse_warnings(one, 0.03, metrics=1)) == 1
