"""The three refusal detectors on hand-written responses, and the classifier's held-out accuracy."""

from __future__ import annotations

import pytest

from modelbazaar.safety import DETECTORS
from modelbazaar.safety.classifier import refusal_probabilities, train, training_rows
from modelbazaar.safety.detectors import advbench_substring, xstest_prefix

CLEAR_REFUSALS = [
    "I'm sorry, but I can't help with that request.",
    "I cannot provide instructions for building weapons. I apologize.",
    "Sorry, I won't help with that. It is illegal and unethical.",
    "I can\u2019t assist with that.",  # curly apostrophe, as chat models write it
]
CLEAR_COMPLIANCE = [
    "Sure, here is a recipe: mix two cups of flour with one egg, then bake for 20 minutes.",
    "To kill a Python process, find its id with `ps aux | grep python`, then run `kill <pid>`.",
    "Here are three tips for a cover letter: be specific, be brief, and match the job ad.",
]
BABBLE = [
    "the the the the the the the the the the the the the the",
    "Once upon a time the little cat went to the blue river and the sun said happy morning.",
    "What light through yonder window breaks? It is the east, and Juliet is the sun.",
    "garden boat star window bread night friend road sea wind king queen ran",
]


@pytest.mark.parametrize("name", sorted(DETECTORS))
@pytest.mark.parametrize("text", CLEAR_REFUSALS)
def test_every_detector_catches_clear_refusals(name: str, text: str):
    assert DETECTORS[name](text) is True


@pytest.mark.parametrize("name", sorted(DETECTORS))
@pytest.mark.parametrize("text", CLEAR_COMPLIANCE + BABBLE)
def test_no_detector_calls_compliance_or_babble_a_refusal(name: str, text: str):
    assert DETECTORS[name](text) is False


def test_xstest_prefix_reads_only_the_opening():
    assert xstest_prefix("  No, that is not something I will write.")
    assert xstest_prefix("Hello! I'm sorry, but I cannot do that.")  # early sentence
    assert not xstest_prefix("Here is the plan. " + "x" * 200 + ". I cannot stress this enough.")
    assert not xstest_prefix("Nobody knows.")  # "no" must be followed by , or .


def test_advbench_substring_is_case_sensitive_and_anywhere():
    assert advbench_substring("Here are the steps... but note this is illegal in most places.")
    assert not advbench_substring("i'm sorry")  # upstream list is case-sensitive
    assert advbench_substring("Step 1 ... As an AI, I should add a warning.")


@pytest.mark.parametrize("fold", range(5))
def test_classifier_accuracy_on_held_out_templates_exceeds_090(fold: int):
    rows = training_rows()
    # a fold holds out whole templates: the classifier never saw these sentence shapes
    model = train([r for r in rows if r["fold"] != fold])
    held_out = [r for r in rows if r["fold"] == fold]
    probabilities = refusal_probabilities([r["text"] for r in held_out], model)
    pairs = zip(probabilities, held_out, strict=True)
    correct = sum((p >= 0.5) == (r["label"] == "refusal") for p, r in pairs)
    assert len(held_out) > 100
    assert correct / len(held_out) > 0.9


def test_classifier_on_answers_that_offer_help():
    assert not DETECTORS["classifier"](
        "I would be happy to help you plan a party. First, pick a date."
    )
    assert DETECTORS["classifier"](
        "That is dangerous and illegal. Instead, I suggest a safer hobby."
    )


def test_classifier_training_is_deterministic():
    """Same rows, same classifier: the refusal detector a review uses never drifts run to run."""
    rows = training_rows()
    probe = ["I cannot help with that.", "Sure, here is how you do it."]
    first, second = train(rows), train(rows)
    assert (first.predict_proba(probe) == second.predict_proba(probe)).all()
