"""Many clients at once: 8 pushes of overlapping objects into one model and into eight, and
4 workers draining one queue over HTTP — no duplicate or torn writes, no job done twice.
The big run (`-m slow`): 4 real workers review 8 real bundles while 8 clients push."""

from __future__ import annotations

import hashlib
import shutil
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from modelbazaar.hub import actions, sync
from modelbazaar.hub import tables as t
from modelbazaar.hub.accounts import find_user
from modelbazaar.hub.db import stamp
from modelbazaar.hub.jobs import enqueue
from modelbazaar.hub.repos import create_model
from modelbazaar.hub.worker import run_worker
from modelbazaar.store import schema
from modelbazaar.store.fsck import fsck
from tests.hubkit import Bundles, LiveHub, distinct_bundles, give_source, use_key


def _in_threads(count: int, target) -> list[BaseException]:
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            target(i)
        except BaseException as exc:  # collected: the test reports every failure
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def assert_store_whole(hub: LiveHub) -> None:
    """Every object re-hashes, no temp file is left, every ref names a complete version —
    and the store's own fsck agrees."""
    report = fsck(hub.db.store)
    assert report.ok, [f.detail for f in report.findings]
    objects = hub.db.store.objects
    for digest in objects.digests():
        assert hashlib.sha256(objects.get_bytes(digest)).hexdigest() == digest
    assert not list(objects.incoming.glob("*"))
    for name, ref in hub.db.store.catalogue.refs().items():
        version = hub.db.store.version(ref["version"])
        assert all(objects.has(d) for d in (version.weights, version.tokenizer, version.config)), (
            name
        )


def test_eight_pushes_of_overlapping_objects(
    live_hub: LiveHub, hub_model: Path, tmp_path, monkeypatch
) -> None:
    live_hub.act_as("alice", monkeypatch)
    folders = []
    for i in range(8):
        folders.append(tmp_path / f"c{i}")
        shutil.copytree(hub_model, folders[-1])
    shared = live_hub.model_url("shared")
    errors = _in_threads(8, lambda i: sync.push(folders[i], shared, show_progress=False))
    errors += _in_threads(
        8, lambda i: sync.push(folders[i], live_hub.model_url(f"m{i}"), show_progress=False)
    )
    assert not errors, errors
    assert_store_whole(live_hub)
    with live_hub.db.reading() as conn:
        versions = conn.execute(select(func.count()).select_from(schema.versions)).scalar()
        moves = conn.execute(select(func.count()).select_from(t.audit)).scalar()
    assert versions == 1  # the same version from sixteen pushes, stored once
    assert moves == 9  # shared/main once, each m{i}/main once
    main = live_hub.get("/models/shared")["refs"]["main"]["version"]
    assert all(live_hub.get(f"/models/m{i}")["refs"]["main"]["version"] == main for i in range(8))


def test_four_workers_one_queue(live_hub: LiveHub) -> None:
    db = live_hub.db
    model = create_model(db, "q", find_user(db, "alice"), "public")
    give_source(db, model)
    at, ts = stamp()
    with db.writing() as conn:
        for i in range(40):
            row = conn.execute(
                insert(t.submissions).values(
                    model_id=model.id,
                    contribution=f"{i:064x}",
                    bundle="0" * 64,
                    submitter=1,
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
            enqueue(conn, model.id, "review", int(row.inserted_primary_key[0]))
    done: list[int] = []

    def work(_: int) -> None:
        with live_hub.http("ci") as http:
            while (claimed := http.post("/jobs/claim")).status_code == 200:
                job = claimed.json()
                body = {
                    "lease": job["lease"],
                    "verdict": "refused",
                    "reasons": [f"job {job['id']}"],
                }
                answer = http.post(f"/jobs/{job['id']}/result", json=body)
                assert answer.status_code == 200, answer.text
                done.append(job["id"])
            assert claimed.status_code == 204, claimed.text

    assert not _in_threads(4, work)
    assert sorted(done) == list(range(1, 41))  # every job once, none twice
    with db.reading() as conn:
        states = conn.execute(select(t.submissions.c.state, t.submissions.c.reasons)).all()
    assert {s for s, _ in states} == {"rejected"} and len({r for _, r in states}) == 40


@pytest.mark.slow
def test_four_real_workers_review_eight_bundles(
    live_hub: LiveHub, hub_model: Path, hub_bundles: Bundles, tmp_path, monkeypatch
) -> None:
    use_key(live_hub, "bob", hub_bundles.key)
    live_hub.act_as("alice", monkeypatch)
    sync.push(hub_model, live_hub.model_url("tiny"), show_progress=False)
    actions.set_member(hub_model, "bob", "contributor")
    live_hub.act_as("bob", monkeypatch)
    paths = distinct_bundles(hub_bundles, 8, tmp_path)
    assert not _in_threads(8, lambda i: actions.submit(hub_model, paths[i]))
    folders = []
    for i in range(8):
        folders.append(tmp_path / f"c{i}")
        shutil.copytree(hub_model, folders[-1])

    def everyone(i: int) -> None:  # 4 workers and 8 pushers at once
        if i < 4:
            run_worker(live_hub.url, live_hub.tokens["ci"], tmp_path / f"w{i}", once=True)
        else:
            live_hub_url = live_hub.model_url(f"p{i % 3}")  # overlapping: 3 models, 8 pushes
            sync.push(folders[i - 4], live_hub_url, show_progress=False)

    assert not _in_threads(12, everyone)
    states = [c["state"] for c in actions.contributions(hub_model)]
    assert states == ["accepted"] * 8
    assert_store_whole(live_hub)
    for c in actions.contributions(hub_model):
        assert len(live_hub.db.store.catalogue.reviews_for(c["contribution"])) == 1
