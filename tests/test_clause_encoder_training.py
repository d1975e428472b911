"""Fine-tuning the clause encoder (train/clause_encoder.py) on a few sentences: it learns the
labels, its thresholds come from grouped CV, the same rows give the same weights, and the slow
test checks the shipped file against a refit on the labelled set."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from modelbazaar.audit.clause_encoder import shipped_deep_model
from modelbazaar.train.clause_encoder import (
    TuneSettings,
    fine_tune,
    frozen_inputs,
    train_encoder,
    tuned_probabilities,
)

DATA = Path(__file__).resolve().parents[1] / "bench" / "data"
CHANGES = ["revise", "amend", "update", "modify", "change"]
NAMES = ["name", "logo", "trademarks", "brand", "marks"]
QUICK = TuneSettings(layers=1, epochs=4, lr=5e-4, head_lr=1e-2, batch=8)


def rows() -> list[dict]:
    """60 sentences in 6 licence families: terms changes, name bans and plain grants."""
    out = []
    for i in range(20):
        out.append({"text": f"We may {CHANGES[i % 5]} these terms at any time, notice {i}.",
                    "labels": ["terms_change"], "source": f"f{i % 6}"})  # fmt: skip
        out.append({"text": f"You shall not use our {NAMES[i % 5]} to promote product {i}.",
                    "labels": ["naming"], "source": f"f{(i + 1) % 6}"})  # fmt: skip
        out.append({"text": f"You may copy and share the files of release {i}.",
                    "labels": [], "source": f"f{(i + 2) % 6}"})  # fmt: skip
    return out


def test_fine_tune_learns_the_labels_and_is_repeatable() -> None:
    train = rows()
    truth = np.array([[c in r["labels"] for c in ("naming", "terms_change")] for r in train])
    inputs = frozen_inputs([r["text"] for r in train], QUICK.layers)
    net = fine_tune(inputs, truth, QUICK)
    probs = tuned_probabilities(net, inputs, QUICK.layers)
    for j in range(2):  # every positive above every negative, on the rows it saw
        assert probs[truth[:, j], j].min() > probs[~truth[:, j], j].max()
    again = tuned_probabilities(fine_tune(inputs, truth, QUICK), inputs, QUICK.layers)
    assert np.allclose(probs, again, atol=1e-6)  # batches and init are a function of the seed


def test_train_encoder_thresholds_come_from_out_of_fold_scores() -> None:
    encoder, probs = train_encoder(rows(), QUICK)
    assert encoder.categories == ["naming", "terms_change"] and probs.shape == (60, 2)
    truth = np.array([[c in r["labels"] for c in encoder.categories] for r in rows()])
    for j in range(2):  # the threshold is one of the out-of-fold scores and reaches P >= 0.9
        cut = encoder.thresholds[j]
        assert cut in probs[:, j]
        kept = probs[:, j] >= cut
        assert truth[kept, j].mean() >= 0.9


@pytest.mark.slow  # fine-tunes on the train part and the negatives (~14 min under pytest)
def test_shipped_encoder_matches_a_refit() -> None:
    """The shipped weights are what the build script trains from the labelled set: a refit on
    this CPU finds the same categories on the train sentences (torch's sums differ in the last
    bits between CPUs, so not the same bytes; CV thresholds are not refitted here)."""

    def read(name: str) -> list[dict]:
        return [json.loads(line) for line in (DATA / name).read_text("utf-8").splitlines() if line]

    train = [r for r in read("clause_sentences.jsonl") if r["split"] == "train"]
    train += read("clause_negatives.jsonl")  # as scripts/build_clause_model.py trains it
    shipped = shipped_deep_model()
    truth = np.array([[c in r["labels"] for c in shipped.categories] for r in train])
    settings = TuneSettings(layers=shipped.layers)
    inputs = frozen_inputs([r["text"] for r in train], settings.layers)
    refit = tuned_probabilities(fine_tune(inputs, truth, settings), inputs, settings.layers)
    ours = tuned_probabilities(shipped.net, inputs, settings.layers)  # the same frozen inputs
    agree = (refit >= shipped.thresholds) == (ours >= shipped.thresholds)
    assert agree.mean() > 0.995, agree.mean(axis=0)
