"""kill -9 the hub and its worker at random moments during pushes, submissions, reviews and
merges (24 trials). Afterwards, and after every trial: every object re-hashes, no ref points at
a missing version, every ref move is audited, no job is lost or done twice, and `main` only
ever moved by a push or a merge whose review passed. Slow: `pytest -m slow`.

The server and the worker are real `bazaar hub serve` / `bazaar hub worker` processes, forked
from a pre-imported helper (tests/warm_cli.py) so a restart costs no import time.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from modelbazaar.errors import BazaarError
from modelbazaar.hub import accounts, actions, sync
from modelbazaar.hub import tables as t
from modelbazaar.hub.db import HubConfig, HubDB
from modelbazaar.store import schema
from tests.helpers import wait_until
from tests.hubkit import Bundles, distinct_bundles, free_port
from tests.warm_cli import WarmCli, child_env

TRIALS = 24
LEASE = 3.0


class Cluster:
    """A hub server and one worker as killable child processes."""

    def __init__(self, warm: WarmCli, root: Path, port: int, worker_token: str) -> None:
        self.warm, self.root, self.port, self.token = warm, root, port, worker_token
        self.server: int | None = None
        self.worker: int | None = None
        self.url = f"http://127.0.0.1:{port}"

    def _healthy(self) -> bool:
        try:
            httpx.get(self.url + "/api/v1/health", timeout=1).raise_for_status()
        except httpx.HTTPError:
            return False
        return True

    def up(self) -> None:
        if self.server is None:
            args = ["hub", "serve", "--data", str(self.root / "hub"), "--port", str(self.port)]
            self.server = self.warm.start([*args, "--lease-seconds", str(LEASE)], self.root)
            wait_until(self._healthy, "the hub did not come back", give_up_after=60)
        if self.worker is None:
            args = ["hub", "worker", "--hub", self.url, "--token", self.token, "--poll", "0.2"]
            self.worker = self.warm.start([*args, "--work", str(self.root / "work")], self.root)

    def kill(self, which: str) -> None:
        pid = getattr(self, which)
        if pid is not None:
            os.kill(pid, signal.SIGKILL)
            self.warm.wait(pid)
            setattr(self, which, None)

    def down(self) -> None:
        self.kill("worker")
        self.kill("server")


def check_invariants(db: HubDB) -> dict[str, int]:
    """The promises a crash must keep; returns counts for the final report."""
    objects = db.store.objects
    for digest in objects.digests():  # no torn or corrupt object
        assert hashlib.sha256(objects.get_bytes(digest)).hexdigest() == digest, digest
    for ref in db.store.catalogue.refs().values():  # no ref at a missing version
        version = db.store.version(ref["version"])
        assert all(objects.has(d) for d in (version.weights, version.tokenizer, version.config))
    with db.reading() as conn:
        audits = conn.execute(select(t.audit)).all()
        ref_log = conn.execute(select(func.count()).select_from(schema.ref_log)).scalar()
        merges = {m.id: m for m in conn.execute(select(t.merges))}
        jobs = conn.execute(select(t.jobs)).all()
        subs = conn.execute(select(t.submissions)).all()
        reviews = conn.execute(
            select(schema.reviews.c.contribution, func.count()).group_by(
                schema.reviews.c.contribution
            )
        ).all()
    assert len(audits) == ref_log  # every ref move has its who/when/why
    for row in audits:  # main moved only by a push or a merge that passed its review
        if row.why.startswith("merge #"):
            merge = merges[int(row.why.split()[1][1:])]
            assert merge.state == "merged" and merge.version == row.new_version
        else:
            assert row.why.startswith("push by")
    assert all(count == 1 for _, count in reviews)  # no review done twice
    kinds = [(j.kind, j.subject) for j in jobs]
    assert len(kinds) == len(set(kinds)) == len(subs) + len(merges)  # one job per request
    return {"objects": len(list(objects.digests())), "jobs": len(jobs), "moves": len(audits)}


@pytest.mark.slow
def test_kill9_server_and_worker_at_random_moments(
    hub_model: Path, hub_bundles: Bundles, tmp_path: Path, monkeypatch
) -> None:
    rng = random.Random(9)
    db = HubDB.open(HubConfig(data=tmp_path / "hub", lease_seconds=LEASE))
    tokens = {}
    for name, kind in (("alice", {}), ("bob", {}), ("ci", {"worker": True})):
        accounts.add_user(db, name, **kind)
        tokens[name] = accounts.create_token(db, name)
    keys = {"alice": tmp_path / "alice.key", "bob": hub_bundles.key}
    from modelbazaar.contrib import generate_keypair

    generate_keypair(keys["alice"])
    bundles = distinct_bundles(hub_bundles, 12, tmp_path)
    folders = []
    for i in range(6):
        folders.append(tmp_path / f"src{i}")
        shutil.copytree(hub_model, folders[-1])

    def act(who: str) -> None:
        monkeypatch.setenv("BAZAAR_TOKEN", tokens[who])
        monkeypatch.setenv("BAZAAR_KEYS", str(keys[who]))

    port = free_port()
    with WarmCli(env=child_env()) as warm:
        cluster = Cluster(warm, tmp_path, port, tokens["ci"])
        cluster.up()
        url = f"{cluster.url}/models/tiny"
        act("alice")
        sync.push(hub_model, url, show_progress=False)
        actions.set_member(hub_model, "bob", "contributor")
        act("bob")  # two contributions reviewed before the trials: merges have material
        submitted = [str(b) for b in bundles[:2]]
        for bundle in bundles[:2]:
            actions.submit(hub_model, bundle)
        _settle(db, 300)
        kills: Counter[str] = Counter()
        try:
            for trial in range(TRIALS):
                cluster.up()
                op = _operation(
                    trial, rng, hub_model, url, folders, bundles, submitted, act, cluster
                )
                worker = threading.Thread(target=_quietly, args=(op,))
                worker.start()
                time.sleep(rng.uniform(0.0, 2.5))
                if rng.random() < 0.6:
                    cluster.kill("server")
                if rng.random() < 0.6:
                    cluster.kill("worker")
                worker.join(timeout=120)
                kills.update(k for k in ("server", "worker") if getattr(cluster, k) is None)
                kills[("push", "submit", "merge")[trial % 3]] += 1
                check_invariants(db)
            cluster.up()  # the end: everything restarts, and every request completes
            act("bob")
            for bundle in bundles[: len(submitted) + 2]:
                _quietly(lambda b=bundle: actions.submit(hub_model, b))
            _settle(db, 600)
            act("alice")  # and a last merge, undisturbed
            _quietly(lambda: _approve_and_merge(hub_model))
            _settle(db, 600)
            final = check_invariants(db)
            assert all(s in FINAL for s in _states(db))
        finally:
            cluster.down()
            assert warm.proc.stdout is not None
            warm.proc.stdout.close()  # WarmCli leaves its pipe to the garbage collector
    with db.reading() as conn:
        failed = conn.execute(select(t.jobs.c.error).where(t.jobs.c.state == "failed")).all()
    print(f"\n{TRIALS} trials: {dict(kills)}; at the end: {final}; states {Counter(_states(db))}")
    print("failed jobs:", [row.error for row in failed])
    assert kills["server"] >= 5 and kills["worker"] >= 5
    assert final["jobs"] >= 6 and final["moves"] >= 2
    assert "merged" in _states(db)  # main moved by a merge at least once


FINAL = ("accepted", "rejected", "merged", "failed", "conflict")


def _settle(db: HubDB, seconds: float) -> None:
    """Wait until every submission and merge is in a final state."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not all(s in FINAL for s in _states(db)):
        time.sleep(0.5)


def _approve_and_merge(hub_model: Path) -> None:
    rows = actions.contributions(hub_model)
    ready = [r["contribution"] for r in rows if r["state"] == "accepted"]
    if ready:
        for cid in ready[:2]:
            actions.approve(hub_model, cid)
        actions.request_merge(hub_model, ready[:2], wait=10)


def _states(db: HubDB) -> list[str]:
    with db.reading() as conn:
        subs = list(conn.execute(select(t.submissions.c.state)).scalars())
        merges = list(conn.execute(select(t.merges.c.state)).scalars())
    return subs + merges


def _quietly(op) -> None:
    """Run a client operation that may be cut off by a kill: refusals and broken connections
    are expected; anything else is a bug."""
    try:
        op()
    except BazaarError:
        pass


def _operation(trial, rng, hub_model, url, folders, bundles, submitted, act, cluster):
    """The client operation of one trial: push, submit, or approve-and-merge."""
    kind = ("push", "submit", "merge")[trial % 3]
    if kind == "push":
        act("alice")
        folder = folders[rng.randrange(len(folders))]
        return lambda: sync.push(
            folder, url.replace("/tiny", f"/m{trial // 3 % 4}"), show_progress=False
        )
    if kind == "submit":
        act("bob")
        bundle = bundles[len(submitted) % len(bundles)]
        submitted.append(str(bundle))
        return lambda: actions.submit(hub_model, bundle)

    act("alice")
    return lambda: _approve_and_merge(hub_model)
