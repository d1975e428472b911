"""Reports: JSON + Markdown + self-contained HTML; the HTML renders in headless Chromium."""

import json
import shutil
import subprocess

import pytest

from modelbazaar.evals import compare_results, run_suite, write_compare_report, write_eval_report
from modelbazaar.store import Store


@pytest.fixture(scope="module")
def reports(tiny_built, tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    model_dir = out / "model"  # a private copy: tiny_built is shared and read-only
    shutil.copytree(tiny_built[0], model_dir)
    store = Store.for_model(model_dir)
    results = [
        run_suite(store, "main", "validation", model_dir=model_dir),
        run_suite(store, "main", "safety_smoke", 8, model_dir=model_dir),
    ]
    version = store.resolve("main")
    write_eval_report(out / "eval", store, version, results)
    deltas = [d for r in results for d in compare_results(r, r)]
    write_compare_report(out / "compare", "main", "main", results, results, deltas)
    return out


def test_eval_report_has_values_intervals_curve_and_safety_bars(reports):
    data = json.loads((reports / "eval" / "eval.json").read_text())
    rows = {(r["suite"], r["metric"]): r for r in data["rows"]}
    loss = rows[("validation", "loss")]
    assert loss["low"] <= loss["value"] <= loss["high"]
    assert len(data["training"]) == 30 and "S1" in data["safety"]["safety_smoke"]
    html = (reports / "eval" / "eval.html").read_text()
    for plot in ("plot-training", "plot-suite-validation", "plot-safety-safety_smoke"):
        assert f'id="{plot}"' in html
    # self-contained: nothing is fetched (namespace URLs inside the SVG are not fetched)
    assert "<script" not in html and "<link" not in html and 'src="http' not in html
    assert "| validation | loss |" in (reports / "eval" / "eval.md").read_text()


def test_compare_report_lists_deltas(reports):
    data = json.loads((reports / "compare" / "compare.json").read_text())
    assert data["regressions"] == [] and all(d["delta"] == 0 for d in data["deltas"])
    assert 'id="plot-deltas"' in (reports / "compare" / "compare.html").read_text()


@pytest.mark.slow
def test_html_renders_in_headless_chromium_with_its_plots(reports):
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
    page = (reports / "eval" / "eval.html").as_uri()
    dom = subprocess.run(
        [browser, *flags, "--dump-dom", page],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    assert dom.count("<svg") >= 3  # suite intervals, training curve, safety bars
    assert 'id="plot-training"' in dom and "training loss" in dom
