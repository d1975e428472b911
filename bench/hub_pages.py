"""Pages of the hub on loopback with 200 versions of main and 1,000 contributions: p50/p95
per page, against the API's JSON contribution list measured in the same run (the ratio says
what rendering a page costs on top of the query).

The hub is seeded by inserting rows directly (tests/pagekit.py: versions with merge edges,
eval results with per-example data, submissions with review reports), served by uvicorn in a
thread, and read by one client with a logged-in session, so every page renders for a
maintainer (forms included). One warm-up visit per page first: the audit, the bootstrap
intervals and the plots are computed once per version and cached, as in a running hub.

    PYTHONPATH=src:. python bench/hub_pages.py [--versions 200] [--contributions 1000] [--n 40]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from modelbazaar.hub.sessions import open_session
from tests.hubkit import LiveHub
from tests.pagekit import seed_hub

GOAL_MS = 300.0


def timings(client: httpx.Client, path: str, n: int) -> list[float]:
    """n visits after a first one (returned first: it fills the caches, draws the plots)."""
    start = time.perf_counter()
    client.get(path).raise_for_status()
    found = [(time.perf_counter() - start) * 1000]
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(path)
        found.append((time.perf_counter() - start) * 1000)
        response.raise_for_status()
    return found


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--versions", type=int, default=200)
    parser.add_argument("--contributions", type=int, default=1000)
    parser.add_argument("--n", type=int, default=40, help="visits per page")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="hub-pages-"))
    start = time.perf_counter()
    seeded = seed_hub(root, versions=args.versions, contributions=args.contributions)
    print(
        f"seeded {args.versions} versions, {args.contributions} contributions "
        f"in {time.perf_counter() - start:.1f} s"
    )
    hub = LiveHub(seeded.db, root, tokens=seeded.tokens).start()
    sid, _ = open_session(seeded.db, seeded.tokens["alice"])
    pages = {
        "models": "/",
        "model": "/models/tiny",
        "history": "/models/tiny/history",
        "evals": "/models/tiny/evals",
        "version": f"/models/tiny/versions/{seeded.main}",
        "contributions": "/models/tiny/contributions",
        "contribution": f"/models/tiny/contributions/{seeded.subs[-1]}",
        "account": "/account",
        "access": "/models/locked/access",
    }
    results: dict[str, list[float]] = {}
    try:
        with httpx.Client(base_url=hub.url, cookies={"bazaar_session": sid}, timeout=60) as c:
            api = httpx.Client(
                base_url=hub.url,
                headers={"Authorization": f"Bearer {seeded.tokens['alice']}"},
                timeout=60,
            )
            baseline = timings(api, "/api/v1/models/tiny/contributions", args.n)
            api.close()
            for name, path in pages.items():
                results[name] = timings(c, path, args.n)
    finally:
        hub.stop()
    firsts = {k: v.pop(0) for k, v in (results | {"API JSON list": baseline}).items()}
    base95 = p95(baseline)
    print(f"{'page':14} {'first ms':>9} {'p50 ms':>8} {'p95 ms':>8} {'p95/API':>8}")
    for name, values in ({"API JSON list": baseline} | results).items():
        print(
            f"{name:14} {firsts[name]:9.1f} {statistics.median(values):8.1f} "
            f"{p95(values):8.1f} {p95(values) / base95:8.2f}"
        )
    worst = max(results, key=lambda k: p95(results[k]))
    verdict = "meets" if p95(results[worst]) < GOAL_MS else "MISSES"
    print(
        f"slowest page: {worst}, p95 {p95(results[worst]):.1f} ms — {verdict} the "
        f"{GOAL_MS:.0f} ms goal"
    )


if __name__ == "__main__":
    main()
