"""Access requests: who asked to download a gated model or release, and what was decided.

The requester states who they are and what they intend to do, for the whole model or for one
gated release; a maintainer approves or declines with a reason; an approval can be revoked
later. A grant for the model opens every gated release of it; a grant for a release opens that
release's version (what a grant opens is decided in `hub/downloads.py`, the levels in
`hub/releases.py`). Every step, every change of a level and every change of membership (any
role downloads everything) is appended to ``hub_access_log`` (request id 0 for those two).

Example::

    req = request_access(db, model, carol, who="Carol, a student", use="coursework",
                         release="v2")
    decide(db, model, alice, req["id"], approve=True, reason="fine")
    decide(db, model, alice, req["id"], approve=False, reason="misuse")   # revoked
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select, update

from modelbazaar.hub import tables as t
from modelbazaar.hub.accounts import User
from modelbazaar.hub.db import HubDB, stamp
from modelbazaar.hub.downloads import hidden_refs
from modelbazaar.hub.errors import HubError, not_found
from modelbazaar.hub.releases import (
    check_release,
    levels_of,
    log_access,
    release_rows,
)
from modelbazaar.hub.repos import Model, role_of, set_member, set_visibility

MAX_TEXT = 2_000  # characters of "who" / "intended use" / a reason
STATES = ("pending", "approved", "declined", "revoked")


def _text(label: str, value: str, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise HubError(422, f"say {label}: it is what the maintainers decide on")
    if len(value) > MAX_TEXT:
        raise HubError(422, f"{label} is longer than {MAX_TEXT} characters; shorten it")
    return value


def request_access(
    db: HubDB, model: Model, user: User, who: str, use: str, release: str | None = None
) -> dict[str, Any]:
    """A pending request for the model, or for one release (409 when one is already pending
    or approved, or when there is nothing gated to ask for)."""
    release = release or None
    hidden = hidden_refs(db, model, user)  # private releases, and any at their versions
    if release is None and model.visibility != "gated":
        gated = [
            r["release"]
            for r in release_rows(db, model)
            if r["level"] == "gated" and r["release"] not in hidden
        ]
        hint = f"; ask for a gated release: {', '.join(gated)}" if gated else ""
        raise HubError(
            409, f"{model.name} is {model.visibility}: there is nothing to request{hint}"
        )
    if release is not None:
        levels = levels_of(db, model)
        # a private release the user may not see answers as absent, and is not named
        check_release(levels, model, release, hidden)
        if levels.release(release) != "gated":
            raise HubError(
                409,
                f"release {release} of {model.name} is {levels.release(release)}: "
                "only gated releases take requests",
            )
    who, use = _text("who you are", who), _text("your intended use", use)
    at, _ = stamp()
    r = t.access_requests
    target = f"release {release} of {model.name}" if release else model.name
    with db.writing() as conn:
        same = r.c.release_tag.is_(None) if release is None else r.c.release_tag == release
        open_ = conn.execute(
            select(r.c.state).where(
                (r.c.model_id == model.id)
                & (r.c.user_id == user.id)
                & same
                & r.c.state.in_(("pending", "approved"))
            )
        ).scalar()
        if open_:
            raise HubError(409, f"you already have a {open_} request for {target}")
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
                release_tag=release,
            )
        )
        request_id = int(result.inserted_primary_key[0])
        log_access(conn, request_id, model, user.name, "requested", use, release)
    return {"id": request_id, "state": "pending", "release": release}


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
        log_access(conn, request_id, model, maintainer.name, state, reason, row.release_tag)
    return {"id": request_id, "state": state, "reason": reason, "release": row.release_tag}


def set_model_level(db: HubDB, model: Model, user: User, level: str) -> None:
    """Set the model's visibility (public | gated | private), logged like every grant."""
    set_visibility(db, model, level)
    if level != model.visibility:
        with db.writing() as conn:
            log_access(
                conn, 0, model, user.name, "level", f"{model.name}: {model.visibility} -> {level}"
            )


def set_member_logged(
    db: HubDB, model: Model, maintainer: User, member: User, role: str | None
) -> None:
    """Give `member` a role (None removes it), logged: any role downloads every release, so
    adding or removing one is an access decision like a grant."""
    before = role_of(db, model, member)
    set_member(db, model, member, role)
    if role != before:
        with db.writing() as conn:
            why = f"{member.name}: {before or 'no role'} -> {role or 'removed'}"
            log_access(conn, 0, model, maintainer.name, "member", why)


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
                "release": row.release_tag,
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
