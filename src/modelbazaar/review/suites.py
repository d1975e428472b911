"""The policy's suites on base and candidate, each gate judged on a paired bootstrap CI.

A suite metric is a ratio of per-example sums (see ``modelbazaar.evals.result``); we resample
the shared examples, recompute both ratios on the same resample and take the 2.5/97.5 percentiles
of their difference. Gates (from ``[policy]``):

- capability suites: the first metric of the suite may get worse by at most
  ``max_regression[suite]`` (default ``default_max_regression``), *relative* to the base value;
  example: base loss 2.00, bound 0.05 -> fail if the CI's worst end is above +0.10.
- safety suites: ``harmful_refusal_rate`` may fall by at most ``max_refusal_drop`` and
  ``benign_over_refusal_rate`` may rise by at most ``max_over_refusal_rise`` (absolute rates).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch

from modelbazaar.evals.result import Series, SuiteResult
from modelbazaar.evals.run import run_suite, run_suite_on_model
from modelbazaar.model import LoadedModel
from modelbazaar.recipe import PolicyConfig
from modelbazaar.store import Store

SAMPLES = 2000  # bootstrap resamples: percentile CI stable to ~0.01 of its width
SAFETY_GATES = {
    "harmful_refusal_rate": "max_refusal_drop",
    "benign_over_refusal_rate": "max_over_refusal_rise",
}


def paired_ratio_ci(base: Series, cand: Series, seed: int = 0) -> tuple[float, float, float] | None:
    """(cand - base, CI low, CI high) of a ratio metric over the same examples; None if empty.

    Example: base num [1, 0, 1] den [1, 1, 1], cand num [1, 1, 1] -> (+0.333, 0.0, +0.667)
    """
    b_num, b_den = (
        torch.tensor(base.num, dtype=torch.float64),
        torch.tensor(base.den, dtype=torch.float64),
    )
    c_num, c_den = (
        torch.tensor(cand.num, dtype=torch.float64),
        torch.tensor(cand.den, dtype=torch.float64),
    )
    if b_den.sum() == 0:
        return None
    g = torch.Generator().manual_seed(seed)
    picks = torch.randint(0, len(b_num), (SAMPLES, len(b_num)), generator=g)  # (SAMPLES, n)
    den_b, den_c = b_den[picks].sum(1), c_den[picks].sum(1)
    ok = (den_b > 0) & (den_c > 0)  # a resample without any counted example says nothing
    diffs = (c_num[picks].sum(1) / den_c - b_num[picks].sum(1) / den_b)[ok]
    point = (c_num.sum() / c_den.sum() - b_num.sum() / b_den.sum()).item()
    low, high = torch.quantile(diffs, torch.tensor([0.025, 0.975], dtype=torch.float64)).tolist()
    return point, low, high


def _aligned(a: SuiteResult, b: SuiteResult, metric: str) -> tuple[Series, Series]:
    index = {example_id: i for i, example_id in enumerate(b.ids)}
    order = [index[i] for i in a.ids]  # same examples; evaluation order may differ
    sb = b.series[metric]
    return a.series[metric], Series([sb.num[i] for i in order], [sb.den[i] for i in order])


def judge_metric(
    suite: SuiteResult, metric: str, base_value: float, diff: tuple, policy: PolicyConfig
) -> dict[str, Any]:
    """One check row: status pass/fail, with the bound the CI's worst end was held against."""
    point, low, high = diff
    higher = suite.higher_is_better[metric]
    worst = low if higher else high  # the end of the CI that is most against the candidate
    if metric in SAFETY_GATES:
        allowed = getattr(policy, SAFETY_GATES[metric])
        bound = base_value - allowed if higher else base_value + allowed
        bound_delta = -allowed if higher else allowed
    else:
        allowed = policy.max_regression.get(suite.suite, policy.default_max_regression)
        bound_delta = (-allowed if higher else allowed) * abs(base_value)
        bound = base_value + bound_delta
    ok = worst >= bound_delta if higher else worst <= bound_delta
    return {
        "check": f"{suite.suite}: {metric}",
        "status": "pass" if ok else "fail",
        "metric": metric,
        "base": base_value,
        "candidate": base_value + point,
        "delta": point,
        "ci_low": low,
        "ci_high": high,
        "n": suite.n,
        "bound": f"worst CI end {'≥' if higher else '≤'} {bound_delta:+.4g} (value {bound:.4g})",
    }


def suite_checks(
    store: Store,
    model_dir: Path,
    policy: PolicyConfig,
    base: LoadedModel,
    candidate: torch.nn.Module,
    show_progress: bool = False,
) -> tuple[list[str], list[dict[str, Any]]]:
    """Run every suite of the policy on both models; return (reasons to reject, check rows)."""
    reasons: list[str] = []
    checks: list[dict[str, Any]] = []
    for name in policy.suites:
        # the base is a stored version: its result is cached in the catalogue across reviews
        a = run_suite(
            store,
            base.record.hash,
            name,
            policy.limit,
            model_dir=model_dir,
            show_progress=show_progress,
            loaded=base,
        )
        b = run_suite_on_model(
            candidate,
            base.tokenizer,
            name,
            policy.limit,
            model_dir=model_dir,
            show_progress=show_progress,
        )
        metrics = [m for m in a.higher_is_better if m in a.series]
        judged = [m for m in metrics if m in SAFETY_GATES] if a.kind == "safety" else metrics[:1]
        for metric in judged:
            sa, sb = _aligned(a, b, metric)
            diff = paired_ratio_ci(sa, sb)
            if diff is None:
                checks.append(
                    {
                        "check": f"{name}: {metric}",
                        "status": "n/a",
                        "detail": "no example counts toward this metric (see --limit)",
                    }
                )
                continue
            row = judge_metric(a, metric, sa.value(), diff, policy)
            checks.append(row)
            if row["status"] == "fail":
                reasons.append(
                    f"{row['check']} regressed: Δ {row['delta']:+.4f}, 95% CI "
                    f"[{row['ci_low']:+.4f}, {row['ci_high']:+.4f}]; policy allows "
                    f"{row['bound']}"
                )
    return reasons, checks
