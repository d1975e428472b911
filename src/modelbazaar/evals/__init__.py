"""Evaluate and compare versions: suites as versioned data, paired bootstrap intervals, reports.

What `bazaar eval`, `bazaar compare` and `bazaar review` call::

    from modelbazaar.evals import run_suite, run_suite_on_model, compare_results

    a = run_suite(store, "main", "wordnet_mc", model_dir=src)          # cached in the catalogue
    b = run_suite_on_model(model, tokenizer, "wordnet_mc", model_dir=src)  # not stored
    for d in compare_results(a, b):      # one Delta per metric, B - A, paired 95% CI
        d.metric, d.delta, d.ci_low, d.ci_high, d.significant, d.better, d.regression

Modules: `suite` (YAML schema, registry), `examples` (data -> rows), `loglik` and `greedy`
(scoring as lm-eval does it), one module per kind (`perplexity`, `generation`, `choice`,
`safety_kind`) registered in `kinds`, `run` (cache), `compare` (bootstrap), `report` + `plots`.
Errors are `modelbazaar.errors.EvalError`.
"""

from modelbazaar.evals.compare import Delta, compare_results, interval
from modelbazaar.evals.report import write_compare_report, write_eval_report
from modelbazaar.evals.result import Series, SuiteResult
from modelbazaar.evals.run import run_suite, run_suite_on_model
from modelbazaar.evals.suite import Suite, load_suite, suite_files

__all__ = [
    "Delta",
    "Series",
    "Suite",
    "SuiteResult",
    "compare_results",
    "interval",
    "load_suite",
    "run_suite",
    "run_suite_on_model",
    "suite_files",
    "write_compare_report",
    "write_eval_report",
]
