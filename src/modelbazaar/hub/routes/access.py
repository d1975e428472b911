"""/api/v1/models/{name}/access: request access to a gated model; maintainers decide."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from modelbazaar.hub import access
from modelbazaar.hub.accounts import User
from modelbazaar.hub.auth import current_user, hub_db, model_for, require_user
from modelbazaar.hub.db import HubDB

router = APIRouter(tags=["access"])
Db = Depends(hub_db)
Who = Depends(current_user)


class RequestIn(BaseModel):
    who: str = Field(max_length=access.MAX_TEXT, description="who you are")
    intended_use: str = Field(max_length=access.MAX_TEXT)


class DecisionIn(BaseModel):
    approve: bool
    reason: str = Field("", max_length=access.MAX_TEXT)


@router.post("/models/{name}/access", status_code=201)
def request(name: str, body: RequestIn, db: HubDB = Db, user: User | None = Who) -> dict[str, Any]:
    """Ask to download a gated model: who you are and what you intend to do with it."""
    model = model_for(db, name, user)
    return access.request_access(db, model, require_user(user), body.who, body.intended_use)


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
