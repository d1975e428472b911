"""Evals over time as SVG (matplotlib, drawn on the server): one metric of one suite across
main's versions, each point with its 95% interval. Cached per series: a version's results
never change, so the same points draw the same picture."""

from __future__ import annotations

import functools
from typing import Any

from markupsafe import Markup

Point = tuple[str, float, float | None, float | None]


@functools.lru_cache(maxsize=256)
def _draw(points: tuple[Point, ...], title: str) -> str:
    from modelbazaar.evals import plots  # matplotlib with the Agg backend, stable SVG ids

    fig, ax = plots.plt.subplots(figsize=(7, 3))
    xs = list(range(len(points)))
    values = [p[1] for p in points]
    ax.plot(xs, values, "o-", color="tab:blue", label="value")
    lows = [p[1] - p[2] if p[2] is not None else 0 for p in points]
    highs = [p[3] - p[1] if p[3] is not None else 0 for p in points]
    ax.errorbar(xs, values, yerr=[lows, highs], fmt="none", ecolor="tab:blue", capsize=3)
    step = max(1, len(points) // 12)
    ax.set_xticks(xs[::step], [p[0][:8] for p in points][::step], rotation=30, fontsize=7)
    ax.set_xlabel("version of main (oldest → newest)")
    ax.set_title(f"{title} (95% CI)")
    ax.grid(alpha=0.3)
    return plots._svg(fig)


def series_svg(points: list[dict[str, Any]], title: str) -> Markup:
    key = tuple((p["version"], float(p["value"]), p.get("low"), p.get("high")) for p in points)
    # matplotlib escapes text it writes into SVG; the title is a suite and metric name
    return Markup(_draw(key, title))
