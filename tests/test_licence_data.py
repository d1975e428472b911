"""The shipped licence data, SPDX expressions, licence notices, `bazaar audit --json`, and the
labelled clause set with the classifier measured beside the rules."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from modelbazaar.cli.main import app
from modelbazaar.licenses import _data
from modelbazaar.licenses import facts as lic
from modelbazaar.licenses.expression import expression_ids, expression_is_open, normalise_expression
from modelbazaar.licenses.identify import declared_license, identify_license
from modelbazaar.licenses.index import load_index, texts_digest
from modelbazaar.licenses.notices import find_notice, spdx_header

CLAUSES = Path(__file__).parents[1] / "bench" / "data" / "clause_sentences.jsonl"


def test_shipped_index_equals_a_rebuild_from_the_shipped_texts() -> None:
    from scripts.build_license_data import index_data

    arrays, meta = index_data()
    shipped = load_index()
    assert shipped.digest == texts_digest(_data.corpus_texts()) == meta["digest"]
    assert [tuple(g) for g in meta["groups"]] == shipped.groups
    for name in ("hashes", "owners", "sizes"):
        assert np.array_equal(arrays[name], getattr(shipped, name)), name


def test_every_spdx_licence_has_its_text() -> None:
    assert set(_data.spdx_licenses()) == set(_data.spdx_texts())
    assert all(text.strip() for text in _data.spdx_texts().values())


@pytest.mark.parametrize(
    ("value", "canonical", "ids", "open_"),
    [
        ("mit or apache-2.0", "MIT OR Apache-2.0", ["MIT", "Apache-2.0"], True),
        ("MIT AND CC-BY-NC-4.0", "MIT AND CC-BY-NC-4.0", ["MIT", "CC-BY-NC-4.0"], False),
        ("CC-BY-NC-4.0 OR MIT", "CC-BY-NC-4.0 OR MIT", ["CC-BY-NC-4.0", "MIT"], True),
        (
            "GPL-2.0-only WITH Classpath-exception-2.0",
            "GPL-2.0-only WITH Classpath-exception-2.0",
            ["GPL-2.0-only"],
            True,
        ),
        ("(Apache-2.0 AND LicenseRef-Llama-3.1-Community)", None, None, False),
    ],
)
def test_spdx_expressions(value: str, canonical: str | None, ids: list | None, open_: bool) -> None:
    got = normalise_expression(value)
    if canonical is None:  # parenthesised: normalised without the brackets
        assert got == "Apache-2.0 AND LicenseRef-Llama-3.1-Community"
    else:
        assert got == canonical
        assert expression_ids(got) == ids
    assert expression_is_open(got, lic.is_open) is open_


def test_unknown_ids_in_an_expression_are_not_an_expression() -> None:
    assert normalise_expression("MIT OR Nonsense-License-9") is None


def test_declared_expression_in_a_model_card() -> None:
    match = declared_license("mit OR apache-2.0", "README.md:license")
    assert (match.license_id, match.method, match.confidence) == (
        "MIT OR Apache-2.0",
        "declared",
        1.0,
    )


@pytest.mark.parametrize(
    ("notice", "license_id"),
    [
        ('Licensed under the Apache License, Version 2.0 (the "License");', "Apache-2.0"),
        ("This Source Code Form is subject to the terms of the Mozilla Public License, v. 2.0.",
         "MPL-2.0"),
        ("This program is free software: you can redistribute it and/or modify it under the terms"
         " of the GNU General Public License as published by the Free Software Foundation, either"
         " version 3 of the License, or (at your option) any later version.", "GPL-3.0-or-later"),
        ("Released under the MIT licence. Licensed under the MIT License.", "MIT"),
    ],
)  # fmt: skip
def test_licence_notices_are_identified(notice: str, license_id: str) -> None:
    assert find_notice(notice) == license_id
    match = identify_license(f"Copyright 2025 Jane Doe\n\n{notice}\n", "LICENSE")
    assert (match.license_id, match.method) == (license_id, "notice")


def test_spdx_header_line_is_identified() -> None:
    text = "# SPDX-License-Identifier: MIT OR Apache-2.0\nprint('hi')\n"
    assert spdx_header(text) == "MIT OR Apache-2.0"
    match = identify_license(text, "model.py")
    assert (match.license_id, match.method) == ("MIT OR Apache-2.0", "expression")


def test_audit_json_prints_the_report_out_writes(tmp_path: Path) -> None:
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "LICENSE").write_text(_data.spdx_texts()["MIT"])
    (folder / "model.safetensors").write_bytes(b"\x08\x00\x00\x00\x00\x00\x00\x00{}      ")
    out = tmp_path / "report"
    runner = CliRunner()
    printed = runner.invoke(app, ["audit", str(folder), "--json"])
    assert printed.exit_code == 0, printed.output
    report = json.loads(printed.stdout)
    assert report["verdict"] == "open source"
    assert report["licenses"][0]["license_id"] == "MIT"
    written = runner.invoke(app, ["audit", str(folder), "--out", str(out)])
    assert written.exit_code == 0, written.output
    assert json.loads((out / "audit.json").read_text()) == report


def _rows() -> list[dict]:
    return [json.loads(line) for line in CLAUSES.read_text("utf-8").splitlines() if line.strip()]


def test_labelled_clause_set_is_split_by_licence() -> None:
    rows = _rows()
    sources = {
        split: {r["source"] for r in rows if r["split"] == split} for split in ("train", "heldout")
    }
    assert sources["train"] & sources["heldout"] == {"paraphrase"}  # only written sentences mix
    # the fourth pass's paraphrases of train-family model licences ("paraphrase:DBRX") are train
    assert not any(source.startswith("paraphrase:") for source in sources["heldout"])
    categories = {label for r in rows for label in r["labels"]}
    for split in ("train", "heldout"):
        labelled = {label for r in rows if r["split"] == split for label in r["labels"]}
        assert labelled == categories, split
    assert any("noncommercially" in r["text"] and not r["labels"] for r in rows)


@pytest.mark.slow  # trains scikit-learn models (a few seconds)
def test_classifier_predicts_with_numpy_as_scikit_learn_does() -> None:
    from modelbazaar.licenses.clause_model import train_model

    rows = [r for r in _rows() if r["split"] == "train" and r["source"] != "paraphrase"]
    model, (vectorizer, classifier) = train_model(rows[::3])  # a third: the same code, faster
    texts = [r["text"] for r in _rows() if r["split"] == "heldout"][:200]
    ours = model.probabilities(texts)
    theirs = classifier.predict_proba(vectorizer.transform(texts))
    assert ours.shape == (200, len(model.categories))
    assert np.allclose(ours, theirs, atol=1e-6)
