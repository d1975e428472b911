"""The effect trial of a data donation: does training on it make the model worse?

Two arms from the same base, the same seed and the same budget (``[policy] trial_steps`` steps
of the recipe's batch and window, at ``trial_lr``, by default the learning rate the build ended
on): *control* continues training on the corpus alone, *treated* on the corpus plus the
donation, exactly the stream the next build would see. Then the policy's suites run on both and
each gate is judged on the paired 95% CI of treated − control, as adapters are judged; for a
synthetic donation the `diversity` suite runs too, and a collapse warning fails the trial.
The cost (steps, tokens, seconds) is reported.

Example::

    reasons, rows, cost = effect_trial(model_dir, recipe, base, corpus, donation, synthetic=False)
    cost  # {"steps": 50, "tokens_per_arm": 25600, "train_seconds": 9.1, "eval_seconds": 14.0}
"""

from __future__ import annotations

import copy
import tempfile
import time
from pathlib import Path
from typing import Any

import torch
from tokenizers import Tokenizer

from modelbazaar.data.tokenizer import EOS, lines
from modelbazaar.evals import compare_results, run_suite_on_model
from modelbazaar.evals.diversity import COLLAPSE_DROP, collapse_warnings, dropped
from modelbazaar.model import LoadedModel
from modelbazaar.recipe import Recipe, TrainConfig
from modelbazaar.review.suites import SAFETY_GATES, delta_fields, judge_metric
from modelbazaar.train.determinism import make_deterministic
from modelbazaar.train.distributed import World
from modelbazaar.train.pretrain import pretrain

DIVERSITY = "diversity"  # the suite that watches for collapse (evals/suites/diversity.yaml)


def token_stream(tokenizer: Tokenizer, texts: list[str]) -> torch.Tensor:
    """One int32 stream as a build packs files: each text's lines, then end-of-text."""
    eos = tokenizer.token_to_id(EOS)
    ids: list[int] = []
    for text in texts:
        for encoding in tokenizer.encode_batch(list(lines(text)), add_special_tokens=False):
            ids.extend(encoding.ids)
        ids.append(eos)
    return torch.tensor(ids, dtype=torch.int32)


def trial_config(recipe: Recipe, max_positions: int) -> TrainConfig:
    """The recipe's training settings with the trial's budget and a constant learning rate."""
    policy, train = recipe.policy, recipe.train
    steps = policy.trial_steps
    return TrainConfig.model_validate(
        train.model_dump()
        | {
            "max_steps": steps,
            "warmup_steps": 0,
            "lr": policy.trial_lr or train.lr * train.min_lr_ratio,
            "min_lr_ratio": 1.0,  # constant: continue where the build's schedule ended
            "eval_every": steps,
            "checkpoint_every": steps + 1,  # never: a trial is short and thrown away
            "seq_len": min(train.seq_len, max_positions),
        }
    )


def _arm(base: LoadedModel, stream: torch.Tensor, val: torch.Tensor, cfg: TrainConfig,
         show_progress: bool) -> tuple[torch.nn.Module, dict[str, float]]:  # fmt: skip
    model = copy.deepcopy(base.model)
    make_deterministic(cfg.seed)
    with tempfile.TemporaryDirectory(prefix="bazaar-trial-") as scratch:
        result = pretrain(
            model,
            stream,
            val,
            cfg,
            checkpoint=Path(scratch) / "checkpoint.safetensors",
            world=World(rank=0, size=1),
            show_progress=show_progress,
        )
    model.eval()
    figures = {"train_loss": result.final_train_loss, "seconds": result.seconds}
    return model, figures | {"validation_loss": result.final_val_loss or float("nan")}


def effect_trial(
    model_dir: Path,
    recipe: Recipe,
    base: LoadedModel,
    streams: dict[str, torch.Tensor],
    *,
    synthetic: bool,
    show_progress: bool = True,
) -> tuple[list[str], list[dict[str, Any]], dict[str, Any]]:
    """(reasons, check rows, cost) of the trial. ``streams``: "train" and "validation" of the
    corpus and "donation" (duplicates already dropped, per policy), as ``token_stream`` packs
    them with the base's tokenizer."""
    control_stream = streams["train"]
    treated_stream = torch.cat([control_stream, streams["donation"]])
    val = streams["validation"]
    cfg = trial_config(recipe, base.model.config.max_position_embeddings)
    started = time.perf_counter()
    control, control_figures = _arm(base, control_stream, val, cfg, show_progress)
    treated, treated_figures = _arm(base, treated_stream, val, cfg, show_progress)
    train_seconds = time.perf_counter() - started

    started = time.perf_counter()
    suites = list(recipe.policy.suites) + ([DIVERSITY] if synthetic else [])
    reasons: list[str] = []
    rows: list[dict[str, Any]] = []
    for name in dict.fromkeys(suites):
        suite_reasons, suite_rows = _judge_suite(model_dir, recipe, base, control, treated, name)
        reasons += suite_reasons
        rows += suite_rows
    cost = {
        "steps": cfg.max_steps,
        "lr": cfg.lr,
        "batch": cfg.batch_size,
        "seq_len": cfg.seq_len,
        "tokens_per_arm": cfg.max_steps * cfg.batch_size * cfg.seq_len,
        "train_seconds": round(train_seconds, 2),
        "eval_seconds": round(time.perf_counter() - started, 2),
        "control": control_figures,
        "treated": treated_figures,
        "corpus_tokens": int(control_stream.numel()),
        "donation_tokens": int(treated_stream.numel() - control_stream.numel()),
        "suites": list(dict.fromkeys(suites)),
    }
    return reasons, rows, cost


def _judge_suite(
    model_dir: Path,
    recipe: Recipe,
    base: LoadedModel,
    control: torch.nn.Module,
    treated: torch.nn.Module,
    name: str,
) -> tuple[list[str], list[dict[str, Any]]]:
    """One suite on both arms; its gate(s) judged on the paired CI of treated − control."""
    policy = recipe.policy
    a, b = (
        run_suite_on_model(m, base.tokenizer, name, policy.limit_for(name), model_dir=model_dir)
        for m in (control, treated)
    )
    deltas = compare_results(a, b)
    if a.kind == DIVERSITY:
        drop = a.extra.get("collapse_drop", COLLAPSE_DROP)
        return _judge_diversity(deltas, drop, a.extra.get("collapse_metrics", 1))
    by_metric = {d.metric: d for d in deltas}
    judged = (
        [m for m in SAFETY_GATES if m in a.higher_is_better]
        if a.kind == "safety"
        else [
            next(iter(a.higher_is_better))  # the suite's main metric (loss, acc)
        ]
    )
    reasons, rows = [], []
    for metric in (m for m in judged if m in by_metric):
        judged_row = judge_metric(by_metric[metric], policy)
        judged_row["check"] = f"trial {judged_row['check']}"
        rows.append(judged_row)
        if judged_row["status"] == "fail":
            reasons.append(
                f"effect trial: {name} {metric} got worse with the donation: Δ "
                f"{judged_row['delta']:+.4f}, 95% CI [{judged_row['ci_low']:+.4f}, "
                f"{judged_row['ci_high']:+.4f}]; policy allows {judged_row['bound']}"
            )
    return reasons, rows


def _judge_diversity(
    deltas: list, drop: float, metrics: int
) -> tuple[list[str], list[dict[str, Any]]]:
    """Every diversity metric as a row; a collapse warning (significant drops beyond
    ``collapse_drop`` in at least ``collapse_metrics`` metrics) fails the metrics that dropped."""
    warnings = collapse_warnings(deltas, drop, metrics)
    reasons, rows = [f"effect trial: {w}" for w in warnings], []
    for d in deltas:
        status = "fail" if warnings and dropped(d, drop) else "pass"
        bound = f"no significant drop beyond {drop:.0%} in {metrics}+ metrics (collapse)"
        check = {"check": f"trial {d.suite}: {d.metric}", "status": status}
        rows.append(check | delta_fields(d) | {"bound": bound})
    return reasons, rows
