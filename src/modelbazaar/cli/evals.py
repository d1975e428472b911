"""Commands that measure versions: `eval`, `compare`."""

from functools import cache
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from modelbazaar.errors import BazaarError, ExitCode
from modelbazaar.evals import compare_results, run_suite, write_compare_report, write_eval_report
from modelbazaar.evals.diversity import collapse_warnings
from modelbazaar.evals.report import metric_rows
from modelbazaar.model import load_version
from modelbazaar.progress import console, out
from modelbazaar.recipe import load_recipe
from modelbazaar.store import Store

ModelDir = Annotated[Path, typer.Option("--dir", "-C", help="Model source folder.")]
Suites = Annotated[
    list[str] | None,
    typer.Option("--suite", "-s", help="Suite (repeatable); default: the recipe's `evals`."),
]
Limit = Annotated[int | None, typer.Option(help="Only the first N examples of each suite.")]
Report = Annotated[Path | None, typer.Option(help="Write JSON, Markdown and HTML reports here.")]


def default_suites(directory: Path, suites: list[str] | None) -> list[str]:
    if suites:
        return suites
    try:
        return list(load_recipe(directory).evals) or ["validation"]
    except BazaarError:  # no bazaar.toml (e.g. an imported model): its own validation split
        return ["validation"]


def run_all(store: Store, ref: str, names: list[str], limit: int | None, directory: Path) -> list:
    """Run suites on one version, loading the model only if some suite is not cached."""
    load = cache(lambda: load_version(store, ref))  # later suites reuse the weights in memory
    return [
        run_suite(store, ref, name, limit, model_dir=directory, show_progress=True, load=load)
        for name in names
    ]


def eval(  # the command is called eval
    ref: Annotated[str, typer.Argument(help="Version or ref to evaluate.")] = "main",
    suite: Suites = None,
    limit: Limit = None,
    report: Report = None,
    directory: ModelDir = Path("."),
) -> None:
    """Run eval suites on a version; results are cached (a re-run is instant) and printed.

    Example: bazaar eval main --suite wordnet_mc --suite validation --limit 50 --report out/
    """
    store = Store.existing(directory)
    results = run_all(store, ref, default_suites(directory, suite), limit, directory)
    version = store.resolve(ref)
    table = Table("suite", "metric", "value", "95% CI", "n", "", title=f"{ref} ({version[:12]})")
    for result in results:
        for row in metric_rows(result):
            ci = f"[{row['low']:.4g}, {row['high']:.4g}]" if row["low"] is not None else ""
            value = "—" if row["value"] is None else f"{row['value']:.4g}"
            cached = "[dim]cached[/]" if result.cached else ""
            table.add_row(result.suite, row["metric"], value, ci, str(result.n), cached)
    out.print(table)
    if report:
        paths = write_eval_report(report, store, version, results)
        console.print(f"report: {', '.join(str(p) for p in paths)}")


def compare(
    a: Annotated[str, typer.Argument(help="Baseline version or ref.")],
    b: Annotated[str, typer.Argument(help="Version or ref compared with the baseline.")],
    suite: Suites = None,
    limit: Limit = None,
    fail_on_regression: Annotated[
        bool, typer.Option(help="Exit 1 when any suite gets significantly worse.")
    ] = False,
    report: Report = None,
    directory: ModelDir = Path("."),
) -> None:
    """Per-suite deltas B - A with paired bootstrap 95% intervals over the same examples.

    Example: bazaar compare v0.1 main --suite validation --fail-on-regression
    """
    store = Store.existing(directory)
    names = default_suites(directory, suite)
    results_a = run_all(store, a, names, limit, directory)
    results_b = run_all(store, b, names, limit, directory)
    deltas = [
        d for ra, rb in zip(results_a, results_b, strict=True) for d in compare_results(ra, rb)
    ]
    table = Table("suite", "metric", a, b, "delta", "95% CI", "", title=f"{b} vs {a}")
    for d in deltas:
        verdict = (
            ("[green]better[/]" if d.better else "[red]regression[/]")
            if d.significant
            else "[dim]n.s.[/]"
        )
        table.add_row(
            d.suite,
            d.metric,
            f"{d.a:.4g}",
            f"{d.b:.4g}",
            f"{d.delta:+.4g}",
            f"[{d.ci_low:+.4g}, {d.ci_high:+.4g}]",
            verdict,
        )
    out.print(table)
    for rb in results_b:
        if rb.kind == "diversity":  # a drop in diversity is how model collapse shows first
            suite_deltas = [d for d in deltas if d.suite == rb.suite]
            drop, metrics = rb.extra.get("collapse_drop", 0.1), rb.extra.get("collapse_metrics", 1)
            for warning in collapse_warnings(suite_deltas, drop, metrics):
                console.print(f"[bold red]{warning}[/]")
    if report:
        paths = write_compare_report(report, a, b, results_a, results_b, deltas)
        console.print(f"report: {', '.join(str(p) for p in paths)}")
    regressions = [f"{d.suite}/{d.metric}" for d in deltas if d.regression]
    if regressions and fail_on_regression:
        console.print(f"[red]significant regression[/]: {', '.join(regressions)}")
        raise typer.Exit(ExitCode.REJECTED)


def register(app: typer.Typer) -> None:
    app.command(name="eval")(eval)
    app.command()(compare)
