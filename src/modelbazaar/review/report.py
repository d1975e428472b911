"""Write a review as ``review.json``, ``review.md`` and ``review.html`` (same content, three forms).

A review shows a stranger's strings (the task, data card, evaluation, licence rows), so every
value is escaped for its format: HTML by Jinja's autoescape, Markdown by ``escape_markdown``
applied to every ``{{ … }}`` (Jinja's ``finalize``), so no value can open a comment, inject a tag
or fake a "**Verdict: ACCEPT**" line. JSON stays data. Numbers come pre-formatted by ``num``
(marked safe: digits, signs and dots only).

Example: write_reports(Path("reviews/ab12"), {"verdict": "reject", "reasons": ["…"], ...})
-> reviews/ab12/review.json, review.md, review.html
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from modelbazaar.review.data_report import DATA_HTML, DATA_MARKDOWN, figures_text
from modelbazaar.safe_text import escape_markdown
from modelbazaar.store.objects import atomic_write

MARKDOWN = """# Review of contribution {{ r.contribution[:12] }} ({{ r.task }})

**Verdict: {{ r.verdict | upper }}**
{% for reason in r.reasons %}
- {{ reason }}
{%- endfor %}

- bundle: {{ r.bundle }}
- base: `{{ r.base }}`
{% if r.candidate %}- candidate (base + adapter): `{{ r.candidate }}`
{% endif %}- author: `{{ r.author }}` ({{ r.signature }})

## Checks (95% CI of the paired difference, candidate − base)

| check | status | base | candidate | Δ | 95% CI | bound |
|---|---|---|---|---|---|---|
{% for c in r.checks -%}
| {{ c.check }} | {{ c.status }} | {{ num(c.base) }} | {{ num(c.candidate) }} | {{ num(c.delta) }} \
| {% if c.ci_low is defined %}[{{ num(c.ci_low) }}, {{ num(c.ci_high) }}]{% endif %} \
| {{ c.bound or c.detail or "" }} |
{% endfor %}
## Licences (model: {{ r.licence.model }})

| what | licence | family | verdict | reason |
|---|---|---|---|---|
{% for row in r.licence.rows -%}
| {{ row.what }} | {{ row.license }} | {{ row.family }} | {{ row.verdict }} | {{ row.reason }} |
{% endfor %}
## Data card (as the contributor describes it)

{{ r.data_card.description or "(no description)" }}

| file | bytes | sha256 | provenance | generator | licence | included |
|---|---|---|---|---|---|---|
{% for f in r.data_card.files -%}
| {{ f.name }} | {{ f.bytes }} | `{{ f.sha256[:12] }}` | {{ f.provenance }} \
| {{ f.generator or "" }} | {{ f.license }} | {{ "yes" if f.included else "no" }} |
{% endfor %}
{% if r.contributor_evaluation %}## The contributor's own numbers (reported, not trusted)

{% for k, v in r.contributor_evaluation.items() -%}
- {{ k }}: {{ num(v) }}
{% endfor %}{% endif %}"""

HTML = """<!doctype html><html><head><meta charset="utf-8">
<title>Review {{ r.contribution[:12] }}: {{ r.verdict }}</title>
<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}td,th{padding:.2em .6em;
border-bottom:1px solid #ddd}.accept{color:#070}.reject,.fail,.refused{color:#b00}</style>
</head><body><h1>Review of {{ r.contribution[:12] }} ({{ r.task }})</h1>
<p class="{{ r.verdict }}"><b>Verdict: {{ r.verdict | upper }}</b></p>
<ul>{% for reason in r.reasons %}<li>{{ reason }}</li>{% endfor %}</ul>
<p>base <code>{{ r.base }}</code><br>
{% if r.candidate %}candidate <code>{{ r.candidate }}</code><br>{% endif %}
author <code>{{ r.author }}</code> ({{ r.signature }})</p>
<h2>Checks</h2><table><tr><th>check</th><th>status</th><th>base</th><th>candidate</th>
<th>&Delta;</th><th>95% CI</th><th>bound</th></tr>
{% for c in r.checks %}<tr><td>{{ c.check }}</td><td class="{{ c.status }}">{{ c.status }}</td>
<td>{{ num(c.base) }}</td><td>{{ num(c.candidate) }}</td><td>{{ num(c.delta) }}</td>
<td>{% if c.ci_low is defined %}[{{ num(c.ci_low) }}, {{ num(c.ci_high) }}]{% endif %}</td>
<td>{{ c.bound or c.detail or "" }}</td></tr>{% endfor %}</table>
<h2>Licences (model: {{ r.licence.model }})</h2><table>
{% for row in r.licence.rows %}<tr><td>{{ row.what }}</td><td>{{ row.license }}</td>
<td>{{ row.family }}</td><td class="{{ row.verdict }}">{{ row.verdict }}</td>
<td>{{ row.reason }}</td></tr>{% endfor %}</table>
<h2>Data card (as the contributor describes it)</h2>
<p style="white-space:pre-wrap">{{ r.data_card.description or "(no description)" }}</p>
<table><tr><th>file</th><th>bytes</th><th>sha256</th><th>provenance</th><th>generator</th>
<th>licence</th><th>included</th></tr>
{% for f in r.data_card.files %}<tr><td>{{ f.name }}</td><td>{{ f.bytes }}</td>
<td><code>{{ f.sha256[:12] }}</code></td><td>{{ f.provenance }}</td><td>{{ f.generator or "" }}</td>
<td>{{ f.license }}</td><td>{{ "yes" if f.included else "no" }}</td></tr>{% endfor %}</table>
<h2>The contributor's own numbers (reported, not trusted)</h2><ul>
{% for k, v in r.contributor_evaluation.items() %}<li>{{ k }}: {{ num(v) }}</li>{% endfor %}
</ul>{{ data_html }}</body></html>
"""


def _num(value: Any) -> Markup | str:
    """A number as text, marked safe for both formats; anything else is left to the escaping.

    Example: _num(0.026543) -> Markup('0.02654'); _num(None) -> ''; _num("<b>") -> '<b>'
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "" if value is None else str(value)
    return Markup(f"{value:.4g}")  # digits, sign, dot, "e", "inf"/"nan": nothing to escape


def _markdown_value(value: Any) -> str:
    # Jinja's `finalize`: every {{ … }} of the Markdown template passes through here
    return value if isinstance(value, Markup) else escape_markdown("" if value is None else value)


def write_reports(out_dir: Path, report: dict[str, Any]) -> list[Path]:
    """Write the three files atomically; return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    md_env = Environment(autoescape=False, keep_trailing_newline=True, finalize=_markdown_value)
    html_env = Environment(autoescape=True)  # HTML: every string from a bundle is escaped
    helpers = {"num": _num, "figures": figures_text}  # data donations: review/data_report.py
    files = {
        "review.json": json.dumps(report, indent=2, sort_keys=True) + "\n",
        "review.md": md_env.from_string(MARKDOWN + DATA_MARKDOWN).render(r=report, **helpers),
        "review.html": html_env.from_string(HTML.replace("{{ data_html }}", DATA_HTML)).render(
            r=report, **helpers
        ),
    }
    paths = []
    for name, text in files.items():
        atomic_write(out_dir / name, text.encode("utf-8"))
        paths.append(out_dir / name)
    return paths
