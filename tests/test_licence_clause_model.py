"""The clause classifier: thresholds chosen for precision, plain-array save/load, the numpy
scorer, findings quoted like the rules' and marked as the classifier's."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from modelbazaar.licenses.clause_model import (
    ADDS_TO_RULES,
    ClauseModel,
    family_groups,
    load_model,
    lowest_threshold,
    save_model,
    shipped_model,
    train_thresholded,
)
from modelbazaar.licenses.clauses import find_clauses

SENTENCES = Path(__file__).resolve().parents[1] / "bench" / "data" / "clause_sentences.jsonl"


def _toy() -> ClauseModel:
    """Two categories over a four-term vocabulary, weights set by hand."""
    vocabulary = {"turnover": 0, "million": 1, "rename": 2, "model": 3}
    coef = np.array([[6.0, 4.0, 0.0, 0.0], [0.0, 0.0, 8.0, 1.0]])
    return ClauseModel(
        vocabulary=vocabulary,
        idf=np.ones(4),
        coef=coef,
        intercept=np.array([-3.0, -3.0]),
        categories=["revenue_cap", "naming"],
        thresholds=np.array([0.6, 0.9]),
    )


def test_lowest_threshold_reaches_the_precision_asked() -> None:
    probs = np.array([0.9, 0.8, 0.7, 0.4, 0.3])
    truth = np.array([1, 1, 0, 1, 0])
    assert lowest_threshold(probs, truth, 0.9) == 0.8  # 0.4 would give 3/4
    assert lowest_threshold(probs, truth, 0.75) == 0.4
    assert lowest_threshold(probs, np.zeros(5, dtype=int), 0.9) == float("inf")


def test_family_groups_keep_a_family_together_and_first_paraphrases_apart() -> None:
    sources = ["Llama-3", "Llama-3", "paraphrase", "paraphrase", "paraphrase:DBRX"] + [
        "paraphrase:DBRX"
    ]
    rows = [{"source": s} for s in sources]
    groups = family_groups(rows)
    assert groups[0] == groups[1] and groups[4] == groups[5]
    assert groups[2] != groups[3]


def test_per_category_thresholds_decide_what_is_found() -> None:
    model = _toy()
    probs = model.probabilities(["Turnover above one million.", "Rename the model."])
    assert probs.shape == (2, 2)
    found = model.found(probs)
    assert set(found[0]) == {"revenue_cap"} and set(found[1]) == {"naming"}
    stricter = model.with_thresholds([0.999, float("inf")])
    assert stricter.found(probs) == [{}, {}]
    assert model.probabilities(["Nothing known here."])[0] == pytest.approx(1 / (1 + np.exp(3)))


def test_saved_model_loads_as_the_same_model() -> None:
    model = _toy()
    buffer = io.BytesIO()
    save_model(model, buffer)
    buffer.seek(0)
    loaded = load_model(buffer)
    assert loaded.vocabulary == model.vocabulary and loaded.categories == model.categories
    texts = ["Turnover above one million.", "Rename the model.", ""]
    assert np.allclose(loaded.probabilities(texts), model.probabilities(texts), atol=1e-6)
    assert np.allclose(loaded.thresholds, model.thresholds)


def test_a_classifier_finding_is_quoted_with_its_section_and_marked() -> None:
    text = "4. Turnover of more than one million ends the free tier.\n\n"
    text += "5. Please rename the model first."
    found = find_clauses(text, "LICENSE", classifier=_toy())
    learned = [f for f in found if "classifier" in f.detail]
    assert learned, found
    for finding in learned:
        assert finding.detail["classifier"] >= 0.6
        assert finding.quote in text and finding.section in ("4", "5")
    assert not any("classifier" in f.detail for f in find_clauses(text, "LICENSE"))


def test_only_categories_the_model_can_find_are_saved() -> None:
    buffer = io.BytesIO()
    save_model(_toy().with_thresholds([0.6, float("inf")]), buffer)
    buffer.seek(0)
    loaded = load_model(buffer)
    assert loaded.categories == ["revenue_cap"] and loaded.coef.shape == (1, 4)


def test_the_shipped_model_adds_only_the_chosen_categories() -> None:
    model = shipped_model()
    assert model.categories == sorted(ADDS_TO_RULES)
    assert np.all((model.thresholds > 0) & (model.thresholds < 1))
    assert model.coef.shape == (len(ADDS_TO_RULES), len(model.vocabulary))


def test_the_audit_runs_the_shipped_classifier(monkeypatch: pytest.MonkeyPatch) -> None:
    from modelbazaar.licenses import identify

    text = "Model Licence\n\n4. Please rename the model first.\n"
    assert not any("classifier" in f.detail for f in identify.read_license(text, "LICENSE")[1])
    monkeypatch.setattr(identify, "shipped_model", _toy)
    findings = identify.read_license(text, "LICENSE")[1]
    learned = [f for f in findings if "classifier" in f.detail]
    assert [(f.kind, f.section, f.restrictive) for f in learned] == [("naming", "4", True)]
    assert learned[0].quote == "Please rename the model first."


@pytest.mark.slow  # six scikit-learn fits (~5-60 s, as the machine is loaded)
def test_the_shipped_model_equals_a_refit_from_the_train_part() -> None:
    rows = [json.loads(line) for line in SENTENCES.read_text("utf-8").splitlines() if line]
    refit = train_thresholded([r for r in rows if r["split"] == "train"])
    buffer = io.BytesIO()
    save_model(refit, buffer)
    buffer.seek(0)
    expected, shipped = load_model(buffer), shipped_model()
    assert shipped.vocabulary == expected.vocabulary and shipped.categories == expected.categories
    assert np.array_equal(shipped.coef, expected.coef)
    assert np.array_equal(shipped.thresholds, expected.thresholds)
    texts = [r["text"] for r in rows[:300]]
    assert np.array_equal(shipped.probabilities(texts), expected.probabilities(texts))


def test_corpus_clauses_run_the_shipped_classifier(monkeypatch: pytest.MonkeyPatch) -> None:
    from modelbazaar.licenses import corpus

    licence = ["LicenseRef-Llama-3-Community"]
    assert not any("classifier" in f.detail for f in corpus.corpus_clauses(licence))
    monkeypatch.setattr(corpus, "shipped_model", lambda: _toy().with_thresholds([0.0, 0.0]))
    learned = [f for f in corpus.corpus_clauses(licence) if "classifier" in f.detail]
    assert learned and all(f.kind in ("revenue_cap", "naming") and f.quote for f in learned)


def test_classifier_does_not_judge_fragments() -> None:
    """A fragment of one to four words ("If" cut off before a list, headings such as "No
    Sovereign Immunity" or "No Withholding User Data") is never a classifier finding, however its
    few terms score; a sentence of five words or more is judged."""

    class Everything:
        def probabilities(self, texts: Sequence[str]) -> np.ndarray:
            return np.ones((len(texts), 1))

        def found(self, probs: np.ndarray) -> list[dict[str, float]]:
            return [{"termination": 0.99} for _ in probs]

        def doubted(self, probs: np.ndarray) -> list[set[str]]:
            return [set() for _ in probs]

    text = "1. If\n\n2. No Sovereign Immunity\n\n3. No Withholding User Data\n\n"
    text += "4. We decide everything here alone.\n"
    found = find_clauses(text, "x", classifier=Everything())
    assert [f.quote for f in found] == ["We decide everything here alone."]
    # a sentence in a language the train part lacks: one known word ("person") of ten
    german = "4. Lizenznehmer: Jede natürliche oder juristische Person, die die Lizenz annimmt.\n"
    assert find_clauses(german, "x", classifier=Everything()) == []


class _Says:
    """A classifier that finds the same categories in every sentence."""

    def __init__(self, found: dict[str, float]) -> None:
        self._found = found

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        return np.ones((len(texts), 1))

    def found(self, probs: np.ndarray) -> list[dict[str, float]]:
        return [dict(self._found) for _ in probs]

    def doubted(self, probs: np.ndarray) -> list[set[str]]:
        return [set() for _ in probs]


def test_a_classifier_adds_kinds_and_never_takes_a_rule_finding_away() -> None:
    """A field of use the classifier adds sits beside the rules' use restriction of the same
    sentence (settled together, the more specific kind would have displaced it); an added use
    restriction still gives way to the rules' more specific field of use."""
    banned = "3. You shall not use the Model to stalk or harass any person.\n"
    assert {f.kind for f in find_clauses(banned, "x")} == {"use_restriction"}
    both = find_clauses(banned, "x", classifier=_Says({"field_of_use": 0.9}))
    assert sorted(f.kind for f in both) == ["field_of_use", "use_restriction"]
    assert [f.kind for f in both if "classifier" in f.detail] == ["field_of_use"]
    field = "3. You may not use the Model for any military purpose.\n"
    assert {f.kind for f in find_clauses(field, "x")} == {"field_of_use"}
    kept = find_clauses(field, "x", classifier=_Says({"use_restriction": 0.9}))
    assert [f.kind for f in kept] == ["field_of_use"]
