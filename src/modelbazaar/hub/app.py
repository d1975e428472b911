"""The hub's FastAPI app: `create_app(HubDB)`; `bazaar hub serve` runs it under uvicorn.

JSON over HTTP under ``/api/v1``; the OpenAPI page is ``/docs`` (schema at ``/openapi.json``).
Every error is ``{"detail": "what is wrong and what to do"}`` with the status that means it:
401 no/bad token, 403 not allowed (naming the role needed), 404 not found or not yours to see,
409 conflict, 413 too large, 422 bad input, 429 too many submissions.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from modelbazaar import __version__
from modelbazaar.errors import BazaarError, validation_problems
from modelbazaar.hub.db import HubDB
from modelbazaar.hub.errors import HubError
from modelbazaar.hub.pages import install as install_pages
from modelbazaar.hub.pages.web import error_page
from modelbazaar.hub.routes import access, contributions, jobs, models, objects, users
from modelbazaar.hub.uploads import BodyLimit

API = "/api/v1"


def _limit_for(db: HubDB) -> Any:
    limits = db.config.limits

    def limit(scope: dict[str, Any]) -> int:
        path, method = scope.get("path", ""), scope.get("method", "")
        if method == "PUT" and "/objects/" in path:
            return limits.max_object_bytes
        if method == "POST" and path.endswith("/contributions"):
            return limits.max_bundle_bytes
        return limits.max_json_bytes

    return limit


def create_app(db: HubDB) -> FastAPI:
    app = FastAPI(
        title="modelbazaar hub",
        version=__version__,
        description="Push, clone and pull models with source; submit contributions; CI "
        "workers review them; maintainers approve; the hub merges. Authenticate with "
        "`Authorization: Bearer TOKEN`.",
    )
    app.state.db = db

    def for_people(request: Request) -> bool:  # a page, not the API: answer in HTML
        path = request.url.path
        return not (path.startswith(API) or path in ("/docs", "/openapi.json", "/redoc"))

    @app.exception_handler(HubError)
    async def hub_error(request: Request, exc: HubError) -> Response:
        if for_people(request):
            return await run_in_threadpool(error_page, request, exc.status, exc.message)
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return JSONResponse({"detail": exc.message}, status_code=exc.status, headers=headers)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if for_people(request):
            message = "no such page" if exc.status_code == 404 else str(exc.detail)
            return await run_in_threadpool(error_page, request, exc.status_code, message)
        headers = getattr(exc, "headers", None)
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=headers)

    @app.exception_handler(BazaarError)
    async def bazaar_error(request: Request, exc: BazaarError) -> Response:
        if for_people(request):
            return await run_in_threadpool(error_page, request, 422, str(exc))
        return JSONResponse({"detail": str(exc)}, status_code=422)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        errors = [dict(e) | {"loc": tuple(e["loc"])} for e in exc.errors()]
        problems = validation_problems(errors)[:2000]
        if for_people(request):
            return await run_in_threadpool(error_page, request, 422, f"bad form: {problems}")
        return JSONResponse({"detail": f"bad request: {problems}"}, status_code=422)

    @app.get(f"{API}/health", tags=["hub"])
    def health() -> dict[str, Any]:
        return {"ok": True, "version": __version__, "database": db.engine.dialect.name}

    for module in (users, models, objects, contributions, jobs, access):
        app.include_router(module.router, prefix=API)
    install_pages(app)
    app.add_middleware(BodyLimit, limit_for=_limit_for(db))
    return app
