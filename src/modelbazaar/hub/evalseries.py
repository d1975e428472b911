"""Evals over time: each suite's metrics across main's versions, with 95% intervals.

The numbers are the store's own eval results (`eval_results` rows and their per-example
objects, as `bazaar eval` records them); the interval is the same bootstrap `bazaar eval`'s
report draws (`evals.report.metric_rows`). A version's rows never change, so each version's
rows are computed once per process.

Example: eval_series(db, [v1, v2]) -> {"wordnet_mc · accuracy": [{"version": v1, "value": 0.4,
"low": 0.3, "high": 0.5, "n": 80}, …]}
"""

from __future__ import annotations

import functools
from typing import Any

from modelbazaar.errors import BazaarError
from modelbazaar.evals.report import metric_rows
from modelbazaar.evals.result import SuiteResult
from modelbazaar.hub.db import HubDB


@functools.lru_cache(maxsize=4096)
def _rows(db: HubDB, version: str) -> tuple[dict[str, Any], ...]:
    found = []
    for stored in db.store.catalogue.eval_results_for(version):
        base = {"version": version, "suite_version": stored["suite_version"], "n": stored["n"]}
        try:
            result = SuiteResult.from_stored(stored, db.store.objects.get_bytes(stored["examples"]))
            rows = metric_rows(result)
        except (BazaarError, OSError, ValueError, KeyError, TypeError):  # examples not on the hub
            rows = [
                {"suite": stored["suite"], "metric": k, "value": v, "low": None, "high": None}
                for k, v in stored["metrics"].items()
            ]
        found.extend(base | row for row in rows if isinstance(row.get("value"), int | float))
    return tuple(found)


def eval_report(db: HubDB, version: str) -> list[dict[str, Any]]:
    """Every metric of every suite measured on `version` (with its interval when known)."""
    return list(_rows(db, version))


def eval_series(db: HubDB, versions: list[str]) -> dict[str, list[dict[str, Any]]]:
    """ "suite · metric" -> one point per version in `versions` order (versions without that
    suite are skipped)."""
    series: dict[str, list[dict[str, Any]]] = {}
    for version in versions:
        for row in _rows(db, version):
            series.setdefault(f"{row['suite']} · {row['metric']}", []).append(row)
    return series
