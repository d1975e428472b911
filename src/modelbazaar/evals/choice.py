"""Kind `multiple_choice`: pick the choice with the highest log-likelihood after the question.

Like lm-eval's `multiple_choice` output type: the continuation is target_delimiter + choice,
`acc` takes the argmax of the raw log-likelihoods and `acc_norm` the argmax of log-likelihood
divided by the choice's length in characters (lm-eval's completion_len; bytes for ASCII text).
Example: lls [-4, -6], choices ["ab", "abcdef"] -> acc picks 0; lls/len [-2, -1] -> acc_norm 1.
"""

from collections.abc import Callable

import numpy as np
from pydantic import BaseModel, ConfigDict

from modelbazaar.errors import EvalError
from modelbazaar.evals.common import Tick, parse_params, pick
from modelbazaar.evals.loglik import check_encodable, choice_request, score_requests
from modelbazaar.evals.result import Series, SuiteResult
from modelbazaar.evals.suite import Suite


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question_field: str = "question"
    choices_field: str = "choices"
    answer_field: str = "answer"  # index of the right choice
    target_delimiter: str = " "
    id_field: str = "id"
    batch_size: int = 32


def evaluate(
    model, tokenizer, suite: Suite, examples: Callable[[], list], tick: Tick
) -> SuiteResult:
    params = parse_params(suite, Params)
    rows = examples()
    questions = [str(pick(r, params.question_field, suite)) for r in rows]
    choices = [[str(c) for c in pick(r, params.choices_field, suite)] for r in rows]
    golds = [int(pick(r, params.answer_field, suite)) for r in rows]
    for row, options, gold in zip(rows, choices, golds, strict=True):
        if not 0 <= gold < len(options):
            raise EvalError(f"suite '{suite.name}': example {row['id']} answer {gold} is no choice")
    check_encodable(tokenizer, questions + [c for cs in choices for c in cs], suite.name)
    max_len = model.config.max_position_embeddings
    requests, owner = [], []
    for i, (question, options) in enumerate(zip(questions, choices, strict=True)):
        for j, option in enumerate(options):
            for request in choice_request(
                tokenizer, question, params.target_delimiter + option, max_len
            ):  # one request unless it overflows max_len
                requests.append(request)
                owner.append((i, j))
    tick.start(len(requests))
    scores = score_requests(model, requests, params.batch_size, tick.advance)
    lls = [[0.0] * len(options) for options in choices]
    for (logprob, _greedy), (i, j) in zip(scores, owner, strict=True):
        lls[i][j] += logprob
    acc, acc_norm, outputs = [], [], []
    for ll, options, gold in zip(lls, choices, golds, strict=True):
        pred = int(np.argmax(ll))
        pred_norm = int(np.argmax(np.array(ll) / np.array([float(len(c)) for c in options])))
        acc.append(float(pred == gold))
        acc_norm.append(float(pred_norm == gold))
        outputs.append({"lls": ll, "pred": pred, "pred_norm": pred_norm, "gold": gold})
    ones = [1.0] * len(rows)
    series = {"acc": Series(acc, ones), "acc_norm": Series(acc_norm, ones)}
    higher = {"acc": True, "acc_norm": True}
    return SuiteResult.measured(suite, rows, series, higher, outputs=outputs)
