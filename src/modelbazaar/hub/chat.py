"""The hub generates with the model itself for the chat page: a version of the model is loaded
from the hub's store (`model.load_version`, as `bazaar generate` does) and `generate_text`
streams its tokens through a transformers `TextIteratorStreamer`.

One generation at a time per hub process (the CPU is shared with the API), at most
`Limits.chats_per_hour` answers per user, and at most two loaded versions kept in memory.

Example: "".join(stream_answer(db, version, "Once upon a time")) -> " there was…"
"""

from __future__ import annotations

import collections
import functools
import threading
import time
from collections.abc import Iterator
from typing import Any

from modelbazaar.hub.accounts import User
from modelbazaar.hub.db import HubDB
from modelbazaar.hub.errors import HubError

MAX_NEW_TOKENS = 120
_one_at_a_time = threading.Lock()
_recent: dict[int, collections.deque[float]] = {}  # user id -> times of their recent chats
_recent_lock = threading.Lock()


def check_chat_rate(db: HubDB, user: User) -> None:
    """429 beyond `Limits.chats_per_hour` answers per user (the model is one shared CPU)."""
    limit, now = db.config.limits.chats_per_hour, time.monotonic()
    with _recent_lock:
        times = _recent.setdefault(user.id, collections.deque())
        while times and times[0] < now - 3600:
            times.popleft()
        if len(times) >= limit:
            raise HubError(429, f"at most {limit} chat answers per hour; try again later")
        times.append(now)


@functools.lru_cache(maxsize=2)
def _loaded(db: HubDB, version: str) -> Any:
    from modelbazaar.model import load_version

    return load_version(db.store, version)


def stream_answer(db: HubDB, version: str, prompt: str, seed: int = 0) -> Iterator[str]:
    """The model's answer to `prompt`, piece by piece as it is generated."""
    from transformers import TextIteratorStreamer

    from modelbazaar.generate import generate_text

    with _one_at_a_time:
        loaded = _loaded(db, version)
        streamer = TextIteratorStreamer(
            loaded.tokenizer, skip_prompt=True, skip_special_tokens=True, timeout=300
        )
        failure: list[BaseException] = []

        def run() -> None:
            try:
                generate_text(
                    loaded, prompt, max_new_tokens=MAX_NEW_TOKENS, seed=seed, streamer=streamer
                )
            except BaseException as exc:  # surfaced below, after the stream ends
                failure.append(exc)
                streamer.end()

        worker = threading.Thread(target=run, daemon=True)
        worker.start()
        yield from streamer
        worker.join()
        if failure:
            raise failure[0]
