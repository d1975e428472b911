"""Community feedback: people chat with a version of main in the browser, rate answers and
write better ones; `bazaar feedback export` turns the feedback into a dataset.

Stored per answer: its author (the hub user), the version, prompt, the model's answer, a rating
(+1 / -1 / none), the better answer the person wrote ("" for none), the licence they chose
(CC-BY-4.0 unless they pick CC0-1.0) and their consent — nothing is stored without consent.
The answer a form sends back must carry the hub's MAC over (version, prompt, answer), so what is
stored as "the model said" is what the model said, not what a form claims.

Example: record(db, model, bob, FeedbackIn(version=v, prompt="Hi", answer="…", mac=…,
rating=1, better="", license="CC0-1.0", consent=True)) -> 7
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select

from modelbazaar.hub import tables as t
from modelbazaar.hub.accounts import User
from modelbazaar.hub.db import HubDB, stamp
from modelbazaar.hub.errors import HubError
from modelbazaar.hub.repos import Model
from modelbazaar.hub.versions import model_versions

LICENSES = ("CC-BY-4.0", "CC0-1.0")
MAX_PROMPT = 2_000  # characters
MAX_ANSWER = 8_000
MAX_BETTER = 4_000


def _secret(db: HubDB) -> bytes:
    """The hub's MAC key for answers: 32 random bytes kept in the data folder (mode 0600)."""
    path = db.config.data / "feedback.key"
    if not path.exists():
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(secrets.token_bytes(32))
        except FileExistsError:  # another worker made it meanwhile
            pass
    return path.read_bytes()


def plain(text: str) -> str:
    """Line ends as the model wrote them: browsers send every form value with CRLF."""
    return text.replace("\r\n", "\n")


def answer_mac(db: HubDB, version: str, prompt: str, answer: str) -> str:
    message = "\x00".join((version, plain(prompt), plain(answer))).encode()
    return hmac.new(_secret(db), message, hashlib.sha256).hexdigest()


def check_prompt(prompt: str) -> str:
    prompt = plain(prompt).strip()
    if not prompt:
        raise HubError(422, "write a message first")
    if len(prompt) > MAX_PROMPT:
        raise HubError(
            422, f"the message has {len(prompt)} characters; at most {MAX_PROMPT} are allowed"
        )
    return prompt


@dataclass(frozen=True)
class FeedbackIn:
    version: str
    prompt: str
    answer: str
    mac: str
    rating: int | None
    better: str
    license: str
    consent: bool


def record(db: HubDB, model: Model, user: User, item: FeedbackIn) -> int:
    """Store one piece of feedback after checking every field; 422 (nothing stored) otherwise."""
    prompt, better = check_prompt(plain(item.prompt)), plain(item.better).strip()
    answer = plain(item.answer)
    if len(answer) > MAX_ANSWER:
        raise HubError(422, f"the answer is longer than {MAX_ANSWER} characters")
    if len(better) > MAX_BETTER:
        raise HubError(
            422,
            f"your better answer has {len(better)} characters; at most {MAX_BETTER} are "
            "allowed: shorten it (nothing was stored)",
        )
    if item.version not in model_versions(db, model):
        raise HubError(422, f"{item.version[:12]} is not a version of {model.name}")
    if not hmac.compare_digest(item.mac, answer_mac(db, item.version, prompt, answer)):
        raise HubError(422, "that answer did not come from this hub's chat; ask again")
    if item.license not in LICENSES:
        raise HubError(422, f"licence must be one of {', '.join(LICENSES)}")
    if item.rating not in (None, 1, -1):
        raise HubError(422, "rate with +1 (good) or -1 (bad), or leave it unrated")
    if not item.consent:
        raise HubError(
            422,
            "tick the consent box: feedback is published under the licence you chose and may "
            "train the model; nothing was stored",
        )
    if item.rating is None and not better:
        raise HubError(422, "rate the answer or write a better one")
    at, _ = stamp()
    with db.writing() as conn:
        result = conn.execute(
            insert(t.feedback).values(
                model_id=model.id,
                version=item.version,
                user_id=user.id,
                prompt=prompt,
                answer=answer,
                rating=item.rating,
                better=better,
                license=item.license,
                consent=1,
                created_at=at,
            )
        )
    return int(result.inserted_primary_key[0])


def list_feedback(db: HubDB, model: Model, limit: int = 100_000) -> list[dict[str, Any]]:
    f = t.feedback
    with db.reading() as conn:
        names = dict(conn.execute(select(t.users.c.id, t.users.c.name)).all())
        rows = conn.execute(select(f).where(f.c.model_id == model.id).order_by(f.c.id).limit(limit))
        return [
            {
                "id": r.id,
                "version": r.version,
                "author": names.get(r.user_id, "?"),
                "prompt": r.prompt,
                "answer": r.answer,
                "rating": r.rating,
                "better": r.better,
                "license": r.license,
                "consent": bool(r.consent),
                "created_at": r.created_at,
            }
            for r in rows
        ]


def count_feedback(db: HubDB, model: Model) -> int:
    from sqlalchemy import func

    with db.reading() as conn:
        return int(
            conn.execute(
                select(func.count())
                .select_from(t.feedback)
                .where(t.feedback.c.model_id == model.id)
            ).scalar()
            or 0
        )
