"""Errors in OpenAI's format, so every OpenAI client raises its usual exception class:

    {"error": {"message": "...", "type": "invalid_request_error", "param": "max_tokens",
               "code": "context_length_exceeded"}}

The status decides the client's exception (400 BadRequestError, 401 AuthenticationError, 404
NotFoundError, 413/422 APIStatusError, 429 RateLimitError); the message names the problem and what
to do about it.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from modelbazaar.errors import validation_problems

log = logging.getLogger("modelbazaar.serve")


class ApiError(Exception):
    """A request we refuse; becomes an OpenAI-format error response."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        type: str = "invalid_request_error",
        param: str | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.type, self.param, self.code = (
            status,
            message,
            type,
            param,
            code,
        )

    def body(self) -> dict[str, object]:
        return error_body(self.message, self.type, self.param, self.code)


def error_body(
    message: str, type: str, param: str | None = None, code: str | None = None
) -> dict[str, object]:
    return {"error": {"message": message, "type": type, "param": param, "code": code}}


def error_response(status: int, message: str, type: str, code: str | None = None) -> JSONResponse:
    return JSONResponse(error_body(message, type, None, code), status_code=status)


async def _api_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return JSONResponse(exc.body(), status_code=exc.status)


def _union_tag(part: object) -> bool:
    """pydantic names the member of a union in the location ('constrained-str',
    'list[TextPart]'); our field names never look like that, so it is left out of messages."""
    return isinstance(part, str) and (
        "[" in part or "-" in part or part in {"str", "int", "float", "bool", "list", "dict"}
    )


async def _invalid(_: Request, exc: Exception) -> JSONResponse:
    """422 naming each bad field, e.g. 'messages.0.role: Input should be ...'."""
    assert isinstance(exc, RequestValidationError)
    errors, fields = [], []
    for error in exc.errors():
        location = tuple(p for p in error["loc"] if p != "body" and not _union_tag(p))
        if error.get("type") == "json_invalid":  # FastAPI puts the character offset in loc
            reason = (error.get("ctx") or {}).get("error", "malformed")
            where = f" at character {location[0]}" if location else ""
            error = {**error, "msg": f"not valid JSON{where}: {reason}"}
            location = ()
        errors.append({**error, "loc": location})
        fields.append(".".join(str(p) for p in location) or "body")
    message = validation_problems(errors, top="body")
    body = error_body(
        message, "invalid_request_error", fields[0] if fields else None, "invalid_value"
    )
    return JSONResponse(body, status_code=422)


async def _http(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    kind = "not_found_error" if exc.status_code == 404 else "invalid_request_error"
    body = error_body(str(exc.detail), kind, None, getattr(exc, "code", None))
    return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)


async def _crash(_: Request, exc: Exception) -> JSONResponse:
    log.error("internal error", exc_info=exc)
    return JSONResponse(
        error_body(
            "internal error in modelbazaar (a bug; the server log has the traceback)",
            "server_error",
        ),
        status_code=500,
    )


def install(app: FastAPI) -> None:
    """Route every error of `app` through OpenAI's format."""
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(Exception, _crash)
