"""Write an AuditReport as audit.json, audit.md and a self-contained audit.html with a badge.

The HTML has no external assets: styles are inline and the badge is an inline SVG showing the
verdict and the MOF class, coloured green (open source), amber (open weights) or red (closed).

Example: `write_report(report, Path("audit-report"))` -> `{"json": .../audit.json, "md":
.../audit.md, "html": .../audit.html}`.
"""

from __future__ import annotations

from html import escape
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


_MD = jinja2.Template(
    """# Openness audit: {{ r.subject }}

**Verdict: {{ r.verdict }}** · MOF {{ r.mof.label }} ·
OSAID 1.0 {{ "conformant" if r.osaid.conformant else "not conformant" }} ·
EU OSAI index {{ r.osai.score }}/{{ r.osai.max_score }}

## Reasons
{% for line in r.reasons %}- {{ line }}
{% endfor %}
## Licences
| source | identified as | confidence | how | kind |
|---|---|---|---|---|
{% for m in r.licenses %}| {{ m.source }} | {{ m.label }} | {{ "%.2f"|format(m.confidence) }} | {{ m.method }} | {{ m.problem or m.kind }} |
{% endfor %}
## Restrictive clauses
{% for f in r.clauses if f.restrictive %}- **{{ f.kind }}** ({{ f.source }} §{{ f.section or "?" }}){% if f.detail %} {{ f.detail }}{% endif %}: "{{ f.quote }}"
{% else %}None found.
{% endfor %}
## Model Openness Framework
Progress: Class III {{ "%.0f"|format(r.mof.progress[3]) }}% · Class II {{ "%.0f"|format(r.mof.progress[2]) }}% · Class I {{ "%.0f"|format(r.mof.progress[1]) }}%

| component | class | type | present | licence | open | type-appropriate |
|---|---|---|---|---|---|---|
{% for c in r.mof.components %}| {{ c.name }}{% if not c.required %} (optional){% endif %} | {{ c.mof_class }} | {{ c.content_type }} | {{ "yes" if c.present else "no" }} | {{ c.license or "-" }} | {{ "yes" if c.license_open else "no" }} | {{ "yes" if c.type_appropriate else "no" }} |
{% endfor %}
## OSI Open Source AI Definition 1.0
{% for i in r.osaid.items %}- {{ "✅" if i.satisfied else "❌" }} **{{ i.requirement }}**{% if i.missing %} — missing: {{ i.missing|join("; ") }}{% endif %}
{% endfor %}
## European open-source AI index
| group | parameter | grade | evidence |
|---|---|---|---|
{% for p in r.osai.params %}| {{ p.group }} | {{ p.name }} | {{ p.grade }} | {{ p.evidence }} |
{% endfor %}{% if r.problems %}
## Problems
{% for p in r.problems %}- {{ p }}
{% endfor %}{% endif %}"""
)

_HTML = jinja2.Template(
    """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Openness audit: {{ r.subject }}</title><style>
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;width:100%;margin:1rem 0}td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left}
th{background:#f3f3f3}.open{color:#2e7d32}.partial{color:#ef8f00}.closed{color:#c62828}
blockquote{margin:.3rem 0 .8rem 1rem;color:#555}</style></head><body>
<h1>Openness audit</h1><p>{{ r.subject }}</p><p>{{ badge }}</p>
<h2>Reasons</h2><ul>{% for line in r.reasons %}<li>{{ line }}</li>{% endfor %}</ul>
<h2>Licences</h2><table><tr><th>source</th><th>identified as</th><th>confidence</th><th>kind</th></tr>
{% for m in r.licenses %}<tr><td>{{ m.source }}</td><td>{{ m.label }}</td><td>{{ "%.2f"|format(m.confidence) }}</td><td>{{ m.problem or m.kind }}</td></tr>{% endfor %}</table>
<h2>Restrictive clauses</h2>{% for f in r.clauses if f.restrictive %}<p><b>{{ f.kind }}</b> — {{ f.source }} §{{ f.section or "?" }} {{ f.detail or "" }}</p><blockquote>{{ f.quote }}</blockquote>{% else %}<p>None found.</p>{% endfor %}
<h2>Model Openness Framework: {{ r.mof.label }}</h2>
<p>Class III {{ "%.0f"|format(r.mof.progress[3]) }}% · Class II {{ "%.0f"|format(r.mof.progress[2]) }}% · Class I {{ "%.0f"|format(r.mof.progress[1]) }}%</p>
<table><tr><th>component</th><th>class</th><th>type</th><th>present</th><th>licence</th><th>open</th><th>type-appropriate</th></tr>
{% for c in r.mof.components %}<tr><td>{{ c.name }}</td><td>{{ c.mof_class }}</td><td>{{ c.content_type }}</td><td>{{ "yes" if c.present else "no" }}</td><td>{{ c.license or "-" }}</td><td>{{ "yes" if c.license_open else "no" }}</td><td>{{ "yes" if c.type_appropriate else "no" }}</td></tr>{% endfor %}</table>
<h2>OSI Open Source AI Definition 1.0: {{ "conformant" if r.osaid.conformant else "not conformant" }}</h2><ul>
{% for i in r.osaid.items %}<li class="{{ 'open' if i.satisfied else 'closed' }}">{{ i.requirement }}{% if i.missing %}: missing {{ i.missing|join("; ") }}{% endif %}</li>{% endfor %}</ul>
<h2>European open-source AI index: {{ r.osai.score }}/{{ r.osai.max_score }}</h2><table><tr><th>group</th><th>parameter</th><th>grade</th><th>evidence</th></tr>
{% for p in r.osai.params %}<tr><td>{{ p.group }}</td><td>{{ p.name }}</td><td class="{{ p.grade }}">{{ p.grade }}</td><td>{{ p.evidence }}</td></tr>{% endfor %}</table>
{% if r.problems %}<h2>Problems</h2><ul>{% for p in r.problems %}<li>{{ p }}</li>{% endfor %}</ul>{% endif %}
</body></html>
""",
    autoescape=True,
)


def to_markdown(report: AuditReport) -> str:
    """The report as Markdown (what `audit.md` holds)."""
    return _MD.render(r=report)


def to_html(report: AuditReport) -> str:
    """The report as one self-contained HTML page with the badge inline."""
    return _HTML.render(r=report, badge=jinja2.utils.markupsafe.Markup(badge_svg(report)))


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
