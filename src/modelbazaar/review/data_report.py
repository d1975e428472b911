"""The data-donation sections of a review report (Markdown and HTML), and their figures as text.

``review.report`` appends these templates to its own, so they are rendered with the same
escaping: every value passes through Markdown escaping or HTML autoescape. Figures are formatted
here as plain strings (not marked safe), so a contributor's generator name is escaped too.

Example: ``figures_text({"share": 0.25, "by_kind": {"email": 2}})`` -> ``"share 0.25 · by_kind
email 2"``
"""

from __future__ import annotations

from typing import Any

DATA_MARKDOWN = """
{% if r.data_checks is defined %}
## Data checks ({{ r.documents }} documents)

- source: {{ r.data_card.source or "(not given)" }}
- consent: {{ r.data_card.consent or "(no statement given)" }}

| check | status | figures | bound |
|---|---|---|---|
{% for c in r.data_checks -%}
| {{ c.check }} | {{ c.status }} | {{ figures(c.figures) }} | {{ c.bound }} |
{% endfor %}
{% for c in r.data_checks if c.examples or c.detail -%}
- {{ c.check }}: {{ c.detail or "flagged" }}{% if c.examples %}, e.g. \
{{ c.examples | join("; ") }}{% endif %}
{% endfor %}
{% if r.trial %}
## Effect trial (cost)

In the trial rows of the checks above, *base* is the control arm (the base trained further on the
corpus alone) and *candidate* the treated arm (on the corpus plus the donation), same seed and
budget.

- {{ r.trial.steps }} steps per arm at lr {{ num(r.trial.lr) }}, {{ r.trial.tokens_per_arm }} \
tokens per arm; training {{ num(r.trial.train_seconds) }} s, evals {{ num(r.trial.eval_seconds) }} s
- control (corpus alone): validation loss {{ num(r.trial.control.validation_loss) }}; \
treated (corpus + donation): {{ num(r.trial.treated.validation_loss) }}
- donation tokens {{ r.trial.donation_tokens }} beside {{ r.trial.corpus_tokens }} corpus tokens; \
suites: {{ r.trial.suites | join(", ") }}
{% endif %}
{% endif %}"""

DATA_HTML = """
{% if r.data_checks is defined %}
<h2>Data checks ({{ r.documents }} documents)</h2>
<p>source: {{ r.data_card.source or "(not given)" }}<br>
consent: {{ r.data_card.consent or "(no statement given)" }}</p><table>
<tr><th>check</th><th>status</th><th>figures</th><th>bound</th><th>examples</th></tr>
{% for c in r.data_checks %}<tr><td>{{ c.check }}</td><td class="{{ c.status }}">{{ c.status }}</td>
<td>{{ figures(c.figures) }}</td><td>{{ c.bound }}</td>
<td>{{ c.detail }} {{ c.examples | join("; ") }}</td></tr>{% endfor %}</table>
{% if r.trial %}<h2>Effect trial (cost)</h2><p>{{ r.trial.steps }} steps per arm at lr
{{ num(r.trial.lr) }}, {{ r.trial.tokens_per_arm }} tokens per arm; training
{{ num(r.trial.train_seconds) }} s, evals {{ num(r.trial.eval_seconds) }} s. Validation loss:
control {{ num(r.trial.control.validation_loss) }}, treated
{{ num(r.trial.treated.validation_loss) }}.</p>{% endif %}
{% endif %}"""


def _value(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, dict):
        return ", ".join(f"{k} {_value(v)}" for k, v in value.items()) or "—"
    if isinstance(value, list):
        return ", ".join(_value(v) for v in value) or "—"
    return str(value)


def figures_text(figures: dict[str, Any]) -> str:
    """A check's figures on one line. Example: {"share": 0.25} -> "share 0.25"."""
    return " · ".join(f"{k} {_value(v)}" for k, v in figures.items())
