"""Contributions on the hub: submit (hostile checks first), list, review results, approvals.

A submitted bundle is checked exactly as `bazaar review` checks it before reading a payload
(contrib's `open_bundle`: file size, zip central directory, manifest, signature by a trusted
key, payload hashes, data members, strict safetensors; then the kind and a base that is a
version of this model). Only then is a byte stored: the bundle object, the store's
contribution row, the hub's submission and a review job, in one transaction. A refused bundle
leaves nothing behind.

Trusted keys of a hub model: the recipe's ``maintainers`` and ``trusted_contributors`` plus
the registered keys of its members with the role contributor or maintainer — on a hub, giving
someone that role is how a maintainer lists them.

Example: submit(db, model, alice, Path("/tmp/upload")) -> {"id": 7, "contribution": "8c96…"}
"""

from __future__ import annotations

import base64
import binascii
import json
import time
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select, update

from modelbazaar.contrib import BundleLimits, check_base_known, open_bundle
from modelbazaar.contrib.keys import verify_signature
from modelbazaar.errors import BazaarError, BundleError
from modelbazaar.hub import tables as t
from modelbazaar.hub.accounts import User, keys_of
from modelbazaar.hub.db import HubDB, stamp
from modelbazaar.hub.errors import HubError, not_found
from modelbazaar.hub.jobs import enqueue
from modelbazaar.hub.protocol import approval_message
from modelbazaar.hub.repos import Model, register_object
from modelbazaar.hub.source import SourceTree
from modelbazaar.hub.versions import model_versions
from modelbazaar.recipe import Recipe, parse_recipe

STATES = ("queued", "reviewing", "accepted", "rejected", "merged", "failed")
HOUR = 3600.0


def model_recipe(db: HubDB, model: Model) -> Recipe:
    """The recipe of the model's pushed source (409 before the first push)."""
    if not model.source:
        raise HubError(409, f"{model.name} has no source yet; its maintainer runs `bazaar push`")
    tree = SourceTree.from_bytes(db.store.objects.get_bytes(model.source))
    entry = next((f for f in tree.files if f.path == "bazaar.toml"), None)
    if entry is None:
        raise HubError(409, f"the source of {model.name} has no bazaar.toml")
    try:
        return parse_recipe(db.store.objects.get_bytes(entry.sha256).decode("utf-8"))
    except (BazaarError, UnicodeDecodeError) as exc:
        raise HubError(409, f"the pushed bazaar.toml of {model.name} is broken: {exc}") from None


def trusted_keys(db: HubDB, model: Model, recipe: Recipe) -> set[str]:
    with db.reading() as conn:
        ids = list(
            conn.execute(
                select(t.members.c.user_id).where(
                    (t.members.c.model_id == model.id)
                    & t.members.c.role.in_(("contributor", "maintainer"))
                )
            ).scalars()
        )
    registered = {k for keys in keys_of(db, ids).values() for k in keys}
    return set(recipe.maintainers) | set(recipe.trusted_contributors) | registered


def check_rate(db: HubDB, user: User) -> None:
    limit = db.config.limits.submissions_per_hour
    with db.reading() as conn:
        recent = conn.execute(
            select(func.count())
            .select_from(t.submissions)
            .where(
                (t.submissions.c.submitter == user.id)
                & (t.submissions.c.created_ts > time.time() - HOUR)
            )
        ).scalar()
    if recent >= limit:
        raise HubError(
            429, f"at most {limit} submissions per hour per user; wait and submit again later"
        )


def submit(db: HubDB, model: Model, user: User, upload: Path, digest: str) -> dict[str, Any]:
    """Check an uploaded bundle (the temp file `upload`, sha256 `digest`) and queue its review."""
    try:
        recipe = model_recipe(db, model)
        limits = BundleLimits(max_archive_bytes=db.config.limits.max_bundle_bytes)
        try:
            bundle = open_bundle(
                upload,
                limits=limits,
                # as `bazaar review`: require_signature = false accepts any (or no) signer
                trusted_keys=(
                    trusted_keys(db, model, recipe) if recipe.policy.require_signature else None
                ),
                require_signature=recipe.policy.require_signature,
            )
            if bundle.manifest.kind != "adapter" or bundle.manifest.adapter_config is None:
                raise BundleError(
                    "only adapter bundles can be reviewed yet (data donations: later)"
                )
            check_base_known(bundle.manifest, model_versions(db, model).__contains__)
        except BundleError as exc:
            raise HubError(422, f"bundle refused, nothing stored: {exc}") from None
        existing = submission_by_contribution(db, model, bundle.id)
        if existing:
            raise HubError(
                409, f"contribution {bundle.id[:12]} was already submitted ({existing['state']})"
            )
        db.store.objects.put_verified_file(upload, digest)  # the verified bytes, nothing else
    finally:
        upload.unlink(missing_ok=True)
    manifest = bundle.manifest
    at, ts = stamp()
    with db.writing() as conn:
        register_object(db, model, digest, conn)
        db.store.catalogue.add_contribution(
            {
                "id": bundle.id,
                "base": manifest.base_version,
                "task": manifest.task,
                "author": manifest.author,
                "license": manifest.license,
                "manifest": manifest.model_dump(mode="json"),
                "bundle": digest,
            },
            conn,
        )
        result = conn.execute(
            insert(t.submissions).values(
                model_id=model.id,
                contribution=bundle.id,
                bundle=digest,
                submitter=user.id,
                task=manifest.task,
                author=manifest.author,
                state="queued",
                reasons="[]",
                reports="{}",
                created_at=at,
                created_ts=ts,
                updated_at=at,
            )
        )
        submission_id = int(result.inserted_primary_key[0])
        job = enqueue(conn, model.id, "review", submission_id)
    return {"id": submission_id, "contribution": bundle.id, "state": "queued", "job": job}


def _row(r: Any, approvals: dict[int, list[str]], names: dict[int, str]) -> dict[str, Any]:
    return {
        "id": r.id,
        "contribution": r.contribution,
        "bundle": r.bundle,
        "task": r.task,
        "author": r.author,
        "submitter": names.get(r.submitter, "?"),
        "state": r.state,
        "reasons": json.loads(r.reasons),
        "reports": json.loads(r.reports),
        "approvals": approvals.get(r.id, []),
        "created_at": r.created_at,
        "updated_at": r.updated_at,
    }


def list_submissions(db: HubDB, model: Model, where: Any = None) -> list[dict[str, Any]]:
    s = t.submissions
    query = select(s).where(s.c.model_id == model.id).order_by(s.c.id)
    if where is not None:
        query = query.where(where)
    with db.reading() as conn:
        rows = list(conn.execute(query))
        ids = [r.id for r in rows]
        approvals: dict[int, list[str]] = {}
        for a in conn.execute(
            select(t.approvals.c.submission_id, t.users.c.name)
            .join(t.users, t.users.c.id == t.approvals.c.user_id)
            .where(t.approvals.c.submission_id.in_(ids))
        ):
            approvals.setdefault(a.submission_id, []).append(a.name)
        names = dict(conn.execute(select(t.users.c.id, t.users.c.name)).all())
    return [_row(r, approvals, names) for r in rows]


def submission_by_contribution(db: HubDB, model: Model, ref: str) -> dict[str, Any] | None:
    """The submission whose contribution id is `ref` or starts with it (8+ digits)."""
    if len(ref) < 8 or any(c not in "0123456789abcdef" for c in ref):
        raise HubError(422, f"{ref[:70]!r}: give a contribution id (8 or more hex digits)")
    rows = list_submissions(db, model, t.submissions.c.contribution.startswith(ref))
    if len(rows) > 1:
        raise HubError(422, f"{ref} matches {len(rows)} contributions; give more digits")
    return rows[0] if rows else None


def approve(
    db: HubDB, model: Model, user: User, ref: str, public_key: str, signature: str
) -> dict[str, Any]:
    found = submission_by_contribution(db, model, ref)
    if found is None:
        raise not_found(f"contribution {ref[:16]} of {model.name}")
    if found["state"] != "accepted":
        raise HubError(
            409, f"contribution {ref[:12]} is {found['state']}; only accepted ones are approved"
        )
    if public_key not in keys_of(db, [user.id]).get(user.id, []):
        raise HubError(
            422, "sign with one of your registered keys (`bazaar login` registers your key)"
        )
    try:
        raw = base64.b64decode(signature, validate=True)
        message = approval_message(model.name, found["contribution"], found["bundle"])
        verify_signature(public_key, message, raw)
    except (BundleError, binascii.Error, ValueError) as exc:
        raise HubError(422, f"approval signature refused: {exc}") from None
    at, _ = stamp()
    with db.writing() as conn:
        a = t.approvals
        key = (a.c.submission_id == found["id"]) & (a.c.user_id == user.id)
        if not conn.execute(select(a.c.id).where(key)).first():
            conn.execute(
                insert(a).values(
                    submission_id=found["id"],
                    user_id=user.id,
                    public_key=public_key,
                    signature=signature,
                    created_at=at,
                )
            )
    return {"contribution": found["contribution"], "approved_by": user.name}


def record_review(conn: Any, db: HubDB, submission_id: int, result: dict[str, Any]) -> None:
    """Store a worker's verdict inside the caller's transaction (which also closes the job)."""
    s = t.submissions
    row = conn.execute(select(s).where(s.c.id == submission_id)).one()
    verdict = result["verdict"]
    if verdict in ("accept", "reject"):
        db.store.catalogue.add_review(
            {
                "contribution": row.contribution,
                "candidate": result.get("candidate"),
                "verdict": verdict,
                "reasons": result["reasons"],
                "report": result.get("report") or {},
            },
            conn,
        )
    at, _ = stamp()
    conn.execute(
        update(s)
        .where(s.c.id == submission_id)
        .values(
            state="accepted" if verdict == "accept" else "rejected",
            reasons=json.dumps(result["reasons"]),
            reports=json.dumps(result.get("reports") or {}),
            updated_at=at,
        )
    )


MAX_REASON = 2_000


def reject(db: HubDB, model: Model, user: User, ref: str, reason: str) -> dict[str, Any]:
    """A maintainer turns down a queued, reviewing or accepted contribution, saying why."""
    reason = (reason or "").strip()
    if not reason or len(reason) > MAX_REASON:
        raise HubError(422, f"give a reason (1 to {MAX_REASON} characters): the author reads it")
    found = submission_by_contribution(db, model, ref)
    if found is None:
        raise not_found(f"contribution {ref[:16]} of {model.name}")
    if found["state"] not in ("queued", "reviewing", "accepted"):
        raise HubError(409, f"contribution {ref[:12]} is {found['state']}; it cannot be rejected")
    at, _ = stamp()
    reasons = [*found["reasons"], f"rejected by maintainer {user.name}: {reason}"]
    s = t.submissions
    with db.writing() as conn:
        conn.execute(
            update(s)
            .where(s.c.id == found["id"])
            .values(state="rejected", reasons=json.dumps(reasons), updated_at=at)
        )
    return {"contribution": found["contribution"], "state": "rejected", "reasons": reasons}
