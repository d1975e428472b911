"""/api/v1/jobs: workers claim review and merge jobs under a lease and post their results."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, Field
from sqlalchemy import select

from modelbazaar.hub import tables as t
from modelbazaar.hub.accounts import User
from modelbazaar.hub.auth import current_user, hub_db, require_worker
from modelbazaar.hub.contributions import (
    list_submissions,
    model_recipe,
    record_review,
    trusted_keys,
)
from modelbazaar.hub.db import HubDB
from modelbazaar.hub.errors import HubError, not_found
from modelbazaar.hub.jobs import Job, claim, finish, give_back, heartbeat
from modelbazaar.hub.merges import get_merge, record_merge
from modelbazaar.hub.repos import Model, missing_objects

router = APIRouter(tags=["jobs"])
Db = Depends(hub_db)
Who = Depends(current_user)


class LeaseIn(BaseModel):
    lease: str = Field(max_length=100)


class FailIn(LeaseIn):
    error: str = Field(max_length=20_000)


class ResultIn(LeaseIn):
    verdict: Literal["accept", "reject", "refused"]
    reasons: list[str] = Field(default_factory=list, max_length=500)
    report: dict[str, Any] | None = None  # the review's JSON report
    reports: dict[str, str] = Field(default_factory=dict, max_length=8)  # format -> object
    candidate: str | None = Field(None, pattern=r"^[0-9a-f]{64}$")
    version: str | None = Field(None, pattern=r"^[0-9a-f]{64}$")  # a merge's pushed version


def _model(db: HubDB, model_id: int) -> Model:
    with db.reading() as conn:
        row = conn.execute(select(t.models).where(t.models.c.id == model_id)).one()
    return Model(row.id, row.name, row.visibility, row.source)


def _job_row(db: HubDB, job_id: int) -> Any:
    with db.reading() as conn:
        row = conn.execute(select(t.jobs).where(t.jobs.c.id == job_id)).first()
    if row is None:
        raise not_found(f"job {job_id}")
    return row


def payload(db: HubDB, job: Job) -> dict[str, Any]:
    """Everything a worker needs to run the job: the model, the subject, the trusted keys."""
    model = _model(db, job.model_id)
    body: dict[str, Any] = {
        "id": job.id,
        "kind": job.kind,
        "lease": job.lease,
        "lease_seconds": db.config.lease_seconds,
        "attempt": job.attempts,
        "model": model.name,
        "trusted_keys": sorted(trusted_keys(db, model, model_recipe(db, model))),
    }
    if job.kind == "review":
        found = list_submissions(db, model, t.submissions.c.id == job.subject)
        body["submission"] = found[0]
    else:
        merge = get_merge(db, model, job.subject)
        subs = list_submissions(db, model, t.submissions.c.id.in_(merge["request"]["submissions"]))
        for sub in subs:
            reviews = db.store.catalogue.reviews_for(sub["contribution"])
            sub["review"] = {k: reviews[-1][k] for k in ("verdict", "reasons", "candidate")}
        body["merge"] = merge | {"contributions": subs}
    return body


@router.post("/jobs/claim", response_model=None)
def jobs_claim(db: HubDB = Db, user: User | None = Who) -> dict[str, Any] | Response:
    """Claim the next job with a lease (204 when the queue is empty)."""
    worker = require_worker(user)
    while (job := claim(db, worker)) is not None:
        try:
            return payload(db, job)
        except HubError as exc:  # e.g. the model's recipe is broken: the job cannot run
            give_back(db, job.id, job.lease, exc.message)
    return Response(status_code=204)


@router.post("/jobs/{job_id}/heartbeat")
def jobs_heartbeat(
    job_id: int, body: LeaseIn, db: HubDB = Db, user: User | None = Who
) -> dict[str, Any]:
    """Extend the lease (409: it was lost; stop working on the job)."""
    require_worker(user)
    return {"lease_expires": heartbeat(db, job_id, body.lease)}


@router.post("/jobs/{job_id}/fail")
def jobs_fail(job_id: int, body: FailIn, db: HubDB = Db, user: User | None = Who) -> dict[str, Any]:
    """The worker could not run the job: it goes back to the queue (or fails after retries)."""
    require_worker(user)
    return {"state": give_back(db, job_id, body.lease, body.error)}


@router.post("/jobs/{job_id}/result")
def jobs_result(
    job_id: int, body: ResultIn, db: HubDB = Db, user: User | None = Who
) -> dict[str, Any]:
    """Post the verdict; counted only with the current lease (409 otherwise)."""
    worker = require_worker(user)
    row = _job_row(db, job_id)
    model = _model(db, row.model_id)
    result = body.model_dump()
    result["reasons"] = [r[:5000] for r in body.reasons]
    if missing_objects(db, model, list(body.reports.values())):
        raise HubError(422, "upload the report objects before posting the result")
    if row.kind == "review":
        with db.writing() as conn:
            finish(conn, job_id, body.lease)
            record_review(conn, db, row.subject, result)
        return {"state": "accepted" if body.verdict == "accept" else "rejected"}
    return {"state": record_merge(db, model, job_id, body.lease, row.subject, worker, result)}
