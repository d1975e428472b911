"""A hub seeded for page tests and the pages benchmark, without training anything: versions
of main (built, then merges that name contributions), eval results with per-example data,
submissions with review reports, a gated model, users with tokens — rows inserted directly.

`HOSTILE` goes into every field a contributor controls (task names, licences, card text,
review reasons, access requests), so tests can check it comes out escaped.

Example: hub = seed_hub(tmp_path, versions=5, contributions=3); hub.db, hub.main, hub.subs
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from sqlalchemy import insert

from modelbazaar.evals.result import Series, SuiteResult
from modelbazaar.hub import accounts
from modelbazaar.hub import tables as t
from modelbazaar.hub.db import HubConfig, HubDB, stamp
from modelbazaar.hub.repos import create_model, move_ref, register_object, set_member, set_source
from modelbazaar.hub.source import SourceTree, TreeFile
from modelbazaar.hub.versions import add_versions
from modelbazaar.store.store import version_hash

HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'
USERS = {"alice": {}, "bob": {}, "carol": {}, "root": {"admin": True}, "ci": {"worker": True}}


@dataclass
class SeededHub:
    db: HubDB
    tokens: dict[str, str] = field(default_factory=dict)
    versions: list[str] = field(default_factory=list)  # main's chain, oldest first
    subs: list[str] = field(default_factory=list)  # contribution ids
    objects: dict[str, str] = field(default_factory=dict)  # model -> one object digest

    @property
    def main(self) -> str:
        return self.versions[-1]


def _source(db: HubDB, model: object, hostile: bool) -> None:
    recipe = resources.files("modelbazaar.templates").joinpath("tiny/bazaar.toml").read_bytes()
    extra = HOSTILE if hostile else "a tiny model"
    card = f"# Tiny\n\nA card. {extra}\n\n[click](javascript:alert(1))\n".encode()
    lic = f"CC0-1.0 {HOSTILE}" if hostile else "CC0-1.0"
    manifest = (
        f'name = "verse"\nlicense = {json.dumps(lic)}\nsource = "here"\nprovenance = "human"\n'
    ).encode()
    files = []
    for path, data in (("bazaar.toml", recipe), ("README.md", card), ("data/verse.toml", manifest)):
        digest = db.store.objects.put_bytes(data)
        register_object(db, model, digest)  # type: ignore[arg-type]
        files.append(TreeFile(path=path, sha256=digest, bytes=len(data)))
    tree = db.store.objects.put_bytes(SourceTree(files=files).to_bytes())
    register_object(db, model, tree)  # type: ignore[arg-type]
    set_source(db, model, tree)  # type: ignore[arg-type]


def _eval(db: HubDB, version: str, i: int, suite: str) -> None:
    n = 40
    hits = [1.0 if (k * 7 + i) % 10 < 3 + (i % 5) else 0.0 for k in range(n)]
    series = {"accuracy": Series(num=hits, den=[1.0] * n)}
    result = SuiteResult(
        suite=suite,
        suite_version="1",
        kind="choice",
        version=version,
        metrics={"accuracy": sum(hits) / n},
        higher_is_better={"accuracy": True},
        ids=[str(k) for k in range(n)],
        series=series,
    )
    examples = db.store.objects.put_bytes(result.examples_json())
    db.store.catalogue.add_eval_result(
        {
            "version": version,
            "suite": suite,
            "suite_version": "1",
            "metrics": result.metrics,
            "examples": examples,
            "n": n,
        }
    )


def _review(db: HubDB, task: str, hostile: bool) -> str:
    report = {
        "verdict": "accept",
        "reasons": [f"helps {task}"],
        "base": "0" * 64,
        "candidate": "1" * 64,
        "checks": [
            {
                "check": f"suite {task}",
                "status": "pass",
                "base": 0.5,
                "candidate": 0.6,
                "delta": 0.1,
                "ci_low": 0.02,
                "ci_high": 0.18,
                "bound": "worst CI end ≥ -0.02",
            }
        ],
        "licence": {"model": "Apache-2.0", "rows": [{"what": task, "license": "CC0-1.0"}]},
    }
    return db.store.objects.put_bytes(json.dumps(report).encode())


def seed_hub(
    root: Path,
    *,
    versions: int = 4,
    contributions: int = 3,
    hostile: bool = False,
    evals: bool = True,
    database_url: str | None = None,
) -> SeededHub:
    db = HubDB.open(HubConfig(data=root / "hub", database_url=database_url))
    hub = SeededHub(db)
    for name, kind in USERS.items():
        accounts.add_user(db, name, **kind)
        hub.tokens[name] = accounts.create_token(db, name, label=HOSTILE if hostile else "")
    alice, bob = accounts.find_user(db, "alice"), accounts.find_user(db, "bob")
    model = create_model(db, "tiny", alice, "public")
    set_member(db, model, bob, "contributor")
    gated = create_model(db, "locked", alice, "gated")
    for each in (model, gated):
        _source(db, each, hostile)
    task_of = (lambda i: f"task{i} {HOSTILE}") if hostile else (lambda i: f"task{i}")
    at, ts = stamp()
    subs = []
    with db.writing() as conn:
        for i in range(contributions):
            cid = f"{i:08x}" + "c" * 56
            report = _review(db, task_of(i), hostile)
            register_object(db, model, report, conn)
            conn.execute(
                insert(t.submissions).values(
                    model_id=model.id,
                    contribution=cid,
                    bundle="b" * 64,
                    submitter=bob.id,
                    task=task_of(i),
                    author="ed25519:bob",
                    state="accepted" if i % 2 == 0 else "merged",
                    reasons=json.dumps([f"reason {HOSTILE}" if hostile else "fine"]),
                    reports=json.dumps({"json": report}),
                    created_at=at,
                    created_ts=ts,
                    updated_at=at,
                )
            )
            subs.append(cid)
    hub.subs = subs
    prev: str | None = None
    rows = []
    for i in range(versions):
        blobs = [f"tiny {part} {i}".encode() for part in ("weights", "tokenizer", "config")]
        w, tk, c = (db.store.objects.put_bytes(b) for b in blobs)
        for digest in (w, tk, c):
            register_object(db, model, digest)
        digest = version_hash(w, tk, c)
        parents = []
        if prev is not None:
            sub = subs[i % len(subs)] if subs else "c" * 64
            detail = {"contribution": sub, "task": task_of(i), "author": "ed25519:bob"}
            parents = [
                {"parent": prev, "relation": "base", "detail": {}},
                {"parent": prev, "relation": "merged", "detail": detail},
            ]
        rows.append(
            {
                "hash": digest,
                "relation": "merged" if prev else "built",
                "weights": w,
                "tokenizer": tk,
                "config": c,
                "info": {"merge": {"method": "ties"}} if prev else {},
                "message": f"version {i}",
                "parents": parents,
            }
        )
        prev = digest
        hub.versions.append(digest)
    for start in range(0, len(rows), 500):
        add_versions(db, model, rows[start : start + 500])
    if evals:
        for i, digest in enumerate(hub.versions):
            _eval(db, digest, i, f"wordnet_mc{HOSTILE if hostile else ''}")
    old = None
    for digest in hub.versions[:: max(1, len(hub.versions) // 20)] + [hub.main]:
        if digest != old:
            move_ref(
                db,
                model,
                "main",
                digest,
                expected=old,
                kind="branch",
                actor="alice",
                why=f"push {HOSTILE}" if hostile else "push",
            )
            old = digest
    hub.objects = {"tiny": hub.versions[0] and rows[0]["weights"]}
    gw = db.store.objects.put_bytes(b"locked weights")
    register_object(db, gated, gw)
    hub.objects["locked"] = gw
    return hub
