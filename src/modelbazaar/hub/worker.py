"""`bazaar hub worker`: claim review and merge jobs from a hub and run the CLI's own workflows.

A worker keeps a mirror of each model it works on (a clone, then pulls), and runs every job in
a scratch folder: the model's source, the mirror's store, and the recipe's trust list extended
with the keys of the model's contributors (on a hub, the role is the listing). Review jobs run
`workflows.review.review` on the submitted bundle and post the verdict with the JSON, Markdown
and HTML report; merge jobs record the hub's accepted reviews, run `workflows.merge.merge`
(merged version, reviewed against main), push the merged version and post the verdict. The
hub, not the worker, moves refs: a worker's token can upload only while it holds a job's lease.

A heartbeat thread extends the lease every third of its length. A worker killed mid-job simply
stops heartbeating; its lease expires and another worker takes the job.

Example: run_worker("http://127.0.0.1:8000", token, Path("work"), once=True) -> 1
"""

from __future__ import annotations

import shutil
import threading
import time
import traceback
from pathlib import Path
from typing import Any

from modelbazaar.contrib import open_bundle
from modelbazaar.errors import BazaarError, BundleError
from modelbazaar.hub.client import HubClient, RemoteError
from modelbazaar.hub.remotes import remotes
from modelbazaar.hub.sync import clone, pull
from modelbazaar.hub.transfer import push_versions
from modelbazaar.progress import console
from modelbazaar.recipe import add_trusted_key
from modelbazaar.store import Store, store_root
from modelbazaar.store.refs import RefMove
from modelbazaar.workflows.merge import merge
from modelbazaar.workflows.review import review

REPORTS = {"json": "review.json", "md": "review.md", "html": "review.html"}


class Heartbeat(threading.Thread):
    """Extends a job's lease until stopped; `lost` is set when the hub says it is gone."""

    def __init__(self, base: str, token: str, job: dict[str, Any]) -> None:
        super().__init__(daemon=True)
        self.hub = HubClient(base, token)
        self.job = job
        self.every = max(0.2, float(job["lease_seconds"]) / 3)
        self.halt = threading.Event()
        self.lost = False

    def run(self) -> None:
        try:
            while not self.halt.wait(self.every):
                try:
                    body = {"lease": self.job["lease"]}
                    self.hub.json("POST", f"/jobs/{self.job['id']}/heartbeat", json=body)
                except RemoteError as exc:  # 409: the lease is gone; 0: the hub is away
                    if exc.status == 409:
                        self.lost = True
                        return
        finally:
            self.hub.close()

    def stop(self) -> None:
        self.halt.set()


def run_worker(
    base: str,
    token: str,
    work: Path,
    *,
    once: bool = False,
    poll: float = 2.0,
    max_jobs: int | None = None,
    stop: threading.Event | None = None,
    show_progress: bool = False,
) -> int:
    """Claim and run jobs until stopped (`once`: until the queue is empty); return jobs done."""
    work = Path(work)
    done = 0
    with HubClient(base, token) as hub:
        while not (stop and stop.is_set()) and (max_jobs is None or done < max_jobs):
            job = hub.json("POST", "/jobs/claim")
            if job is None:
                if once:
                    break
                time.sleep(poll)
                continue
            console.print(
                f"job {job['id']}: {job['kind']} on {job['model']} (attempt {job['attempt']})"
            )
            state = run_one(hub, base, token, job, work, show_progress)
            console.print(f"job {job['id']}: {state}")
            done += 1
    return done


def run_one(
    hub: HubClient, base: str, token: str, job: dict[str, Any], work: Path, show_progress: bool
) -> str:
    """Run one claimed job and report it; returns what the hub said (or why it failed)."""
    beat = Heartbeat(base, token, job)
    beat.start()
    try:
        runner = review_job if job["kind"] == "review" else merge_job
        result = runner(hub, base, token, job, work, show_progress)
        if beat.lost:
            return "lease lost while working; result dropped"
        answer = hub.json(
            "POST", f"/jobs/{job['id']}/result", json={"lease": job["lease"], **result}
        )
        return str(answer["state"])
    except RemoteError as exc:
        if exc.status == 409:
            return f"lease lost: {exc}"
        return _give_back(hub, job, f"{exc}")
    except Exception as exc:  # a crash on this job must not kill the worker: report it
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        console.print(traceback.format_exc())
        return _give_back(hub, job, detail)
    finally:
        beat.stop()
        shutil.rmtree(work / "jobs" / str(job["id"]), ignore_errors=True)


def _give_back(hub: HubClient, job: dict[str, Any], error: str) -> str:
    try:
        body = {"lease": job["lease"], "error": error[:10_000]}
        return "given back: " + hub.json("POST", f"/jobs/{job['id']}/fail", json=body)["state"]
    except RemoteError as exc:
        return f"could not give the job back ({exc}); its lease will expire"


def mirror(base: str, token: str, name: str, work: Path, show_progress: bool) -> Path:
    """The worker's up-to-date copy of model `name` (refs exactly as on the hub)."""
    folder = work / "mirrors" / name
    url = f"{base}/models/{name}"
    if not remotes(folder).get("origin"):  # never cloned, or a clone cut off by a kill
        shutil.rmtree(folder, ignore_errors=True)
        clone(url, folder, show_progress=show_progress, token=token)
    else:
        pull(folder, "origin", force=True, show_progress=show_progress, token=token)
    return folder


def job_folder(source: Path, work: Path, job: dict[str, Any]) -> Path:
    """A scratch model folder: the mirror's source files, its store, the job's trusted keys."""
    folder = work / "jobs" / str(job["id"])
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(source, folder, ignore=shutil.ignore_patterns(".bazaar"))
    (folder / ".bazaar").symlink_to(store_root(source).resolve(), target_is_directory=True)
    for key in job["trusted_keys"]:
        add_trusted_key(folder, key)
    return folder


def _fetch(hub: HubClient, name: str, digest: str, store: Store, target: Path) -> Path:
    path = hub.download(name, digest, store.objects.incoming)
    shutil.move(path, target)
    return target


def review_job(
    hub: HubClient, base: str, token: str, job: dict[str, Any], work: Path, show_progress: bool
) -> dict[str, Any]:
    name, sub = job["model"], job["submission"]
    source = mirror(base, token, name, work, show_progress)
    folder = job_folder(source, work, job)
    store = Store.for_model(folder)
    bundle = _fetch(hub, name, sub["bundle"], store, folder / "contribution.bazaar")
    try:
        outcome = review(folder, bundle, report_dir=folder / "report", show_progress=show_progress)
    except BundleError as exc:  # refused at review: a verdict with its reason, not a crash
        return {"verdict": "refused", "reasons": [str(exc)]}
    reports = {}
    for kind, filename in REPORTS.items():
        path = folder / "report" / filename
        digest = store.objects.put_file(path)
        hub.upload(f"/models/{name}/objects/{digest}", path)
        reports[kind] = digest
    return {
        "verdict": outcome.verdict,
        "reasons": outcome.reasons,
        "report": outcome.report,
        "reports": reports,
        "candidate": outcome.report.get("candidate"),
    }


def merge_job(
    hub: HubClient, base: str, token: str, job: dict[str, Any], work: Path, show_progress: bool
) -> dict[str, Any]:
    name, spec = job["model"], job["merge"]
    request = spec["request"]
    source = mirror(base, token, name, work, show_progress)
    store = Store.for_model(source)
    main = store.catalogue.refs().get("main", {}).get("version")
    if main != spec["expected_main"]:  # merge onto the main it was asked for; the hub's CAS
        store.catalogue.move_refs([RefMove("main", spec["expected_main"], main)], "merging")
    folder = job_folder(source, work, job)
    by_id = {s["contribution"]: s for s in spec["contributions"]}
    paths = []
    for cid in request["contributions"]:
        sub = by_id[cid]
        path = _fetch(hub, name, sub["bundle"], store, folder / f"{cid[:16]}.bazaar")
        _record_hub_review(store, path, sub)
        paths.append(path)
    outcome = merge(
        folder,
        paths,
        method=request["method"],
        density=request["density"],
        weights=request["weights"],
        seed=request["seed"],
        show_progress=show_progress,
    )
    if outcome.verdict == "accept":
        push_versions(hub, name, store, [outcome.version], show_progress=show_progress)
    return {"verdict": outcome.verdict, "version": outcome.version, "reasons": outcome.reasons}


def _record_hub_review(store: Store, path: Path, sub: dict[str, Any]) -> None:
    """Record the hub's accepted review in the mirror's store, so `merge` takes the bundle."""
    bundle = open_bundle(path, require_signature=False)  # checked by the hub on arrival
    if bundle.id != sub["contribution"] or bundle.sha256 != sub["bundle"]:
        raise BazaarError(f"bundle of {sub['contribution'][:12]} is not the one the hub reviewed")
    manifest = bundle.manifest
    store.objects.put_bytes(bundle.blob)
    store.catalogue.add_contribution(
        {
            "id": bundle.id,
            "base": manifest.base_version,
            "task": manifest.task,
            "author": manifest.author,
            "license": manifest.license,
            "manifest": manifest.model_dump(mode="json"),
            "bundle": bundle.sha256,
        }
    )
    reviews = store.catalogue.reviews_for(bundle.id)
    if not reviews or reviews[-1]["verdict"] != "accept":
        store.catalogue.add_review(
            {
                "contribution": bundle.id,
                "candidate": sub["review"]["candidate"],
                "verdict": sub["review"]["verdict"],
                "reasons": sub["review"]["reasons"],
                "report": {"reviewed_by": "hub", "submission": sub["id"]},
            }
        )
