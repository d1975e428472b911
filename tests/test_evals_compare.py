"""Paired bootstrap: significance, direction, pairing by id, determinism (no model needed)."""

import pytest

from modelbazaar.errors import EvalError
from modelbazaar.evals import Series, SuiteResult, compare_results, interval


def result(values, ids=None, metric="acc", higher=True, den=None):
    ids = ids or [str(i) for i in range(len(values))]
    den = den or [1.0] * len(values)
    series = {metric: Series([float(v) for v in values], [float(d) for d in den])}
    return SuiteResult("s", "1", "multiple_choice", None, {}, {metric: higher}, ids, series)


def test_clear_gain_is_significant_and_better():
    (d,) = compare_results(result([1, 0, 0, 0] * 25), result([1, 1, 1, 0] * 25))
    assert d.delta == pytest.approx(0.5) and d.significant and d.better and not d.regression
    assert d.ci_low > 0 and d.n == 100


def test_small_sample_is_not_significant():
    (d,) = compare_results(result([1, 0, 0, 0]), result([1, 1, 1, 0]))
    assert d.better and not d.significant and d.ci_low <= 0 <= d.ci_high


def test_lower_is_better_metrics_flip_the_direction():
    # loss per token: num = summed loss, den = tokens; B has higher loss -> regression
    a = result([20.0] * 30, metric="loss", higher=False, den=[10] * 30)
    b = result([25.0, 24.0, 26.0] * 10, metric="loss", higher=False, den=[10] * 30)
    (d,) = compare_results(a, b)
    assert d.delta == pytest.approx(0.5) and d.significant and not d.better and d.regression


def test_pairs_by_example_id_not_position():
    a = result([1, 0, 1, 0], ids=["a", "b", "c", "d"])
    b = result([0, 1, 0, 1, 1], ids=["b", "a", "d", "c", "extra"])  # same answers, shuffled
    (d,) = compare_results(a, b)
    assert d.delta == 0 and d.ci_low == 0 == d.ci_high and d.n == 4 and not d.significant


def test_bootstrap_is_seeded():
    a, b = result([1, 0, 1, 0, 1] * 8), result([1, 1, 0, 0, 1] * 8)
    assert compare_results(a, b) == compare_results(a, b)
    low, high = interval(a.series["acc"])
    assert low < 0.6 < high


def test_different_suites_or_no_shared_examples_are_refused():
    with pytest.raises(EvalError, match="share no examples"):
        compare_results(result([1], ids=["x"]), result([1], ids=["y"]))
