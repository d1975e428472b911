"""/api/v1/models/{name}/access and …/releases: request access to a gated model or release;
maintainers decide, and set each release's level."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from modelbazaar.hub import access, downloads
from modelbazaar.hub.accounts import User
from modelbazaar.hub.auth import current_user, hub_db, model_for, require_user
from modelbazaar.hub.db import HubDB
from modelbazaar.hub.releases import release_rows, set_release_level

router = APIRouter(tags=["access"])
Db = Depends(hub_db)
Who = Depends(current_user)


class RequestIn(BaseModel):
    who: str = Field(max_length=access.MAX_TEXT, description="who you are")
    intended_use: str = Field(max_length=access.MAX_TEXT)
    release: str | None = Field(None, max_length=100, description="a release (tag); none: all")


class DecisionIn(BaseModel):
    approve: bool
    reason: str = Field("", max_length=access.MAX_TEXT)


@router.post("/models/{name}/access", status_code=201)
def request(name: str, body: RequestIn, db: HubDB = Db, user: User | None = Who) -> dict[str, Any]:
    """Ask to download a gated model or release: who you are and what you intend to do."""
    model = model_for(db, name, user)
    return access.request_access(
        db, model, require_user(user), body.who, body.intended_use, body.release
    )


@router.get("/models/{name}/access")
def requests(name: str, db: HubDB = Db, user: User | None = Who) -> list[dict[str, Any]]:
    """Every access request of the model (maintainers)."""
    return access.requests_for_model(db, model_for(db, name, user, "maintain"))


@router.post("/models/{name}/access/{request_id}")
def decide(
    name: str, request_id: int, body: DecisionIn, db: HubDB = Db, user: User | None = Who
) -> dict[str, Any]:
    """Approve or decline a pending request (with a reason); decline an approved one revokes it."""
    model = model_for(db, name, user, "maintain")
    return access.decide(
        db, model, require_user(user), request_id, approve=body.approve, reason=body.reason
    )


class LevelIn(BaseModel):
    level: str = Field(description="public, gated, private, or inherit (follow the model)")


@router.get("/models/{name}/releases")
def releases(name: str, db: HubDB = Db, user: User | None = Who) -> list[dict[str, Any]]:
    """Every release (tag) with its level, whether it is its own, and whether you may
    download it."""
    model = model_for(db, name, user)
    hidden = downloads.hidden_refs(db, model, user)
    open_ = downloads.downloadable_versions(db, model, user)
    return [
        row | {"download": open_.get(row["version"], False)}
        for row in release_rows(db, model)
        if row["release"] not in hidden
    ]


@router.put("/models/{name}/releases/{tag}/access")
def release_level(
    name: str, tag: str, body: LevelIn, db: HubDB = Db, user: User | None = Who
) -> dict[str, Any]:
    """Give one release its own level (maintainers); notes name public versions made from it."""
    model = model_for(db, name, user, "maintain")
    return set_release_level(db, model, require_user(user), tag, body.level)
