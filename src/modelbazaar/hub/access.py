"""Gated access: who may download a `gated` model's objects, decided by its maintainers.

A gated model reads like a public one (pages, versions, audit log, contributions) but its
objects — weights, source files, bundles, reports: everything clone and pull fetch — need an
approved access request. The requester states who they are and what they intend to do; a
maintainer approves or declines with a reason; an approval can be revoked later. Members,
admins and workers need no request. Every step is appended to ``hub_access_log``.

Example::

    req = request_access(db, model, carol, who="Carol, a student", use="coursework")
    decide(db, model, alice, req["id"], approve=True, reason="fine")
    may_download(db, model, carol)   # True
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select, update

from modelbazaar.hub import tables as t
from modelbazaar.hub.accounts import User
from modelbazaar.hub.db import HubDB, stamp
from modelbazaar.hub.errors import HubError, not_found
from modelbazaar.hub.repos import Model, role_of

MAX_TEXT = 2_000  # characters of "who" / "intended use" / a reason
STATES = ("pending", "approved", "declined", "revoked")


def _log(
    conn: Connection, request_id: int, model: Model, actor: str, action: str, why: str
) -> None:
    at, _ = stamp()
    conn.execute(
        insert(t.access_log).values(
            request_id=request_id, model_id=model.id, actor=actor, action=action, reason=why, at=at
        )
    )


def _text(label: str, value: str, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise HubError(422, f"say {label}: it is what the maintainers decide on")
    if len(value) > MAX_TEXT:
        raise HubError(422, f"{label} is longer than {MAX_TEXT} characters; shorten it")
    return value


def has_grant(db: HubDB, model: Model, user: User) -> bool:
    r = t.access_requests
    with db.reading() as conn:
        return (
            conn.execute(
                select(r.c.id).where(
                    (r.c.model_id == model.id)
                    & (r.c.user_id == user.id)
                    & (r.c.state == "approved")
                )
            ).first()
            is not None
        )


def may_download(db: HubDB, model: Model, user: User | None) -> bool:
    """May `user` fetch objects of `model`? (Visibility of private models is checked first.)"""
    if model.visibility != "gated":
        return True
    if user is None:
        return False
    if user.is_admin or user.is_worker or role_of(db, model, user):
        return True
    return has_grant(db, model, user)


def request_access(db: HubDB, model: Model, user: User, who: str, use: str) -> dict[str, Any]:
    """A pending request (409 when one is already pending or approved)."""
    if model.visibility != "gated":
        raise HubError(409, f"{model.name} is {model.visibility}: there is nothing to request")
    who, use = _text("who you are", who), _text("your intended use", use)
    at, _ = stamp()
    r = t.access_requests
    with db.writing() as conn:
        open_ = conn.execute(
            select(r.c.state).where(
                (r.c.model_id == model.id)
                & (r.c.user_id == user.id)
                & r.c.state.in_(("pending", "approved"))
            )
        ).scalar()
        if open_:
            raise HubError(409, f"you already have a {open_} request for {model.name}")
        result = conn.execute(
            insert(r).values(
                model_id=model.id,
                user_id=user.id,
                who=who,
                intended_use=use,
                state="pending",
                reason="",
                created_at=at,
                updated_at=at,
            )
        )
        request_id = int(result.inserted_primary_key[0])
        _log(conn, request_id, model, user.name, "requested", use)
    return {"id": request_id, "state": "pending"}


def decide(
    db: HubDB, model: Model, maintainer: User, request_id: int, *, approve: bool, reason: str
) -> dict[str, Any]:
    """Approve or decline a pending request; revoke an approved one (approve=False)."""
    reason = _text("a reason", reason, required=not approve)
    r = t.access_requests
    at, _ = stamp()
    with db.writing() as conn:
        row = conn.execute(
            select(r).where((r.c.id == request_id) & (r.c.model_id == model.id))
        ).first()
        if row is None:
            raise not_found(f"access request {request_id} of {model.name}")
        if approve and row.state != "pending":
            raise HubError(
                409, f"request {request_id} is {row.state}; only pending ones are approved"
            )
        if not approve and row.state not in ("pending", "approved"):
            raise HubError(409, f"request {request_id} is already {row.state}")
        state = "approved" if approve else ("revoked" if row.state == "approved" else "declined")
        conn.execute(
            update(r)
            .where(r.c.id == request_id)
            .values(state=state, reason=reason, decided_by=maintainer.id, updated_at=at)
        )
        _log(conn, request_id, model, maintainer.name, state, reason)
    return {"id": request_id, "state": state, "reason": reason}


def _rows(query: Any, db: HubDB) -> list[dict[str, Any]]:
    r = t.access_requests
    with db.reading() as conn:
        names = dict(conn.execute(select(t.users.c.id, t.users.c.name)).all())
        models = dict(conn.execute(select(t.models.c.id, t.models.c.name)).all())
        rows = conn.execute(query.order_by(r.c.id.desc()))
        return [
            {
                "id": row.id,
                "model": models.get(row.model_id, "?"),
                "user": names.get(row.user_id, "?"),
                "who": row.who,
                "intended_use": row.intended_use,
                "state": row.state,
                "reason": row.reason,
                "decided_by": names.get(row.decided_by) if row.decided_by else None,
                "created_at": row.created_at,
                "updated_at": row.updated_at,
            }
            for row in rows
        ]


def requests_for_model(db: HubDB, model: Model) -> list[dict[str, Any]]:
    r = t.access_requests
    return _rows(select(r).where(r.c.model_id == model.id), db)


def requests_of_user(db: HubDB, user: User) -> list[dict[str, Any]]:
    r = t.access_requests
    return _rows(select(r).where(r.c.user_id == user.id), db)


def access_log(db: HubDB, model: Model) -> list[dict[str, Any]]:
    a = t.access_log
    with db.reading() as conn:
        rows = conn.execute(select(a).where(a.c.model_id == model.id).order_by(a.c.id.desc()))
        return [dict(row._mapping) for row in rows]
