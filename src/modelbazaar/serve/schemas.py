"""Request bodies of the OpenAI API, as pydantic models: a wrong type or a missing field is a 422
naming the field (apierrors). Fields clients send that we do not implement are accepted when
they are at their defaults (the official clients send some) and refused with a 400 otherwise
(`unsupported`), never silently ignored."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

MAX_TEXT = 1_000_000  # characters in one prompt/message; the body limit usually bites first
Text = Annotated[str, Field(max_length=MAX_TEXT)]
Stop = Annotated[str, Field(max_length=256)]


class StreamOptions(BaseModel):
    include_usage: bool = False


class GenerationBody(BaseModel):
    """What completions and chat completions share."""

    model_config = ConfigDict(extra="allow")

    model: str = Field(max_length=256)
    max_tokens: int | None = Field(default=None, ge=1)
    max_completion_tokens: int | None = Field(default=None, ge=1)  # newer name of max_tokens
    temperature: float = Field(default=1.0, ge=0.0, le=2.0)
    top_p: float = Field(default=1.0, gt=0.0, le=1.0)
    n: int = Field(default=1, ge=1, le=8)
    stop: Stop | Annotated[list[Stop], Field(max_length=4)] | None = None
    seed: int | None = Field(default=None, ge=0, lt=2**63)
    stream: bool = False
    stream_options: StreamOptions | None = None
    user: str | None = Field(default=None, max_length=256)
    # accepted at their defaults only (see `unsupported`)
    presence_penalty: float = 0.0
    frequency_penalty: float = 0.0
    logprobs: bool | int | None = None
    logit_bias: dict[str, float] | None = None

    def wanted_tokens(self) -> int | None:
        """max_completion_tokens (OpenAI's newer name) or max_tokens, whichever is set."""
        return self.max_completion_tokens or self.max_tokens

    def stops(self) -> list[str]:
        if self.stop is None:
            return []
        return [self.stop] if isinstance(self.stop, str) else list(self.stop)

    def unsupported(self) -> str | None:
        """The first field set to something this server cannot do, or None."""
        if self.presence_penalty or self.frequency_penalty:
            return "presence_penalty" if self.presence_penalty else "frequency_penalty"
        if self.logprobs not in (None, False, 0):
            return "logprobs"
        if self.logit_bias:
            return "logit_bias"
        for name in ("tools", "functions", "response_format", "best_of", "suffix", "echo"):
            value = (self.model_extra or {}).get(name)
            if value not in (None, False, 1, [], {"type": "text"}):
                return name
        return None


class CompletionBody(GenerationBody):
    prompt: Text | Annotated[list[Text], Field(min_length=1, max_length=8)]


class TextPart(BaseModel):
    type: Literal["text"]
    text: Text


class Message(BaseModel):
    model_config = ConfigDict(extra="allow")  # `name`, tool fields: accepted, not used

    role: Literal["system", "developer", "user", "assistant"]
    content: Text | Annotated[list[TextPart], Field(max_length=64)]

    def text(self) -> str:
        if isinstance(self.content, str):
            return self.content
        return "".join(part.text for part in self.content)


class ChatBody(GenerationBody):
    messages: Annotated[list[Message], Field(min_length=1, max_length=1024)]


class ModerationBody(BaseModel):
    model_config = ConfigDict(extra="allow")

    input: Text | Annotated[list[Text], Field(min_length=1, max_length=64)]
    model: str | None = Field(default=None, max_length=256)

    def texts(self) -> list[str]:
        return [self.input] if isinstance(self.input, str) else list(self.input)
