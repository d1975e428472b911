"""Review of contributions: the model's CI (the `bazaar review` story is `workflows.review`).

Modules: ``judge`` (judge a candidate against a base under ``[policy]``), ``suites`` (policy
suites on base and candidate via the evals engine, judged on paired CIs), ``report`` (JSON,
Markdown and HTML reports).
"""
