"""One choice of one request, from scheduler tokens to text a client may see.

    tokens (scheduler thread) -> asyncio queue -> Detokenizer -> StopMatcher -> guard windows
      -> Delta(text, finish_reason)

Tokens that piled up while the client was slow are sent as one piece (one SSE event), which keeps
a busy server from spending its time on per-token events. With a guard, text is released a window
at a time (`window` characters; a whole answer when not streaming) once the answer so far passes
the guard; a flagged window is never sent, generation stops and the choice finishes with
"content_filter".
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import AsyncIterator
from dataclasses import dataclass

from transformers import PreTrainedTokenizerFast

from modelbazaar.serve.apierrors import ApiError
from modelbazaar.serve.engine import EngineProcess
from modelbazaar.serve.guarding import GuardRunner, Verdict
from modelbazaar.serve.sampling import Sampling
from modelbazaar.serve.scheduler import Event, Scheduler, Sequence
from modelbazaar.serve.text import Detokenizer, StopMatcher

GUARD_CONTEXT = 800  # characters of the answer so far the guard sees with each new window


class GenerationFailed(Exception):
    """The scheduler failed this sequence (a bug or out of memory; the log has the cause)."""


@dataclass(frozen=True)
class Delta:
    text: str
    finish_reason: str | None = None


class Choice:
    """A sequence submitted to the scheduler and the text it has produced so far."""

    def __init__(
        self,
        scheduler: Scheduler | EngineProcess,
        tokenizer: PreTrainedTokenizerFast,
        prompt: list[int],
        sampling: Sampling,
        stops: list[str],
    ) -> None:
        loop = asyncio.get_running_loop()
        self.queue: asyncio.Queue[Event] = asyncio.Queue()
        self.scheduler = scheduler
        self.detokenizer = Detokenizer(tokenizer)
        self.stop = StopMatcher(stops)
        self.tokens = 0
        self.blocked: Verdict | None = None

        def sink(event: Event) -> None:  # runs on the scheduler thread
            loop.call_soon_threadsafe(self.queue.put_nowait, event)

        self.sequence = Sequence(prompt, sampling, sink)

    def start(self) -> None:
        try:
            self.scheduler.submit(self.sequence)
        except RuntimeError as exc:  # shutting down, or the engine process died
            raise ApiError(
                503, f"the model is not available ({exc}); retry later", type="server_error"
            ) from exc

    def cancel(self) -> None:
        self.scheduler.cancel(self.sequence)

    async def pieces(self) -> AsyncIterator[Delta]:
        """Text as it becomes safe to show; the last delta carries the finish reason."""
        while True:
            events = [await self.queue.get()]
            while not self.queue.empty():
                events.append(self.queue.get_nowait())
            text, finish = "", None
            for event in events:
                if event.token is not None:
                    self.tokens += 1
                    text += self.stop.feed(self.detokenizer.add(event.token))
                if self.stop.stopped:
                    self.cancel()
                    finish = "stop"
                    break
                if event.finish_reason is not None:
                    if event.finish_reason == "error":
                        raise GenerationFailed("generation failed on the server")
                    finish = event.finish_reason
                    text += self.stop.flush()
                    break
            if finish is not None:
                yield Delta(text, finish)
                return
            if text:
                yield Delta(text)

    async def deltas(self, guard: GuardRunner | None, window: float) -> AsyncIterator[Delta]:
        """`pieces`, released a guard window at a time when there is a guard."""
        if guard is None:
            async for delta in self.pieces():
                yield delta
            return
        answer, held = "", ""
        async for delta in self.pieces():
            held += delta.text
            if len(held) < window and delta.finish_reason is None:
                continue
            if held:
                self.blocked = await guard.flagged([answer[-GUARD_CONTEXT:] + held], "assistant")
            if self.blocked is not None:
                self.cancel()
                yield Delta("", "content_filter")
                return
            answer, released, held = answer + held, held, ""
            yield Delta(released, delta.finish_reason)
            if delta.finish_reason is not None:
                return


async def collect(choice: Choice, guard: GuardRunner | None) -> Delta:
    """A whole answer (not streamed): the guard, if any, checks it once at the end."""
    text, finish = "", None
    async for delta in choice.deltas(guard, math.inf):
        text += delta.text
        finish = delta.finish_reason or finish
    return Delta(text, finish)


async def merged(
    streams: list[AsyncIterator[Delta]],
) -> AsyncIterator[tuple[int, Delta]]:
    """(index, delta) from several choices as they come (a request with n > 1 or many prompts)."""
    if len(streams) == 1:
        async for delta in streams[0]:
            yield 0, delta
        return
    queue: asyncio.Queue[tuple[int, Delta | BaseException | None]] = asyncio.Queue()

    async def pump(index: int, stream: AsyncIterator[Delta]) -> None:
        try:
            async for delta in stream:
                await queue.put((index, delta))
            await queue.put((index, None))
        except Exception as exc:  # handed to the consumer, which re-raises it
            await queue.put((index, exc))

    tasks = [asyncio.create_task(pump(i, s)) for i, s in enumerate(streams)]
    try:
        remaining = len(tasks)
        while remaining:
            index, item = await queue.get()
            if item is None:
                remaining -= 1
            elif isinstance(item, BaseException):
                raise item
            else:
                yield index, item
    finally:
        for task in tasks:
            task.cancel()
