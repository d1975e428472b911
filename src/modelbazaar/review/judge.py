"""Judge a candidate model against its base under the model's ``[policy]``.

Used by review (base + one adapter) and merge (main + merged deltas). Every gate is judged on
the 95% CI of the paired difference (same examples, base vs candidate), never on the point
estimate. Example::

    verdict, reasons, checks = judge_candidate(store, model_dir, recipe, base, candidate,
                                               own_tasks=[("gsm8k", held_out_examples)])
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch

from modelbazaar.evals.compare import paired_difference
from modelbazaar.model import LoadedModel
from modelbazaar.progress import console
from modelbazaar.recipe import Recipe
from modelbazaar.store import Store
from modelbazaar.train.lora import encode, example_losses

OWN_TASK_LIMIT = 200  # held-out examples scored per side: a tight CI in a few seconds


def trusted_keys(recipe: Recipe) -> set[str] | None:
    """The keys whose signed bundles are reviewed: maintainers + trusted contributors.

    An empty list trusts nobody (every bundle is refused, naming its signer) — a stranger's
    self-signed bundle is never trusted just because nobody was listed. None only when the
    maintainers opted out with ``require_signature = false``: then any bundle, signed or not.
    Example: maintainers = ["ed25519:Q6sW…"] -> {"ed25519:Q6sW…"}; [] -> set()
    """
    if not recipe.policy.require_signature:
        return None
    return set(recipe.maintainers) | set(recipe.trusted_contributors)


def judge_candidate(
    store: Store,
    model_dir: Path,
    recipe: Recipe,
    base: LoadedModel,
    candidate: torch.nn.Module,
    *,
    own_tasks: list[tuple[str, list]],
    show_progress: bool = True,
) -> tuple[str, list[str], list[dict[str, Any]]]:
    """(verdict, reasons, checks) of ``candidate`` against ``base`` under ``recipe.policy``.

    Used by review (base + one adapter) and by merge (main + merged deltas).
    """
    from modelbazaar.review.suites import suite_checks  # the evals engine, loaded when used

    policy = recipe.policy
    reasons, checks = suite_checks(store, model_dir, policy, base, candidate, show_progress)
    tokenizer, pad_id = base.tokenizer, base.tokenizer.pad_token_id or base.tokenizer.eos_token_id
    max_len = min(256, base.model.config.max_position_embeddings)
    for name, examples in own_tasks:
        rows = encode(tokenizer, examples, max_len)[:OWN_TASK_LIMIT]
        if not rows:
            reasons.append(f"own task {name}: no held-out examples to measure the gain on")
            continue
        before, after = (
            example_losses(base.model, rows, pad_id),
            example_losses(candidate, rows, pad_id),
        )
        delta, low, high = paired_difference(before, after)
        mean_before = sum(before) / len(before)
        # the smallest gain that counts: a CI merely off zero is not a practical improvement
        needed = -max(policy.min_task_gain_nats, policy.min_task_gain * mean_before)
        ok = high < needed
        checks.append(
            {
                "check": f"own task {name}",
                "status": "pass" if ok else "fail",
                "metric": "loss",
                "base": mean_before,
                "candidate": sum(after) / len(after),
                "delta": delta,
                "ci_low": low,
                "ci_high": high,
                "n": len(rows),
                "bound": f"whole CI below {needed:+.4f}",
            }
        )
        if not ok:
            reasons.append(
                f"own task {name}: no meaningful gain — loss change {delta:+.4f} nats, "
                f"95% CI [{low:+.4f}, {high:+.4f}] does not lie below {needed:+.4f} "
                f"(policy min_task_gain_nats = {policy.min_task_gain_nats}, "
                f"min_task_gain = {policy.min_task_gain} of the base loss {mean_before:.3f})"
            )
    if show_progress:
        console.print(f"judged {len(checks)} checks: {len(reasons)} failed")
    return ("reject" if reasons else "accept"), reasons, checks
