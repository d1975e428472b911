"""`--report DIR`: the same content as JSON (for machines), Markdown (for PRs) and one
self-contained HTML page (plots inlined as SVG).

    write_eval_report(out, store, version_hash, results)       -> out/eval.{json,md,html}
    write_compare_report(out, label_a, label_b, a, b, deltas)  -> out/compare.{json,md,html}
"""

import json
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from modelbazaar.evals import plots
from modelbazaar.evals.compare import Delta, interval
from modelbazaar.evals.result import SuiteResult
from modelbazaar.store import Store


def _render(name: str, html: bool, **context: Any) -> str:
    text = resources.files("modelbazaar.evals").joinpath("templates", name).read_text("utf-8")
    env = jinja2.Environment(
        autoescape=html, trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined
    )
    env.filters["num"] = lambda v: "—" if v is None else f"{v:.4g}"
    return env.from_string(text).render(**context)


def _write(out: Path, stem: str, data: dict[str, Any], plots_svg: dict[str, str]) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / f"{stem}.json", out / f"{stem}.md", out / f"{stem}.html"]
    paths[0].write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    paths[1].write_text(_render(f"{stem}.md.j2", False, **data), encoding="utf-8")
    svg = {k: Markup(v) for k, v in plots_svg.items()}  # our own matplotlib output: trusted
    paths[2].write_text(_render(f"{stem}.html.j2", True, plots=svg, **data), encoding="utf-8")
    return paths


def metric_rows(result: SuiteResult) -> list[dict[str, Any]]:
    """One row per metric; bootstrappable ones carry their 95% interval."""
    rows = []
    for metric, value in result.metrics.items():
        row = {"suite": result.suite, "metric": metric, "value": value, "low": None, "high": None}
        if metric in result.series and value is not None:
            row["low"], row["high"] = interval(result.series[metric])
            row["higher_is_better"] = result.higher_is_better[metric]
        rows.append(row)
    return rows


def training_points(store: Store, version: str) -> list[dict[str, Any]]:
    """Per-step training metrics of the version's pretraining (none for imported versions)."""
    build_key = store.version(version).info.get("builds", {}).get("pretrain")
    if not build_key:
        return []
    return [
        {k: m[k] for k in ("step", "loss", "val_loss")}
        for m in store.catalogue.train_metrics(build_key)
    ]


def write_eval_report(
    out: Path, store: Store | None, version: str, results: list[SuiteResult]
) -> list[Path]:
    """eval.json/.md/.html for one version's results."""
    rows = [row for r in results for row in metric_rows(r)]
    curve = training_points(store, version) if store else []
    safety = {r.suite: r.extra["per_category"] for r in results if r.kind == "safety"}
    data = {
        "version": version,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "suites": [r.to_dict() for r in results],
        "rows": rows,
        "training": curve,
        "safety": safety,
    }
    svg = {"training": plots.training_curve(curve)}
    for result in results:
        points = [
            {
                "label": f"{row['metric']}",
                "value": row["value"],
                "low": row["low"],
                "high": row["high"],
            }
            for row in metric_rows(result)
            if row["low"] is not None
        ]
        svg[f"suite:{result.suite}"] = plots.intervals(points, f"{result.suite} (95% CI)")
    for suite, per_category in safety.items():
        svg[f"safety:{suite}"] = plots.category_bars(per_category, suite)
    return _write(Path(out), "eval", data, svg)


def write_compare_report(
    out: Path,
    label_a: str,
    label_b: str,
    a: list[SuiteResult],
    b: list[SuiteResult],
    deltas: list[Delta],
) -> list[Path]:
    """compare.json/.md/.html: per-suite deltas B - A with paired 95% intervals."""
    data = {
        "a": label_a,
        "b": label_b,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "deltas": [d.to_dict() for d in deltas],
        "suites_a": [r.to_dict() for r in a],
        "suites_b": [r.to_dict() for r in b],
        "regressions": [f"{d.suite}/{d.metric}" for d in deltas if d.regression],
    }
    colour = {True: "tab:green", False: "tab:red"}
    points = [
        {
            "label": f"{d.suite} {d.metric}",
            "value": d.delta,
            "low": d.ci_low,
            "high": d.ci_high,
            "color": colour[d.better] if d.significant else "grey",
        }
        for d in deltas
    ]
    svg = {"deltas": plots.intervals(points, f"{label_b} − {label_a} (paired 95% CI)", True)}
    for result in b:
        if result.kind == "safety":
            svg[f"safety:{result.suite}"] = plots.category_bars(
                result.extra["per_category"], f"{result.suite} ({label_b})"
            )
    return _write(Path(out), "compare", data, svg)
