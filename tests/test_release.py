"""`bazaar release` of the built tiny template: files, model card, source, MOF Class I audit."""

import json

import pytest
from huggingface_hub import ModelCard

from modelbazaar.audit.release_audit import audit_release
from modelbazaar.recipe import parse_recipe
from modelbazaar.release.card import hf_license
from modelbazaar.release.source import toml_dump
from modelbazaar.train.replay import replay_step
from modelbazaar.workflows.release import release


@pytest.fixture(scope="module")
def released(tiny_built, tmp_path_factory):
    model_dir, store = tiny_built
    out = tmp_path_factory.mktemp("release") / "out"
    outcome = release(store, "main", out, license_id="Apache-2.0", model_dir=model_dir)
    return out, outcome, store


def test_release_writes_every_file(released):
    out, _, _ = released
    for name in [
        "README.md", "DATASHEET.md", "TECHNICAL_REPORT.md", "PAPER.md", "samples.md",
        "LICENSE", "LICENSE-code", "LICENSE-docs", "LICENSE-data", "LINEAGE.json", "mof.yml",
        "config.json", "model.safetensors", "tokenizer.json", "eval_results.json",
        "metrics/train_metrics.csv", "metrics/compute.json", "metrics/loss.png",
        "openness/audit.json", "openness/audit.html", "openness/badge.svg",
        "source/bazaar.toml", "source/CODE_VERSION.json", "source/data/tinyshakespeare.toml",
        "source/data/tinyshakespeare/train.txt", "source/code/modelbazaar/workflows/build.py",
        "checkpoints/step-000022/model.safetensors",  # the build kept steps 8, 15, 22 of 30
    ]:  # fmt: skip
        assert (out / name).is_file(), name
    assert "Apache License" in (out / "LICENSE").read_text()
    assert "public domain" in (out / "LICENSE-data").read_text()
    for section in ("Motivation", "Composition", "Collection", "Preprocessing", "Uses"):
        assert f"## {section}" in (out / "DATASHEET.md").read_text()
    assert json.loads((out / "metrics/compute.json").read_text())["cpu_hours"] > 0


def test_model_card_parses_with_hf_metadata(released):
    out, _, _ = released
    card = ModelCard((out / "README.md").read_text())  # ValueError on a bad model-index
    assert card.data.license == "apache-2.0"
    assert card.data.datasets == ["tinyshakespeare"]
    assert card.data.pipeline_tag == "text-generation"
    assert {r.metric_type for r in card.data.eval_results} >= {"loss", "perplexity"}
    assert "```mermaid" in card.text and "open source" in card.text


def test_release_audits_as_mof_class_one_and_open_source(released):
    out, outcome, _ = released
    for report in (outcome.report, audit_release(out)):
        assert report.verdict == "open source", report.reasons
        assert report.mof.mof_class == 1
        assert report.mof.progress == {3: 100.0, 2: 100.0, 1: 100.0}
        assert not report.problems


def test_source_rebuilds_the_same_recipe(released):
    out, outcome, store = released
    recorded = store.version(outcome.version).info["recipe"]
    parsed = parse_recipe((out / "source/bazaar.toml").read_text()).model_dump(mode="json")
    assert parsed == recorded
    code = json.loads((out / "source/CODE_VERSION.json").read_text())
    assert len(code["code_sha256"]) == 64 and code["files"] > 10


def test_release_folder_missing_a_declared_file_loses_that_component(released, tmp_path):
    import shutil

    out, _, _ = released
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    shutil.rmtree(copy / "checkpoints")
    report = audit_release(copy)
    assert report.mof.mof_class == 2
    assert any("Intermediate" in p for p in report.problems)


@pytest.mark.parametrize(
    ("spdx", "expected"),
    [
        ("Apache-2.0", {"license": "apache-2.0"}),
        ("MIT", {"license": "mit"}),
        ("GPL-3.0-only", {"license": "gpl-3.0"}),
        ("LicenseRef-Llama-3.1-Community", {"license": "llama3.1"}),
        (
            "LicenseRef-Public-Domain",
            {"license": "other", "license_name": "licenseref-public-domain",
             "license_link": "LICENSE"},
        ),
    ],
)  # fmt: skip
def test_hf_license_ids(spdx, expected):
    assert hf_license(spdx) == expected


def test_replay_step_is_the_last_save_that_survives():
    assert [replay_step(*a) for a in [(30, 10), (500, 25), (20, 10), (2, 1)]] == [20, 475, 11, None]


def test_toml_dump_round_trips_tables_and_arrays():
    import tomllib

    data = {"a": 1, "b": [1.5, "x"], "t": {"c": True, "d": {"e": 'q"uote'}}, "f": [{"g": 1}]}
    assert tomllib.loads(toml_dump(data)) == data


def test_audit_of_the_version_agrees_with_its_release(released):
    """`bazaar audit main` audits the version as its release publishes it, and says what the
    release adds; the verdict and MOF class are the release's own."""
    from modelbazaar.audit.components import audit_version

    out, outcome, store = released
    report, _ = audit_version(store, "main")
    assert report.verdict == outcome.report.verdict == "open source", report.reasons
    assert report.mof.mof_class == outcome.report.mof.mof_class == 1
    assert report.mof.progress == outcome.report.mof.progress
    assert "Model card (README.md" in report.notes[0]
    assert "Model parameters (Intermediate)" in report.notes[0]
    data = [m for m in outcome.report.licenses if m.source == "LICENSE-data"][0]
    assert data.license_id == "LicenseRef-Public-Domain" and data.kind == "open-data"
