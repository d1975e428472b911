"""The job queue: review and merge jobs claimed by workers under a lease.

A claim takes the oldest job that is queued, or running with an expired lease (its worker died
or lost the network), and gives the claimer a lease: a random secret (the hub keeps only its
hash) valid for `lease_seconds`, extended by heartbeats. On PostgreSQL the claim is
``SELECT … FOR UPDATE SKIP LOCKED``, so claimers never wait on each other and never get the same
row; on SQLite the claim runs under the store's writer lock (one writer at a time), which gives
the same guarantee.

A result counts only with the current lease, checked inside the transaction that records it:
a worker whose lease expired and was re-claimed is told so (409), so a job is never done twice,
and a job whose worker died goes back to the queue, so none is lost. A job that failed
`max_attempts` times is marked failed with its last error.

Example::

    job = claim(db, worker)              # Job(id=3, kind="review", lease="…") or None
    heartbeat(db, job.id, job.lease)     # keep it
    with db.writing() as conn:
        finish(conn, job.id, job.lease)  # + record the result in the same transaction
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from dataclasses import dataclass

from sqlalchemy import Connection, Row, Select, insert, select, update

from modelbazaar.hub import tables as t
from modelbazaar.hub.accounts import User
from modelbazaar.hub.db import HubDB, stamp
from modelbazaar.hub.errors import HubError

KINDS = ("review", "merge")


class LeaseLost(HubError):
    """The worker's lease is not (or no longer) the job's: its result must be dropped."""

    def __init__(self, job_id: int) -> None:
        super().__init__(
            409,
            f"job {job_id}: your lease is no longer valid (it expired and the job went back to "
            "the queue, or it is finished); drop this result",
        )


@dataclass(frozen=True)
class Job:
    id: int
    kind: str
    subject: int  # submission id (review) or merge id (merge)
    model_id: int
    lease: str  # the secret; only its hash is stored
    lease_expires: float
    attempts: int


def _hash(lease: str) -> str:
    return hashlib.sha256(lease.encode()).hexdigest()


def enqueue(conn: Connection, model_id: int, kind: str, subject: int) -> int:
    """Queue a job inside the caller's transaction; return its id."""
    at, _ = stamp()
    result = conn.execute(
        insert(t.jobs).values(
            model_id=model_id,
            kind=kind,
            subject=subject,
            state="queued",
            attempts=0,
            created_at=at,
            updated_at=at,
        )
    )
    return int(result.inserted_primary_key[0])


def _claimable(now: float) -> Select:
    j = t.jobs
    ready = (j.c.state == "queued") | ((j.c.state == "running") & (j.c.lease_expires < now))
    return select(j).where(ready).order_by(j.c.id).limit(1).with_for_update(skip_locked=True)


def claim(db: HubDB, worker: User) -> Job | None:
    """The next job with a fresh lease for `worker`, or None when the queue is empty."""
    while True:
        if db.is_postgres:  # row locks + SKIP LOCKED: claimers never wait for each other
            with db.engine.begin() as conn:
                job, retry = _claim_in(conn, db, worker)
        else:  # SQLite: BEGIN IMMEDIATE under the writer lock; one claimer at a time
            with db.writing() as conn:
                job, retry = _claim_in(conn, db, worker)
        if not retry:
            return job


def _claim_in(conn: Connection, db: HubDB, worker: User) -> tuple[Job | None, bool]:
    """(job, False) on a claim, (None, False) when empty, (None, True) when the row taken was
    given up as failed (exhausted attempts) and the caller should look again."""
    at, now = stamp()
    row = conn.execute(_claimable(now)).first()
    if row is None:
        return None, False
    if row.attempts >= db.config.max_attempts:
        error = row.error or "its workers kept dying or losing their lease"
        fail_subject(conn, row.kind, row.subject, f"gave up after {row.attempts} attempts: {error}")
        conn.execute(
            update(t.jobs).where(t.jobs.c.id == row.id).values(state="failed", updated_at=at)
        )
        return None, True
    lease = secrets.token_urlsafe(24)
    expires = now + db.config.lease_seconds
    conn.execute(
        update(t.jobs)
        .where(t.jobs.c.id == row.id)
        .values(
            state="running",
            lease_token=_hash(lease),
            lease_owner=worker.id,
            lease_expires=expires,
            attempts=row.attempts + 1,
            updated_at=at,
        )
    )
    _mark_started(conn, row.kind, row.subject)
    return Job(row.id, row.kind, row.subject, row.model_id, lease, expires, row.attempts + 1), False


def _mark_started(conn: Connection, kind: str, subject: int) -> None:
    at, _ = stamp()
    if kind == "review":
        s = t.submissions
        conn.execute(
            update(s)
            .where((s.c.id == subject) & (s.c.state == "queued"))
            .values(state="reviewing", updated_at=at)
        )
    else:
        m = t.merges
        conn.execute(
            update(m)
            .where((m.c.id == subject) & (m.c.state == "queued"))
            .values(state="running", updated_at=at)
        )


def fail_subject(conn: Connection, kind: str, subject: int, error: str) -> None:
    at, _ = stamp()
    table = t.submissions if kind == "review" else t.merges
    conn.execute(
        update(table)
        .where(table.c.id == subject)
        .values(state="failed", reasons=json.dumps([error[:2000]]), updated_at=at)
    )


def job_for_lease(conn: Connection, job_id: int, lease: str) -> Row:
    """The running job row whose lease is `lease`, read inside the caller's transaction;
    409 when the lease is not (or no longer) this worker's."""
    row = conn.execute(select(t.jobs).where(t.jobs.c.id == job_id)).first()
    if row is None or row.state != "running" or row.lease_token != _hash(lease or ""):
        raise LeaseLost(job_id)
    return row


def heartbeat(db: HubDB, job_id: int, lease: str) -> float:
    """Extend the lease; return its new expiry (409 when the lease was lost)."""
    with db.writing() as conn:
        job_for_lease(conn, job_id, lease)
        expires = time.time() + db.config.lease_seconds
        conn.execute(update(t.jobs).where(t.jobs.c.id == job_id).values(lease_expires=expires))
    return expires


def finish(conn: Connection, job_id: int, lease: str, state: str = "done") -> None:
    """Close the job inside the caller's transaction (which records its result)."""
    job_for_lease(conn, job_id, lease)
    at, _ = stamp()
    conn.execute(
        update(t.jobs)
        .where(t.jobs.c.id == job_id)
        .values(state=state, lease_token=None, lease_expires=None, updated_at=at)
    )


def give_back(db: HubDB, job_id: int, lease: str, error: str) -> str:
    """A worker could not finish (it crashed on this job): requeue it, or fail it for good
    after `max_attempts`. Returns the job's new state."""
    with db.writing() as conn:
        row = job_for_lease(conn, job_id, lease)
        at, _ = stamp()
        state = "failed" if row.attempts >= db.config.max_attempts else "queued"
        conn.execute(
            update(t.jobs)
            .where(t.jobs.c.id == job_id)
            .values(
                state=state, lease_token=None, lease_expires=None, error=error[:2000], updated_at=at
            )
        )
        if state == "failed":
            fail_subject(conn, row.kind, row.subject, f"the worker failed: {error}")
    return state


def job_counts(db: HubDB) -> dict[str, int]:
    with db.reading() as conn:
        rows = conn.execute(select(t.jobs.c.state))
        counts: dict[str, int] = {}
        for (state,) in rows:
            counts[state] = counts.get(state, 0) + 1
    return counts
