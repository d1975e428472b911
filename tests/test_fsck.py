"""`bazaar fsck`: every kind of damage is found, `--repair` removes only provable garbage."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from modelbazaar.cli.main import main
from modelbazaar.store import Store
from modelbazaar.store.fsck import fsck
from tests.helpers import tree_digest


def bazaar(monkeypatch: pytest.MonkeyPatch, *argv: str) -> int:
    """Run the real entry point in-process; return its exit status."""
    monkeypatch.setattr(sys, "argv", ["bazaar", *argv])
    try:
        main()
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    return 0


def kinds(store: Store, repair: bool = False) -> list[str]:
    return sorted(f.kind for f in fsck(store, repair=repair).findings)


def dead_pid() -> int:
    """The pid of a process that has exited (and been reaped)."""
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def test_a_built_store_is_clean(fresh_tiny: tuple[Path, Store], monkeypatch, capsys) -> None:
    model_dir, store = fresh_tiny
    report = fsck(store)
    assert report.ok, report.findings
    assert report.counts["versions"] == 1 and report.counts["refs"] == 2
    assert report.counts["objects"] >= 5  # tokenizer, streams, weights, config, snapshots
    assert bazaar(monkeypatch, "fsck", "-C", str(model_dir)) == 0
    assert "no problems" in capsys.readouterr().out


def test_corrupt_object_is_found_and_quarantined(
    fresh_tiny: tuple[Path, Store], monkeypatch, capsys
) -> None:
    model_dir, store = fresh_tiny
    weights = store.version("main").weights
    store.objects.path_of(weights).write_bytes(b"bit rot")
    assert set(kinds(store)) == {"corrupt-object", "missing-object"}  # + what needs it
    assert bazaar(monkeypatch, "fsck", "-C", str(model_dir)) == 1
    assert "is corrupt" in capsys.readouterr().out
    report = fsck(store, repair=True)
    assert not report.ok  # the version still lacks its weights: not something repair can make
    assert (store.root / "quarantine" / weights).read_bytes() == b"bit rot"  # kept, not deleted
    assert not store.objects.has(weights)
    assert set(kinds(store)) == {"missing-object"}


def test_missing_objects_dangling_refs_and_orphan_rows(fresh_tiny: tuple[Path, Store]) -> None:
    _, store = fresh_tiny
    record = store.version("main")
    store.objects.path_of(record.tokenizer).unlink()
    with store.catalogue.writing() as conn:
        conn.execute(text("UPDATE refs SET version = :v WHERE name = 'built'"), {"v": "e" * 64})
        conn.execute(
            text(
                "INSERT INTO reviews (contribution, verdict, reasons, report, created_at) "
                "VALUES ('nobody', 'accept', '[]', '{}', 'now')"
            )
        )
    store.catalogue.add_source_revision(
        {"id": "f" * 64, "parent": None, "contribution": "d" * 64, "message": "m", "manifests": {}}
    )
    found = kinds(store)
    assert "dangling-ref" in found and "orphan-review" in found and "orphan-revision" in found
    assert found.count("missing-object") >= 2  # the version and the tokenizer's build row
    before = tree_digest(store.root)
    assert not fsck(store, repair=True).ok
    assert tree_digest(store.root) == before  # none of these is garbage: repair touches nothing


def test_version_row_that_disagrees_with_its_objects(fresh_tiny: tuple[Path, Store]) -> None:
    _, store = fresh_tiny
    record = store.version("main")
    with store.catalogue.writing() as conn:
        conn.execute(
            text("UPDATE versions SET config = :c WHERE hash = :h"),
            {"c": record.tokenizer, "h": record.hash},
        )
    assert "bad-version" in kinds(store)


def test_repair_removes_temp_files_of_dead_processes_only(fresh_tiny: tuple[Path, Store]) -> None:
    _, store = fresh_tiny
    dead = store.objects.root / "ab" / f".tmp-cdef.{dead_pid()}.0123456789abcdef"
    live = store.objects.root / "ab" / f".tmp-cdef.{os.getpid()}.0123456789abcdef"
    legacy = store.root / ".tmp-catalogue.fedcba9876543210"  # written before pids were named
    for path in (dead, live, legacy):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"half an object")
    report = fsck(store)
    assert [f.subject for f in report.findings] == [str(legacy), str(dead)]
    assert any(f"running process {os.getpid()}" in note for note in report.notes)
    fsck(store, repair=True)
    assert live.exists() and legacy.exists() and not dead.exists()


def test_checkpoint_of_a_finished_build_is_garbage(fresh_tiny: tuple[Path, Store]) -> None:
    _, store = fresh_tiny
    key = store.version("main").info["builds"]["pretrain"]
    finished = store.scratch / key[:16]
    running = store.scratch / ("0" * 16)
    for folder in (finished, running):
        folder.mkdir()
        (folder / "checkpoint.safetensors").write_bytes(b"state")
    assert kinds(store) == ["checkpoint"]
    assert fsck(store, repair=True).ok
    assert not finished.exists() and running.exists()  # a resumable build is kept
    assert fsck(store).ok


def test_unreferenced_objects_are_counted_never_removed(fresh_tiny: tuple[Path, Store]) -> None:
    _, store = fresh_tiny
    orphan = store.objects.put_bytes(b"written by a command that was killed before recording it")
    report = fsck(store, repair=True)
    assert report.ok and any("named by no catalogue row" in n for n in report.notes)
    assert store.objects.has(orphan)


def test_stray_file_in_objects(fresh_tiny: tuple[Path, Store]) -> None:
    _, store = fresh_tiny
    (store.objects.root / "notes.txt").write_text("mine")
    assert kinds(store, repair=True) == ["stray-file"]
    assert (store.objects.root / "notes.txt").exists()
