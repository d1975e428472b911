"""Run suites on a stored version (cached in the catalogue) or on an in-memory model.

    result = run_suite(store, "main", "wordnet_mc", model_dir=Path("."), limit=50)
    result.metrics            # {"acc": 0.26, "acc_norm": 0.3}
    run_suite(store, "main", "wordnet_mc", model_dir=Path("."), limit=50).cached  # -> True

The cache key is (version hash, suite name, suite version); a `--limit` run is stored under
"<version>@<limit>" so it never passes for a full run. A result is written only after the whole
suite finished, and an existing one is never replaced: a failed run leaves the catalogue as it was.
"""

from collections.abc import Callable
from pathlib import Path

from modelbazaar.evals.common import Tick
from modelbazaar.evals.examples import cache_version, suite_examples
from modelbazaar.evals.kinds import KINDS
from modelbazaar.evals.result import SuiteResult
from modelbazaar.evals.suite import Suite, load_suite
from modelbazaar.model import LoadedModel, load_version
from modelbazaar.progress import progress_bar
from modelbazaar.store import Store


def as_suite(suite: Suite | str, model_dir: Path | None) -> Suite:
    return suite if isinstance(suite, Suite) else load_suite(suite, model_dir)


def run_suite_on_model(
    model,
    tokenizer,
    suite: Suite | str,
    limit: int | None = None,
    *,
    model_dir: Path | None = None,
    show_progress: bool = False,
) -> SuiteResult:
    """Evaluate a model that need not be in the store (e.g. base + adapter under review).

    Nothing is stored; `result.version` is None. `model_dir` is needed for suites that read the
    model source's data (`validation`) or live in its evals/ folder.
    """
    suite = as_suite(suite, model_dir)

    def examples() -> list:
        return suite_examples(suite, model_dir, limit)

    with progress_bar(disable=not show_progress) as bar:
        task = bar.add_task(suite.name, total=None, info="")
        tick = Tick(
            start=lambda total: bar.update(task, total=total),
            advance=lambda k: bar.update(task, advance=k),
        )
        result = KINDS[suite.kind](model, tokenizer, suite, examples, tick)
    result.suite_version = result_key(suite, model_dir, limit)
    return result


def result_key(suite: Suite, model_dir: Path | None, limit: int | None) -> str:
    """The suite version a result is stored under; "@N" marks a run on part of the suite.

    Example: "1" (whole suite), "1@20" (--limit 20 of 200), "1" (--limit 500 of 200).
    """
    key = cache_version(suite, model_dir)
    if limit and limit < len(suite_examples(suite, model_dir)):
        key += f"@{limit}"
    return key


def stored_result(store: Store, version: str, suite_version: str, suite: str) -> SuiteResult | None:
    row = store.catalogue.eval_result(version, suite, suite_version)
    if row is None:
        return None
    return SuiteResult.from_stored(row, store.objects.get_bytes(row["examples"]))


def run_suite(
    store: Store,
    ref: str,
    suite: Suite | str,
    limit: int | None = None,
    *,
    model_dir: Path | None = None,
    show_progress: bool = False,
    load: Callable[[], LoadedModel] | None = None,
) -> SuiteResult:
    """Evaluate stored version `ref` on a suite; a stored result is returned at once (cached)."""
    suite = as_suite(suite, model_dir)
    version = store.resolve(ref)
    hit = stored_result(store, version, result_key(suite, model_dir, limit), suite.name)
    if hit is not None:
        return hit
    loaded = load() if load else load_version(store, version)  # a shared loader loads once
    result = run_suite_on_model(
        loaded.model,
        loaded.tokenizer,
        suite,
        limit,
        model_dir=model_dir,
        show_progress=show_progress,
    )
    result.version = version
    examples = store.objects.put_bytes(result.examples_json())
    store.catalogue.add_eval_result(
        {
            "version": version,
            "suite": suite.name,
            "suite_version": result.suite_version,
            "metrics": result.metrics,
            "examples": examples,
            "n": result.n,
        }
    )
    return result
