"""What every page shares: the Jinja environment (autoescape on), who is looking (session
cookie), CSRF checks, cookies and the HTML error page.

Security choices, in one place:
- every value reaches HTML through Jinja's autoescape; the one exception is a model card,
  rendered by markdown-it with raw HTML off and then cleaned by nh3 (`render_markdown`);
- the session cookie is HttpOnly, SameSite=Lax (Secure behind https); it holds a random id,
  the database only its hash (`hub/sessions.py`);
- every form carries a CSRF token: the session's own once logged in, else the value of a
  separate HttpOnly ``bazaar_csrf`` cookie (double submit); a POST without the matching token
  is refused with 403 before anything is read or stored.
"""

from __future__ import annotations

import functools
import secrets
from dataclasses import dataclass
from importlib import resources
from typing import Any

import jinja2
import nh3
from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from markdown_it import MarkdownIt
from markupsafe import Markup

from modelbazaar.hub.accounts import User
from modelbazaar.hub.db import HubDB
from modelbazaar.hub.errors import HubError
from modelbazaar.hub.sessions import session_user

SESSION_COOKIE = "bazaar_session"
CSRF_COOKIE = "bazaar_csrf"
CSRF_FIELD = "csrf"


@dataclass
class Viewer:
    """Who looks at a page: the user (None: anonymous) and the CSRF token their forms carry."""

    user: User | None
    csrf: str
    fresh_csrf: bool = False  # a new anonymous CSRF token: set its cookie with the page


def hub_db(request: Request) -> HubDB:
    return request.app.state.db


def viewer(request: Request) -> Viewer:
    db = hub_db(request)
    sid = request.cookies.get(SESSION_COOKIE)
    if sid:
        found = session_user(db, sid)
        if found is not None:
            return Viewer(found[0], found[1])
    token = request.cookies.get(CSRF_COOKIE)
    if token and 20 <= len(token) <= 100:
        return Viewer(None, token)
    return Viewer(None, secrets.token_urlsafe(32), fresh_csrf=True)


def check_csrf(seen: Viewer, sent: str | None) -> None:
    """403 unless the form sent the viewer's CSRF token (nothing read or stored before)."""
    if seen.fresh_csrf or not sent or not secrets.compare_digest(sent, seen.csrf):
        raise HubError(
            403,
            "the form's CSRF token is missing or stale (the form did not come from this hub's "
            "page, or you logged in or out since); reload the page and send it again",
        )


def need_login(seen: Viewer, request: Request) -> User:
    if seen.user is None:
        raise HubError(401, "log in first: paste a token on the login page (/login)")
    return seen.user


def form_user(seen: Viewer, request: Request, csrf: str | None) -> User:
    """The logged-in user behind a form POST, after its CSRF token checks out (every form that
    changes something starts here; CSRF first, so nothing about the session is revealed)."""
    check_csrf(seen, csrf)
    return need_login(seen, request)


def set_cookie(response: Response, request: Request, name: str, value: str, age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=age,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )


_md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def render_markdown(text: str) -> Markup:
    """A contributor's Markdown as safe HTML: raw HTML is escaped by markdown-it (html off),
    then nh3 (ammonia) keeps only harmless tags and attributes — no script, no on* handlers,
    no javascript: links."""
    html = _md.render(text)
    return Markup(nh3.clean(html, url_schemes={"http", "https", "mailto"}))


@functools.cache
def environment() -> jinja2.Environment:
    folder = resources.files("modelbazaar.hub.pages").joinpath("templates")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=True,  # every {{ value }} is escaped, always (not by file extension)
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.ChainableUndefined,  # optional keys of stored JSON read as empty
    )
    env.filters["short"] = lambda digest: (digest or "")[:12]
    env.filters["num"] = _num
    return env


def _num(value: Any, digits: int = 4) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}g}"
    return str(value)


def page(
    request: Request, seen: Viewer, template: str, status: int = 200, **context: Any
) -> HTMLResponse:
    html = (
        environment()
        .get_template(template)
        .render(viewer=seen, request_path=request.url.path, **context)
    )
    response = HTMLResponse(html, status_code=status)
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "script-src 'self'; frame-ancestors 'none'; form-action 'self'"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    if seen.fresh_csrf:
        set_cookie(response, request, CSRF_COOKIE, seen.csrf, 7 * 86_400)
    return response


ROLE_NEEDED = {401: "log in", 403: "not allowed", 404: "not found"}


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    """The HTML face of a HubError: says what is wrong, what to do, and links back."""
    try:
        seen = viewer(request)
    except Exception:  # a broken database must not hide the original error
        seen = Viewer(None, "")
    parts = request.url.path.strip("/").split("/")
    back = f"/models/{parts[1]}" if len(parts) > 2 and parts[0] == "models" else "/"
    return page(
        request,
        seen,
        "error.html",
        status=status,
        status_code=status,
        title=ROLE_NEEDED.get(status, "refused"),
        message=message,
        back=back,
    )
