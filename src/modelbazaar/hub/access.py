"""Gated access: who may download a model's or a release's objects, decided by maintainers.

A gated model (or release) reads like a public one (pages, versions, audit log,
contributions) but its objects — weights, source files, bundles, reports: everything clone and
pull fetch — need an approved access request. Which level an object has is decided in
`hub/releases.py` (a release may be public, gated or private on its own). The requester states
who they are and what they intend to do, for the whole model or for one release; a maintainer
approves or declines with a reason; an approval can be revoked later. A grant for the model
opens every gated release of it; a grant for a release opens that release's version. Members,
admins and workers need no request. Every step, and every change of a level, is appended to
``hub_access_log`` (request id 0 for level changes).

Every download path calls `require_object` (an object by hash: clone, pull, release files,
reports) or `require_version` (the hub's chat, which runs a version's weights).

Example::

    req = request_access(db, model, carol, who="Carol, a student", use="coursework",
                         release="v2")
    decide(db, model, alice, req["id"], approve=True, reason="fine")
    require_object(db, model, v2_weights, carol)   # passes; raises 403 once revoked
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import insert, select, update

from modelbazaar.hub import tables as t
from modelbazaar.hub.accounts import User
from modelbazaar.hub.db import HubDB, stamp
from modelbazaar.hub.errors import HubError, not_found
from modelbazaar.hub.protocol import merge_bundles
from modelbazaar.hub.releases import (
    Levels,
    check_release,
    levels_of,
    log_access,
    release_rows,
    versions_naming,
)
from modelbazaar.hub.repos import Model, role_of, set_visibility
from modelbazaar.store import schema

MAX_TEXT = 2_000  # characters of "who" / "intended use" / a reason
STATES = ("pending", "approved", "declined", "revoked")


def _text(label: str, value: str, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise HubError(422, f"say {label}: it is what the maintainers decide on")
    if len(value) > MAX_TEXT:
        raise HubError(422, f"{label} is longer than {MAX_TEXT} characters; shorten it")
    return value


def privileged(db: HubDB, model: Model, user: User | None) -> bool:
    """Members, admins and workers: they download everything they can read."""
    if user is None:
        return False
    return user.is_admin or user.is_worker or role_of(db, model, user) is not None


def grants(db: HubDB, model: Model, user: User | None) -> set[str | None]:
    """What `user`'s approved requests open: release tags, None for the whole model."""
    if user is None:
        return set()
    r = t.access_requests
    with db.reading() as conn:
        return set(
            conn.execute(
                select(r.c.release_tag).where(
                    (r.c.model_id == model.id)
                    & (r.c.user_id == user.id)
                    & (r.c.state == "approved")
                )
            ).scalars()
        )


def has_grant(db: HubDB, model: Model, user: User) -> bool:
    return None in grants(db, model, user)


def may_download(db: HubDB, model: Model, user: User | None) -> bool:
    """May `user` fetch what follows the model's own level (source, bundles, reports, and
    versions no release with a level of its own points at)?"""
    if model.visibility == "public" or privileged(db, model, user):
        return True
    return model.visibility == "gated" and None in grants(db, model, user)


def _version_open(levels: Levels, version: str, inside: bool, granted: set[str | None]) -> bool:
    level = levels.version(version)
    if level == "public" or inside:
        return True
    if level == "private":
        return False
    if None in granted:  # a grant for the model opens each of its gated versions
        return True
    return any(levels.tags.get(tag) == version for tag in granted if tag)


def downloadable_versions(db: HubDB, model: Model, user: User | None) -> dict[str, bool]:
    """Version -> may `user` download every object it needs (the versions list clone reads):
    its own three, and the contribution bundles a merged version replays, which follow the
    model's level."""
    levels, inside, granted = levels_of(db, model), privileged(db, model, user), set()
    if not inside:
        granted = grants(db, model, user)
    whole = inside or may_download(db, model, user)
    v, mv = schema.versions, t.model_versions
    with db.reading() as conn:
        rows = conn.execute(
            select(v.c.hash, v.c.info).join(
                mv, (mv.c.version == v.c.hash) & (mv.c.model_id == model.id)
            )
        ).all()
    return {
        digest: _version_open(levels, digest, inside, granted)
        and (whole or not merge_bundles(json.loads(info)))
        for digest, info in rows
    }


def hidden_tags(db: HubDB, model: Model, user: User | None) -> set[str]:
    """Private releases `user` may not see (they are left out of refs, lists and the log)."""
    if privileged(db, model, user):
        return set()
    levels = levels_of(db, model)
    return {tag for tag in levels.tags if levels.release(tag) == "private"}


def visible_versions(
    db: HubDB, model: Model, user: User | None, rows: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Version rows with their level and whether `user` may download them ("access",
    "download"); a private release's version is left out for those who may not see it."""
    levels, open_ = levels_of(db, model), downloadable_versions(db, model, user)
    inside = privileged(db, model, user)
    shown = []
    for row in rows:
        level = levels.version(row["hash"])
        if level == "private" and not inside:
            continue
        shown.append(row | {"access": level, "download": open_.get(row["hash"], False)})
    return shown


def _refuse(model: Model, user: User | None, what: str, tags: list[str]) -> HubError:
    release = f" --release {tags[0]}" if tags else ""
    if user is None:
        return HubError(
            401, f"{what} is gated: log in (`bazaar login`) and request access on its page first"
        )
    return HubError(
        403,
        f"{what} is gated: downloads need an approved access request; ask on "
        f"/models/{model.name}/access (or `bazaar access request{release} --remote URL`)",
    )


def _what(model: Model, levels: Levels, versions: list[str]) -> tuple[str, list[str]]:
    tags = sorted({tag for v in versions for tag in levels.tags_at(v) if tag in levels.own})
    if tags:
        return f"release {', '.join(tags)} of {model.name}", tags
    return model.name, []


def require_model(db: HubDB, model: Model, user: User | None) -> None:
    """Refuse unless `user` may download what follows the model's own level."""
    if not may_download(db, model, user):
        raise _refuse(model, user, model.name, [])


def require_version(db: HubDB, model: Model, version: str, user: User | None) -> None:
    """Refuse (401/403; 404 for a private release) unless `user` may use `version`'s weights
    (download them, or chat with them on the hub)."""
    levels, inside = levels_of(db, model), privileged(db, model, user)
    granted = set() if inside else grants(db, model, user)
    if _version_open(levels, version, inside, granted):
        return
    if levels.version(version) == "private":
        raise not_found(f"version {version[:12]} of {model.name}")
    raise _refuse(model, user, *_what(model, levels, [version]))


def require_object(db: HubDB, model: Model, digest: str, user: User | None) -> None:
    """Refuse unless `user` may download object `digest` of `model` (rule: `hub/releases.py`;
    a private release's objects are as absent as a private model's: 404)."""
    naming = versions_naming(db, model, digest)
    if not naming:
        return require_model(db, model, user)
    levels, inside = levels_of(db, model), privileged(db, model, user)
    granted = set() if inside else grants(db, model, user)
    if any(_version_open(levels, v, inside, granted) for v in naming):
        return
    if all(levels.version(v) == "private" for v in naming):
        raise not_found(f"object {digest[:12]} of {model.name}")
    gated = [v for v in naming if levels.version(v) == "gated"]
    raise _refuse(model, user, *_what(model, levels, gated))


def request_access(
    db: HubDB, model: Model, user: User, who: str, use: str, release: str | None = None
) -> dict[str, Any]:
    """A pending request for the model, or for one release (409 when one is already pending
    or approved, or when there is nothing gated to ask for)."""
    release = release or None
    if release is None and model.visibility != "gated":
        gated = [r["release"] for r in release_rows(db, model) if r["level"] == "gated"]
        hint = f"; ask for a gated release: {', '.join(gated)}" if gated else ""
        raise HubError(
            409, f"{model.name} is {model.visibility}: there is nothing to request{hint}"
        )
    if release is not None:
        levels = levels_of(db, model)
        check_release(levels, model, release)
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
