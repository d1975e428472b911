"""Continuous batching: every running sequence advances one token per forward pass.

One thread owns the model. Each step it

1. takes waiting sequences (first come, first served, up to `max_batch` running,
   `prefill_tokens` padded prompt tokens per step, and a KV cache that stays within
   `cache_bytes` even when every row reaches its max_tokens) and prefills them together in one
   forward pass, which also gives each its first token (time to first token is one prefill);
2. runs one decode forward for all running sequences (`batch.PaddedBatch`: a shared KV cache,
   left-padded, with an attention mask and per-row positions);
3. hands each sequence its new token through its `sink`, and drops sequences that finished (end
   of sequence token, `max_tokens`, the model's context) or were cancelled.

A sequence joins the running batch as soon as a step ends, so a request never waits for another
to finish. Sinks run on the scheduler thread and must only enqueue (the app's sinks do
`loop.call_soon_threadsafe`). A step that raises fails only the sequences it held, with
finish reason "error"; the thread lives on.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

import torch
from transformers import DynamicCache, PreTrainedModel

from modelbazaar.serve.batch import PaddedBatch, padded_prompts, prefill_positions
from modelbazaar.serve.sampling import Sampling, generator_for, next_tokens

log = logging.getLogger("modelbazaar.serve")
_identities = itertools.count()


@dataclass(frozen=True)
class Event:
    """What a sequence receives after a step: a new token and/or why it finished
    ("stop", "length", "cancelled", "error")."""

    token: int | None
    finish_reason: str | None = None


Sink = Callable[[Event], None]


@dataclass(eq=False)
class Sequence:
    """One generation: its prompt ids, how to sample, and where its tokens go."""

    prompt: list[int]
    sampling: Sampling
    sink: Sink
    generated: list[int] = field(default_factory=list)
    cancelled: bool = False
    ident: int = field(default_factory=lambda: next(_identities))  # names it across processes
    generator: torch.Generator = field(init=False)

    def __post_init__(self) -> None:
        self.generator = generator_for(self.sampling.seed)


@dataclass
class Stats:
    """Counters for /metrics and the load bench."""

    steps: int = 0
    prefills: int = 0
    tokens: int = 0
    rows_decoded: int = 0  # sum over decode steps of the batch size
    finished: int = 0


class Scheduler:
    """Owns `model` on one thread; `submit` and `cancel` are safe from any thread."""

    def __init__(
        self,
        model: PreTrainedModel,
        *,
        eos_ids: set[int],
        pad_id: int,
        context: int,
        max_batch: int = 32,
        prefill_tokens: int = 4096,
        cache_bytes: int = 2 << 30,
        on_step: Callable[[], None] | None = None,
    ) -> None:
        self.model, self.eos_ids, self.pad_id, self.context = model, eos_ids, pad_id, context
        self.max_batch, self.prefill_tokens, self.cache_bytes = (
            max_batch,
            prefill_tokens,
            cache_bytes,
        )
        self.token_bytes = kv_bytes_per_token(model)
        self.on_step = on_step  # runs on the scheduler thread after every step
        self.batch = PaddedBatch()
        self.waiting: deque[Sequence] = deque()
        self.stats = Stats()
        self._wake = threading.Condition()
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="bazaar-scheduler", daemon=True)

    # -- the other threads' side -----------------------------------------------------------
    def start(self) -> None:
        self._thread.start()

    def submit(self, sequence: Sequence) -> None:
        with self._wake:
            if self._stopping:
                raise RuntimeError("the scheduler is shutting down")
            self.waiting.append(sequence)
            self._wake.notify()

    def cancel(self, sequence: Sequence) -> None:
        """Stop a sequence at the next step (a client left, or a stop string matched)."""
        sequence.cancelled = True

    def stop(self, timeout: float = 30.0) -> None:
        """Finish what is running and waiting (up to `timeout` s), then end the thread."""
        with self._wake:
            self._stopping = True
            self._wake.notify()
        if self._thread.is_alive():
            self._thread.join(timeout)

    @property
    def running(self) -> int:
        return len(self.batch)

    @property
    def queued(self) -> int:
        return len(self.waiting)

    # -- the scheduler thread ----------------------------------------------------------------
    def _run(self) -> None:
        while True:
            with self._wake:
                while not self.waiting and not self.batch.rows and not self._stopping:
                    self._wake.wait()
                if self._stopping and not self.waiting and not self.batch.rows:
                    return
                admitted = self._admit()
            try:
                with torch.inference_mode():
                    if admitted:
                        self._prefill(admitted)
                    if self.batch.rows:
                        self._decode()
            except Exception:  # a bug or out of memory: fail these sequences, keep serving
                log.exception("generation step failed")
                failed = {id(s): s for s in [*admitted, *self.batch.rows]}
                for sequence in failed.values():
                    sequence.sink(Event(None, "error"))  # type: ignore[attr-defined]
                self.batch = PaddedBatch()
            if self.on_step is not None:
                self.on_step()

    def _admit(self) -> list[Sequence]:
        """Waiting sequences to prefill now: FIFO, within the batch and prefill-token budgets."""
        admitted: list[Sequence] = []
        longest = 0
        while self.waiting and len(self.batch) + len(admitted) < self.max_batch:
            candidate = self.waiting[0]
            longest_if = max(longest, len(candidate.prompt))
            if admitted and longest_if * (len(admitted) + 1) > self.prefill_tokens:
                break
            if (admitted or self.batch.rows) and not self._cache_fits([*admitted, candidate]):
                break  # it waits until running sequences finish and free their cache
            admitted.append(self.waiting.popleft())
            longest = longest_if
        return [s for s in admitted if not self._drop_cancelled(s)]

    def _cache_fits(self, joining: list[Sequence]) -> bool:
        """Would the cache stay within `cache_bytes` if every row ran to its max_tokens? Rows
        share the widest row's width (left padding), so the worst case is rows x widest."""
        rows: list[Sequence] = [*self.batch.rows, *joining]  # type: ignore[list-item]
        widest = max(min(len(s.prompt) + s.sampling.max_tokens, self.context) for s in rows)
        return len(rows) * widest * self.token_bytes <= self.cache_bytes

    def _drop_cancelled(self, sequence: Sequence) -> bool:
        if sequence.cancelled:
            sequence.sink(Event(None, "cancelled"))
        return sequence.cancelled

    def _prefill(self, sequences: list[Sequence]) -> None:
        ids, mask = padded_prompts([s.prompt for s in sequences], self.pad_id)
        cache = DynamicCache(config=self.model.config)
        output = self.model(
            input_ids=ids,
            attention_mask=mask,
            position_ids=prefill_positions(mask),
            cache=cache,
            use_cache=True,
            logits_to_keep=1,
        )
        self.stats.prefills += 1
        tokens = self._sample(output.logits[:, -1], sequences)
        keep = self._deliver(sequences, tokens)
        if keep:
            index = torch.tensor(keep, dtype=torch.long)
            for layer in output.cache.layers:
                layer.keys, layer.values = layer.keys[index], layer.values[index]
            last = torch.tensor([tokens[i] for i in keep], dtype=torch.long)
            self.batch.add([sequences[i] for i in keep], output.cache, mask[index], last)

    def _decode(self) -> None:
        rows: list[Sequence] = self.batch.rows  # type: ignore[assignment]
        output = self.model(**self.batch.decode_inputs())
        self.stats.steps += 1
        self.stats.rows_decoded += len(rows)
        tokens = self._sample(output.logits[:, -1], rows)
        self.batch.last = torch.tensor(tokens, dtype=torch.long)
        self.batch.keep(self._deliver(rows, tokens))

    def _sample(self, logits: torch.Tensor, sequences: list[Sequence]) -> list[int]:
        return next_tokens(
            logits, [s.sampling for s in sequences], [s.generator for s in sequences]
        )

    def _deliver(self, sequences: list[Sequence], tokens: list[int]) -> list[int]:
        """Give each sequence its token; the indices of those that go on."""
        survivors = []
        for index, (sequence, token) in enumerate(zip(sequences, tokens, strict=True)):
            if sequence.cancelled:
                sequence.sink(Event(None, "cancelled"))
                self.stats.finished += 1
                continue
            sequence.generated.append(token)
            self.stats.tokens += 1
            reason = self._finish_reason(sequence, token)
            sequence.sink(Event(None if token in self.eos_ids else token, reason))
            if reason is None:
                survivors.append(index)
            else:
                self.stats.finished += 1
        return survivors

    def _finish_reason(self, sequence: Sequence, token: int) -> str | None:
        if token in self.eos_ids:
            return "stop"
        if len(sequence.generated) >= sequence.sampling.max_tokens:
            return "length"
        if len(sequence.prompt) + len(sequence.generated) >= self.context:
            return "length"  # the next token would need a position the model does not have
        return None


def kv_bytes_per_token(model: PreTrainedModel) -> int:
    """Bytes of keys and values one token occupies in the cache, over all layers."""
    config = model.config
    heads = getattr(config, "num_key_value_heads", None) or config.num_attention_heads
    head_dim = getattr(config, "head_dim", None) or config.hidden_size // config.num_attention_heads
    element = next(model.parameters()).element_size()
    return 2 * config.num_hidden_layers * heads * head_dim * element
