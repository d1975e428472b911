"""Streamed uploads: request bodies go to a temp file, hashed and counted on the way, never
held whole in memory; over the limit -> 413 and the temp file is gone.

`BodyLimit` (ASGI middleware) caps every other request body (JSON) before a handler reads it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from starlette.requests import Request

from modelbazaar.hub.errors import HubError
from modelbazaar.store.objects import temp_path


def _declared(headers: Any) -> int | None:
    value = headers.get("content-length")
    try:
        return int(value) if value is not None else None
    except ValueError:
        raise HubError(400, "Content-Length is not a number") from None


async def receive_file(request: Request, folder: Path, max_bytes: int) -> tuple[Path, str, int]:
    """Write the request body to a temp file in `folder`; return (path, sha256, bytes)."""
    declared = _declared(request.headers)
    if declared is not None and declared > max_bytes:
        raise HubError(413, f"the upload is {declared} bytes; this hub takes at most {max_bytes}")
    path = temp_path(folder)
    hasher, size = hashlib.sha256(), 0
    try:
        with open(path, "wb") as handle:
            async for chunk in request.stream():
                size += len(chunk)
                if size > max_bytes:
                    raise HubError(413, f"the upload exceeds {max_bytes} bytes; refused")
                hasher.update(chunk)
                handle.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path, hasher.hexdigest(), size


class TooLarge(BaseException):  # noqa: N818
    """Raised from inside `receive`. A BaseException on purpose: FastAPI turns any Exception
    raised while it reads a body into "400 error parsing the body"; this must reach
    `BodyLimit`, which answers 413."""


class BodyLimit:
    """Refuse request bodies over `limit_for(scope)` bytes with 413, declared or streamed."""

    def __init__(self, app: Any, limit_for: Callable[[dict[str, Any]], int]) -> None:
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        try:
            declared = _declared(headers)
        except HubError:
            declared = limit + 1
        if declared is not None and declared > limit:
            await _too_large(send, limit)
            return
        seen = 0
        started = False

        async def limited() -> dict[str, Any]:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise TooLarge
            return message

        async def tracking(message: dict[str, Any]) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited, tracking)
        except TooLarge:
            if not started:
                await _too_large(send, limit)


async def _too_large(send: Any, limit: int) -> None:
    detail = f"the request body is too large: this hub takes at most {limit} bytes here; refused"
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"application/json"), (b"connection", b"close")],
        }
    )
    await send({"type": "http.response.body", "body": body})
