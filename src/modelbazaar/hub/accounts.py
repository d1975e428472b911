"""Users, tokens and public keys.

Tokens are 256 random bits (``bzr_`` + urlsafe base64), shown once, stored only as their
sha256 (a token is random, so a fast hash is enough: there is nothing to brute-force), with an
expiry, and revocable. A user registers ed25519 public keys with a proof of possession (a
signature over `key_proof_message`), so nobody can claim another person's key — the hub links
a signed bundle or approval to an account through them.

Example::

    user = add_user(db, "alice", admin=False)
    token = create_token(db, "alice", days=90)   # "bzr_3q…" — print it once, it is not stored
    user_for_token(db, token).name               # "alice"
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import secrets
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, update

from modelbazaar.contrib.keys import parse_public_key, verify_signature
from modelbazaar.errors import BundleError
from modelbazaar.hub import tables as t
from modelbazaar.hub.db import HubDB, stamp
from modelbazaar.hub.errors import HubError
from modelbazaar.hub.protocol import key_proof_message

TOKEN_PREFIX = "bzr_"
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,38}$")  # user and model names: URL- and shell-safe
DAY = 86_400.0
MAX_TOKEN_DAYS = 3650


@dataclass(frozen=True)
class User:
    id: int
    name: str
    is_admin: bool
    is_worker: bool


def check_name(kind: str, name: str) -> str:
    if not NAME_RE.match(name or ""):
        raise HubError(
            422,
            f"{kind} name {name[:60]!r} is not allowed: 1-39 characters of a-z, 0-9, '_' and "
            "'-', starting with a letter or digit (for example alice or shakespeare-tiny)",
        )
    return name


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def user_from_row(row: Any) -> User:
    return User(row.id, row.name, bool(row.is_admin), bool(row.is_worker))


def add_user(db: HubDB, name: str, *, admin: bool = False, worker: bool = False) -> User:
    check_name("user", name)
    at, _ = stamp()
    with db.writing() as conn:
        if conn.execute(select(t.users.c.id).where(t.users.c.name == name)).first():
            raise HubError(409, f"user {name} already exists")
        values = {"name": name, "is_admin": int(admin), "is_worker": int(worker), "created_at": at}
        conn.execute(insert(t.users).values(**values))
        row = conn.execute(select(t.users).where(t.users.c.name == name)).one()
    return user_from_row(row)


def find_user(db: HubDB, name: str) -> User:
    with db.reading() as conn:
        row = conn.execute(select(t.users).where(t.users.c.name == name)).first()
    if row is None:
        raise HubError(404, f"no user {name!r}; create one with `bazaar hub user add {name}`")
    return user_from_row(row)


def user_by_id(db: HubDB, user_id: int) -> User:
    with db.reading() as conn:
        return user_from_row(conn.execute(select(t.users).where(t.users.c.id == user_id)).one())


def create_token(db: HubDB, name: str, *, days: float = 90, label: str = "") -> str:
    """A new token for user `name`, valid `days` days; returned once, stored hashed."""
    if not 0 < days <= MAX_TOKEN_DAYS:
        raise HubError(422, f"--days must be in (0, {MAX_TOKEN_DAYS}]")
    user = find_user(db, name)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    at, ts = stamp()
    with db.writing() as conn:
        conn.execute(
            insert(t.tokens).values(
                user_id=user.id,
                token_hash=token_hash(token),
                label=label[:100],
                created_at=at,
                expires_at=ts + days * DAY,
            )
        )
    return token


def list_tokens(db: HubDB, name: str) -> list[dict[str, Any]]:
    user = find_user(db, name)
    with db.reading() as conn:
        rows = conn.execute(
            select(t.tokens).where(t.tokens.c.user_id == user.id).order_by(t.tokens.c.id)
        )
        return [
            {
                "id": r.id,
                "label": r.label,
                "created_at": r.created_at,
                "expires_at": r.expires_at,
                "revoked": r.revoked_at is not None,
                "expired": r.expires_at < time.time(),
            }
            for r in rows
        ]


def revoke_token(db: HubDB, token_id: int, owner: User | None = None) -> None:
    """Revoke a token (only one of `owner`'s when given: the account page's revoke)."""
    at, _ = stamp()
    where = (t.tokens.c.id == token_id) & t.tokens.c.revoked_at.is_(None)
    if owner is not None:
        where = where & (t.tokens.c.user_id == owner.id)
    with db.writing() as conn:
        done = conn.execute(update(t.tokens).where(where).values(revoked_at=at)).rowcount
    if not done:
        raise HubError(404, f"no active token with id {token_id} (see `bazaar hub token list`)")


def user_for_token(db: HubDB, token: str) -> User:
    """The user a token belongs to; 401 for an unknown, expired or revoked one."""
    with db.reading() as conn:
        row = conn.execute(
            select(t.users, t.tokens.c.expires_at, t.tokens.c.revoked_at)
            .join(t.tokens, t.tokens.c.user_id == t.users.c.id)
            .where(t.tokens.c.token_hash == token_hash(token))
        ).first()
    if row is None or row.revoked_at is not None or row.expires_at < time.time():
        raise HubError(
            401,
            "the token is unknown, expired or revoked; ask the hub's admin for a new one "
            "(`bazaar hub token create NAME`) and run `bazaar login URL`",
        )
    return user_from_row(row)


def register_key(db: HubDB, user: User, public_key: str, proof_b64: str) -> bool:
    """Link `public_key` to `user` after checking the proof; False when already linked."""
    try:
        parse_public_key(public_key)
        proof = base64.b64decode(proof_b64, validate=True)
        verify_signature(public_key, key_proof_message(user.name, public_key), proof)
    except (BundleError, binascii.Error, ValueError) as exc:
        raise HubError(422, f"cannot register that key: {exc}") from None
    at, _ = stamp()
    with db.writing() as conn:
        owner = conn.execute(
            select(t.keys.c.user_id).where(t.keys.c.public_key == public_key)
        ).scalar()
        if owner == user.id:
            return False
        if owner is not None:
            raise HubError(409, "that public key is registered to another user")
        conn.execute(insert(t.keys).values(user_id=user.id, public_key=public_key, created_at=at))
    return True


def keys_of(db: HubDB, user_ids: list[int]) -> dict[int, list[str]]:
    with db.reading() as conn:
        rows = conn.execute(select(t.keys).where(t.keys.c.user_id.in_(user_ids)))
        found: dict[int, list[str]] = {}
        for row in rows:
            found.setdefault(row.user_id, []).append(row.public_key)
    return found
