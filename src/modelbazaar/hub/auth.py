"""Who is asking, and may they? One place for every access decision of the API.

Tokens travel as ``Authorization: Bearer TOKEN``. No header: anonymous. A bad, expired or
revoked token: 401 (never silently anonymous). Per model a user is ``maintainer``,
``contributor`` or ``reader``; admins may do anything but approve (an approval is a
maintainer's signature); workers read every model and, while they hold a lease on one of its
jobs, upload objects and versions to it — never refs. A private model is invisible (404, not
403) to everyone who is not a member, an admin or a worker.

| need       | who may                                                        |
|------------|----------------------------------------------------------------|
| read       | anyone (public, gated); members, admins, workers (private)      |
| download   | as read, then per object or version `hub/access.py` decides:    |
|            | a gated model's or release's need an approved request (members, |
|            | admins and workers need none); a private release's answer 404   |
| contribute | contributors, maintainers, admins                               |
| upload     | maintainers, admins, workers holding a lease on the model's job |
| maintain   | maintainers, admins                                             |
| approve    | maintainers                                                     |
"""

from __future__ import annotations

import time

from fastapi import Request
from sqlalchemy import select

from modelbazaar.hub import tables as t
from modelbazaar.hub.accounts import User, user_for_token
from modelbazaar.hub.db import HubDB
from modelbazaar.hub.errors import HubError, not_found
from modelbazaar.hub.repos import Model, get_model, role_of

NEEDS = {
    "contribute": ("contributor", "maintainer"),
    "upload": ("maintainer",),
    "maintain": ("maintainer",),
    "approve": ("maintainer",),
}


def hub_db(request: Request) -> HubDB:
    return request.app.state.db


def current_user(request: Request) -> User | None:
    """The user of the request's bearer token; None without one; 401 for a bad one."""
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise HubError(401, "send your token as `Authorization: Bearer TOKEN` (bazaar login)")
    return user_for_token(hub_db(request), token.strip())


def require_user(user: User | None) -> User:
    if user is None:
        raise HubError(401, "log in first: `bazaar login URL` with a token from the hub's admin")
    return user


def holds_lease(db: HubDB, user: User, model: Model) -> bool:
    j = t.jobs
    with db.reading() as conn:
        return (
            conn.execute(
                select(j.c.id).where(
                    (j.c.model_id == model.id)
                    & (j.c.lease_owner == user.id)
                    & (j.c.state == "running")
                    & (j.c.lease_expires > time.time())
                )
            ).first()
            is not None
        )


def model_for(db: HubDB, name: str, user: User | None, need: str = "read") -> Model:
    """The model `name` if `user` may do `need` on it, else 401/403/404 (see the table)."""
    model = get_model(db, name)
    if model is None:
        raise not_found(f"model {name[:60]}")
    role = role_of(db, model, user)
    privileged = user is not None and (user.is_admin or user.is_worker)
    if model.private and role is None and not privileged:
        raise not_found(f"model {name[:60]}")
    if need == "read":
        return model
    user = require_user(user)
    if need == "approve":
        allowed = role == "maintainer"
    elif need == "upload" and user.is_worker:
        allowed = holds_lease(db, user, model)
    else:
        allowed = role in NEEDS[need] or (user.is_admin and need != "approve")
    if not allowed:
        wanted = (
            "a worker holding a lease on this model's job"
            if user.is_worker
            else (f"role {NEEDS[need][0]}" + (" or maintainer" if need == "contribute" else ""))
        )
        have = f"your role is {role}" if role else "you are not a member"
        raise HubError(
            403,
            f"{user.name} may not do this on {model.name}: it needs {wanted}, {have}; "
            "ask a maintainer (`bazaar member add`)",
        )
    return model


def require_worker(user: User | None) -> User:
    user = require_user(user)
    if not (user.is_worker or user.is_admin):
        raise HubError(403, "only worker accounts (`bazaar hub user add NAME --worker`) claim jobs")
    return user
