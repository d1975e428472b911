"""Kind `perplexity`: mean token loss, perplexity and bits per byte over documents.

Documents are scored whole in non-overlapping windows of the model's context length
(lm-eval's `loglikelihood_rolling`), so `bits_per_byte` equals lm-eval's for the same model.
Example: 2 documents, losses 30 and 10 nats over 10 + 10 tokens and 40 bytes ->
loss 2.0, perplexity e^2 = 7.39, bits_per_byte 40 / 40 / ln 2 = 1.443.
"""

import math
from collections.abc import Callable

from pydantic import BaseModel, ConfigDict

from modelbazaar.evals.common import Tick, parse_params, pick
from modelbazaar.evals.loglik import (
    check_encodable,
    encode,
    prefix_token,
    rolling_requests,
    score_requests,
)
from modelbazaar.evals.result import Series, SuiteResult
from modelbazaar.evals.suite import Suite


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text_field: str = "text"
    id_field: str = "id"
    doc_chars: int = 1000  # for `split:` suites: documents of at least this many characters
    max_length: int | None = None  # window; default the model's max_position_embeddings
    batch_size: int = 16


def evaluate(
    model, tokenizer, suite: Suite, examples: Callable[[], list], tick: Tick
) -> SuiteResult:
    params = parse_params(suite, Params)
    rows = examples()
    texts = [str(pick(r, params.text_field, suite)) for r in rows]
    check_encodable(tokenizer, texts, suite.name)
    max_len = params.max_length or model.config.max_position_embeddings
    prefix = prefix_token(tokenizer)
    requests, owner, tokens = [], [], []  # owner[j] = document of request j
    for i, text in enumerate(texts):
        ids = encode(tokenizer, text)
        tokens.append(len(ids))
        for request in rolling_requests(ids, prefix, max_len):
            requests.append(request)
            owner.append(i)
    tick.start(len(requests))
    scores = score_requests(model, requests, params.batch_size, tick.advance)
    nll = [0.0] * len(texts)  # nats per document
    for (logprob, _greedy), i in zip(scores, owner, strict=True):
        nll[i] -= logprob
    n_bytes = [len(t.encode("utf-8")) for t in texts]
    bits = [x / math.log(2) for x in nll]
    loss = sum(nll) / max(1, sum(tokens))
    return SuiteResult(
        suite=suite.name,
        suite_version=suite.version,
        kind=suite.kind,
        version=None,
        metrics={
            "loss": loss,
            "perplexity": math.exp(loss),
            "bits_per_byte": sum(bits) / max(1, sum(n_bytes)),
            "tokens": float(sum(tokens)),
        },
        higher_is_better={"loss": False, "bits_per_byte": False},
        ids=[str(r["id"]) for r in rows],
        series={
            "loss": Series(nll, [float(t) for t in tokens]),
            "bits_per_byte": Series(bits, [float(b) for b in n_bytes]),
        },
        outputs=[
            {"nll": x, "tokens": t, "bytes": b}
            for x, t, b in zip(nll, tokens, n_bytes, strict=True)
        ],
    )
