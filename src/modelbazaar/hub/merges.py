"""Merge requests: approved contributions -> a worker merges and reviews -> the hub moves main.

A maintainer asks; the hub checks every contribution is accepted and approved by as many
maintainers as ``[policy] approvals`` demands, remembers where ``main`` was, and queues a job.
A worker runs the CLI's own `merge` workflow (merged version, reviewed against main) and
reports the verdict with the version it pushed. The hub then moves ``main`` by compare-and-swap
from the remembered version — in the same transaction that closes the job, re-checks the
approvals, writes the audit row and marks the contributions merged — only on a passing review.
Two merges racing for one ``main``: the first wins, the second is marked ``conflict`` and its
requester is told to run it again; nothing is half done.

Example: request_merge(db, model, alice, {"contributions": ["8c96…"], …}) -> {"id": 2, …}
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from modelbazaar.errors import BazaarError
from modelbazaar.hub import tables as t
from modelbazaar.hub.accounts import User
from modelbazaar.hub.contributions import model_recipe, submission_by_contribution
from modelbazaar.hub.db import HubDB, stamp
from modelbazaar.hub.errors import HubError, not_found
from modelbazaar.hub.jobs import enqueue, finish
from modelbazaar.hub.repos import Model, RefConflict, move_ref, refs_of
from modelbazaar.hub.versions import model_versions
from modelbazaar.merge import check_method

MAX_CONTRIBUTIONS = 32


def request_merge(db: HubDB, model: Model, user: User, request: dict[str, Any]) -> dict[str, Any]:
    ids = request["contributions"]
    if not 1 <= len(ids) <= MAX_CONTRIBUTIONS:
        raise HubError(422, f"give 1 to {MAX_CONTRIBUTIONS} contributions to merge")
    try:
        check_method(request["method"])
    except BazaarError as exc:
        raise HubError(422, str(exc)) from None
    weights = request.get("weights") or [1.0] * len(ids)
    if len(weights) != len(ids) or not 0 < request["density"] <= 1:
        raise HubError(422, "give one weight per contribution and a density in (0, 1]")
    main = refs_of(db, model).get("main")
    if main is None:
        raise HubError(409, f"{model.name} has no main yet; push one first")
    needed = model_recipe(db, model).policy.approvals
    found = []
    for ref in ids:
        sub = submission_by_contribution(db, model, ref)
        if sub is None:
            raise not_found(f"contribution {ref[:16]} of {model.name}")
        if sub["state"] != "accepted":
            raise HubError(409, f"contribution {ref[:12]} is {sub['state']}, not accepted")
        if len(sub["approvals"]) < needed:
            raise HubError(
                409,
                f"contribution {ref[:12]} has {len(sub['approvals'])} of the {needed} approvals "
                "[policy] needs; a maintainer runs `bazaar approve`",
            )
        found.append(sub)
    if len({s["contribution"] for s in found}) != len(found):
        raise HubError(422, "the same contribution is given twice; give each once")
    stored = {
        "contributions": [s["contribution"] for s in found],
        "submissions": [s["id"] for s in found],
        "method": request["method"],
        "density": request["density"],
        "weights": weights,
        "seed": request.get("seed", 0),
    }
    at, _ = stamp()
    with db.writing() as conn:
        result = conn.execute(
            insert(t.merges).values(
                model_id=model.id,
                requested_by=user.id,
                request=json.dumps(stored),
                expected_main=main["version"],
                state="queued",
                reasons="[]",
                created_at=at,
                updated_at=at,
            )
        )
        merge_id = int(result.inserted_primary_key[0])
        job = enqueue(conn, model.id, "merge", merge_id)
    return {"id": merge_id, "state": "queued", "job": job, "expected_main": main["version"]}


def get_merge(db: HubDB, model: Model, merge_id: int) -> dict[str, Any]:
    m = t.merges
    with db.reading() as conn:
        row = conn.execute(
            select(m).where((m.c.id == merge_id) & (m.c.model_id == model.id))
        ).first()
    if row is None:
        raise not_found(f"merge {merge_id} of {model.name}")
    return merge_row(row)


def merges_with(db: HubDB, model: Model, submission_id: int) -> list[dict[str, Any]]:
    """Every merge request of `model` that names the submission, newest first."""
    m = t.merges
    with db.reading() as conn:
        rows = conn.execute(
            select(m).where(m.c.model_id == model.id).order_by(m.c.id.desc()).limit(2_000)
        )
        found = [merge_row(r) for r in rows]
    return [f for f in found if submission_id in f["request"].get("submissions", [])]


def merge_row(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "state": row.state,
        "request": json.loads(row.request),
        "expected_main": row.expected_main,
        "version": row.version,
        "reasons": json.loads(row.reasons),
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }


def _approvals_hold(conn: Connection, submissions: list[int], needed: int) -> bool:
    for sid in submissions:
        count = conn.execute(
            select(func.count()).select_from(t.approvals).where(t.approvals.c.submission_id == sid)
        ).scalar()
        if count < needed:
            return False
    return True


def _close(
    db: HubDB,
    job_id: int,
    lease: str,
    merge_id: int,
    state: str,
    reasons: list[str],
    version: str | None,
) -> None:
    at, _ = stamp()
    with db.writing() as conn:
        finish(conn, job_id, lease)
        conn.execute(
            update(t.merges)
            .where(t.merges.c.id == merge_id)
            .values(state=state, reasons=json.dumps(reasons), version=version, updated_at=at)
        )


def record_merge(
    db: HubDB,
    model: Model,
    job_id: int,
    lease: str,
    merge_id: int,
    worker: User,
    result: dict[str, Any],
) -> str:
    """Apply a worker's merge verdict; return the merge's final state."""
    merge = get_merge(db, model, merge_id)
    version, reasons = result.get("version"), list(result.get("reasons") or [])
    if result["verdict"] != "accept" or not version:
        _close(
            db,
            job_id,
            lease,
            merge_id,
            "rejected",
            reasons or ["the merged model was rejected"],
            version,
        )
        return "rejected"
    if version not in model_versions(db, model):
        raise HubError(422, f"merged version {version[:12]} was not pushed to {model.name} first")
    needed = model_recipe(db, model).policy.approvals
    request = merge["request"]
    requester = _user_name(db, merge_id)

    def land(conn: Connection) -> None:  # same transaction as the ref move
        finish(conn, job_id, lease)
        if not _approvals_hold(conn, request["submissions"], needed):
            raise RefConflict(409, "an approval was withdrawn meanwhile; main was not moved")
        at, _ = stamp()
        conn.execute(
            update(t.merges)
            .where(t.merges.c.id == merge_id)
            .values(state="merged", version=version, reasons=json.dumps(reasons), updated_at=at)
        )
        conn.execute(
            update(t.submissions)
            .where(t.submissions.c.id.in_(request["submissions"]))
            .values(state="merged", updated_at=at)
        )

    why = (
        f"merge #{merge_id} of {', '.join(c[:12] for c in request['contributions'])} "
        f"({request['method']}), requested by {requester}, reviewed by worker {worker.name}"
    )
    try:
        move_ref(
            db,
            model,
            "main",
            version,
            expected=merge["expected_main"],
            kind="branch",
            actor=requester,
            why=why,
            reason="merging",
            also=land,
        )
    except RefConflict as exc:  # rolled back: main, the job and the merge are as they were
        current = refs_of(db, model).get("main", {}).get("version", "")
        moved = current != merge["expected_main"]
        note = (
            f"main moved from {merge['expected_main'][:12]} to {current[:12]} while merging; "
            "run `bazaar merge --remote` again"
            if moved
            else exc.message
        )
        _close(db, job_id, lease, merge_id, "conflict", [note], version)
        return "conflict"
    return "merged"


def _user_name(db: HubDB, merge_id: int) -> str:
    with db.reading() as conn:
        return (
            conn.execute(
                select(t.users.c.name)
                .join(t.merges, t.merges.c.requested_by == t.users.c.id)
                .where(t.merges.c.id == merge_id)
            ).scalar()
            or "?"
        )
