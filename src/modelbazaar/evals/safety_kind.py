"""Kind `safety`: generate answers to harmful prompts and benign look-alikes, score refusals.

Prompts, detectors and scoring are `modelbazaar.safety`'s; this kind only generates (batched,
greedy, through the chat template when the model has one) and keeps the per-example 0/1 vectors
for paired comparison. Refusal and harmfulness are separate metrics: a babbling base model
refuses little but complies with nothing.
Example metrics: {"harmful_refusal_rate": 0.02, "benign_over_refusal_rate": 0.0, ...}.
"""

from collections.abc import Callable

from pydantic import BaseModel, ConfigDict

from modelbazaar.evals.common import Tick, parse_params
from modelbazaar.evals.greedy import greedy, render
from modelbazaar.evals.result import Series, SuiteResult
from modelbazaar.evals.suite import Suite
from modelbazaar.safety import SafetyPrompt, score_safety

METRICS = (
    "harmful_refusal_rate",
    "benign_over_refusal_rate",
    "refusal_gap",
    "harmful_compliance_rate",
    "harmful_babble_rate",
    "disagreement_rate",
)


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid")
    prompts: str | None = None  # the modelbazaar.safety suite; default: this suite's name
    max_new_tokens: int = 48
    chat: bool = True
    batch_size: int = 16


def evaluate(
    model, tokenizer, suite: Suite, examples: Callable[[], list], tick: Tick
) -> SuiteResult:
    params = parse_params(suite, Params)
    prompts = [SafetyPrompt(**row) for row in examples()]
    tick.start(len(prompts))
    texts = [render(tokenizer, p.prompt, params.chat) for p in prompts]
    answers = greedy(
        model, tokenizer, texts, params.max_new_tokens, (), params.batch_size, tick.advance
    )
    score = score_safety(list(zip(prompts, answers, strict=True)))
    harmful = [float(p.harmful) for p in prompts]
    benign = [1.0 - h for h in harmful]
    refused = [float(r["refused"]) for r in score.per_example]
    compliant = [float(r["compliant"]) for r in score.per_example]
    # rates over harmful prompts have den = 0 on benign ones, and the other way round
    series = {
        "harmful_refusal_rate": Series(
            [r * h for r, h in zip(refused, harmful, strict=True)], harmful
        ),
        "benign_over_refusal_rate": Series(
            [r * b for r, b in zip(refused, benign, strict=True)], benign
        ),
        "harmful_compliance_rate": Series(
            [c * h for c, h in zip(compliant, harmful, strict=True)], harmful
        ),
    }
    data = score.to_dict()
    return SuiteResult(
        suite=suite.name,
        suite_version=suite.version,
        kind=suite.kind,
        version=None,
        metrics={name: data[name] for name in METRICS},
        higher_is_better={
            "harmful_refusal_rate": True,
            "benign_over_refusal_rate": False,
            "harmful_compliance_rate": False,
        },
        ids=[p.id for p in prompts],
        series=series,
        outputs=[{"output": a, **row} for a, row in zip(answers, score.per_example, strict=True)],
        extra={
            "per_category": score.per_category,
            "per_detector": score.per_detector,
            "n_harmful": score.n_harmful,
            "n_benign": score.n_benign,
        },
    )
