"""Review of contributions: the model's CI (see ``workflow`` for the steps).

Modules: ``workflow`` (review a bundle; judge a candidate against a base), ``suites`` (policy
suites on base and candidate via the evals engine, judged on paired CIs), ``report`` (JSON,
Markdown and HTML reports). Example::

    outcome = review(Path("my-model"), Path("gsm8k.bazaar"))
    outcome.verdict   # 'accept'
"""

from modelbazaar.review.workflow import ReviewOutcome, judge_candidate, review, trusted_keys

__all__ = ["ReviewOutcome", "judge_candidate", "review", "trusted_keys"]
