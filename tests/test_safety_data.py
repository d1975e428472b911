"""Every shipped safety suite loads, with the expected rows, valid codes and licences beside it."""

from __future__ import annotations

import json
from collections import Counter
from importlib.resources import files

import pytest

import modelbazaar.safety as safety
from modelbazaar.errors import EvalError
from modelbazaar.safety import (
    HAZARD_NAMES,
    SAFETY_SUITES,
    SafetyPrompt,
    load_suite,
    make_refusal_train,
    make_smoke,
)

DATA = files("modelbazaar.safety") / "data"
CODES = {f"S{i}" for i in range(1, 14)}

# suite -> (harmful rows, benign rows), counted from the upstream dev files by hand
EXPECTED = {
    "simplesafetytests": (69, 0),
    "strongreject": (234, 0),
    "harmbench": (139 + 77, 0),  # standard + contextual; copyright rows are left out
    "jailbreakbench": (71, 71),
    "advbench": (360, 0),
    "xstest": (140, 169),
    "safety_smoke": (100, 50),
}
FOLDERS = ["simplesafetytests", "strongreject", "harmbench", "jailbreakbench", "advbench", "xstest"]


def test_public_surface_is_exactly_the_documented_names():
    assert sorted(safety.__all__) == sorted(
        ["DETECTORS", "HAZARD_NAMES", "SAFETY_SUITES", "SafetyPrompt", "SafetyScore"]
        + ["load_suite", "score_safety"]
    )
    assert set(EXPECTED) == set(SAFETY_SUITES)


def test_hazard_names_are_the_13_mlcommons_codes():
    assert set(HAZARD_NAMES) == CODES
    assert HAZARD_NAMES["S1"] == "Violent Crimes" and HAZARD_NAMES["S13"] == "Elections"


@pytest.mark.parametrize("name", SAFETY_SUITES)
def test_suite_loads_with_expected_counts_and_valid_codes(name: str):
    prompts = load_suite(name)
    assert all(isinstance(p, SafetyPrompt) for p in prompts)
    counts = Counter(p.harmful for p in prompts)
    assert (counts[True], counts[False]) == EXPECTED[name]
    assert len({p.id for p in prompts}) == len(prompts), "ids must be unique"
    for p in prompts:
        assert p.prompt.strip(), p.id
        assert (p.category in CODES) if p.harmful else (p.category == "benign"), p
        assert json.loads(json.dumps(p.to_dict())) == p.to_dict()


def test_labelled_rows_map_to_the_expected_codes():
    by_id = {p.id: p for p in load_suite("harmbench")}
    chem = [p for p in by_id.values() if p.source_label == "chemical_biological"]
    assert chem and {p.category for p in chem} == {"S9"}
    cyber = [p for p in by_id.values() if p.source_label == "cybercrime_intrusion"]
    assert {p.category for p in cyber} == {"S2"}  # S14 is not an MLCommons hazard
    contextual = [p for p in by_id.values() if "\n\n---\n\n" in p.prompt]
    assert len(contextual) == 77
    privacy = [p for p in load_suite("xstest") if p.source_label == "contrast_privacy"]
    assert {p.category for p in privacy} == {"S7"}


def test_loaded_lists_are_copies():
    load_suite("advbench").clear()
    assert len(load_suite("advbench")) == 360


def test_unknown_suite_names_the_known_ones_and_suggests():
    with pytest.raises(EvalError) as info:
        load_suite("xstets")
    message = str(info.value)
    assert "Did you mean 'xstest'?" in message
    assert all(name in message for name in SAFETY_SUITES)


@pytest.mark.parametrize("folder", FOLDERS)
def test_each_suite_ships_source_and_licence(folder: str):
    names = {entry.name for entry in DATA.joinpath(folder).iterdir()}
    assert "SOURCE.txt" in names
    assert any(n.startswith("LICENSE") for n in names)


def test_model_completions_are_not_shipped():
    shipped = [entry.name for entry in DATA.joinpath("xstest").iterdir()]
    assert not any("completion" in name for name in shipped)


def test_smoke_file_is_regenerated_identically():
    shipped = DATA.joinpath("smoke.jsonl").read_text(encoding="utf-8")
    assert make_smoke.render(make_smoke.build_smoke()) == shipped


def test_smoke_set_is_stratified():
    prompts = load_suite("safety_smoke")
    harmful = Counter(p.category for p in prompts if p.harmful)
    assert len(harmful) >= 10, "harmful prompts must span most hazard codes"
    assert max(harmful.values()) <= 10, "no hazard code may dominate"
    benign = Counter(p.suite for p in prompts if not p.harmful)
    assert benign == {"xstest": 25, "jailbreakbench": 25}
    assert len({p.prompt.lower() for p in prompts}) == 150, "no duplicate prompt texts"
    # each smoke prompt is a real row of its suite, unchanged
    for p in prompts[::10]:
        assert p in load_suite(p.suite)


def test_refusal_training_file_is_regenerated_identically():
    spec = json.loads(DATA.joinpath("refusal_templates.json").read_text(encoding="utf-8"))
    shipped = DATA.joinpath("refusal_train.jsonl").read_text(encoding="utf-8")
    assert make_refusal_train.render(make_refusal_train.build_rows(spec)) == shipped
    kinds = Counter(json.loads(line)["kind"] for line in shipped.splitlines())
    assert kinds["refusal"] >= 200 and kinds["compliance"] >= 200 and kinds["babble"] >= 100


@pytest.mark.parametrize(
    "module", ["hazards", "prompts", "detectors", "classifier", "compliance", "scoring"]
)
def test_docstring_examples_hold(module: str):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(f"modelbazaar.safety.{module}"))
    assert result.attempted > 0 and result.failed == 0
