"""How much of each contribution's gain does a merge keep? Measured on its own held-out slice.

For a contribution whose data travelled with it, three models are scored on the same held-out
examples (every ``held_out_every``-th, as the contributor declared): the base (``main``), the
specialist (base + that contribution's adapter alone) and the merged candidate.

    kept share = (loss_base − loss_merged) / (loss_base − loss_specialist)

1.0: the merge keeps the whole gain; 0: none of it; below 0: the merge made that task worse than
the base. The 95% interval is a paired bootstrap over the examples (the ratio recomputed on each
resample). A contribution whose data stayed private cannot be measured and says so; a specialist
that gained nothing has no share to keep. ``[policy] min_kept_share`` rejects a merge when the
worst end of a contribution's interval lies below it (judged on the CI, as every gate is).

Example::

    rows = kept_shares(base, merged_model, bundles, ["gsm8k.bazaar", "poems.bazaar"])
    rows[0]["kept_share"], rows[0]["ci_low"], rows[0]["ci_high"]   # 0.83, 0.71, 0.94
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import torch

from modelbazaar.contrib import VerifiedBundle
from modelbazaar.contrib.datacheck import is_jsonl_name
from modelbazaar.evals.compare import RESAMPLES, SEED
from modelbazaar.model import LoadedModel
from modelbazaar.review.judge import OWN_TASK_LIMIT
from modelbazaar.train.lora import (
    apply_adapter,
    encode,
    example_losses,
    held_out_split,
    parse_examples,
)


def held_out_examples(bundle: VerifiedBundle) -> list:
    """The held-out slice of every included data file of a bundle ([] if its data is private)."""
    manifest, held = bundle.manifest, []
    for f in manifest.data_card.files:
        if f.included:
            text = bundle.data_files[f.name].decode("utf-8")  # open_bundle checked UTF-8
            examples = parse_examples(text, jsonl=is_jsonl_name(f.name), where=f.name)
            held += held_out_split(examples, manifest.evaluation.held_out_every)[1]
    return held


def share_interval(
    base: list[float], merged: list[float], special: list[float]
) -> tuple[float, float, float]:
    """(kept share, 2.5th, 97.5th percentile) over paired bootstrap resamples of the examples.

    Example: base [3, 3], merged [2, 2], specialist [1, 1] -> (0.5, 0.5, 0.5)
    """
    b, m, s = (np.asarray(x, dtype=np.float64) for x in (base, merged, special))
    share = float((b.mean() - m.mean()) / (b.mean() - s.mean()))
    index = np.random.default_rng(SEED).integers(0, len(b), size=(RESAMPLES, len(b)))
    gain = b[index].mean(1) - s[index].mean(1)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = (b[index].mean(1) - m[index].mean(1)) / gain
    shares = shares[gain > 0]  # a resample where the specialist gained nothing has no share
    low, high = np.percentile(shares, [2.5, 97.5]) if len(shares) else (np.nan, np.nan)
    return share, float(low), float(high)


def kept_shares(
    base: LoadedModel,
    candidate: torch.nn.Module,
    bundles: list[VerifiedBundle],
    labels: list[str],
) -> list[dict[str, Any]]:
    """One row per bundle: the share of its held-out gain the merged ``candidate`` keeps."""
    tokenizer = base.tokenizer
    pad_id = tokenizer.pad_token_id or tokenizer.eos_token_id
    max_len = min(256, base.model.config.max_position_embeddings)  # as review measured it
    rows_out = []
    for label, bundle in zip(labels, bundles, strict=True):
        row: dict[str, Any] = {"bundle": label, "task": bundle.manifest.task}
        rows = encode(tokenizer, held_out_examples(bundle), max_len)[:OWN_TASK_LIMIT]
        if not rows:
            rows_out.append(row | {"status": "n/a", "detail": "data not included: not measurable"})
            continue
        special_model = apply_adapter(
            copy.deepcopy(base.model), bundle.adapter, bundle.manifest.adapter_config
        )
        losses = [example_losses(m, rows, pad_id) for m in (base.model, candidate, special_model)]
        del special_model
        b, m, s = (float(np.mean(x)) for x in losses)
        row |= {"base": b, "merged": m, "specialist": s, "gain": b - s, "n": len(rows)}
        if b - s <= 0:
            rows_out.append(row | {"status": "n/a", "detail": "the specialist gained nothing"})
            continue
        share, low, high = share_interval(*losses)
        rows_out.append(row | {"status": "ok", "kept_share": share, "ci_low": low, "ci_high": high})
    return rows_out


def kept_share_reasons(rows: list[dict[str, Any]], minimum: float | None) -> list[str]:
    """Reasons to reject under ``[policy] min_kept_share``: the CI's lower end below it."""
    if minimum is None:
        return []
    return [
        f"{r['task']} ({r['bundle']}): the merge keeps {r['kept_share']:.0%} of its held-out "
        f"gain, 95% CI [{r['ci_low']:.0%}, {r['ci_high']:.0%}], below the policy's "
        f"min_kept_share {minimum:.0%}"
        for r in rows
        if r["status"] == "ok" and not r["ci_low"] >= minimum  # nan (no interval) fails too
    ]
