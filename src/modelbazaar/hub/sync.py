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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from modelbazaar.errors import BazaarError
from modelbazaar.hub.client import HubClient, RemoteError
from modelbazaar.hub.remotes import remote_url, remotes, set_remote
from modelbazaar.hub.source import SourceTree, check_path, collect_source, missing_note
from modelbazaar.hub.transfer import (
    FetchOutcome,
    connect,
    fetch_versions,
    fetched_refs,
    push_versions,
    send_objects,
    update_refs,
)
from modelbazaar.store import Store
from modelbazaar.store.objects import atomic_write, sha256_file, temp_path


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


def _gated_tree(
    hub: HubClient, name: str, digest: str, store: Store, url: str, notes: list[str]
) -> SourceTree | None:
    """The source tree, or None with a note when the hub refuses it (a gated model without a
    grant for the whole model) but some version is yours to fetch (a public release); with
    nothing to fetch at all, the hub's refusal stands."""
    try:
        return _tree(hub, name, digest, store)
    except RemoteError as exc:
        if exc.status not in (401, 403):
            raise
        rows = hub.json("GET", f"/models/{name}/versions")
        if not any(row.get("download", True) for row in rows):
            raise
        notes.append(
            f"the source files were not fetched: {exc}; once access is granted, `bazaar pull` "
            f"brings them ({url}/access)"
        )
    return None


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
        source, notes = summary["source"], []
        tree = _gated_tree(hub, name, source, store, url, notes)
        if tree is None:
            source = None
        else:
            notes = _write_tree(hub, name, tree, dest, None, store)
        outcome = fetch_versions(hub, name, store, show_progress)
        refs, ref_notes = fetched_refs(store, summary["refs"])
        outcome.refs = update_refs(store, refs, force=True)
        outcome.withheld = notes + outcome.withheld + ref_notes
    set_remote(dest, "origin", url, source=source)
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
        refs, ref_notes = fetched_refs(store, summary["refs"])
        outcome.refs = update_refs(store, refs, force=force)
        last = remotes(model_dir).get(remote, {}).get("source")
        source, notes = summary.get("source"), []
        if source and source != last:
            tree = _gated_tree(hub, name, source, store, url, notes)
            if tree is None:
                source = last
            else:
                old = _tree(hub, name, last, store) if last else None
                notes = _write_tree(hub, name, tree, model_dir, old, store)
        outcome.withheld = notes + outcome.withheld + ref_notes
    if not remote.startswith("http"):
        set_remote(model_dir, remote, url, source=source)
    return outcome
