"""Who may call, and how much: API-key authentication, body size, concurrent streams per key.

Authentication and the body limit are plain ASGI middleware so they answer before FastAPI reads
or validates a body: a request without a valid key gets 401 whatever it carries, and an oversized
body is refused after at most `max_body_bytes` have been read (413), whether or not it declared
a Content-Length.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.exceptions import HTTPException

from modelbazaar.serve.apierrors import ApiError, error_body
from modelbazaar.serve.keys import KeyLookup

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
ANONYMOUS = "anonymous"


async def send_error(send: Send, status: int, body: dict[str, object]) -> None:
    payload = json.dumps(body).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(payload))]
    if status == 401:
        headers.append((b"www-authenticate", b'Bearer realm="bazaar serve"'))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})


def bearer(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            return token.strip() if scheme.lower() == "bearer" else None
    return None


class Authenticate:
    """401 in OpenAI's format for /v1/* without a valid key; the key's name goes to
    `scope["state"]["key"]`. Without a key ring every caller is "anonymous"."""

    def __init__(self, app: ASGIApp, keys: KeyLookup | None) -> None:
        self.app, self.keys = app, keys

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/v1"):
            await self.app(scope, receive, send)
            return
        name = ANONYMOUS
        if self.keys is not None:
            token = bearer(scope)
            found = self.keys.name_of(token) if token else None
            if found is None:
                message = (
                    "Incorrect API key provided. Pass a key made by `bazaar api-key add` as "
                    "`Authorization: Bearer KEY`."
                    if token
                    else "You didn't provide an API key. Pass it as `Authorization: Bearer KEY` "
                    "(the openai client: api_key=KEY)."
                )
                body = error_body(message, "invalid_request_error", None, "invalid_api_key")
                await send_error(send, 401, body)
                return
            name = found
        scope.setdefault("state", {})["key"] = name
        await self.app(scope, receive, send)


class BodyTooLarge(HTTPException):
    """Raised while reading a body past the limit. An HTTPException, because FastAPI passes
    those through from its body parsing (any other exception there becomes a vague 400)."""

    code = "request_too_large"

    def __init__(self, limit: int) -> None:
        super().__init__(
            413,
            f"request body larger than this server's limit of {limit:,} bytes "
            "(bazaar serve --max-body-bytes)",
        )


class LimitBody:
    """413 for a request body over `limit` bytes: by its Content-Length, or while reading."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    def _error(self) -> dict[str, object]:
        too_large = BodyTooLarge(self.limit)
        return error_body(too_large.detail, "invalid_request_error", None, too_large.code)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await send_error(send, 413, self._error())
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise BodyTooLarge(self.limit)
            return message

        try:
            await self.app(scope, counted, send)
        except BodyTooLarge:
            await send_error(send, 413, self._error())


class StreamSlots:
    """At most `per_key` generations in flight per API key, and `total` overall (429 beyond)."""

    def __init__(self, per_key: int, total: int) -> None:
        self.per_key, self.total = per_key, total
        self.open: Counter[str] = Counter()
        self._lock = threading.Lock()

    def acquire(self, key: str) -> Callable[[], None]:
        """Take a slot for `key` (ApiError 429 when none is free); returns its release, which
        may be called more than once (a stream's end and its cleanup both call it)."""
        with self._lock:
            if self.open[key] >= self.per_key:
                raise ApiError(
                    429,
                    f"key {key!r} already has {self.per_key} requests in flight, this server's "
                    "limit per key (bazaar serve --max-streams-per-key); wait for one to finish",
                    type="rate_limit_error",
                    code="rate_limit_exceeded",
                )
            if sum(self.open.values()) >= self.total:
                raise ApiError(
                    429,
                    f"the server is busy: {self.total} requests in flight, its limit "
                    "(bazaar serve --max-concurrent); retry shortly",
                    type="rate_limit_error",
                    code="server_busy",
                )
            self.open[key] += 1
        released = False

        def release() -> None:
            nonlocal released
            with self._lock:
                if not released:
                    released = True
                    self.open[key] -= 1

        return release
