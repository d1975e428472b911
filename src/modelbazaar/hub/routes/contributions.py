"""/api/v1/models/{name}/contributions and /merges: submit, list, approve, ask for a merge."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from modelbazaar.hub import contributions as contrib
from modelbazaar.hub.accounts import User
from modelbazaar.hub.auth import current_user, hub_db, model_for, require_user
from modelbazaar.hub.db import HubDB
from modelbazaar.hub.downloads import masked_merges
from modelbazaar.hub.errors import not_found
from modelbazaar.hub.merges import get_merge, request_merge
from modelbazaar.hub.uploads import receive_file

router = APIRouter(tags=["contributions"])
Db = Depends(hub_db)
Who = Depends(current_user)


class ApprovalIn(BaseModel):
    public_key: str = Field(max_length=200)
    signature: str = Field(max_length=200, description="base64 ed25519 over approval_message")


class MergeIn(BaseModel):
    contributions: list[str] = Field(max_length=32)
    method: str = Field("ties", max_length=40)
    density: float = 0.5
    weights: list[float] | None = Field(None, max_length=32)
    seed: int = 0


@router.post("/models/{name}/contributions", status_code=201)
async def submit(
    name: str, request: Request, db: HubDB = Db, user: User | None = Who
) -> dict[str, Any]:
    """Submit a bundle (the raw .bazaar bytes as the body). It passes the same hostile-bundle
    checks as `bazaar review` before a byte is stored (422 with the reason otherwise), then a
    review job is queued."""
    model = await run_in_threadpool(model_for, db, name, user, "contribute")
    user = require_user(user)
    await run_in_threadpool(contrib.check_rate, db, user)
    path, digest, _ = await receive_file(
        request, db.store.objects.incoming, db.config.limits.max_bundle_bytes
    )
    return await run_in_threadpool(contrib.submit, db, model, user, path, digest)


@router.get("/models/{name}/contributions")
def contributions(name: str, db: HubDB = Db, user: User | None = Who) -> list[dict[str, Any]]:
    """Every submission: state (queued, reviewing, accepted, rejected, merged, failed),
    reasons, approvals and report objects."""
    return contrib.list_submissions(db, model_for(db, name, user))


@router.get("/models/{name}/contributions/{contribution}")
def contribution(
    name: str, contribution: str, db: HubDB = Db, user: User | None = Who
) -> dict[str, Any]:
    model = model_for(db, name, user)
    found = contrib.submission_by_contribution(db, model, contribution)
    if found is None:
        raise not_found(f"contribution {contribution[:16]} of {name}")
    return found


@router.post("/models/{name}/contributions/{contribution}/approvals", status_code=201)
def approve(
    name: str, contribution: str, body: ApprovalIn, db: HubDB = Db, user: User | None = Who
) -> dict[str, Any]:
    """A maintainer's signed approval of an accepted contribution."""
    model = model_for(db, name, user, "approve")
    return contrib.approve(
        db, model, require_user(user), contribution, body.public_key, body.signature
    )


class RejectIn(BaseModel):
    reason: str = Field(max_length=contrib.MAX_REASON)


@router.post("/models/{name}/contributions/{contribution}/rejection")
def reject(
    name: str, contribution: str, body: RejectIn, db: HubDB = Db, user: User | None = Who
) -> dict[str, Any]:
    """A maintainer rejects a contribution with a reason the author reads."""
    model = model_for(db, name, user, "maintain")
    return contrib.reject(db, model, require_user(user), contribution, body.reason)


@router.post("/models/{name}/merges", status_code=202)
def merge(name: str, body: MergeIn, db: HubDB = Db, user: User | None = Who) -> dict[str, Any]:
    """Ask for a merge of approved contributions; a worker merges and reviews, the hub moves
    main only if the review passes (poll GET /merges/{id})."""
    model = model_for(db, name, user, "maintain")
    return request_merge(db, model, require_user(user), body.model_dump())


@router.get("/models/{name}/merges/{merge_id}")
def merge_status(
    name: str, merge_id: int, db: HubDB = Db, user: User | None = Who
) -> dict[str, Any]:
    model = model_for(db, name, user)
    return masked_merges(db, model, user, [get_merge(db, model, merge_id)])[0]
