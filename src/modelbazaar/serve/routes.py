"""The endpoints: /v1/models, /v1/completions, /v1/chat/completions, /v1/moderations, plus
/health and /metrics (no key needed).

A generation request is checked (model name, options, context, limits) before anything runs, so
a refusal is a 4xx that costs nothing; then the guard, if any, reads the prompt; then one
scheduler sequence per choice starts, and the answer is sent whole or as server-sent events
ending in `data: [DONE]`.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import replace

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse, StreamingResponse

from modelbazaar.serve import responses as r
from modelbazaar.serve.apierrors import ApiError, error_body
from modelbazaar.serve.generation import Choice, Delta, GenerationFailed, collect, merged
from modelbazaar.serve.guarding import Verdict, moderation_result
from modelbazaar.serve.limits import ANONYMOUS
from modelbazaar.serve.schemas import ChatBody, CompletionBody, GenerationBody, ModerationBody
from modelbazaar.serve.served import COMPLETION_DEFAULT_MAX_TOKENS, Served
from modelbazaar.serve.text import PLAIN_CHAT_STOP, chat_prompt, encode

router = APIRouter()


def served_of(request: Request) -> Served:
    return request.app.state.served


def key_of(request: Request) -> str:
    return request.scope.get("state", {}).get("key", ANONYMOUS)


@router.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/metrics", response_class=PlainTextResponse)
async def metrics(request: Request) -> str:
    """Prometheus text format: the scheduler's counters."""
    served = served_of(request)
    stats = served.scheduler.stats
    lines = [
        f"bazaar_decode_steps_total {stats.steps}",
        f"bazaar_prefill_passes_total {stats.prefills}",
        f"bazaar_generated_tokens_total {stats.tokens}",
        f"bazaar_decoded_rows_total {stats.rows_decoded}",
        f"bazaar_sequences_finished_total {stats.finished}",
        f"bazaar_sequences_running {served.scheduler.running}",
        f"bazaar_sequences_waiting {served.scheduler.queued}",
    ]
    return "\n".join(lines) + "\n"


@router.get("/v1/models")
async def list_models(request: Request) -> dict[str, object]:
    served = served_of(request)
    entry = r.model_entry(served.name, served.created, served.loaded.record.hash, served.context)
    return {"object": "list", "data": [entry]}


@router.get("/v1/models/{model:path}")
async def get_model(model: str, request: Request) -> dict[str, object]:
    served = served_of(request)
    served.check_model(model)
    return r.model_entry(served.name, served.created, served.loaded.record.hash, served.context)


@router.post("/v1/completions", response_model=None)
async def completions(body: CompletionBody, request: Request) -> JSONResponse | StreamingResponse:
    served = served_of(request)
    served.check_model(body.model)
    prompts = [body.prompt] if isinstance(body.prompt, str) else body.prompt
    encoded = [encode(served.tokenizer, p) for p in prompts]
    return await _generate(
        request, body, "completion", encoded, prompts, body.stops(), COMPLETION_DEFAULT_MAX_TOKENS
    )


@router.post("/v1/chat/completions", response_model=None)
async def chat(body: ChatBody, request: Request) -> JSONResponse | StreamingResponse:
    served = served_of(request)
    served.check_model(body.model)
    messages = [{"role": m.role, "content": m.text()} for m in body.messages]
    prompt = chat_prompt(served.tokenizer, messages)
    stops = body.stops() + ([] if served.tokenizer.chat_template else [PLAIN_CHAT_STOP])
    checked = [m["content"] for m in messages if m["role"] != "assistant"]
    return await _generate(
        request, body, "chat", [encode(served.tokenizer, prompt)], checked, stops, None
    )


@router.post("/v1/moderations")
async def moderations(body: ModerationBody, request: Request) -> dict[str, object]:
    served = served_of(request)
    if served.guard is None:
        raise ApiError(
            400,
            "this server has no guard: start it with `bazaar serve REF --guard` to answer "
            "/v1/moderations",
            code="guard_not_enabled",
        )
    verdicts = await served.guard.check(body.texts(), "user")
    return {
        "id": r.new_id("modr"),
        "model": body.model or "bazaar-guard",
        "results": [moderation_result(v) for v in verdicts],
    }


async def _generate(
    request: Request,
    body: GenerationBody,
    kind: str,
    prompts: list[list[int]],
    guarded_texts: list[str],
    stops: list[str],
    default_max: int | None,
) -> JSONResponse | StreamingResponse:
    """Checks, the prompt guard, the choices (prompt-major, n per prompt), then the answer."""
    served = served_of(request)
    served.check_options(body)
    param = "prompt" if kind == "completion" else "messages"
    samplings = [served.sampling(body, ids, default_max, param) for ids in prompts]
    release = served.slots.acquire(key_of(request))
    choices: list[Choice] = []
    try:
        blocked = await served.guard.flagged(guarded_texts, "user") if served.guard else None
        if blocked is None:
            for ids, sampling in zip(prompts, samplings, strict=True):
                for _ in range(body.n):
                    seed = None if sampling.seed is None else sampling.seed + len(choices)
                    with_seed = replace(sampling, seed=seed)
                    choice = Choice(served.scheduler, served.tokenizer, ids, with_seed, stops)
                    choices.append(choice)
                    choice.start()
    except BaseException:
        _cleanup(choices, release)()
        raise
    shape = r.Shape(kind, body.model, served.loaded.record.short, len(prompts) * body.n)
    prompt_tokens = sum(len(p) for p in prompts)
    if body.stream:
        include_usage = bool(body.stream_options and body.stream_options.include_usage)
        cleanup = _cleanup(choices, release)
        events = _events(shape, choices, blocked, served, (prompt_tokens, include_usage), cleanup)
        return EventStream(events, cleanup)
    try:
        return JSONResponse(await _whole(shape, choices, blocked, served, prompt_tokens))
    finally:
        _cleanup(choices, release)()


def _cleanup(choices: list[Choice], release: Callable[[], None]) -> Callable[[], None]:
    def run() -> None:
        for choice in choices:
            choice.cancel()  # a no-op for finished ones
        release()

    return run


async def _whole(
    shape: r.Shape,
    choices: list[Choice],
    blocked: Verdict | None,
    served: Served,
    prompt_tokens: int,
) -> dict[str, object]:
    if blocked is not None:
        entries = [shape.choice(i, "", "content_filter", False) for i in range(shape.count)]
        return {
            **shape.whole(entries, r.usage(prompt_tokens, 0)),
            "content_filter": r.filter_note("prompt", blocked),
        }
    try:
        answers = await asyncio.gather(*(collect(c, served.guard) for c in choices))
    except GenerationFailed as exc:
        raise ApiError(500, f"{exc}; the server log has the cause", type="server_error") from exc
    entries = [shape.choice(i, a.text, a.finish_reason, False) for i, a in enumerate(answers)]
    body = shape.whole(entries, r.usage(prompt_tokens, sum(c.tokens for c in choices)))
    stopped = next((c.blocked for c in choices if c.blocked is not None), None)
    if stopped is not None:
        body["content_filter"] = r.filter_note("answer", stopped)
    return body


async def _events(
    shape: r.Shape,
    choices: list[Choice],
    blocked: Verdict | None,
    served: Served,
    usage: tuple[int, bool],
    cleanup: Callable[[], None],
) -> AsyncIterator[str]:
    """The SSE stream. `cleanup` (free the stream slot) runs before the last event, so a client
    that sends its next request on `[DONE]` never finds its previous slot still taken."""
    if shape.chat:
        for index in range(shape.count):
            yield r.sse(shape.role_chunk(index))
    if blocked is not None:
        finals = [shape.choice(i, "", "content_filter", True) for i in range(shape.count)]
        yield r.sse({**shape.chunk(finals), "content_filter": r.filter_note("prompt", blocked)})
    else:
        streams = [c.deltas(served.guard, served.limits.guard_window) for c in choices]
        try:
            async for index, delta in merged(streams):
                yield r.sse(_chunk(shape, index, delta, choices[index]))
        except GenerationFailed as exc:
            cleanup()
            yield r.sse(error_body(f"{exc}; the server log has the cause", "server_error"))
            yield r.DONE
            return
    cleanup()
    prompt_tokens, include_usage = usage
    if include_usage:
        completion = sum(c.tokens for c in choices)
        yield r.sse(shape.chunk([], r.usage(prompt_tokens, completion)))
    yield r.DONE


def _chunk(shape: r.Shape, index: int, delta: Delta, choice: Choice) -> dict[str, object]:
    chunk = shape.chunk([shape.choice(index, delta.text, delta.finish_reason, True)])
    if delta.finish_reason == "content_filter" and choice.blocked is not None:
        chunk["content_filter"] = r.filter_note("answer", choice.blocked)
    return chunk


class EventStream(StreamingResponse):
    """Server-sent events whose `cleanup` runs however the response ends (finished, client gone,
    server shutting down): it cancels the request's sequences and frees its stream slot."""

    def __init__(self, events: AsyncIterator[str], cleanup: Callable[[], None]) -> None:
        super().__init__(
            events,
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )
        self.cleanup = cleanup

    async def __call__(self, scope, receive, send) -> None:  # noqa: ANN001 (ASGI)
        try:
            await super().__call__(scope, receive, send)
        finally:
            self.cleanup()
