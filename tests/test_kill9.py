"""kill -9 at random moments (issue 9): the store survives every one of them.

`build`, `contribute`, `review`, `merge` and `release` are each killed with SIGKILL at a
random moment of their run (drawn uniformly over the length of an uninterrupted run), ≥ 50
trials in all. After each kill: `fsck` passes (after `--repair` of provable garbage, which is
counted), every ref points at a complete version, and re-running the killed command finishes
with the result of the uninterrupted run (build: the same version hash; contribute: the same
adapter; review: the same verdict and candidate; merge: main at the same version; release:
the same files). Run: pytest -m slow -s tests/test_kill9.py
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from modelbazaar import templates
from modelbazaar.contrib import generate_keypair, open_bundle
from modelbazaar.store import Store
from modelbazaar.store.fsck import fsck
from tests.warm_cli import Finished, WarmCli, child_env

pytestmark = pytest.mark.slow

TRIALS = {"build": 12, "contribute": 10, "review": 10, "merge": 10, "release": 10}  # 52
# Files of a release that differ between two uninterrupted runs (dates, timings).
RELEASE_VOLATILE = {"metrics/compute.json"}


@dataclass
class Stage:
    """A command, the folder state it starts from and how to read its result."""

    argv: list[str]
    start: Path  # a model folder (with its store) to copy before each trial
    baseline: object = None  # result_of() after an uninterrupted run
    seconds: float = 0.0  # how long that run took


def result_of(command: str, model_dir: Path, finished: Finished) -> object:
    """What must be equal between an uninterrupted run and a re-run after a kill."""
    store = Store.for_model(model_dir)
    if command == "build":
        return store.resolve("main"), store.resolve("built")
    if command == "contribute":
        manifest = open_bundle(model_dir / "c.bazaar").manifest
        return manifest.base_version, [(p.name, p.sha256) for p in manifest.payload]
    if command == "review":
        bundle = open_bundle(model_dir / "c.bazaar")
        last = store.catalogue.reviews_for(bundle.id)[-1]
        return last["verdict"], last["candidate"]
    if command == "merge":
        return store.resolve("main")
    out = model_dir / "release"
    return {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file() and str(p.relative_to(out)) not in RELEASE_VOLATILE
    }


def check_store(model_dir: Path) -> str:
    """fsck must pass (garbage left by the dead process may need --repair); refs complete."""
    store = Store.for_model(model_dir)
    report = fsck(store)
    outcome = "clean"
    if not report.ok:
        assert all(f.garbage for f in report.findings), [f.detail for f in report.findings]
        outcome = "garbage repaired: " + ",".join(sorted({f.kind for f in report.findings}))
        assert fsck(store, repair=True).ok
        assert fsck(store).ok
    for name, ref in store.catalogue.refs().items():
        record = store.version(ref["version"])
        for digest in (record.weights, record.tokenizer, record.config):
            store.objects.get_bytes(digest)  # present and re-hashes to its name
        assert record.hash, name
    return outcome


@pytest.fixture(scope="module")
def stages(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Stage], dict]:
    """(folder state before each command, made with the real CLI uninterrupted; child env)."""
    root = tmp_path_factory.mktemp("kill9")
    generate_keypair(root / "key")
    fresh = templates.create(root / "fresh", "tiny")
    with (fresh / "bazaar.toml").open("a") as f:
        f.write("limit = 8\n")  # [policy] is the recipe's last table: review 8 examples/suite
    data = str(fresh / "contributions" / "gsm8k" / "train.jsonl")
    argv = {
        "build": ["build"],
        "contribute": (
            f"contribute --data {data} --task gsm8k --license MIT --lora steps=30 "
            "--lora lr=0.01 --include-data --out c.bazaar"
        ).split(),
        "review": ["review", "c.bazaar"],
        "merge": ["merge", "c.bazaar"],
        "release": ["release", "main", "release", "--license", "Apache-2.0"],
    }
    states: dict[str, Stage] = {}
    previous = fresh
    env = child_env() | {"BAZAAR_KEYS": str(root / "key")}
    with WarmCli(env=env) as warm:
        for command in TRIALS:
            start = root / f"before-{command}"
            shutil.copytree(previous, start)
            states[command] = Stage(argv[command], start)
            after = root / f"after-{command}"
            shutil.copytree(start, after)
            done = warm.run(argv[command], cwd=after)
            assert done.code == 0, done.output
            previous = after
            states[command].baseline = result_of(command, after, done)
            states[command].seconds = done.seconds
    return states, env


def test_kill9_at_random_moments(stages: tuple[dict[str, Stage], dict], tmp_path: Path) -> None:
    states, env = stages
    rng = random.Random(9)
    table: list[tuple] = []
    outcomes: Counter[str] = Counter()
    with WarmCli(env=env) as warm:
        for command, trials in TRIALS.items():
            stage = states[command]
            baseline, seconds = stage.baseline, stage.seconds
            for trial in range(trials):
                model_dir = tmp_path / f"{command}{trial}"
                shutil.copytree(stage.start, model_dir)
                delay = rng.uniform(0, seconds)
                pid = warm.start(stage.argv, cwd=model_dir)
                time.sleep(delay)
                os.kill(pid, signal.SIGKILL)  # a no-op if it already finished
                killed = warm.wait(pid)
                state = "killed" if killed.code == -signal.SIGKILL else f"finished ({killed.code})"
                store_state = check_store(model_dir)
                rerun = warm.run(stage.argv, cwd=model_dir)
                assert rerun.code == 0, (command, trial, rerun.output[-2000:])
                assert result_of(command, model_dir, rerun) == baseline, (command, trial)
                check_store(model_dir)
                outcomes[f"{command}: {state}, {store_state}"] += 1
                table.append((command, trial, round(delay / seconds, 2), state, store_state))
                shutil.rmtree(model_dir)
    total = sum(TRIALS.values())
    print(f"\nkill -9 trials: {total}")
    for row in table:
        print("  {:<10} #{:<2} at {:>4.0%} of a run: {}; store {}".format(*row))
    print("outcomes:", json.dumps(outcomes, indent=1))
    print("every trial: fsck passed, refs complete, re-run gave the uninterrupted result")
    assert len(table) == total >= 50
