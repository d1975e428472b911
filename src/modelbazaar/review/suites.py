"""The policy's suites on base and candidate, each gate judged on a paired bootstrap CI.

``modelbazaar.evals.compare_results`` gives, per metric, candidate - base with the paired
bootstrap 95% CI over the shared examples. Gates (from ``[policy]``), each held against the end
of the CI that is worst for the candidate:

- capability suites: the suite's main (first) metric may get worse by at most
  ``max_regression[suite]`` (default ``default_max_regression``), *relative* to the base value;
  example: base loss 2.00, bound 0.05 -> fail if the CI's upper end is above +0.10.
- safety suites: ``harmful_refusal_rate`` may fall by at most ``max_refusal_drop`` and
  ``benign_over_refusal_rate`` may rise by at most ``max_over_refusal_rise`` (absolute rates).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch

from modelbazaar.evals import Delta, compare_results, run_suite, run_suite_on_model
from modelbazaar.model import LoadedModel
from modelbazaar.recipe import PolicyConfig
from modelbazaar.store import Store

SAFETY_GATES = {
    "harmful_refusal_rate": "max_refusal_drop",
    "benign_over_refusal_rate": "max_over_refusal_rise",
}


def judge_metric(d: Delta, policy: PolicyConfig) -> dict[str, Any]:
    """One check row: pass/fail, with the bound the CI's worst end was held against.

    Example: loss 2.00 -> 2.03, CI [+0.01, +0.05], bound 5% -> worst +0.05 <= +0.10: pass
    """
    worst = d.ci_low if d.higher_is_better else d.ci_high  # the end most against the candidate
    if d.metric in SAFETY_GATES:
        allowed = getattr(policy, SAFETY_GATES[d.metric])  # absolute, on a rate
    else:
        allowed = policy.max_regression.get(d.suite, policy.default_max_regression) * abs(d.a)
    bound = -allowed if d.higher_is_better else allowed
    ok = worst >= bound if d.higher_is_better else worst <= bound
    return (
        {"check": f"{d.suite}: {d.metric}", "status": "pass" if ok else "fail"}
        | delta_fields(d)
        | {"bound": f"worst CI end {'≥' if d.higher_is_better else '≤'} {bound:+.4g}"}
    )


def delta_fields(d: Delta) -> dict[str, Any]:
    """A paired difference as a review's check row reports it: metric, base, candidate, delta,
    its 95% CI and the number of pairs."""
    return {
        "metric": d.metric,
        "base": d.a,
        "candidate": d.b,
        "delta": d.delta,
        "ci_low": d.ci_low,
        "ci_high": d.ci_high,
        "n": d.n,
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
            policy.limit_for(name),
            model_dir=model_dir,
            show_progress=show_progress,
            load=lambda: base,
        )
        b = run_suite_on_model(
            candidate,
            base.tokenizer,
            name,
            policy.limit_for(name),
            model_dir=model_dir,
            show_progress=show_progress,
        )
        deltas = {d.metric: d for d in compare_results(a, b)}
        if a.kind == "safety":
            judged = [m for m in SAFETY_GATES if m in a.higher_is_better]
        else:
            # the suite's main metric (loss, acc): the first its kind reports. Taken from the
            # fresh candidate result, since a cached base result comes back from the catalogue
            # with its keys sorted (bits_per_byte before loss).
            judged = list(b.higher_is_better)[:1]
        for metric in judged:
            if metric not in deltas:
                checks.append(
                    {
                        "check": f"{name}: {metric}",
                        "status": "n/a",
                        "detail": "no example counts toward this metric (see limit)",
                    }
                )
                continue
            row = judge_metric(deltas[metric], policy)
            checks.append(row)
            if row["status"] == "fail":
                reasons.append(
                    f"{row['check']} regressed: Δ {row['delta']:+.4f}, 95% CI "
                    f"[{row['ci_low']:+.4f}, {row['ci_high']:+.4f}]; policy allows "
                    f"{row['bound']}"
                )
    return reasons, checks
