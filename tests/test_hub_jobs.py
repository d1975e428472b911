"""The job queue on SQLite and on a real PostgreSQL: leases expire and jobs come back, a stale
worker's result is refused, claims never overlap (FOR UPDATE SKIP LOCKED on PostgreSQL), and
the hub refuses a database written by a newer modelbazaar."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import insert, inspect, select, text

from modelbazaar.errors import StoreError
from modelbazaar.hub import tables as t
from modelbazaar.hub.accounts import add_user
from modelbazaar.hub.db import HubConfig, HubDB, stamp
from modelbazaar.hub.errors import HubError
from modelbazaar.hub.jobs import claim, enqueue, finish, give_back
from modelbazaar.hub.migrations import HUB_MIGRATIONS
from modelbazaar.hub.repos import create_model
from tests.helpers import bazaar_exit_code


def _hub(tmp_path: Path, url: str | None, **config: object) -> HubDB:
    return HubDB.open(HubConfig(data=tmp_path / "hub", database_url=url, **config))  # type: ignore[arg-type]


def _queue(db: HubDB, n: int) -> list[int]:
    """`n` review jobs on one model, each with its submission row."""
    user = add_user(db, "alice")
    model = create_model(db, "m", user, "public")
    at, ts = stamp()
    ids = []
    with db.writing() as conn:
        for i in range(n):
            row = conn.execute(
                insert(t.submissions).values(
                    model_id=model.id,
                    contribution=f"{i:064x}",
                    bundle="0" * 64,
                    submitter=user.id,
                    task="x",
                    author="k",
                    state="queued",
                    reasons="[]",
                    reports="{}",
                    created_at=at,
                    created_ts=ts,
                    updated_at=at,
                )
            )
            ids.append(enqueue(conn, model.id, "review", int(row.inserted_primary_key[0])))
    return ids


def _state(db: HubDB, table, row_id: int) -> str:
    with db.reading() as conn:
        return conn.execute(select(table.c.state).where(table.c.id == row_id)).scalar()


def test_a_dead_workers_lease_expires_and_the_job_returns(hub_database, tmp_path) -> None:
    db = _hub(tmp_path, hub_database, lease_seconds=0.5)
    (job_id,) = _queue(db, 1)
    one, two = add_user(db, "w1", worker=True), add_user(db, "w2", worker=True)
    first = claim(db, one)
    assert first is not None and first.id == job_id and first.attempts == 1
    assert _state(db, t.submissions, first.subject) == "reviewing"
    assert claim(db, two) is None  # leased: nobody else gets it
    time.sleep(0.7)  # w1 "died": no heartbeat
    second = claim(db, two)
    assert second is not None and second.id == job_id and second.attempts == 2
    with pytest.raises(HubError) as stale, db.writing() as conn:
        finish(conn, job_id, first.lease)  # w1 wakes up: its result is refused
    assert stale.value.status == 409
    with db.writing() as conn:
        finish(conn, job_id, second.lease)
    assert _state(db, t.jobs, job_id) == "done" and claim(db, one) is None


def test_a_job_that_keeps_failing_is_given_up(hub_database, tmp_path) -> None:
    db = _hub(tmp_path, hub_database, max_attempts=2)
    (job_id,) = _queue(db, 1)
    worker = add_user(db, "w", worker=True)
    for state in ("queued", "failed"):
        job = claim(db, worker)
        assert job is not None and give_back(db, job.id, job.lease, "boom") == state
    assert claim(db, worker) is None
    with db.reading() as conn:
        row = conn.execute(select(t.submissions)).one()
    assert row.state == "failed" and "boom" in row.reasons


def test_claims_never_overlap(hub_database, tmp_path) -> None:
    db = _hub(tmp_path, hub_database)
    ids = _queue(db, 24)
    workers = [add_user(db, f"w{i}", worker=True) for i in range(6)]
    got: list[int] = []
    lock = threading.Lock()

    def drain(worker) -> None:
        while (job := claim(db, worker)) is not None:
            with lock:
                got.append(job.id)
            with db.writing() as conn:
                finish(conn, job.id, job.lease)

    threads = [threading.Thread(target=drain, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(got) == ids  # every job exactly once
    if hub_database:  # the claim query really locks rows and skips locked ones on PostgreSQL
        from modelbazaar.hub.jobs import _claimable

        sql = str(_claimable(0.0).compile(db.engine))
        assert "FOR UPDATE SKIP LOCKED" in sql


def test_hub_tables_match_their_migrations(hub_database, tmp_path) -> None:
    db = _hub(tmp_path, hub_database)
    with db.engine.connect() as conn:
        inspector = inspect(conn)
        for table in t.metadata.sorted_tables:
            columns = [(c["name"], c["nullable"]) for c in inspector.get_columns(table.name)]
            assert columns == [(c.name, c.nullable) for c in table.columns], table.name
        done = conn.execute(text("SELECT name FROM _hub_migrations ORDER BY name")).scalars()
        assert list(done) == [m.name for m in HUB_MIGRATIONS]


def test_a_newer_database_is_refused(hub_database, tmp_path, capsys) -> None:
    db = _hub(tmp_path, hub_database)
    with db.writing() as conn:
        conn.execute(text("INSERT INTO _hub_migrations (name) VALUES ('hub999_from_the_future')"))
    db.engine.dispose()
    with pytest.raises(StoreError, match="newer modelbazaar"):
        _hub(tmp_path, hub_database)
    args = ["hub", "serve", "--data", str(tmp_path / "hub"), "--port", "1"]
    if hub_database:
        args += ["--database-url", hub_database]
    assert bazaar_exit_code(args) == 2  # refused before the port opens
    assert "hub999_from_the_future" in capsys.readouterr().err
