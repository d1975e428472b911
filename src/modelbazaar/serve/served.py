"""The served model and the rules a request must pass before it reaches the scheduler:
the model's name, the context length, the token limits, the unsupported options."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from transformers import PreTrainedTokenizerFast

from modelbazaar.errors import unknown_name
from modelbazaar.model import LoadedModel
from modelbazaar.serve.apierrors import ApiError
from modelbazaar.serve.engine import EngineProcess
from modelbazaar.serve.guarding import GuardRunner
from modelbazaar.serve.limits import StreamSlots
from modelbazaar.serve.sampling import Sampling
from modelbazaar.serve.scheduler import Scheduler
from modelbazaar.serve.schemas import GenerationBody

Engine = Scheduler | EngineProcess  # the same interface, in this process or a child
COMPLETION_DEFAULT_MAX_TOKENS = 16  # OpenAI's default for /v1/completions


@dataclass(frozen=True)
class Limits:
    """Per-request and per-server limits (the `bazaar serve` options of the same names)."""

    max_tokens: int = 1024  # largest max_tokens a request may ask for
    max_body_bytes: int = 1 << 20
    max_streams_per_key: int = 8
    max_concurrent: int = 256
    max_batch: int = 32  # sequences per forward pass
    kv_cache_bytes: int = 2 << 30  # worst-case KV cache of the running batch
    guard_window: int = 200  # characters of a streamed answer the guard checks at a time


@dataclass
class Served:
    """Everything the routes need: the model under its name, its scheduler, limits, guard."""

    name: str
    loaded: LoadedModel
    scheduler: Engine
    limits: Limits
    slots: StreamSlots
    guard: GuardRunner | None = None
    created: int = field(default_factory=lambda: int(time.time()))

    @property
    def tokenizer(self) -> PreTrainedTokenizerFast:
        return self.loaded.tokenizer

    @property
    def context(self) -> int:
        return self.scheduler.context

    @property
    def names(self) -> list[str]:
        """What clients may put in `model`: the served name and the version's hash."""
        version = self.loaded.record.hash
        return [self.name] if self.name == version else [self.name, version]

    def check_model(self, requested: str) -> None:
        if requested not in self.names:
            raise ApiError(
                404,
                f"The model `{requested}` does not exist on this server: "
                + unknown_name("model", requested, [self.name]),
                type="not_found_error",
                param="model",
                code="model_not_found",
            )

    def check_options(self, body: GenerationBody) -> None:
        bad = body.unsupported()
        if bad is not None:
            raise ApiError(
                400, f"`{bad}` is not supported by bazaar serve; leave it unset", param=bad
            )

    def sampling(
        self, body: GenerationBody, prompt: list[int], default: int | None, param: str
    ) -> Sampling:
        """Sampling for a prompt, after checking it fits the context with its max_tokens.

        `default` is the max_tokens when the request gives none (None: whatever room is left);
        `param` names the prompt's field in errors ("prompt" or "messages").
        """
        room, wanted = self.context - len(prompt), body.wanted_tokens()
        if room < 1:
            raise ApiError(
                400,
                f"This model's maximum context length is {self.context} tokens; the prompt is "
                f"{len(prompt)} tokens, which leaves no room for an answer. Shorten the prompt.",
                param=param,
                code="context_length_exceeded",
            )
        if wanted is not None and wanted > self.limits.max_tokens:
            raise ApiError(
                400,
                f"max_tokens {wanted} is over this server's limit of "
                f"{self.limits.max_tokens} (bazaar serve --max-tokens)",
                param="max_tokens",
                code="max_tokens_over_limit",
            )
        if wanted is not None and wanted > room:
            raise ApiError(
                400,
                f"This model's maximum context length is {self.context} tokens. However, you "
                f"requested {len(prompt) + wanted} tokens ({len(prompt)} in the prompt, "
                f"{wanted} for the completion). Lower max_tokens to {room} or less, or "
                "shorten the prompt.",
                param="max_tokens",
                code="context_length_exceeded",
            )
        return Sampling(
            max_tokens=wanted or min(default or room, room, self.limits.max_tokens),
            temperature=body.temperature,
            top_p=body.top_p,
            seed=body.seed,
        )
