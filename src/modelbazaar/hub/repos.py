"""Models on the hub: creation, visibility, members and roles, refs, the audit log.

A model's refs are the store's refs named ``MODEL/REF``; they move only through `move_ref`,
which is `Catalogue.move_refs` (compare-and-swap in one transaction, appended to the store's
ref log) plus the hub's audit row — who, when, why — written in that same transaction.

Example::

    model = create_model(db, "tiny", alice, "public")      # alice becomes its maintainer
    move_ref(db, model, "main", new, expected=None, actor="alice", why="push")
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from modelbazaar.hub import tables as t
from modelbazaar.hub.accounts import User, check_name
from modelbazaar.hub.db import HubDB, ref_name, stamp
from modelbazaar.hub.errors import HubError
from modelbazaar.store import schema
from modelbazaar.store.refs import RefMove, RefMovedError

ROLES = ("reader", "contributor", "maintainer")  # each can do what the ones before it can
VISIBILITIES = ("public", "gated", "private")  # gated: objects need an access grant


class RefConflict(HubError):
    """A ref moved between the time a writer read it and the time it tried to move it."""


@dataclass(frozen=True)
class Model:
    id: int
    name: str
    visibility: str
    source: str | None

    @property
    def private(self) -> bool:
        return self.visibility == "private"


def _model(row: Any) -> Model:
    return Model(row.id, row.name, row.visibility, row.source)


def get_model(db: HubDB, name: str) -> Model | None:
    with db.reading() as conn:
        row = conn.execute(select(t.models).where(t.models.c.name == name)).first()
    return _model(row) if row else None


def list_models(db: HubDB) -> list[Model]:
    with db.reading() as conn:
        return [_model(r) for r in conn.execute(select(t.models).order_by(t.models.c.name))]


def visible_models(db: HubDB, user: User | None) -> list[Model]:
    """Models `user` may see: public and gated ones, private ones they are a member of, all
    for admins and workers (the API's index and the pages' list)."""
    everything = user is not None and (user.is_admin or user.is_worker)
    mine: set[int] = set()
    if user is not None:
        with db.reading() as conn:
            mine = set(
                conn.execute(
                    select(t.members.c.model_id).where(t.members.c.user_id == user.id)
                ).scalars()
            )
    return [m for m in list_models(db) if everything or not m.private or m.id in mine]


def maintainers_of(db: HubDB) -> dict[int, list[str]]:
    """Model id -> its maintainers' names, for every model in one query."""
    found: dict[int, list[str]] = {}
    with db.reading() as conn:
        rows = conn.execute(
            select(t.members.c.model_id, t.users.c.name)
            .join(t.users, t.users.c.id == t.members.c.user_id)
            .where(t.members.c.role == "maintainer")
            .order_by(t.users.c.name)
        )
        for row in rows:
            found.setdefault(row.model_id, []).append(row.name)
    return found


def last_changes(db: HubDB) -> dict[int, str]:
    """Model id -> when one of its refs last moved (ISO time), for every model."""
    a = t.audit
    with db.reading() as conn:
        return dict(
            conn.execute(select(a.c.model_id, func.max(a.c.at)).group_by(a.c.model_id)).all()
        )


def create_model(db: HubDB, name: str, user: User, visibility: str) -> Model:
    """A new model with `user` as its maintainer; 409 when the name is taken."""
    check_name("model", name)
    if visibility not in VISIBILITIES:
        raise HubError(
            422, f"visibility must be one of {', '.join(VISIBILITIES)}, not {visibility[:20]!r}"
        )
    at, _ = stamp()
    with db.writing() as conn:
        if conn.execute(select(t.models.c.id).where(t.models.c.name == name)).first():
            raise HubError(409, f"a model named {name} already exists; choose another name")
        conn.execute(
            insert(t.models).values(
                name=name, visibility=visibility, created_by=user.id, created_at=at
            )
        )
        model_id = conn.execute(select(t.models.c.id).where(t.models.c.name == name)).scalar()
        conn.execute(
            insert(t.members).values(model_id=model_id, user_id=user.id, role="maintainer")
        )
    found = get_model(db, name)
    assert found is not None
    return found


def set_visibility(db: HubDB, model: Model, visibility: str) -> None:
    if visibility not in VISIBILITIES:
        raise HubError(
            422, f"visibility must be one of {', '.join(VISIBILITIES)}, not {visibility[:20]!r}"
        )
    with db.writing() as conn:
        conn.execute(
            update(t.models).where(t.models.c.id == model.id).values(visibility=visibility)
        )


def role_of(db: HubDB, model: Model, user: User | None) -> str | None:
    if user is None:
        return None
    with db.reading() as conn:
        return conn.execute(
            select(t.members.c.role).where(
                (t.members.c.model_id == model.id) & (t.members.c.user_id == user.id)
            )
        ).scalar()


def members(db: HubDB, model: Model) -> list[dict[str, Any]]:
    with db.reading() as conn:
        rows = conn.execute(
            select(t.users.c.id, t.users.c.name, t.members.c.role)
            .join(t.members, t.members.c.user_id == t.users.c.id)
            .where(t.members.c.model_id == model.id)
            .order_by(t.users.c.name)
        )
        return [{"id": r.id, "user": r.name, "role": r.role} for r in rows]


def set_member(db: HubDB, model: Model, user: User, role: str | None) -> None:
    """Give `user` a role on `model` (None removes them); the last maintainer stays."""
    if role is not None and role not in ROLES:
        raise HubError(422, f"role must be one of {', '.join(ROLES)}, not {role[:20]!r}")
    with db.writing() as conn:
        where = (t.members.c.model_id == model.id) & (t.members.c.user_id == user.id)
        current = conn.execute(select(t.members.c.role).where(where)).scalar()
        maintainers = conn.execute(
            select(t.members.c.user_id).where(
                (t.members.c.model_id == model.id) & (t.members.c.role == "maintainer")
            )
        ).all()
        if current == "maintainer" and role != "maintainer" and len(maintainers) == 1:
            raise HubError(
                409, f"{user.name} is the last maintainer of {model.name}; add another first"
            )
        conn.execute(delete(t.members).where(where))
        if role is not None:
            conn.execute(insert(t.members).values(model_id=model.id, user_id=user.id, role=role))


# objects ------------------------------------------------------------------------------------
def missing_objects(db: HubDB, model: Model, digests: list[str]) -> list[str]:
    """The digests this model has not received (uploaded through it, verified)."""
    have: set[str] = set()
    with db.reading() as conn:
        for start in range(0, len(digests), 500):  # keep IN (...) lists small
            chunk = digests[start : start + 500]
            have |= set(
                conn.execute(
                    select(t.model_objects.c.digest).where(
                        (t.model_objects.c.model_id == model.id)
                        & t.model_objects.c.digest.in_(chunk)
                    )
                ).scalars()
            )
    return [d for d in dict.fromkeys(digests) if d not in have]


def model_has_object(db: HubDB, model: Model, digest: str) -> bool:
    return not missing_objects(db, model, [digest])


def register_object(db: HubDB, model: Model, digest: str, conn: Connection | None = None) -> None:
    """Make an object (already verified and stored) readable through `model`."""
    if conn is None:
        with db.writing() as own:
            return register_object(db, model, digest, own)
    key = (t.model_objects.c.model_id == model.id) & (t.model_objects.c.digest == digest)
    if not conn.execute(select(t.model_objects.c.digest).where(key)).first():
        conn.execute(insert(t.model_objects).values(model_id=model.id, digest=digest))
    return None


def set_source(db: HubDB, model: Model, digest: str) -> None:
    with db.writing() as conn:
        conn.execute(update(t.models).where(t.models.c.id == model.id).values(source=digest))


# refs and the audit log ---------------------------------------------------------------------
def refs_of(db: HubDB, model: Model) -> dict[str, dict[str, str]]:
    prefix = ref_name(model.name, "")
    r = schema.refs
    with db.reading() as conn:
        rows = conn.execute(select(r).where(r.c.name.startswith(prefix, autoescape=True)))
        return {row.name[len(prefix) :]: {"version": row.version, "kind": row.kind} for row in rows}


def move_ref(
    db: HubDB,
    model: Model,
    ref: str,
    new: str,
    *,
    expected: str | None,
    kind: str,
    actor: str,
    why: str,
    reason: str = "pushing",
    also: Callable[[Connection], None] | None = None,
) -> bool:
    """Move `ref` of `model` from `expected` to `new` by compare-and-swap; False when it
    already pointed there. The audit row (and `also`) commit with the move or not at all.
    409 when the ref moved meanwhile."""
    moved_any: list[bool] = []

    def audit(conn: Connection, moved: list[RefMove]) -> None:
        at, _ = stamp()
        for move in moved:
            conn.execute(
                insert(t.audit).values(
                    model_id=model.id,
                    ref=ref,
                    old_version=move.expected,
                    new_version=move.new,
                    actor=actor,
                    why=why[:2000],
                    at=at,
                )
            )
        moved_any.append(bool(moved))
        if also is not None:
            also(conn)

    move = RefMove(ref_name(model.name, ref), new, expected, kind=kind)
    try:
        db.store.catalogue.move_refs([move], reason, also=audit)
    except RefMovedError:
        current = refs_of(db, model).get(ref, {}).get("version")
        raise RefConflict(
            409,
            f"{ref} of {model.name} moved to {str(current)[:12]} (you expected "
            f"{str(expected)[:12]}); run `bazaar pull` and try again",
        ) from None
    return bool(moved_any and moved_any[0])


def audit_log(db: HubDB, model: Model, limit: int = 500) -> list[dict[str, Any]]:
    a = t.audit
    with db.reading() as conn:
        rows = conn.execute(
            select(a).where(a.c.model_id == model.id).order_by(a.c.id.desc()).limit(limit)
        )
        return [
            {
                "id": r.id,
                "ref": r.ref,
                "old": r.old_version,
                "new": r.new_version,
                "actor": r.actor,
                "why": r.why,
                "at": r.at,
            }
            for r in rows
        ]


def model_summary(db: HubDB, model: Model, viewer: User | None) -> dict[str, Any]:
    return {
        "name": model.name,
        "visibility": model.visibility,
        "source": model.source,
        "refs": refs_of(db, model),
        "members": [{"user": m["user"], "role": m["role"]} for m in members(db, model)],
        "your_role": role_of(db, model, viewer),
    }


def json_list(text: str) -> list[Any]:
    value = json.loads(text)
    return value if isinstance(value, list) else []
