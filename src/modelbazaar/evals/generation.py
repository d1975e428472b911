"""Kind `generation`: prompt -> greedy answer -> exact_match, contains, or extracted number.

`number` is GSM8K-style: the target is the number after "####" (`answer_regex`), the prediction
the last number in the answer; commas and a trailing "." are dropped before comparing.
Example: target "... #### 1,200", output "so she pays 1200." -> correct.
"""

import re
from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel, ConfigDict

from modelbazaar.evals.common import Tick, parse_params, pick
from modelbazaar.evals.greedy import greedy, render
from modelbazaar.evals.loglik import check_encodable
from modelbazaar.evals.result import Series, SuiteResult
from modelbazaar.evals.suite import Suite

NUMBER = re.compile(r"-?[\d,]*\.?\d+")


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid")
    prompt_template: str = "{question}"  # str.format over the example's fields
    target_field: str = "answer"
    answer_regex: str | None = None  # group 1 = the target inside target_field
    metric: Literal["exact_match", "contains", "number"] = "exact_match"
    max_new_tokens: int = 64
    stop: list[str] = ["\n\n"]
    chat: bool = False  # render prompts with the model's chat template
    id_field: str = "id"
    batch_size: int = 16


def number(text: str) -> float | None:
    """The last number in a text. Example: number("3 + 4 = 7.") -> 7.0; number("none") -> None."""
    found = NUMBER.findall(text)
    if not found:
        return None
    try:
        return float(found[-1].replace(",", "").rstrip("."))
    except ValueError:
        return None


def correct(metric: str, output: str, target: str) -> bool:
    if metric == "exact_match":
        return output.strip() == target.strip()
    if metric == "contains":
        return target.strip().lower() in output.lower()
    expected, got = number(target), number(output)
    return expected is not None and got is not None and abs(expected - got) < 1e-6


def evaluate(
    model, tokenizer, suite: Suite, examples: Callable[[], list], tick: Tick
) -> SuiteResult:
    params = parse_params(suite, Params)
    rows = examples()
    targets = []
    for row in rows:
        target = str(pick(row, params.target_field, suite))
        if params.answer_regex:
            match = re.search(params.answer_regex, target)
            target = match.group(1) if match else target
        targets.append(target)
    prompts = [render(tokenizer, params.prompt_template.format(**row), params.chat) for row in rows]
    check_encodable(tokenizer, prompts, suite.name)
    tick.start(len(prompts))
    answers = greedy(
        model,
        tokenizer,
        prompts,
        params.max_new_tokens,
        params.stop,
        params.batch_size,
        tick.advance,
    )
    hits = [float(correct(params.metric, a, t)) for a, t in zip(answers, targets, strict=True)]
    series = {params.metric: Series(hits, [1.0] * len(rows))}
    return SuiteResult(
        suite=suite.name,
        suite_version=suite.version,
        kind=suite.kind,
        version=None,
        metrics={params.metric: series[params.metric].value()},
        higher_is_better={params.metric: True},
        ids=[str(r["id"]) for r in rows],
        series=series,
        outputs=[
            {"output": a, "target": t, "correct": bool(h)}
            for a, t, h in zip(answers, targets, hits, strict=True)
        ],
    )
