"""Rules, TF-IDF and a fine-tuned encoder on wording none of them had seen.

Everything is trained (and the rules taken) at `--before`, a commit of the repository; it is
scored on the train rows that commits after it added up to `--after` (written rounds: each was
committed before any rule changed from it, bench/data/CLAUSES.md). So the scores are what each
detector would do on the next licence's wording, from train data alone; the held-out part is not
read. Default: before the seventh clause pass, scored on its rounds.

The encoder is trained with the open-licence negatives, as the build script trains it.
Detectors: the rules; TF-IDF + logistic regression (the classifier `bazaar audit` ships) and the
fine-tuned encoder (train/clause_encoder.py: all-MiniLM-L6-v2's top 3 layers and a head, 6 epochs,
lr 2e-4: the setting bench/clause_finetune_cv.py measured best), each as the recall at the
lowest threshold reaching precision 0.9 on these rows (optimistic, equally for both) and the
encoder at probability 0.5; the rules with the encoder's findings at 0.5 added; and `--deep` as
the audit runs it (audit/clause_encoder.py): for ADDS_TO_RULES only, the encoder's findings at
the shipped thresholds added, and the rule findings of those it scores below DOUBT_BELOW
dropped (the
shipped thresholds come from grouped CV on today's train part, so the rounds had a say in them;
the fine-tuned weights scored here had not).

    PYTHONPATH=src python bench/clause_finetune_fresh.py [--before REV] [--after REV]  # ~10 min
    PYTHONPATH=src python bench/clause_finetune_fresh.py --save F   # then --saved F: no refit
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import torch
from clause_encoder_cv import recall_at
from clause_rounds import rows_at, rules_at

from modelbazaar.audit.clause_encoder import shipped_deep_model
from modelbazaar.licenses.clause_model import train_model
from modelbazaar.train.clause_encoder import (
    TuneSettings,
    fine_tune,
    frozen_inputs,
    tuned_probabilities,
)

NEGATIVES = Path(__file__).parent / "data" / "clause_negatives.jsonl"
SEVENTH_PASS = "d218072"  # main before the seventh pass was merged (its rounds come after)
SETTINGS = TuneSettings(layers=3, epochs=6, lr=2e-4)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", default=SEVENTH_PASS)
    parser.add_argument("--after", default="HEAD")
    parser.add_argument("--save", help="also write every detector's output here (.npz)")
    parser.add_argument("--saved", help="print the table from a --save file (no fine-tune)")
    args = parser.parse_args()
    if args.saved:
        with np.load(args.saved) as saved:
            categories = saved["categories"].tolist()
            y, rules = saved["truth"], saved["rules"]
            p_tfidf, p_tuned = saved["tfidf"], saved["tuned"]
    else:
        categories, y, rules, p_tfidf, p_tuned = measure(args.before, args.after, args.save)
    tuned = p_tuned >= 0.5
    deep = as_deep(rules, p_tuned, categories)
    header = ("rules P/R", "TF-IDF R@.9", "tuned R@.9", "tuned@.5 P/R", "rules+tuned", "--deep")
    print(f"{'category':18}{'n':>4}" + "".join(f"{h:>16}" for h in header))
    for j, name in enumerate(categories):
        if not y[:, j].any():
            continue
        cells = [
            pr(rules[:, j], y[:, j]),
            f"{recall_at(p_tfidf[:, j], y[:, j]):.2f}",
            f"{recall_at(p_tuned[:, j], y[:, j]):.2f}",
            pr(tuned[:, j], y[:, j]),
            pr(rules[:, j] | tuned[:, j], y[:, j]),
            pr(deep[:, j], y[:, j]),
        ]
        print(f"{name:18}{y[:, j].sum():4d}" + "".join(f"{c:>16}" for c in cells))
    micro = [pr(rules, y), "", "", pr(tuned, y), pr(rules | tuned, y), pr(deep, y)]
    print(f"{'micro':18}{y.sum():4d}" + "".join(f"{c:>16}" for c in micro))


def measure(before: str, after: str, save: str | None) -> tuple:
    """(categories, truth, rules, TF-IDF and encoder probabilities) on the fresh rows."""
    torch.set_num_threads(2)
    train = [r for r in rows_at(before) if r["split"] == "train"]
    seen = {r["text"] for r in train}
    fresh = [r for r in rows_at(after) if r["split"] == "train" and r["text"] not in seen]
    categories = sorted({c for r in train for c in r["labels"]})
    y = np.array([[c in r["labels"] for c in categories] for r in fresh])
    texts = [r["text"] for r in fresh]
    print(f"{len(train)} train rows at {before}; {len(fresh)} fresh rows up to {after}")
    tfidf, _ = train_model(train, categories)
    p_tfidf = tfidf.probabilities(texts)
    rules = np.array([[c in found for c in categories] for found in rules_at(before, texts)])
    started = time.perf_counter()
    tuned_rows = train + negatives()  # as the build script trains the encoder
    truth = np.array([[c in r["labels"] for c in categories] for r in tuned_rows])
    texts_in = [r["text"] for r in tuned_rows]
    net = fine_tune(frozen_inputs(texts_in, SETTINGS.layers), truth, SETTINGS)
    p_tuned = tuned_probabilities(net, frozen_inputs(texts, SETTINGS.layers), SETTINGS.layers)
    print(f"fine-tuned in {time.perf_counter() - started:.0f} s\n")
    if save:  # for choosing how the encoder joins the rules, without fine-tuning again
        np.savez(save, categories=categories, truth=y, rules=rules, tfidf=p_tfidf,
                 tuned=p_tuned, texts=texts)  # fmt: skip
    return categories, y, rules, p_tfidf, p_tuned


def negatives() -> list[dict]:
    """The open-licence negatives the encoder is trained with (scripts/make_clause_negatives.py;
    today's file: it is made from SPDX texts, not from any round)."""
    lines = NEGATIVES.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def as_deep(rules: np.ndarray, probs: np.ndarray, categories: list[str]) -> np.ndarray:
    """What `bazaar audit --deep` keeps, per sentence and category: the shipped encoder's own
    `found` and `doubted` (thresholds and policy) applied to these probabilities."""
    shipped = shipped_deep_model()
    # a category these rows lack gets 0.5: neither found nor doubted
    columns = [categories.index(c) if c in categories else None for c in shipped.categories]
    ours = np.array([probs[:, j] if j is not None else np.full(len(probs), 0.5)
                     for j in columns]).T  # fmt: skip
    found, doubted = shipped.found(ours), shipped.doubted(ours)
    added = np.array([[c in f for c in categories] for f in found], dtype=bool)
    dropped = np.array([[c in d for c in categories] for d in doubted], dtype=bool)
    return (rules & ~dropped) | added


def pr(found: np.ndarray, truth: np.ndarray) -> str:
    hits = (found & truth).sum()
    return f"{hits / max(found.sum(), 1):.2f}/{hits / max(truth.sum(), 1):.2f}"


if __name__ == "__main__":
    main()
