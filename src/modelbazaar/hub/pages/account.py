"""Pages: log in with a token (sets the session cookie), log out, and the account page
(tokens: create, revoke; public keys; your access requests)."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from modelbazaar.hub.access import requests_of_user
from modelbazaar.hub.accounts import create_token, keys_of, list_tokens, register_key, revoke_token
from modelbazaar.hub.db import HubDB
from modelbazaar.hub.errors import HubError
from modelbazaar.hub.pages.web import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    Viewer,
    check_csrf,
    form_user,
    hub_db,
    need_login,
    page,
    set_cookie,
    viewer,
)
from modelbazaar.hub.protocol import key_proof_message
from modelbazaar.hub.sessions import SESSION_SECONDS, close_session, open_session

router = APIRouter(include_in_schema=False)
Db = Depends(hub_db)
Seen = Depends(viewer)


def _local(target: str) -> str:
    """Only a path on this hub (no open redirect to another site)."""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/", seen: Viewer = Seen) -> HTMLResponse:
    return page(request, seen, "login.html", next=_local(next), problem="")


@router.post("/login", response_model=None)
def login(
    request: Request,
    token: str = Form("", max_length=200),
    next: str = Form("/", max_length=500),
    csrf: str = Form(""),
    db: HubDB = Db,
    seen: Viewer = Seen,
) -> HTMLResponse | RedirectResponse:
    check_csrf(seen, csrf)
    try:
        sid, _ = open_session(db, token.strip())
    except HubError as exc:
        return page(request, seen, "login.html", status=401, next=_local(next), problem=exc.message)
    response = RedirectResponse(_local(next), status_code=303)
    set_cookie(response, request, SESSION_COOKIE, sid, int(SESSION_SECONDS))
    response.delete_cookie(CSRF_COOKIE, path="/")  # the session carries its own CSRF token
    return response


@router.post("/logout")
def logout(
    request: Request, csrf: str = Form(""), db: HubDB = Db, seen: Viewer = Seen
) -> RedirectResponse:
    check_csrf(seen, csrf)
    sid = request.cookies.get(SESSION_COOKIE)
    if sid:
        close_session(db, sid)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/account", response_class=HTMLResponse)
def account(request: Request, db: HubDB = Db, seen: Viewer = Seen) -> HTMLResponse:
    user = need_login(seen, request)
    return page(
        request,
        seen,
        "account.html",
        tokens=list_tokens(db, user.name),
        keys=keys_of(db, [user.id]).get(user.id, []),
        requests=requests_of_user(db, user),
        new_token=None,
        proof_message=key_proof_message(user.name, "ed25519:YOUR_KEY").decode(),
    )


@router.post("/account/tokens", response_class=HTMLResponse)
def token_create(
    request: Request,
    label: str = Form("", max_length=100),
    days: float = Form(90),
    csrf: str = Form(""),
    db: HubDB = Db,
    seen: Viewer = Seen,
) -> HTMLResponse:
    """A new token, shown once on the page that answers this form."""
    user = form_user(seen, request, csrf)
    token = create_token(db, user.name, days=days, label=label)
    return page(
        request,
        seen,
        "account.html",
        tokens=list_tokens(db, user.name),
        keys=keys_of(db, [user.id]).get(user.id, []),
        requests=requests_of_user(db, user),
        new_token=token,
        proof_message=key_proof_message(user.name, "ed25519:YOUR_KEY").decode(),
    )


@router.post("/account/tokens/{token_id}/revoke")
def token_revoke(
    request: Request, token_id: int, csrf: str = Form(""), db: HubDB = Db, seen: Viewer = Seen
) -> RedirectResponse:
    user = form_user(seen, request, csrf)
    revoke_token(db, token_id, owner=user)
    return RedirectResponse("/account", status_code=303)


@router.post("/account/keys")
def key_add(
    request: Request,
    public_key: str = Form("", max_length=200),
    proof: str = Form("", max_length=200),
    csrf: str = Form(""),
    db: HubDB = Db,
    seen: Viewer = Seen,
) -> RedirectResponse:
    user = form_user(seen, request, csrf)
    register_key(db, user, public_key.strip(), proof.strip())
    return RedirectResponse("/account", status_code=303)
