"""Kind `diversity`: is the model still varied, and does it keep the tails of its data?

Per prompt, ``samples`` continuations are drawn at ``temperature`` in one call seeded with
``seed + prompt index`` (so a result never depends on which other prompts ran), and measured:
- ``distinct_1`` … ``distinct_4``: distinct n-grams / all n-grams over that prompt's samples
  (Li et al. 2016), in tokens; repetition and mode-seeking push them down;
- ``entropy``: Shannon entropy (bits) of the token unigrams of those samples;
- ``tail_loss``: mean token loss on the example's ``tail`` text, a human line rich in rare words;
  it rises first when a model trained on its own samples forgets the tails (Shumailov et al.).
All are per-example ratios, so ``bazaar compare`` gives paired CIs; ``collapse_drop`` names the
relative drop that compare calls a collapse warning.
Example: samples "a a a a" and "a a a a" -> distinct_1 1/8; "a b c d", "e f g h" -> 8/8.
"""

import math
from collections import Counter
from collections.abc import Callable
from typing import Any

import torch
from pydantic import BaseModel, ConfigDict, Field

from modelbazaar.evals.common import Tick, parse_params, pick
from modelbazaar.evals.loglik import encode, prefix_token, rolling_requests, score_requests
from modelbazaar.evals.result import Series, SuiteResult
from modelbazaar.evals.suite import Suite

ORDERS = (1, 2, 3, 4)
# Twice the noise floor bench/collapse.py measured between two equally good models (1.5%).
COLLAPSE_DROP = 0.03
# Collapse moves distinct-n, entropy and the tail loss together; one metric past the bound on
# its own is what a half-human chain showed too (distinct_1 alone, bench/collapse.py), so a
# warning needs this many metrics past it at once.
COLLAPSE_METRICS = 2


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid")
    prompt_field: str = "prompt"
    tail_field: str = "tail"
    samples: int = Field(default=4, ge=1, le=64)
    max_new_tokens: int = Field(default=48, ge=4, le=1024)
    temperature: float = Field(default=1.0, gt=0, le=10)
    seed: int = 0
    collapse_drop: float = Field(default=COLLAPSE_DROP, gt=0, lt=1)
    collapse_metrics: int = Field(default=COLLAPSE_METRICS, ge=1, le=8)
    id_field: str = "id"
    batch_size: int = 16


@torch.inference_mode()
def sample(model, tokenizer, prompt: str, params: Params, seed: int) -> list[list[int]]:
    """``params.samples`` seeded continuations (token ids) of ``prompt``."""
    ids = torch.tensor([encode(tokenizer, prompt) or [prefix_token(tokenizer)]])
    room = model.config.max_position_embeddings - ids.shape[1]
    generator_state = torch.random.get_rng_state()
    torch.manual_seed(seed)  # generate() samples from the global generator
    try:
        out = model.generate(
            input_ids=ids,
            attention_mask=torch.ones_like(ids),
            do_sample=True,
            temperature=params.temperature,
            top_k=0,
            top_p=1.0,
            max_new_tokens=max(1, min(params.max_new_tokens, room)),
            num_return_sequences=params.samples,
            pad_token_id=tokenizer.pad_token_id,
            eos_token_id=tokenizer.eos_token_id,
        )
    finally:
        torch.random.set_rng_state(generator_state)  # evals never disturb the caller's RNG
    eos = tokenizer.eos_token_id
    return [[t for t in row if t != eos] for row in out[:, ids.shape[1] :].tolist()]


def distinct(samples: list[list[int]], n: int) -> tuple[float, float]:
    """(distinct n-grams, all n-grams) over a prompt's samples."""
    grams = [tuple(s[i : i + n]) for s in samples for i in range(len(s) - n + 1)]
    return float(len(set(grams))), float(len(grams))


def entropy(samples: list[list[int]]) -> float:
    counts = Counter(token for s in samples for token in s)
    total = sum(counts.values())
    return -sum(c / total * math.log2(c / total) for c in counts.values()) if total else 0.0


def evaluate(
    model, tokenizer, suite: Suite, examples: Callable[[], list], tick: Tick
) -> SuiteResult:
    params = parse_params(suite, Params)
    rows = examples()
    tick.start(len(rows) * (params.samples + 1))
    per_row: list[list[list[int]]] = []
    for i, row in enumerate(rows):
        prompt = str(pick(row, params.prompt_field, suite))
        per_row.append(sample(model, tokenizer, prompt, params, params.seed + i))
        tick.advance(params.samples)
    series = {f"distinct_{n}": Series([], []) for n in ORDERS}
    for samples in per_row:
        for n in ORDERS:
            num, den = distinct(samples, n)
            series[f"distinct_{n}"].num.append(num)
            series[f"distinct_{n}"].den.append(den)
    series["entropy"] = Series([entropy(s) for s in per_row], [1.0] * len(rows))
    series["tail_loss"] = _tail_losses(model, tokenizer, rows, params, suite, tick)
    higher = {name: name != "tail_loss" for name in series}
    return SuiteResult.measured(
        suite,
        rows,
        series,
        higher,
        outputs=[{"samples": [tokenizer.decode(s) for s in samples]} for samples in per_row],
        extra={"collapse_drop": params.collapse_drop, "collapse_metrics": params.collapse_metrics},
    )


def _tail_losses(model, tokenizer, rows: list, params: Params, suite: Suite, tick: Tick) -> Series:
    """Summed nats and token count of each row's tail text (the whole text, rolling windows)."""
    prefix, max_len = prefix_token(tokenizer), model.config.max_position_embeddings
    requests, owner, tokens = [], [], []
    for i, row in enumerate(rows):
        ids = encode(tokenizer, str(pick(row, params.tail_field, suite)))
        tokens.append(float(len(ids)))
        for request in rolling_requests(ids, prefix, max_len):
            requests.append(request)
            owner.append(i)
    nll = [0.0] * len(rows)
    for (logprob, _greedy), i in zip(
        score_requests(model, requests, params.batch_size, lambda k: None), owner, strict=True
    ):
        nll[i] -= logprob
    tick.advance(len(rows))
    return Series(nll, tokens)


def dropped(d: Any, drop: float) -> bool:
    """Did this diversity metric get significantly worse by more than ``drop`` (relative)?"""
    return bool(d.regression and d.a and abs(d.delta) / abs(d.a) > drop)


def collapse_warnings(deltas: list, drop: float, metrics: int = COLLAPSE_METRICS) -> list[str]:
    """Sentences for every diversity metric that got significantly worse by more than ``drop``,
    when at least ``metrics`` of them did (else none: one metric alone is not collapse).

    ``deltas`` are ``evals.compare.Delta`` of a diversity suite (A = before, B = after).
    """
    worse = [d for d in deltas if dropped(d, drop)]
    if len(worse) < metrics:
        return []
    warnings = []
    for d in worse:
        relative = abs(d.delta) / abs(d.a)
        warnings.append(
            f"collapse warning: {d.suite} {d.metric} {d.a:.3f} -> {d.b:.3f} "
            f"({relative:.0%} worse, 95% CI of the change [{d.ci_low:+.3f}, {d.ci_high:+.3f}])"
        )
    return warnings
