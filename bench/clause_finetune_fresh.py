"""Rules, TF-IDF and a fine-tuned encoder on wording none of them had seen.

Everything is trained (and the rules taken) at `--before`, a commit of the repository; it is
scored on the train rows that commits after it added up to `--after` (written rounds: each was
committed before any rule changed from it, bench/data/CLAUSES.md). So the scores are what each
detector would do on the next licence's wording, from train data alone; the held-out part is not
read. Default: before the seventh clause pass, scored on its rounds.

Detectors: the rules; TF-IDF + logistic regression (the classifier `bazaar audit` ships) and the
fine-tuned encoder (bench/clause_tuned.py: all-MiniLM-L6-v2's top 3 layers and a head, 6 epochs,
lr 2e-4: the setting bench/clause_finetune_cv.py measured best), each as the recall at the
lowest threshold reaching precision 0.9 on these rows (optimistic, equally for both) and the
encoder at probability 0.5; the rules with the encoder's findings at 0.5 added.

    PYTHONPATH=src python bench/clause_finetune_fresh.py [--before REV] [--after REV]  # ~10 min
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import torch
from clause_encoder_cv import recall_at
from clause_rounds import rows_at, rules_at
from clause_tuned import TuneSettings, fine_tune, frozen_inputs, tuned_probabilities

from modelbazaar.licenses.clause_model import train_model

SEVENTH_PASS = "d218072"  # main before the seventh pass was merged (its rounds come after)
SETTINGS = TuneSettings(layers=3, epochs=6, lr=2e-4)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", default=SEVENTH_PASS)
    parser.add_argument("--after", default="HEAD")
    args = parser.parse_args()
    torch.set_num_threads(2)
    train = [r for r in rows_at(args.before) if r["split"] == "train"]
    seen = {r["text"] for r in train}
    fresh = [r for r in rows_at(args.after) if r["split"] == "train" and r["text"] not in seen]
    categories = sorted({c for r in train for c in r["labels"]})
    y = np.array([[c in r["labels"] for c in categories] for r in fresh])
    texts = [r["text"] for r in fresh]
    print(f"{len(train)} train rows at {args.before}; {len(fresh)} fresh rows up to {args.after}")
    tfidf, _ = train_model(train, categories)
    p_tfidf = tfidf.probabilities(texts)
    rules = np.array([[c in found for c in categories] for found in rules_at(args.before, texts)])
    started = time.perf_counter()
    truth = np.array([[c in r["labels"] for c in categories] for r in train])
    net = fine_tune(frozen_inputs([r["text"] for r in train], SETTINGS.layers), truth, SETTINGS)
    p_tuned = tuned_probabilities(net, frozen_inputs(texts, SETTINGS.layers), SETTINGS.layers)
    print(f"fine-tuned in {time.perf_counter() - started:.0f} s\n")
    tuned = p_tuned >= 0.5
    header = ("rules P/R", "TF-IDF R@.9", "tuned R@.9", "tuned@.5 P/R", "rules+tuned P/R")
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
        ]
        print(f"{name:18}{y[:, j].sum():4d}" + "".join(f"{c:>16}" for c in cells))
    micro = [pr(rules, y), "", "", pr(tuned, y), pr(rules | tuned, y)]
    print(f"{'micro':18}{y.sum():4d}" + "".join(f"{c:>16}" for c in micro))


def pr(found: np.ndarray, truth: np.ndarray) -> str:
    hits = (found & truth).sum()
    return f"{hits / max(found.sum(), 1):.2f}/{hits / max(truth.sum(), 1):.2f}"


if __name__ == "__main__":
    main()
