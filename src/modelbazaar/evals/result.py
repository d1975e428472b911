"""`SuiteResult`: aggregates plus the per-example numbers paired comparison resamples.

Every bootstrappable metric is a ratio of per-example sums, sum(num) / sum(den): accuracy has
den = 1 per example; mean token loss has num = a document's summed loss, den = its token count;
a rate over harmful prompts only has den = 0 on benign ones. Resampling examples and recomputing
the ratio gives the corpus-level metric's interval (not a mean of per-document means).

Example: num [1, 0, 1], den [1, 1, 1] -> accuracy 2/3.
"""

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from modelbazaar.store.catalogue import canonical_json


@dataclass
class Series:
    """One metric's per-example numerator and denominator, in `SuiteResult.ids` order."""

    num: list[float]
    den: list[float]

    def value(self) -> float | None:
        total = sum(self.den)
        return sum(self.num) / total if total else None


@dataclass
class SuiteResult:
    """What one suite measured on one model. `version` is None for a model not in the store."""

    suite: str
    suite_version: str
    kind: str
    version: str | None
    metrics: dict[str, float | None]  # aggregates, as stored in the catalogue
    higher_is_better: dict[str, bool]  # direction of every bootstrappable metric
    ids: list[str]  # example ids: the pairing key between two results
    series: dict[str, Series]  # metric -> per-example num/den
    outputs: list[dict[str, Any]] = field(default_factory=list)  # per example: text, lls, ...
    extra: dict[str, Any] = field(default_factory=dict)  # kind-specific (safety per category)
    cached: bool = False

    @property
    def n(self) -> int:
        return len(self.ids)

    def examples_json(self) -> bytes:
        """Canonical JSON of everything but the aggregates (stored as one object)."""
        data = asdict(self)
        for key in ("metrics", "cached"):
            data.pop(key)
        return canonical_json(data).encode()

    @classmethod
    def measured(
        cls,
        suite: Any,
        rows: list[dict[str, Any]],
        series: dict[str, Series],
        higher_is_better: dict[str, bool],
        **rest: Any,
    ) -> "SuiteResult":
        """A fresh result of `suite` on `rows`: each metric is its series' aggregate."""
        return cls(
            suite=suite.name,
            suite_version=suite.version,
            kind=suite.kind,
            version=None,
            metrics={name: s.value() for name, s in series.items()},
            higher_is_better=higher_is_better,
            ids=[str(r["id"]) for r in rows],
            series=series,
            **rest,
        )

    @classmethod
    def from_stored(cls, row: dict[str, Any], examples: bytes) -> "SuiteResult":
        """Rebuild a result from a catalogue row and its examples object."""
        data = json.loads(examples)
        series = {k: Series(**v) for k, v in data.pop("series").items()}
        return cls(metrics=row["metrics"], series=series, cached=True, **data)

    def to_dict(self) -> dict[str, Any]:
        """Summary for reports: no per-example data."""
        return {
            "suite": self.suite,
            "suite_version": self.suite_version,
            "kind": self.kind,
            "version": self.version,
            "n": self.n,
            "metrics": self.metrics,
            "higher_is_better": self.higher_is_better,
            "extra": self.extra,
        }
