"""Building from source: caching, resume after kill -9, bit-identical verify."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from safetensors.torch import load as load_safetensors

from modelbazaar import templates
from modelbazaar.store import Store
from modelbazaar.workflows.build import build
from modelbazaar.workflows.verify import verify
from tests.helpers import edit_recipe


def test_build_records_version_lineage_and_metrics(tiny_built: tuple[Path, Store]) -> None:
    _, store = tiny_built
    record = store.version("main")
    assert record.relation == "built" and record.parents == []
    build_row = store.catalogue.build(record.info["builds"]["pretrain"])
    metrics = store.catalogue.train_metrics(build_row["key"])
    assert [m["step"] for m in metrics] == list(range(1, 31))
    assert metrics[-1]["loss"] < metrics[0]["loss"]  # it learned something
    assert build_row["final_val_loss"] == metrics[-1]["val_loss"]
    assert record.info["data"][0]["license"] == "LicenseRef-Public-Domain"
    assert record.info["synthetic_token_share"] == 0.0
    snapshots = build_row["outputs"]["checkpoints"]  # intermediate parameters, kept as objects
    assert sorted(snapshots, key=int) == ["8", "15", "22"]
    assert len({*snapshots.values(), record.weights}) == 4
    assert "snapshot" not in metrics[7]  # hashes live in the build outputs, not the metrics


def test_rebuild_with_nothing_changed_is_a_cache_hit(fresh_tiny: tuple[Path, Store]) -> None:
    model_dir, store = fresh_tiny
    before = store.resolve("main")
    objects_before = sorted(p.name for p in (store.root / "objects").rglob("*") if p.is_file())
    outcome = build(model_dir, store, show_progress=False)
    assert outcome.cached == {"tokenizer": True, "pack": True, "pretrain": True}
    assert outcome.version == before
    objects_after = sorted(p.name for p in (store.root / "objects").rglob("*") if p.is_file())
    assert objects_after == objects_before  # nothing recomputed, nothing new written


def test_editing_evals_or_policy_retrains_nothing(fresh_tiny: tuple[Path, Store]) -> None:
    model_dir, store = fresh_tiny
    edit_recipe(model_dir, evals='["validation", "gsm8k"]', min_task_gain="0.5")
    outcome = build(model_dir, store, show_progress=False)
    assert all(outcome.cached.values())


def test_editing_training_retrains_only_pretraining(fresh_tiny: tuple[Path, Store]) -> None:
    model_dir, store = fresh_tiny
    before = store.resolve("main")
    edit_recipe(model_dir, max_steps="3")
    outcome = build(model_dir, store, show_progress=False)
    assert outcome.cached == {"tokenizer": True, "pack": True, "pretrain": False}
    assert outcome.version != before and store.resolve("main") == outcome.version


def test_synthetic_share_is_reported(fresh_tiny: tuple[Path, Store]) -> None:
    model_dir, store = fresh_tiny
    data = model_dir / "data"
    (data / "gen.txt").write_text("the model wrote this line.\n" * 400)
    from modelbazaar.data.manifest import write_manifest_entry

    entry = write_manifest_entry(data, "gen.txt", "train")
    (data / "generated.toml").write_text(
        'name = "generated"\nlicense = "CC0-1.0"\nsource = "test"\nprovenance = "synthetic"\n'
        'generator = "shakespeare-tiny"\n[[files]]\n'
        + "".join(f"{k} = {v!r}\n".replace("'", '"') for k, v in entry.items())
    )
    outcome = build(model_dir, store, show_progress=False)
    info = store.version(outcome.version).info
    counts = {d["name"]: d["train_tokens"] for d in info["data"]}
    expected = counts["generated"] / sum(counts.values())
    assert 0 < info["synthetic_token_share"] == pytest.approx(expected)


def test_verify_rebuilds_bit_identical(tiny_built: tuple[Path, Store]) -> None:
    model_dir, store = tiny_built
    report = verify(store, model_dir, "main")
    assert report.identical, report.message


def test_verify_names_first_differing_tensor(fresh_tiny: tuple[Path, Store], monkeypatch) -> None:
    model_dir, store = fresh_tiny
    import modelbazaar.workflows.build as build_module
    import modelbazaar.workflows.verify as verify_module

    real_build = build_module.build

    def perturbed(model_dir, store, **kwargs):  # a "machine" whose training differs slightly
        kwargs["recipe"] = kwargs["recipe"].model_copy(
            update={"train": kwargs["recipe"].train.model_copy(update={"lr": 0.0031})}
        )
        return real_build(model_dir, store, **kwargs)

    monkeypatch.setattr(build_module, "build", perturbed)  # what replay_build calls
    report = verify_module.verify(store, model_dir, "main")
    assert not report.identical
    assert report.first_difference == "lm_head.weight"  # every tensor differs: first by name
    assert report.max_abs_difference > 0


def _start_build(model_dir: Path, log: Path | None = None) -> subprocess.Popen:
    """`bazaar build` in a subprocess; its output goes to `log` (or nowhere).

    The child gets Ctrl-C's default action back: a suite started in the background by a
    non-interactive shell (`make test &`) inherits SIGINT ignored, and Python then never raises
    KeyboardInterrupt (a fresh-clone run failed that way: the build ran on)."""
    env = os.environ | {"PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "modelbazaar", "build", "-C", str(model_dir)]
    with open(log or os.devnull, "wb") as out:  # the child keeps its own copy of the file
        return subprocess.Popen(
            command,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )


def test_resume_after_kill_9_gives_identical_weights(tmp_path: Path) -> None:
    interrupted = templates.create(tmp_path / "a", "tiny")
    straight = templates.create(tmp_path / "b", "tiny")
    for model_dir in (interrupted, straight):
        edit_recipe(model_dir, max_steps="100", checkpoint_every="10", eval_every="50")
    process = _start_build(interrupted)
    deadline = time.time() + 240
    checkpoints = interrupted / ".bazaar" / "work"
    while not list(checkpoints.glob("*/checkpoint.safetensors")) and time.time() < deadline:
        assert process.poll() is None, "build finished before it could be interrupted"
        time.sleep(0.2)
    time.sleep(0.5)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert "main" not in Store.for_model(interrupted).catalogue.refs()  # nothing half-recorded
    resumed = build(interrupted, show_progress=False)
    assert resumed.cached["tokenizer"] and not resumed.cached["pretrain"]
    fresh = build(straight, show_progress=False)
    a = Store.for_model(interrupted).version(resumed.version)
    b = Store.for_model(straight).version(fresh.version)
    assert a.weights == b.weights, "resumed weights differ from an uninterrupted build"
    metrics = Store.for_model(interrupted).catalogue.train_metrics(a.info["builds"]["pretrain"])
    assert [m["step"] for m in metrics] == list(range(1, 101))


def test_ctrl_c_saves_a_checkpoint(tmp_path: Path) -> None:
    model_dir = templates.create(tmp_path / "m", "tiny")
    edit_recipe(model_dir, max_steps="50000", checkpoint_every="100000")  # only Ctrl-C saves
    log = tmp_path / "build.log"
    process = _start_build(model_dir, log)
    catalogue = model_dir / ".bazaar" / "catalogue.db"
    deadline = time.time() + 120
    while time.time() < deadline:  # wait until pretraining has started, then a few steps
        if catalogue.exists() and Store.for_model(model_dir).catalogue.builds_for_stage("pack"):
            break
        time.sleep(0.3)
    time.sleep(4)
    process.send_signal(signal.SIGINT)
    try:
        code = process.wait(timeout=60)
    except subprocess.TimeoutExpired:  # say what it did, and leave no build running
        process.kill()
        process.wait()
        pytest.fail(
            f"the build ran on 60 s after Ctrl-C; its output ended:\n{log.read_text()[-2000:]}"
        )
    assert code != 0
    checkpoint = list((model_dir / ".bazaar" / "work").glob("*/checkpoint.safetensors"))
    assert checkpoint, "Ctrl-C lost the finished steps"
    header = load_safetensors(checkpoint[0].read_bytes())
    assert any(name.startswith("optim.") for name in header)
