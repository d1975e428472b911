"""Evals over time: each suite's metrics across main's versions, with 95% intervals.

The numbers are the store's own eval results (`eval_results` rows and their per-example
objects, as `bazaar eval` records them); the interval is the same bootstrap `bazaar eval`'s
report draws (`evals.report.metric_rows`). A version's rows never change, so each version's
rows are computed once per process (the cache is cleared when results arrive).

Example: eval_series(db, [v1, v2]) -> {"wordnet_mc · accuracy": [{"version": v1, "value": 0.4,
"low": 0.3, "high": 0.5, "n": 80}, …]}
"""

from __future__ import annotations

import functools
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from modelbazaar.errors import BazaarError, validation_problems
from modelbazaar.evals.report import metric_rows
from modelbazaar.evals.result import SuiteResult
from modelbazaar.hub.db import HubDB
from modelbazaar.hub.errors import HubError
from modelbazaar.hub.repos import Model, missing_objects
from modelbazaar.hub.versions import model_versions

MAX_RESULTS = 2_000  # per request


class EvalResultIn(BaseModel):
    """One stored eval result as `bazaar push` sends it (the store's own row)."""

    model_config = ConfigDict(extra="forbid")
    version: str = Field(pattern=r"^[0-9a-f]{64}$")
    suite: str = Field(min_length=1, max_length=200)
    suite_version: str = Field(max_length=200)
    metrics: dict[str, float | None] = Field(max_length=200)
    examples: str = Field(pattern=r"^[0-9a-f]{64}$")
    n: int = Field(ge=0)


def record_eval_results(db: HubDB, model: Model, rows: list[dict[str, Any]]) -> int:
    """Record pushed eval results of this model's versions (a result already stored for the
    same version, suite and suite version is kept, as the store does); how many were sent."""
    if len(rows) > MAX_RESULTS:
        raise HubError(413, f"at most {MAX_RESULTS} eval results per request")
    try:
        parsed = [EvalResultIn.model_validate(r) for r in rows]
    except ValidationError as exc:
        raise HubError(
            422, "bad eval result: " + validation_problems(exc.errors())[:1000]
        ) from None
    known = model_versions(db, model)
    for row in parsed:
        if row.version not in known:
            raise HubError(
                422, f"{row.version[:12]} is not a version of {model.name}; push it first"
            )
    lacking = missing_objects(db, model, [r.examples for r in parsed])
    if lacking:
        raise HubError(422, f"upload the examples object {lacking[0][:12]} first")
    for row in parsed:
        db.store.catalogue.add_eval_result(row.model_dump())
    _rows.cache_clear()  # a version seen before without these results must show them now
    return len(parsed)


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
