"""Write an AuditReport as audit.json, audit.md and a self-contained audit.html with a badge.

The HTML has no external assets: styles are inline and the badge is an inline SVG showing the
verdict and the MOF class, coloured green (open source), amber (open weights) or red (closed).

Example: `write_report(report, Path("audit-report"))` -> `{"json": .../audit.json, "md":
.../audit.md, "html": .../audit.html}`.
"""

from __future__ import annotations

from functools import cache
from html import escape
from importlib import resources
from pathlib import Path

import jinja2

from modelbazaar.audit.models import AuditReport
from modelbazaar.errors import AuditError

COLOURS = {"open source": "#2e7d32", "open weights": "#ef8f00", "closed": "#c62828"}
ROMAN = {0: "unclassified", 1: "Class I", 2: "Class II", 3: "Class III"}


def badge_svg(report: AuditReport) -> str:
    """A shields-style SVG: left half the verdict, right half the MOF class."""
    left, right = report.verdict, f"MOF {ROMAN[report.mof.mof_class]}"
    lw, rw = 12 + 7 * len(left), 12 + 7 * len(right)  # ~7 px per character at 11 px Verdana
    colour = COLOURS[report.verdict]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{lw + rw}" height="20" role="img" '
        f'aria-label="{escape(left)}: {escape(right)}"><title>{escape(left)}: {escape(right)}'
        f'</title><rect width="{lw}" height="20" fill="{colour}"/><rect x="{lw}" width="{rw}" '
        f'height="20" fill="#555"/><g fill="#fff" font-family="Verdana,sans-serif" '
        f'font-size="11" text-anchor="middle"><text x="{lw / 2}" y="14">{escape(left)}</text>'
        f'<text x="{lw + rw / 2}" y="14">{escape(right)}</text></g></svg>'
    )


@cache
def _template(name: str, autoescape: bool) -> jinja2.Template:
    """A report template from `audit/templates/` (shipped as package data)."""
    text = resources.files("modelbazaar.audit").joinpath("templates", name).read_text("utf-8")
    return jinja2.Template(text, autoescape=autoescape)


def to_markdown(report: AuditReport) -> str:
    """The report as Markdown (what `audit.md` holds)."""
    return _template("audit.md.j2", False).render(r=report)


def to_html(report: AuditReport) -> str:
    """The report as one self-contained HTML page with the badge inline."""
    return _template("audit.html.j2", True).render(
        r=report, badge=jinja2.utils.markupsafe.Markup(badge_svg(report))
    )


def write_report(report: AuditReport, out_dir: Path) -> dict[str, Path]:
    """Write audit.json, audit.md and audit.html into `out_dir` (created if needed)."""
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
        paths = {"json": out / "audit.json", "md": out / "audit.md", "html": out / "audit.html"}
        paths["json"].write_text(report.to_json(), encoding="utf-8")
        paths["md"].write_text(to_markdown(report), encoding="utf-8")
        paths["html"].write_text(to_html(report), encoding="utf-8")
    except OSError as exc:
        raise AuditError(
            f"Cannot write the report into {out}: {exc}; choose another --out."
        ) from exc
    return paths
