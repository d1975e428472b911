"""Build the clause classifier `bazaar audit` ships (licenses/data/clause_model.npz) and the
fine-tuned encoder `bazaar audit --deep` runs (licenses/data/clause_encoder.safetensors).

Trained on the train part of bench/data/clause_sentences.jsonl only (never the held-out part):
word 1-2-gram TF-IDF and one class-balanced logistic regression per category, each category's
threshold the lowest that reached precision 0.9 by grouped 5-fold cross-validation by licence
family (clause_model.train_thresholded). Deterministic; tests/test_licence_clause_model.py
checks the shipped file equals a refit. The encoder (train/clause_encoder.py): all-MiniLM-L6-v2's
top 3 layers and a head fine-tuned on the same sentences and the open-licence negatives
(bench/data/clause_negatives.jsonl, scripts/make_clause_negatives.py), thresholds by the same
grouped CV (five fine-tunes), then one on all of them; same rows and CPU, same weights (a slow
test checks a refit finds what the shipped file finds). ~2 s for the TF-IDF model; the encoder
~35 min on 2 cores (`--tfidf-only` skips it). Run it whenever the labelled set changes:

    PYTHONPATH=src python scripts/build_clause_model.py
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from modelbazaar.licenses.clause_model import MODEL_FILE, save_model, train_thresholded

ROOT = Path(__file__).resolve().parents[1]
SENTENCES = ROOT / "bench" / "data" / "clause_sentences.jsonl"
NEGATIVES = ROOT / "bench" / "data" / "clause_negatives.jsonl"  # scripts/make_clause_negatives.py
TARGET = ROOT / "src" / "modelbazaar" / "licenses" / "data" / MODEL_FILE


def train_rows() -> list[dict]:
    """The train part of the labelled sentences."""
    with open(SENTENCES, encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return [r for r in rows if r["split"] == "train"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tfidf-only", action="store_true", help="leave the encoder as it is")
    parser.add_argument("--out-of-fold", help="write the encoder's CV probabilities here (.npz)")
    args = parser.parse_args()
    model = train_thresholded(train_rows())
    save_model(model, TARGET)
    print(f"{TARGET.name}: {len(model.vocabulary)} terms; thresholds: {cuts(model)}")
    if args.tfidf_only:
        return
    # torch only from here: the TF-IDF model builds without it
    from modelbazaar.audit.clause_encoder import ENCODER_FILE, save_encoder
    from modelbazaar.train.clause_encoder import train_encoder

    with open(NEGATIVES, encoding="utf-8") as handle:  # the encoder's alone (why: that script)
        negatives = [json.loads(line) for line in handle if line.strip()]
    encoder, probs = train_encoder(train_rows() + negatives, show_progress=True)
    TARGET.with_name(ENCODER_FILE).write_bytes(save_encoder(encoder))
    print(f"{ENCODER_FILE}: thresholds: {cuts(encoder)}")
    if args.out_of_fold:
        np.savez(args.out_of_fold, probs=probs, categories=encoder.categories)


def cuts(model: object) -> str:
    """ "termination 0.97, ..." for the categories a model can find."""
    pairs = zip(model.categories, model.thresholds, strict=True)  # type: ignore[attr-defined]
    return ", ".join(f"{c} {t:.2f}" for c, t in pairs if np.isfinite(t))


if __name__ == "__main__":
    main()
