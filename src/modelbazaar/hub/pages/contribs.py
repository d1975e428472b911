"""Pages: a model's contributions (queue and history) and one contribution (signed manifest,
review report with every check, approvals, merge); maintainer forms to approve, reject with a
reason and start a merge. Every action goes through the functions the API calls."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from modelbazaar.hub import contributions as contrib
from modelbazaar.hub.accounts import keys_of
from modelbazaar.hub.auth import model_for
from modelbazaar.hub.db import HubDB
from modelbazaar.hub.downloads import masked_merges
from modelbazaar.hub.errors import HubError, not_found
from modelbazaar.hub.merges import merges_with, request_merge
from modelbazaar.hub.pages.web import Viewer, form_user, hub_db, page, viewer
from modelbazaar.hub.protocol import approval_message
from modelbazaar.hub.repos import role_of
from modelbazaar.merge import METHODS

router = APIRouter(include_in_schema=False)
Db = Depends(hub_db)
Seen = Depends(viewer)
MAX_REPORT = 4 * 1024 * 1024


PAGE_ROWS = 100  # contributions per table page: a long history reads (and renders) in pages
OPEN = ("queued", "reviewing", "accepted")


@router.get("/models/{name}/contributions", response_class=HTMLResponse)
def contributions(
    request: Request,
    name: str,
    page_no: int = Query(1, alias="page", ge=1, le=100_000),
    db: HubDB = Db,
    seen: Viewer = Seen,
) -> HTMLResponse:
    """The queue (oldest first) and the history (newest first), PAGE_ROWS rows a page."""
    model = model_for(db, name, seen.user)
    rows = contrib.list_submissions(db, model)
    queue = [r for r in rows if r["state"] in OPEN]
    done = [r for r in reversed(rows) if r["state"] not in OPEN]
    start = (page_no - 1) * PAGE_ROWS
    pages = max(1, -(-max(len(queue), len(done)) // PAGE_ROWS))
    return page(
        request,
        seen,
        "contributions.html",
        model=model,
        tab="contributions",
        queue=queue[start : start + PAGE_ROWS],
        done=done[start : start + PAGE_ROWS],
        counts={"queue": len(queue), "done": len(done)},
        page_no=page_no,
        pages=pages,
    )


def _review(db: HubDB, found: dict[str, Any]) -> dict[str, Any] | None:
    digest = found["reports"].get("json")
    if not digest:
        return None
    try:
        data = db.store.objects.get_bytes(digest)[:MAX_REPORT]
        report = json.loads(data)
    except (OSError, ValueError):
        return None
    return report if isinstance(report, dict) else None


def _found(db: HubDB, model: Any, contribution: str) -> dict[str, Any]:
    found = contrib.submission_by_contribution(db, model, contribution)
    if found is None:
        raise not_found(f"contribution {contribution[:16]} of {model.name}")
    return found


@router.get("/models/{name}/contributions/{contribution}", response_class=HTMLResponse)
def contribution_page(
    request: Request, name: str, contribution: str, db: HubDB = Db, seen: Viewer = Seen
) -> HTMLResponse:
    model = model_for(db, name, seen.user)
    found = _found(db, model, contribution)
    stored = db.store.catalogue.contribution(found["contribution"]) or {}
    manifest = stored.get("manifest") or {}
    if isinstance(manifest, str):
        manifest = json.loads(manifest)
    role = role_of(db, model, seen.user)
    keys = keys_of(db, [seen.user.id]).get(seen.user.id, []) if seen.user else []
    message = approval_message(model.name, found["contribution"], found["bundle"]).decode()
    return page(
        request,
        seen,
        "contribution.html",
        model=model,
        tab="contributions",
        c=found,
        manifest=manifest,
        license=stored.get("license"),
        review=_review(db, found),
        merges=masked_merges(db, model, seen.user, merges_with(db, model, found["id"])),
        role=role,
        keys=keys,
        message=message,
        methods=sorted(METHODS),
        notice=request.query_params.get("done", "")[:200],
    )


def _back(name: str, contribution: str, done: str) -> RedirectResponse:
    return RedirectResponse(
        f"/models/{name}/contributions/{contribution}?done={done}", status_code=303
    )


@router.post("/models/{name}/contributions/{contribution}/approve")
def approve(
    request: Request,
    name: str,
    contribution: str,
    public_key: str = Form("", max_length=200),
    signature: str = Form("", max_length=200),
    csrf: str = Form(""),
    db: HubDB = Db,
    seen: Viewer = Seen,
) -> RedirectResponse:
    """An approval is a maintainer's ed25519 signature over the message the page shows."""
    user = form_user(seen, request, csrf)
    model = model_for(db, name, user, "approve")
    done = contrib.approve(db, model, user, contribution, public_key.strip(), signature.strip())
    return _back(name, done["contribution"], "approved")


@router.post("/models/{name}/contributions/{contribution}/reject")
def reject(
    request: Request,
    name: str,
    contribution: str,
    reason: str = Form(""),
    csrf: str = Form(""),
    db: HubDB = Db,
    seen: Viewer = Seen,
) -> RedirectResponse:
    user = form_user(seen, request, csrf)
    model = model_for(db, name, user, "maintain")
    done = contrib.reject(db, model, user, contribution, reason)
    return _back(name, done["contribution"], "rejected")


@router.post("/models/{name}/merges")
def merge(
    request: Request,
    name: str,
    contributions: list[str] = Form([]),
    method: str = Form("ties", max_length=40),
    density: str = Form("0.5", max_length=20),
    csrf: str = Form(""),
    db: HubDB = Db,
    seen: Viewer = Seen,
) -> RedirectResponse:
    user = form_user(seen, request, csrf)
    model = model_for(db, name, user, "maintain")
    try:
        value = float(density)
    except ValueError:
        raise HubError(422, f"density {density[:20]!r} is not a number in (0, 1]") from None
    done = request_merge(
        db, model, user, {"contributions": contributions[:32], "method": method, "density": value}
    )
    first = contributions[0] if contributions else ""
    return _back(name, first, f"merge {done['id']} queued")
