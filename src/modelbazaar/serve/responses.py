"""Response objects in OpenAI's shapes (completions, chat, their stream chunks, models) and the
server-sent-events framing. Plain dicts: the official clients parse them into their types."""

from __future__ import annotations

import json
import secrets
import time

from modelbazaar.serve.guarding import Verdict

DONE = "data: [DONE]\n\n"


def new_id(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(12)}"


def sse(payload: dict[str, object]) -> str:
    """One server-sent event carrying a JSON object."""
    return f"data: {json.dumps(payload, separators=(',', ':'), ensure_ascii=False)}\n\n"


def usage(prompt_tokens: int, completion_tokens: int) -> dict[str, int]:
    return {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
    }


def filter_note(stage: str, verdict: Verdict) -> dict[str, object]:
    """Why the guard stopped a request (an extra field beside OpenAI's, as Azure adds one)."""
    note: dict[str, object] = {"stage": stage, "hazard_codes": verdict.codes}
    if verdict.error:
        note["error"] = verdict.error
    return note


class Shape:
    """The envelope shared by every object of one response (id, created, model, kind) and its
    number of choices."""

    def __init__(self, kind: str, model: str, fingerprint: str, count: int) -> None:
        self.chat, self.count = kind == "chat", count
        self.id = new_id("chatcmpl" if self.chat else "cmpl")
        self.created = int(time.time())
        self.model, self.fingerprint = model, fingerprint

    def _envelope(self, chunk: bool) -> dict[str, object]:
        kind = "chat.completion" if self.chat else "text_completion"
        return {
            "id": self.id,
            "object": kind + (".chunk" if chunk and self.chat else ""),
            "created": self.created,
            "model": self.model,
            "system_fingerprint": self.fingerprint,
        }

    def choice(self, index: int, text: str, finish: str | None, chunk: bool) -> dict[str, object]:
        entry: dict[str, object] = {"index": index, "logprobs": None, "finish_reason": finish}
        if not self.chat:
            entry["text"] = text
        elif chunk:
            entry["delta"] = {"content": text} if text else {}
        else:
            entry["message"] = {"role": "assistant", "content": text}
        return entry

    def whole(self, choices: list[dict[str, object]], used: dict[str, int]) -> dict[str, object]:
        return {**self._envelope(False), "choices": choices, "usage": used}

    def chunk(
        self, choices: list[dict[str, object]], used: dict | None = None
    ) -> dict[str, object]:
        body: dict[str, object] = {**self._envelope(True), "choices": choices}
        if used is not None:
            body["usage"] = used
        return body

    def role_chunk(self, index: int) -> dict[str, object]:
        """A chat stream opens with the assistant's role, as OpenAI's does."""
        entry = {"index": index, "delta": {"role": "assistant", "content": ""}, "logprobs": None}
        return self.chunk([{**entry, "finish_reason": None}])


def model_entry(name: str, created: int, version: str, context: int) -> dict[str, object]:
    return {
        "id": name,
        "object": "model",
        "created": created,
        "owned_by": "modelbazaar",
        "version": version,
        "context_length": context,
    }
