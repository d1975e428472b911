"""Build the clause classifier `bazaar audit` ships (licenses/data/clause_model.npz) and the
encoder part `bazaar audit --deep` adds (licenses/data/clause_encoder.npz).

Trained on the train part of bench/data/clause_sentences.jsonl only (never the held-out part):
word 1-2-gram TF-IDF and one class-balanced logistic regression per category, each category's
threshold the lowest that reached precision 0.9 by grouped 5-fold cross-validation by licence
family (clause_model.train_thresholded). Deterministic; tests/test_licence_clause_model.py
checks the shipped file equals a refit. The encoder part (audit/clause_encoder.py): logistic
regressions on all-MiniLM-L6-v2 embeddings of the same sentences, thresholds for the mean with
the TF-IDF model by the same grouped CV (a slow test checks a refit agrees within float noise:
the embeddings come from torch). Run it whenever the labelled set changes (~2 min):

    PYTHONPATH=src python scripts/build_clause_model.py
"""

from __future__ import annotations

import json
from pathlib import Path

from modelbazaar.audit.clause_encoder import ENCODER_FILE, save_deep, train_deep
from modelbazaar.licenses.clause_model import MODEL_FILE, load_model, save_model, train_thresholded

ROOT = Path(__file__).resolve().parents[1]
SENTENCES = ROOT / "bench" / "data" / "clause_sentences.jsonl"
TARGET = ROOT / "src" / "modelbazaar" / "licenses" / "data" / MODEL_FILE
ENCODER_TARGET = TARGET.with_name(ENCODER_FILE)


def train_rows() -> list[dict]:
    """The train part of the labelled sentences."""
    with open(SENTENCES, encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return [r for r in rows if r["split"] == "train"]


def main() -> None:
    model = train_thresholded(train_rows())
    save_model(model, TARGET)
    cuts = ", ".join(
        f"{c} {t:.2f}" for c, t in zip(model.categories, model.thresholds, strict=True)
    )
    print(f"{TARGET.name}: {len(model.vocabulary)} terms; thresholds: {cuts}")
    deep = train_deep(train_rows(), load_model(TARGET))  # the base as shipped
    save_deep(deep, ENCODER_TARGET)
    cuts = ", ".join(f"{c} {t:.2f}" for c, t in zip(deep.categories, deep.thresholds, strict=True))
    print(f"{ENCODER_TARGET.name}: thresholds for the mean: {cuts}")


if __name__ == "__main__":
    main()
