"""Push, clone and pull: a local store and model source <-> a model on a hub.

Push sends the ref's version and its whole lineage (objects: weights, tokenizer, config and
the bundles a merge recipe replays), then the source tree, then moves the hub's ref by
compare-and-swap. Only objects the hub has not received for this model are sent; each is
checked against its sha256 on arrival; an interrupted push sends the rest when run again; a
repeated push sends nothing and changes nothing.

Clone writes the source tree (withheld data files become ``<file>.missing`` notes saying where
to get them), downloads every version with its lineage into a new store, sets the refs the hub
has and records the remote as ``origin``: `bazaar verify main` then rebuilds bit for bit. Pull
brings new versions and moves local refs forward (never backwards or sideways unless forced).

Example: push(Path("tiny"), "origin") -> PushOutcome(sent=4, bytes=…, created=True, moved=True)
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from modelbazaar.errors import BazaarError
from modelbazaar.hub.client import HubClient, RemoteError
from modelbazaar.hub.remotes import parse_model_url, remote_url, remotes, set_remote, token_for
from modelbazaar.hub.source import SourceTree, check_path, collect_source, missing_note
from modelbazaar.hub.versions import objects_of, topological
from modelbazaar.progress import console
from modelbazaar.store import Store, VersionRecord
from modelbazaar.store.objects import atomic_write, sha256_file, temp_path
from modelbazaar.store.refs import BRANCHES, RefMove

BATCH = 200  # version rows per request


def transfer_bar(disable: bool) -> Progress:
    """A progress bar in bytes: done/total, speed, time left (pushes and fetches)."""
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TextColumn("{task.fields[info]}"),
        TimeRemainingColumn(),
        console=console,
        disable=disable,
    )


@dataclass
class PushOutcome:
    url: str
    ref: str
    version: str
    sent: int = 0  # objects uploaded
    bytes: int = 0
    versions: int = 0  # versions the hub did not have
    created: bool = False
    moved: bool = False


@dataclass
class FetchOutcome:
    versions: int = 0
    objects: int = 0
    bytes: int = 0
    refs: dict[str, str] = field(default_factory=dict)  # ref -> what happened
    withheld: list[str] = field(default_factory=list)  # notes on data the hub does not send


def connect(url: str, token: str | None = None) -> tuple[HubClient, str]:
    """A client for the hub of model URL `url` (token: given, else BAZAAR_TOKEN or login)."""
    base, name = parse_model_url(url)
    return HubClient(base, token or token_for(base)), name


def version_row(record: VersionRecord) -> dict[str, Any]:
    return {
        "hash": record.hash,
        "relation": record.relation,
        "weights": record.weights,
        "tokenizer": record.tokenizer,
        "config": record.config,
        "info": record.info,
        "message": record.message,
        "parents": [
            {"parent": p["parent"], "relation": p["relation"], "detail": p["detail"]}
            for p in record.parents
        ],
    }


def lineage(store: Store, heads: Iterable[str]) -> list[dict[str, Any]]:
    """Rows of `heads` and every ancestor, parents first."""
    rows: dict[str, dict[str, Any]] = {}
    todo = list(heads)
    while todo:
        digest = todo.pop()
        if digest not in rows:
            rows[digest] = version_row(store.version(digest))
            todo.extend(p["parent"] for p in rows[digest]["parents"])
    return topological(rows)


def _ensure_model(hub: HubClient, name: str, private: bool) -> tuple[dict[str, Any], bool]:
    try:
        return hub.json("GET", f"/models/{name}"), False
    except RemoteError as exc:
        if exc.status != 404:
            raise
    body = {"name": name, "visibility": "private" if private else "public"}
    try:
        return hub.json("POST", "/models", json=body), True
    except RemoteError as exc:  # another push created it a moment ago
        if exc.status != 409:
            raise
        return hub.json("GET", f"/models/{name}"), False


def send_objects(
    hub: HubClient, name: str, files: dict[str, Path], show_progress: bool = True
) -> tuple[int, int]:
    """Upload the objects of `files` (digest -> local file) the hub lacks; (count, bytes)."""
    missing = hub.json("POST", f"/models/{name}/objects/missing", json={"objects": list(files)})
    missing = missing["missing"]
    total = sum(files[d].stat().st_size for d in missing)
    with transfer_bar(disable=not show_progress or not missing) as bar:
        task = bar.add_task("push objects", total=total, info=f"{len(missing)} objects")
        for digest in missing:
            hub.upload(
                f"/models/{name}/objects/{digest}",
                files[digest],
                progress=lambda n: bar.advance(task, n),
            )
    return len(missing), total


def push_versions(
    hub: HubClient, name: str, store: Store, heads: list[str], show_progress: bool = True
) -> tuple[int, int, int]:
    """Send `heads` with their lineage and objects (no ref moves); (objects, bytes, versions)."""
    rows = lineage(store, heads)
    files = {d: store.objects.path_of(d) for r in rows for d in objects_of(r)}
    lacking = [d for d, path in files.items() if not path.is_file()]
    if lacking:
        raise BazaarError(
            f"object {lacking[0][:12]} of a version being pushed is missing from this store; "
            "run `bazaar fsck` and rebuild what it names"
        )
    sent, size = send_objects(hub, name, files, show_progress)
    added = 0
    for start in range(0, len(rows), BATCH):
        added += len(
            hub.json(
                "POST", f"/models/{name}/versions", json={"versions": rows[start : start + BATCH]}
            )["added"]
        )
    return sent, size, added


def push(
    model_dir: Path,
    remote: str = "origin",
    ref: str = "main",
    *,
    private: bool = False,
    force: bool = False,
    show_progress: bool = True,
) -> PushOutcome:
    """Push `ref` (with lineage), the source and the ref itself to `remote`."""
    model_dir = Path(model_dir)
    url = remote_url(model_dir, remote)
    store = Store.for_model(model_dir)
    version = store.resolve(ref)
    tree, local = collect_source(model_dir)  # refuse a folder that is not a model source early
    hub, name = connect(url)
    with hub:
        summary, created = _ensure_model(hub, name, private)
        outcome = PushOutcome(url, ref, version, created=created)
        sent, size, added = push_versions(hub, name, store, [version], show_progress)
        tree_bytes = tree.to_bytes()
        with _tree_file(store, tree_bytes) as (tree_digest, tree_path):
            files = {f.sha256: local[f.path] for f in tree.files} | {tree_digest: tree_path}
            more, more_size = send_objects(hub, name, files, show_progress)
            if summary.get("source") != tree_digest:
                hub.json("PUT", f"/models/{name}/source", json={"tree": tree_digest})
        current = summary["refs"].get(ref, {}).get("version")
        moved = hub.json(
            "PUT",
            f"/models/{name}/refs/{ref}",
            json={"new": version, "expected": current, "force": force},
        )["moved"]
    if not remotes(model_dir):  # a first push by URL: remember it, as git does with -u
        set_remote(model_dir, "origin", url)
    outcome.sent, outcome.bytes, outcome.versions = sent + more, size + more_size, added
    outcome.moved = moved
    return outcome


class _tree_file:
    """The tree's bytes as a temp file (uploads stream from files); removed afterwards."""

    def __init__(self, store: Store, data: bytes) -> None:
        self.path = temp_path(store.root / "incoming", "tree")
        atomic_write(self.path, data, 0o644)

    def __enter__(self) -> tuple[str, Path]:
        return sha256_file(self.path), self.path

    def __exit__(self, *_: object) -> None:
        self.path.unlink(missing_ok=True)


# fetching ------------------------------------------------------------------------------------
def fetch_versions(
    hub: HubClient, name: str, store: Store, show_progress: bool = True
) -> FetchOutcome:
    """Download every version of `name` the local store lacks, with its objects."""
    rows = hub.json("GET", f"/models/{name}/versions")
    todo = [r for r in rows if store.catalogue.version(r["hash"]) is None]
    needed = list(dict.fromkeys(d for r in todo for d in objects_of(r) if not store.objects.has(d)))
    outcome = FetchOutcome(versions=len(todo), objects=len(needed))
    with transfer_bar(disable=not show_progress or not needed) as bar:
        task = bar.add_task("fetch objects", total=None, info=f"{len(needed)} objects")
        for digest in needed:
            path = hub.download(
                name, digest, store.objects.incoming, progress=lambda n: bar.advance(task, n)
            )
            outcome.bytes += path.stat().st_size
            store.objects.put_verified_file(path, digest)
    for row in todo:
        got = store.add_version(
            weights=row["weights"],
            tokenizer=row["tokenizer"],
            config=row["config"],
            relation=row["relation"],
            info=row["info"],
            parents=[(p["parent"], p["relation"], p["detail"]) for p in row["parents"]],
            message=row["message"],
        )
        if got != row["hash"]:
            raise BazaarError(f"version {row['hash'][:12]} from the hub does not match its objects")
    return outcome


def _descends(store: Store, child: str, ancestor: str) -> bool:
    seen, todo = set(), [child]
    while todo:
        digest = todo.pop()
        if digest == ancestor:
            return True
        if digest not in seen:
            seen.add(digest)
            todo.extend(p["parent"] for p in store.catalogue.parents_of(digest))
    return False


def update_refs(
    store: Store, hub_refs: dict[str, dict[str, str]], force: bool = False
) -> dict[str, str]:
    """Move local refs to the hub's: create missing ones, fast-forward branches; a ref that is
    ahead or diverged stays (unless `force`) and is reported."""
    local = store.catalogue.refs()
    report: dict[str, str] = {}
    moves = []
    for ref, entry in sorted(hub_refs.items()):
        new, mine = entry["version"], local.get(ref, {}).get("version")
        kind = "branch" if ref in BRANCHES else "tag"
        if mine == new:
            continue
        if mine is None or force or (kind == "branch" and _descends(store, new, mine)):
            moves.append(RefMove(ref, new, mine, kind=kind))
            report[ref] = f"{str(mine)[:12]} -> {new[:12]}" if mine else f"new at {new[:12]}"
        elif kind == "branch" and _descends(store, mine, new):
            report[ref] = f"local {mine[:12]} is ahead of the hub's {new[:12]}; push it"
        else:
            report[ref] = f"kept local {mine[:12]}; the hub has {new[:12]} (diverged)"
    if moves:
        store.catalogue.move_refs(moves, "pulling")
    return report


def _write_tree(
    hub: HubClient, name: str, tree: SourceTree, dest: Path, old: SourceTree | None, store: Store
) -> list[str]:
    """Write the tree's files into `dest` (verified); return notes on withheld data. A file
    changed locally since the last pull (it matches neither tree) is kept and reported."""
    before = {f.path: f.sha256 for f in old.files} if old else {}
    notes: list[str] = []
    root = dest.resolve()
    for entry in tree.files:
        target = dest / check_path(entry.path)
        if not target.resolve().is_relative_to(root):
            raise BazaarError(f"source path {entry.path!r} leaves the folder; refusing it")
        if target.is_file():
            mine = sha256_file(target)
            if mine == entry.sha256:
                continue
            if entry.path in before and mine != before[entry.path]:
                notes.append(f"kept your edited {entry.path} (the hub has a newer one)")
                continue
        path = hub.download(name, entry.sha256, store.objects.incoming)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(path, target)
    for entry in tree.withheld:
        target = dest / check_path(entry.path)
        if not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            note = target.with_name(target.name + ".missing")
            note.write_text(missing_note(entry), encoding="utf-8")
            notes.append(
                f"{entry.path} was not sent (licence {entry.license} does not allow "
                f"redistribution); get it from {entry.source}"
            )
    return notes


def _tree(hub: HubClient, name: str, digest: str, store: Store) -> SourceTree:
    path = hub.download(name, digest, store.objects.incoming)
    try:
        return SourceTree.from_bytes(path.read_bytes())
    finally:
        path.unlink(missing_ok=True)


def clone(
    url: str, dest: Path | None = None, *, show_progress: bool = True, token: str | None = None
) -> tuple[Path, FetchOutcome]:
    """A new folder with the model's source, versions and refs; origin = `url`."""
    hub, name = connect(url, token)
    dest = Path(dest or name)
    if dest.exists() and any(dest.iterdir()):
        raise BazaarError(f"{dest} exists and is not empty; clone into a new folder")
    with hub:
        summary = hub.json("GET", f"/models/{name}")
        if not summary.get("source"):
            raise BazaarError(f"{url} has nothing pushed yet")
        dest.mkdir(parents=True, exist_ok=True)
        store = Store.for_model(dest)
        tree = _tree(hub, name, summary["source"], store)
        notes = _write_tree(hub, name, tree, dest, None, store)
        outcome = fetch_versions(hub, name, store, show_progress)
        outcome.refs = update_refs(store, summary["refs"], force=True)
        outcome.withheld = notes
    set_remote(dest, "origin", url, source=summary["source"])
    return dest, outcome


def pull(
    model_dir: Path,
    remote: str = "origin",
    *,
    force: bool = False,
    show_progress: bool = True,
    token: str | None = None,
) -> FetchOutcome:
    """New versions and refs from `remote`; the source files too, where unedited locally."""
    model_dir = Path(model_dir)
    url = remote_url(model_dir, remote)
    hub, name = connect(url, token)
    store = Store.for_model(model_dir)
    with hub:
        summary = hub.json("GET", f"/models/{name}")
        outcome = fetch_versions(hub, name, store, show_progress)
        outcome.refs = update_refs(store, summary["refs"], force=force)
        last = remotes(model_dir).get(remote, {}).get("source")
        if summary.get("source") and summary["source"] != last:
            old = _tree(hub, name, last, store) if last else None
            tree = _tree(hub, name, summary["source"], store)
            outcome.withheld = _write_tree(hub, name, tree, model_dir, old, store)
    if not remote.startswith("http"):
        set_remote(model_dir, remote, url, source=summary.get("source"))
    return outcome
