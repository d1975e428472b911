"""Browser sessions: log in with a token, get a cookie; every form carries the session's CSRF
token.

The cookie holds 256 random bits; the database keeps only their sha256 with the user, the token
used to log in (revoking it ends the session) and the CSRF token. Sessions last at most a week
and never beyond the token's own expiry.

Example: sid, csrf = open_session(db, "bzr_…")  ->  session_user(db, sid) -> (alice, csrf)
"""

from __future__ import annotations

import secrets
import time

from sqlalchemy import delete, insert, select

from modelbazaar.hub import tables as t
from modelbazaar.hub.accounts import User, token_hash, user_for_token, user_from_row
from modelbazaar.hub.db import HubDB, stamp

SESSION_SECONDS = 7 * 86_400.0


def open_session(db: HubDB, token: str) -> tuple[str, str]:
    """(session id for the cookie, CSRF token); 401 for a bad token."""
    user_for_token(db, token)  # unknown, expired or revoked: 401 with what to do
    sid, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    at, ts = stamp()
    with db.writing() as conn:
        tok = conn.execute(
            select(t.tokens.c.id, t.tokens.c.user_id, t.tokens.c.expires_at).where(
                t.tokens.c.token_hash == token_hash(token)
            )
        ).one()
        conn.execute(
            insert(t.sessions).values(
                session_hash=token_hash(sid),
                user_id=tok.user_id,
                token_id=tok.id,
                csrf=csrf,
                created_at=at,
                expires_at=min(ts + SESSION_SECONDS, tok.expires_at),
            )
        )
    return sid, csrf


def session_user(db: HubDB, sid: str) -> tuple[User, str] | None:
    """(user, CSRF token) of a live session; None for an unknown, expired or revoked one."""
    s, tk = t.sessions, t.tokens
    with db.reading() as conn:
        row = conn.execute(
            select(t.users, s.c.csrf, s.c.expires_at, tk.c.revoked_at)
            .join(s, s.c.user_id == t.users.c.id)
            .join(tk, tk.c.id == s.c.token_id)
            .where(s.c.session_hash == token_hash(sid))
        ).first()
    if row is None or row.revoked_at is not None or row.expires_at < time.time():
        return None
    return user_from_row(row), row.csrf


def close_session(db: HubDB, sid: str) -> None:
    with db.writing() as conn:
        conn.execute(delete(t.sessions).where(t.sessions.c.session_hash == token_hash(sid)))
