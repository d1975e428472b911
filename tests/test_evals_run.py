"""Running suites on the tiny model: every kind, the cache, failed runs, the CLI."""

import pytest
import torch
from typer.testing import CliRunner

from modelbazaar.cli.main import app
from modelbazaar.evals import compare_results, run_suite, run_suite_on_model
from modelbazaar.evals import kinds as kinds_module
from modelbazaar.model import load_version, weights_bytes


def test_every_kind_runs_on_the_tiny_model(fresh_tiny):
    model_dir, store = fresh_tiny
    loaded = load_version(store, "main")
    load = lambda: loaded  # noqa: E731  (load the weights once for all suites)
    ppl = run_suite(store, "main", "validation", model_dir=model_dir, load=load)
    assert 4.0 < ppl.metrics["loss"] < 7.0  # 30 training steps on a 512-token vocabulary
    assert ppl.metrics["perplexity"] == pytest.approx(torch.tensor(ppl.metrics["loss"]).exp())
    mc = run_suite(store, "main", "wordnet_mc", 12, model_dir=model_dir, load=load)
    assert mc.n == 12 and mc.suite_version == "1@12" and 0 <= mc.metrics["acc"] <= 1
    assert all(len(o["lls"]) == 4 for o in mc.outputs)
    gen = run_suite(store, "main", "gsm8k", 3, model_dir=model_dir, load=load)
    assert gen.metrics == {"number": 0.0} and all("output" in o for o in gen.outputs)
    safety = run_suite(store, "main", "safety_smoke", 6, model_dir=model_dir, load=load)
    assert safety.extra["n_harmful"] >= 1 and safety.extra["n_benign"] >= 1
    assert set(safety.series) >= {"harmful_refusal_rate", "benign_over_refusal_rate"}
    rows = store.catalogue.eval_results_for(store.resolve("main"))
    assert {r["suite"] for r in rows} == {"validation", "wordnet_mc", "gsm8k", "safety_smoke"}


def test_rerun_is_a_cache_hit_with_the_same_examples(fresh_tiny):
    model_dir, store = fresh_tiny
    first = run_suite(store, "main", "wordnet_mc", 8, model_dir=model_dir)
    again = run_suite(store, "main", "wordnet_mc", 8, model_dir=model_dir)
    assert again.cached and not first.cached
    assert again.metrics == first.metrics and again.ids == first.ids
    assert again.series["acc"].num == first.series["acc"].num


def test_in_memory_model_matches_the_stored_run_and_stores_nothing(fresh_tiny):
    model_dir, store = fresh_tiny
    loaded = load_version(store, "main")
    mem = run_suite_on_model(loaded.model, loaded.tokenizer, "wordnet_mc", 8, model_dir=model_dir)
    assert mem.version is None and store.catalogue.eval_results_for(loaded.record.hash) == []
    stored = run_suite(store, "main", "wordnet_mc", 8, model_dir=model_dir)
    assert stored.metrics == mem.metrics
    assert all(not d.significant and d.delta == 0 for d in compare_results(stored, mem))


def test_a_failed_run_stores_nothing(fresh_tiny, monkeypatch):
    model_dir, store = fresh_tiny

    def broken(model, tokenizer, suite, examples, tick):
        examples()
        raise RuntimeError("out of memory halfway")

    monkeypatch.setitem(kinds_module.KINDS, "multiple_choice", broken)
    with pytest.raises(RuntimeError):
        run_suite(store, "main", "wordnet_mc", 4, model_dir=model_dir)
    assert store.catalogue.eval_results_for(store.resolve("main")) == []


def add_noisy_version(store, scale: float) -> str:
    """A worse version: main's weights plus Gaussian noise, recorded as 'tuned'."""
    loaded = load_version(store, "main")
    torch.manual_seed(0)
    with torch.no_grad():
        for p in loaded.model.parameters():
            p.add_(torch.randn_like(p) * scale)
    record = loaded.record
    weights = store.objects.put_bytes(weights_bytes(loaded.model))
    digest = store.add_version(
        weights=weights,
        tokenizer=record.tokenizer,
        config=record.config,
        relation="tuned",
        info={},
        parents=[(record.hash, "tuned", {})],
    )
    store.tag("noisy", digest)
    return digest


def test_cli_eval_and_compare_with_fail_on_regression(fresh_tiny, tmp_path):
    model_dir, store = fresh_tiny
    add_noisy_version(store, 0.5)
    runner = CliRunner()
    args = ["--suite", "validation", "-C", str(model_dir)]
    result = runner.invoke(app, ["eval", "main", *args, "--report", str(tmp_path / "r")])
    assert result.exit_code == 0, result.output
    assert "bits_per_byte" in result.output and (tmp_path / "r" / "eval.html").is_file()
    again = runner.invoke(app, ["eval", "main", *args])
    assert "cached" in again.output
    ok = runner.invoke(app, ["compare", "main", "noisy", *args])
    assert ok.exit_code == 0 and "regression" in ok.output
    fail = runner.invoke(
        app,
        [
            "compare",
            "main",
            "noisy",
            *args,
            "--fail-on-regression",
            "--report",
            str(tmp_path / "c"),
        ],
    )
    assert fail.exit_code == 1, fail.output
    assert "validation/loss" in (tmp_path / "c" / "compare.md").read_text()
    better = runner.invoke(app, ["compare", "noisy", "main", *args, "--fail-on-regression"])
    assert better.exit_code == 0 and "better" in better.output


def test_cli_unknown_suite_is_a_clear_error(fresh_tiny):
    model_dir, _ = fresh_tiny
    from modelbazaar.cli.main import main  # noqa: F401  (the BazaarError -> exit 2 wrapper)

    result = CliRunner().invoke(app, ["eval", "main", "--suite", "gsm8", "-C", str(model_dir)])
    assert "Did you mean 'gsm8k'" in str(result.exception)
