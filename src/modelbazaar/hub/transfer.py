"""Moving versions and objects between a local store and a hub: what `push`, `clone`, `pull`
and workers share. Only objects the hub (or the local store) lacks are sent; every object is
checked against its sha256 on arrival; versions travel with their lineage, parents first.

Example: push_versions(hub, "tiny", store, [main]) -> (objects sent, bytes, versions added)
"""

from __future__ import annotations

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
from modelbazaar.hub.client import HubClient
from modelbazaar.hub.protocol import objects_of, topological
from modelbazaar.hub.remotes import parse_model_url, token_for
from modelbazaar.progress import console
from modelbazaar.store import Store, VersionRecord
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
    more, more_size = push_evals(hub, name, store, [r["hash"] for r in rows], show_progress)
    return sent + more, size + more_size, added


def push_evals(
    hub: HubClient, name: str, store: Store, versions: list[str], show_progress: bool = True
) -> tuple[int, int]:
    """Send the stored eval results of `versions` with their per-example objects, so the hub's
    evals page can draw them with their intervals; (objects, bytes). Nothing when none."""
    results = [
        {k: r[k] for k in ("version", "suite", "suite_version", "metrics", "examples", "n")}
        for v in versions
        for r in store.catalogue.eval_results_for(v)
    ]
    if not results:
        return 0, 0
    files = {r["examples"]: store.objects.path_of(r["examples"]) for r in results}
    files = {d: p for d, p in files.items() if p.is_file()}
    results = [r for r in results if r["examples"] in files]
    sent, size = send_objects(hub, name, files, show_progress)
    for start in range(0, len(results), BATCH):
        hub.json("POST", f"/models/{name}/evals", json={"results": results[start : start + BATCH]})
    return sent, size


# fetching ------------------------------------------------------------------------------------
def fetch_versions(
    hub: HubClient, name: str, store: Store, show_progress: bool = True
) -> FetchOutcome:
    """Download every version of `name` the local store lacks, with its objects — those the
    hub lets you download and whose parents you have, so the store stays whole (`bazaar
    verify` replays a version from its parents). The rest are named in `outcome.withheld`."""
    rows = hub.json("GET", f"/models/{name}/versions")
    have = {r["hash"] for r in rows if store.catalogue.version(r["hash"]) is not None}
    todo, left_out = [], []
    for row in rows:  # parents first: a parent left out leaves its children out too
        if row["hash"] in have:
            continue
        parents = [p["parent"] for p in row["parents"]]
        if row.get("download", True) and all(
            p in have or store.catalogue.version(p) is not None for p in parents
        ):
            todo.append(row)
            have.add(row["hash"])
        else:
            left_out.append(row)
    needed = list(dict.fromkeys(d for r in todo for d in objects_of(r) if not store.objects.has(d)))
    outcome = FetchOutcome(versions=len(todo), objects=len(needed))
    outcome.withheld = _left_out_notes(hub, name, left_out)
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


def _left_out_notes(hub: HubClient, name: str, rows: list[dict[str, Any]]) -> list[str]:
    """What a clone or pull did not fetch, and how to get it."""
    if not rows:
        return []
    url = f"{hub.base_url}/models/{name}"
    releases = {}
    for release in hub.json("GET", f"/models/{name}/releases"):
        releases.setdefault(release["version"], []).append(release["release"])
    notes = []
    for row in rows:
        digest = row["hash"]
        tags = releases.get(digest, [])
        what = f"release {', '.join(tags)} ({digest[:12]})" if tags else f"version {digest[:12]}"
        if row.get("download", True):
            notes.append(f"{what} not fetched: its lineage passes through a version left out")
            continue
        flag = f" --release {tags[0]}" if tags else ""
        notes.append(
            f"{what} is {row.get('access', 'gated')}: not fetched; ask for access with "
            f"`bazaar access request{flag} --remote {url} --who … --use …` (or on "
            f"{url}/access), then `bazaar pull`"
        )
    return notes


def fetched_refs(
    store: Store, hub_refs: dict[str, dict[str, str]]
) -> tuple[dict[str, dict[str, str]], list[str]]:
    """The hub's refs whose versions this store has (after a fetch), and notes on the others."""
    kept = {r: e for r, e in hub_refs.items() if store.catalogue.version(e["version"])}
    notes = [
        f"ref {ref} not set: its version {entry['version'][:12]} was not fetched"
        for ref, entry in sorted(hub_refs.items())
        if ref not in kept
    ]
    return kept, notes


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
