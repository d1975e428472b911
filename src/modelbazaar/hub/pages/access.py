"""Pages: gated access. A logged-in user asks for access to the model or to one gated release
(who they are, intended use); the model's maintainers see every request and what it is for,
approve or decline with a reason, and revoke grants; the log of every step is shown to them."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from modelbazaar.hub import access, downloads
from modelbazaar.hub.auth import model_for
from modelbazaar.hub.db import HubDB
from modelbazaar.hub.pages.web import Viewer, form_user, hub_db, page, viewer
from modelbazaar.hub.releases import release_rows
from modelbazaar.hub.repos import role_of

router = APIRouter(include_in_schema=False)
Db = Depends(hub_db)
Seen = Depends(viewer)


@router.get("/models/{name}/access", response_class=HTMLResponse)
def access_page(request: Request, name: str, db: HubDB = Db, seen: Viewer = Seen) -> HTMLResponse:
    model = model_for(db, name, seen.user)
    role = role_of(db, model, seen.user)
    admin = seen.user is not None and seen.user.is_admin
    mine = (
        [r for r in access.requests_of_user(db, seen.user) if r["model"] == model.name]
        if (seen.user)
        else []
    )
    maintains = role == "maintainer" or admin
    open_ = downloads.downloadable_versions(db, model, seen.user)
    hidden = downloads.hidden_refs(db, model, seen.user)  # e.g. gated, at a private version
    gated = [
        r | {"download": open_.get(r["version"], False)}
        for r in release_rows(db, model)
        if r["level"] == "gated" and r["release"] not in hidden
    ]
    asking = {r["release"] for r in mine if r["state"] in ("pending", "approved")}
    may = downloads.may_download(db, model, seen.user)
    targets = (
        [] if may or model.visibility != "gated" or None in asking else [("", "the whole model")]
    )
    targets += [
        (r["release"], f"release {r['release']}")
        for r in gated
        if not r["download"] and r["release"] not in asking
    ]
    return page(
        request,
        seen,
        "access.html",
        model=model,
        tab="access",
        mine=mine,
        may=may,
        gated=gated,
        targets=targets,
        maintains=maintains,
        requests=access.requests_for_model(db, model) if maintains else [],
        log=access.access_log(db, model) if maintains else [],
    )


@router.post("/models/{name}/access")
def ask(
    request: Request,
    name: str,
    who: str = Form(""),
    intended_use: str = Form(""),
    release: str = Form(""),
    csrf: str = Form(""),
    db: HubDB = Db,
    seen: Viewer = Seen,
) -> RedirectResponse:
    user = form_user(seen, request, csrf)
    model = model_for(db, name, user)
    access.request_access(db, model, user, who, intended_use, release.strip() or None)
    return RedirectResponse(f"/models/{name}/access", status_code=303)


@router.post("/models/{name}/access/{request_id}")
def decide(
    request: Request,
    name: str,
    request_id: int,
    decision: str = Form(""),
    reason: str = Form(""),
    csrf: str = Form(""),
    db: HubDB = Db,
    seen: Viewer = Seen,
) -> RedirectResponse:
    user = form_user(seen, request, csrf)
    model = model_for(db, name, user, "maintain")
    access.decide(db, model, user, request_id, approve=decision == "approve", reason=reason)
    return RedirectResponse(f"/models/{name}/access", status_code=303)
