"""Log-likelihood scoring, done the way lm-evaluation-harness does it so the numbers agree.

A *request* is (input_ids, targets): the model reads `input_ids` and the last len(targets) logits
score `targets`.
Example: tokens [5, 6, 7], prefix 0, window 4 -> one request ([0, 5, 6], [5, 6, 7]).
"""

from collections.abc import Callable, Sequence

import torch
import torch.nn.functional as F

from modelbazaar.errors import EvalError

Request = tuple[list[int], list[int]]


def encode(tokenizer, text: str) -> list[int]:
    """Token ids without special tokens (as lm-eval's causal HF backend does)."""
    return tokenizer(text, add_special_tokens=False)["input_ids"]


def check_encodable(tokenizer, texts: Sequence[str], suite: str) -> None:
    """Refuse a suite whose text the tokenizer cannot represent (unknown token, lossy trip)."""
    unk = tokenizer.unk_token_id
    for text in texts:
        ids = encode(tokenizer, text)
        back = tokenizer.decode(ids, clean_up_tokenization_spaces=False)
        if (unk is not None and unk in ids) or back != text:
            bad = next((c for c in text if c not in back), text[:40])
            raise EvalError(
                f"suite '{suite}': this model's tokenizer cannot encode the suite's text "
                f"(round trip fails, e.g. near {bad!r}); evaluate a model whose tokenizer covers it"
            )


def prefix_token(tokenizer) -> int:
    """The token the first real token is predicted from: BOS, else EOS (lm-eval's choice)."""
    return tokenizer.bos_token_id if tokenizer.bos_token_id is not None else tokenizer.eos_token_id


def rolling_requests(tokens: list[int], prefix: int, max_len: int) -> list[Request]:
    """Non-overlapping prediction windows of `max_len` tokens over a whole document.

    Each window sees at most `max_len` inputs; the last, short window keeps a full left context.
    Same windows as lm_eval.utils.get_rolling_token_windows(context_len=1).
    Example: tokens [1..5], prefix 0, max_len 3 -> ([0,1,2],[1,2,3]), ([2,3,4],[4,5]).
    """
    if not tokens:
        return []
    first = min(max_len, len(tokens))
    out = [([prefix] + tokens[: first - 1], tokens[:first])]
    done = first
    while done < len(tokens):
        width = min(len(tokens) - done, max_len)
        end = done + width
        out.append((tokens[max(0, end - max_len - 1) : end - 1], tokens[end - width : end]))
        done = end
    return out


def span_requests(sequence: list[int], n_targets: int, max_len: int) -> list[Request]:
    """Requests scoring the last `n_targets` tokens of `sequence`, no input longer than max_len.

    When all fits this is lm-eval's single request (sequence[-(max_len+1):-1], targets); a longer
    continuation is scored in consecutive windows, each with as much left context as fits.
    Example: sequence [1..6], n_targets 4, max_len 3 -> ([1,2],[3]), ([3,4,5],[4,5,6]).
    """
    out: list[Request] = []
    end = len(sequence)
    first = len(sequence) - n_targets  # position of the first target (>= 1: context is never empty)
    while end > first:
        start = max(first, end - max_len)  # predict positions start..end-1
        out.append((sequence[max(0, end - 1 - max_len) : end - 1], sequence[start:end]))
        end = start
    return out[::-1]


def choice_request(tokenizer, context: str, continuation: str, max_len: int) -> list[Request]:
    """(context, continuation) -> requests; trailing spaces of the context move to the
    continuation, and the pair is encoded whole then split, so word-boundary tokens match lm-eval's.
    """
    spaces = len(context) - len(context.rstrip())
    if spaces:
        continuation = context[-spaces:] + continuation
        context = context[:-spaces]
    if context:
        whole = encode(tokenizer, context + continuation)
        context_ids = encode(tokenizer, context)
        context_ids, continuation_ids = whole[: len(context_ids)], whole[len(context_ids) :]
    else:
        context_ids, continuation_ids = [prefix_token(tokenizer)], encode(tokenizer, continuation)
    if not continuation_ids:
        raise EvalError(f"nothing to score after {context[-40:]!r}: the continuation is empty")
    return span_requests(context_ids + continuation_ids, len(continuation_ids), max_len)


@torch.inference_mode()
def score_requests(
    model: torch.nn.Module,
    requests: Sequence[Request],
    batch_size: int = 16,
    on_batch: Callable[[int], None] | None = None,
) -> list[tuple[float, bool]]:
    """(sum of target log-probs, all targets greedy?) per request, in input order.

    Longest first, so each batch pads little; right padding keeps positions 0..n-1 of every row.
    """
    order = sorted(range(len(requests)), key=lambda i: -len(requests[i][0]))
    results: list[tuple[float, bool]] = [(0.0, False)] * len(requests)
    for start in range(0, len(order), batch_size):
        chunk = order[start : start + batch_size]
        width = max(len(requests[i][0]) for i in chunk)
        ids = torch.zeros(len(chunk), width, dtype=torch.long)  # B, T (pad id 0 is masked out)
        mask = torch.zeros(len(chunk), width, dtype=torch.long)
        for row, i in enumerate(chunk):
            inp = requests[i][0]
            ids[row, : len(inp)] = torch.tensor(inp)
            mask[row, : len(inp)] = 1
        logits = model(input_ids=ids, attention_mask=mask).logits.float()  # B, T, vocab
        logprobs = F.log_softmax(logits, dim=-1)
        for row, i in enumerate(chunk):
            inp, targets = requests[i]
            if not targets:
                raise EvalError("a request with nothing to score (empty continuation)")
            span = logprobs[row, len(inp) - len(targets) : len(inp)]  # T_target, vocab
            target = torch.tensor(targets)
            picked = span.gather(-1, target[:, None]).squeeze(-1)
            results[i] = (float(picked.double().sum()), bool((span.argmax(-1) == target).all()))
        if on_batch:
            on_batch(len(chunk))
    return results
