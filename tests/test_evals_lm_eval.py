"""Agreement with lm-evaluation-harness (slow: lm-eval indexes its tasks on start, ~15 s).

Run: .venv/bin/pytest -m slow tests/test_evals_lm_eval.py
"""

import pytest

from modelbazaar.evals import load_suite, run_suite_on_model
from modelbazaar.evals.examples import suite_examples
from modelbazaar.evals.lm_eval_ref import fitting_rows, local_suite, run_lm_eval
from modelbazaar.export import export
from modelbazaar.model import load_version

pytestmark = pytest.mark.slow


def test_bazaar_eval_matches_lm_eval(tiny_built, tmp_path):
    model_dir, store = tiny_built
    export(store, "main", tmp_path / "hf")
    loaded = load_version(store, "main")
    max_len = loaded.model.config.max_position_embeddings
    stories = suite_examples(load_suite("tinystories"))
    # lm-eval refuses a continuation longer than the context: keep rows that fit (64 tokens)
    rows = fitting_rows(loaded.tokenizer, suite_examples(load_suite("wordnet_mc")), max_len)[:60]
    rows = [{k: r[k] for k in ("id", "question", "choices", "answer")} for r in rows]
    assert len(rows) >= 40
    theirs = run_lm_eval(
        tmp_path / "hf",
        {"stories": [{"text": r["text"]} for r in stories]},
        {"wordnet": [{k: v for k, v in r.items() if k != "id"} for r in rows]},
        tmp_path / "lm_eval",
    )
    ppl = run_suite_on_model(loaded.model, loaded.tokenizer, "tinystories")
    mc_suite = local_suite(tmp_path / "evals", "wordnet_fit", "multiple_choice", rows)
    mc = run_suite_on_model(loaded.model, loaded.tokenizer, mc_suite)
    assert ppl.metrics["bits_per_byte"] == pytest.approx(
        theirs["stories"]["bits_per_byte,none"], rel=1e-4
    )
    assert mc.metrics["acc"] == pytest.approx(theirs["wordnet"]["acc,none"], rel=1e-4)
    assert mc.metrics["acc_norm"] == pytest.approx(theirs["wordnet"]["acc_norm,none"], rel=1e-4)
