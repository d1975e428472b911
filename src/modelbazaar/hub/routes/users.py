"""/api/v1/user: who am I, and register my ed25519 public keys."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from modelbazaar.hub.accounts import User, keys_of, register_key
from modelbazaar.hub.auth import current_user, hub_db, require_user
from modelbazaar.hub.db import HubDB

router = APIRouter(tags=["users"])


class KeyIn(BaseModel):
    public_key: str = Field(max_length=200)
    proof: str = Field(max_length=200, description="base64 signature over key_proof_message")


@router.get("/user")
def whoami(
    db: HubDB = Depends(hub_db), user: User | None = Depends(current_user)
) -> dict[str, Any]:
    """The account of the token: name, admin/worker flags, registered keys."""
    user = require_user(user)
    return {
        "name": user.name,
        "admin": user.is_admin,
        "worker": user.is_worker,
        "keys": keys_of(db, [user.id]).get(user.id, []),
    }


@router.post("/user/keys")
def add_key(
    body: KeyIn, db: HubDB = Depends(hub_db), user: User | None = Depends(current_user)
) -> dict[str, Any]:
    """Register an ed25519 public key, proving possession with a signature."""
    user = require_user(user)
    added = register_key(db, user, body.public_key, body.proof)
    return {"public_key": body.public_key, "added": added}
