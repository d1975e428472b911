"""`bazaar fsck`: check that a store is whole, and remove only what is provably garbage.

Checks, in order:
1. every object re-hashes to its name (a corrupt one is a problem; `repair` moves it aside to
   `quarantine/` so a rebuild can store the right bytes again — it never deletes it);
2. leftover temp files (`.tmp-*`, written by `atomic_write`) and build checkpoints: garbage when
   the process that wrote them is dead or the build they belong to finished;
3. the catalogue: each version's objects exist and re-hash, its name is the hash of its objects,
   its parents are known; each ref points at a known, complete version; build-cache rows, eval
   results, contributions and replay inputs name objects that exist; reviews and source
   revisions name known contributions; SQLite's own `integrity_check`.

Objects no catalogue row names are counted, not removed: a command still running may be about
to record them, so they are not provably garbage.

Example::

    report = fsck(Store(Path("my-model/.bazaar")), repair=False)
    report.ok, [f.detail for f in report.findings]
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select, text

from modelbazaar.progress import progress_bar
from modelbazaar.store import schema
from modelbazaar.store.objects import sha256_file
from modelbazaar.store.store import Store, version_hash

SHA256 = re.compile(r"^[0-9a-f]{64}$")
# atomic_write names its temp files ".tmp-<target>.<pid>.<random>" (older ones lack the pid)
TEMP = re.compile(r"^\.tmp-.*?(?:\.(?P<pid>\d+))?\.[0-9a-f]{16}$")


@dataclass
class Finding:
    """One thing wrong with the store. `garbage`: provably safe to remove (`--repair` does)."""

    kind: str  # corrupt-object | stray-file | temp-file | checkpoint | missing-object | ...
    subject: str  # the path, ref or version it is about
    detail: str  # a sentence naming the problem and what to do
    garbage: bool = False
    repaired: bool = False


@dataclass
class FsckReport:
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when nothing is wrong (findings that `repair` fixed do not count)."""
        return all(f.repaired for f in self.findings)

    def add(self, kind: str, subject: str, detail: str, garbage: bool = False) -> None:
        self.findings.append(Finding(kind, subject, detail, garbage))


def fsck(store: Store, *, repair: bool = False, show_progress: bool = False) -> FsckReport:
    """Check `store`; with `repair`, remove provable garbage and quarantine corrupt objects."""
    report = FsckReport()
    good, corrupt = _check_objects(store, report, show_progress)
    _check_leftovers(store, report)
    referenced = _check_catalogue(store, good, corrupt, report)
    unreferenced = [d for d in good if d not in referenced]
    if unreferenced:
        size = sum(store.objects.path_of(d).stat().st_size for d in unreferenced)
        report.notes.append(
            f"{len(unreferenced)} object(s) ({size:,} bytes) are named by no catalogue row "
            "(left by interrupted or running commands; kept: not provably garbage)"
        )
    if repair:
        _repair(store, report)
    return report


# 1. objects -----------------------------------------------------------------------------------
def _object_files(root: Path) -> Iterator[Path]:
    if root.exists():
        yield from sorted(p for p in root.rglob("*") if p.is_file())


def _check_objects(
    store: Store, report: FsckReport, show_progress: bool
) -> tuple[set[str], set[str]]:
    """Re-hash every object; return (good digests, corrupt digests)."""
    good: set[str] = set()
    corrupt: set[str] = set()
    files = [p for p in _object_files(store.objects.root) if not p.name.startswith(".tmp-")]
    with progress_bar(disable=not show_progress) as bar:
        task = bar.add_task("fsck objects", total=len(files), info="")
        for path in files:
            bar.advance(task)
            digest = path.parent.name + path.name
            if path.parent.parent != store.objects.root or not SHA256.match(digest):
                report.add(
                    "stray-file",
                    str(path),
                    f"{path} is not an object (objects are named by 64 hex digits); "
                    "move it out of the store if you put it there",
                )
            elif sha256_file(path) != digest:
                corrupt.add(digest)
                report.add(
                    "corrupt-object",
                    digest,
                    f"object {digest[:12]} is corrupt: its bytes no longer hash to its name "
                    "(`bazaar fsck --repair` moves it to quarantine/; then rebuild what needs it)",
                    garbage=True,
                )
            else:
                good.add(digest)
    report.counts["objects"] = len(good)
    return good, corrupt


# 2. temp files and build checkpoints ------------------------------------------------------------
def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def _check_leftovers(store: Store, report: FsckReport) -> None:
    for path in sorted(store.root.rglob(".tmp-*")):
        match = TEMP.match(path.name)
        pid = int(match["pid"]) if match and match["pid"] else None
        if pid is not None and _alive(pid):
            report.notes.append(f"{path} is being written by running process {pid}")
        elif pid is not None:
            report.add(
                "temp-file",
                str(path),
                f"leftover temp file {path} of dead process {pid} (garbage: --repair removes it)",
                garbage=True,
            )
        else:
            report.add(
                "temp-file",
                str(path),
                f"leftover temp file {path} of an unknown process; delete it once no "
                "bazaar command is running",
            )
    finished = {row.key[:16] for row in _rows(store, schema.builds) if row.stage == "pretrain"}
    work = store.root / "work"
    for folder in sorted(p for p in work.iterdir() if p.is_dir()) if work.exists() else []:
        if folder.name in finished:
            report.add(
                "checkpoint",
                str(folder),
                f"{folder} holds the checkpoint of a build that finished (garbage: "
                "--repair removes it)",
                garbage=True,
            )
        else:
            report.notes.append(f"{folder} holds a resumable build: `bazaar build` resumes it")


# 3. the catalogue ---------------------------------------------------------------------------------
def _rows(store: Store, table: Any) -> list[Any]:
    with store.catalogue.engine.connect() as conn:
        return list(conn.execute(select(table)))


def _digests_in(value: Any) -> Iterator[str]:
    """Every sha256-looking string inside decoded JSON (build outputs, replay recipes)."""
    if isinstance(value, str) and SHA256.match(value):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _digests_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from _digests_in(item)


def _check_catalogue(
    store: Store, good: set[str], corrupt: set[str], report: FsckReport
) -> set[str]:
    """Check every row that names an object or a version; return the objects named."""
    named: set[str] = set()

    def need(digest: str, who: str, kind: str = "missing-object") -> None:
        named.add(digest)
        if digest in corrupt:
            report.add(kind, who, f"{who} needs object {digest[:12]}, which is corrupt")
        elif digest not in good:
            report.add(kind, who, f"{who} needs object {digest[:12]}, which is missing")

    versions = {row.hash: row for row in _rows(store, schema.versions)}
    report.counts["versions"] = len(versions)
    for digest, row in versions.items():
        who = f"version {digest[:12]}"
        for part in ("weights", "tokenizer", "config"):
            need(getattr(row, part), f"{who} ({part})")
        if version_hash(row.weights, row.tokenizer, row.config) != digest:
            report.add("bad-version", who, f"{who} is not the hash of its weights/tokenizer/config")
        info = json.loads(row.info)  # what `bazaar verify` needs to replay it:
        inputs = info.get("merge", {}).get("bundles", []) + [info.get("distill", {}).get("data")]
        for item in filter(None, inputs):
            need(item, f"{who} (replay input)")
    for row in _rows(store, schema.parents):
        if row.parent not in versions or row.child not in versions:
            report.add(
                "missing-version",
                row.child[:12],
                f"lineage edge {row.child[:12]} -> {row.parent[:12]} names an unknown version",
            )
    refs = _rows(store, schema.refs)
    report.counts["refs"] = len(refs)
    for ref in refs:
        if ref.version not in versions:
            report.add(
                "dangling-ref",
                ref.name,
                f"ref {ref.name} points at {ref.version[:12]}, which is not in the catalogue "
                "(`bazaar log` of another ref or the ref_log shows where it was)",
            )
    for row in _rows(store, schema.builds):
        for digest in _digests_in(json.loads(row.outputs)):
            need(digest, f"build cache {row.stage} {row.key[:12]}")
    for row in _rows(store, schema.eval_results):
        need(row.examples, f"eval {row.suite} of {row.version[:12]}")
    contributions = {row.id for row in _rows(store, schema.contributions)}
    for row in _rows(store, schema.contributions):
        need(row.bundle, f"contribution {row.id[:12]} (bundle)")
    for row in _rows(store, schema.reviews):
        if row.contribution not in contributions:
            report.add(
                "orphan-review",
                str(row.id),
                f"review {row.id} names contribution {row.contribution[:12]}, which is unknown",
            )
    for row in _rows(store, schema.source_revisions):  # each merged a reviewed donation
        if row.contribution and row.contribution not in contributions:
            report.add(
                "orphan-revision",
                row.id[:12],
                f"source revision {row.id[:12]} names donation {row.contribution[:12]}, "
                "which is unknown",
            )
    _sqlite_integrity(store, report)
    return named


def _sqlite_integrity(store: Store, report: FsckReport) -> None:
    if store.catalogue.engine.dialect.name != "sqlite":
        return
    with store.catalogue.engine.connect() as conn:
        result = [row[0] for row in conn.execute(text("PRAGMA integrity_check"))]
    if result != ["ok"]:
        report.add("catalogue", "catalogue.db", f"SQLite integrity_check: {'; '.join(result)}")


# repair -----------------------------------------------------------------------------------------
def _repair(store: Store, report: FsckReport) -> None:
    """Remove provable garbage; move corrupt objects to quarantine/ (never delete them)."""
    for finding in report.findings:
        if not finding.garbage:
            continue
        if finding.kind == "corrupt-object":
            source = store.objects.path_of(finding.subject)
            target = store.root / "quarantine" / finding.subject
            target.parent.mkdir(exist_ok=True)
            os.replace(source, target)
        elif finding.kind == "checkpoint":
            shutil.rmtree(finding.subject)
        else:
            Path(finding.subject).unlink(missing_ok=True)
        finding.repaired = True
