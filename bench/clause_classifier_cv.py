"""Choose the clause classifier's settings by grouped cross-validation on the train part only.

For each candidate (features x model) the out-of-fold scores of every train sentence are
computed once (grouped 5-fold, one group per licence family, as `clause_quality.py --cv`), then
per-category thresholds are chosen *cross-fitted*: the threshold used on fold k is the lowest
one reaching precision >= 0.9 on the other four folds' out-of-fold scores (no threshold -> the
category is never predicted). Printed per candidate: micro P / R at the shared 0.3 threshold
(`shared`), micro P / R with the cross-fitted thresholds (`p90`) and the number of categories
that reach R >= 0.95 at P >= 0.9 that way.

    PYTHONPATH=src python bench/clause_classifier_cv.py [--only NAME]   # seconds to ~1 min each
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from modelbazaar.licenses.clause_model import family_groups, lowest_threshold

DATA = Path(__file__).parent / "data" / "clause_sentences.jsonl"
TARGET_PRECISION = 0.9


def load_train() -> list[dict]:
    with open(DATA, encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return [r for r in rows if r["split"] == "train"]


def candidates() -> dict:
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion
    from sklearn.svm import LinearSVC

    def words():
        return TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)

    def words_chars():
        return FeatureUnion([
            ("w", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)),
            ("c", TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True,
                                  min_df=2)),
        ])  # fmt: skip

    def lr(c, weight="balanced"):
        return lambda: LogisticRegression(
            C=c, class_weight=weight, solver="liblinear", dual=True, max_iter=1000, random_state=0
        )

    def svm(c):
        return lambda: CalibratedClassifierCV(LinearSVC(C=c, class_weight="balanced"), cv=3)

    return {
        "words-lr-C10-balanced": (words, lr(10.0)),
        "words-lr-C10-unweighted": (words, lr(10.0, None)),
        "words-lr-C30-balanced": (words, lr(30.0)),
        "words+chars-lr-C10-balanced": (words_chars, lr(10.0)),
        "words-svm-C1-calibrated": (words, svm(1.0)),
        "words+chars-svm-C1-calibrated": (words_chars, svm(1.0)),
    }


def out_of_fold(train, make_features, make_model, categories) -> np.ndarray:
    """(sentences, categories) out-of-fold probabilities."""
    from sklearn.model_selection import GroupKFold

    texts = [r["text"] for r in train]
    targets = np.array([[c in r["labels"] for c in categories] for r in train])
    probs = np.zeros(targets.shape)
    for fit, score in GroupKFold(5).split(texts, groups=family_groups(train)):
        features = make_features()
        x_fit = features.fit_transform([texts[i] for i in fit])
        x_score = features.transform([texts[i] for i in score])
        for j in range(len(categories)):
            model = make_model().fit(x_fit, targets[fit, j])
            probs[score, j] = model.predict_proba(x_score)[:, 1]
    return probs


def fold_ids(train) -> np.ndarray:
    from sklearn.model_selection import GroupKFold

    ids = np.zeros(len(train), dtype=int)
    for k, (_, score) in enumerate(GroupKFold(5).split(train, groups=family_groups(train))):
        ids[score] = k
    return ids


def cross_fitted(probs, targets, folds, precision=TARGET_PRECISION) -> np.ndarray:
    """Boolean predictions, fold k thresholded by what reached `precision` on the others."""
    predicted = np.zeros(targets.shape, dtype=bool)
    for k in np.unique(folds):
        rest, here = folds != k, folds == k
        for j in range(targets.shape[1]):
            t = lowest_threshold(probs[rest, j], targets[rest, j], precision)
            predicted[here, j] = probs[here, j] >= t
    return predicted


def per_category(predicted, targets, categories) -> dict[str, tuple[float, float, int]]:
    out = {}
    for j, c in enumerate(categories):
        tp = int((predicted[:, j] & targets[:, j]).sum())
        fp = int((predicted[:, j] & ~targets[:, j]).sum())
        n = int(targets[:, j].sum())
        out[c] = (tp / (tp + fp) if tp + fp else float("nan"), tp / n if n else float("nan"), n)
    tp = int((predicted & targets).sum())
    fp = int((predicted & ~targets).sum())
    out["micro"] = (tp / max(tp + fp, 1), tp / int(targets.sum()), int(targets.sum()))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", help="one candidate by name")
    parser.add_argument("--save", help="write out-of-fold probabilities to this .npz")
    args = parser.parse_args()
    train = load_train()
    categories = sorted({c for r in train for c in r["labels"]})
    targets = np.array([[c in r["labels"] for c in categories] for r in train])
    folds = fold_ids(train)
    for name, (make_features, make_model) in candidates().items():
        if args.only and name != args.only:
            continue
        start = time.time()
        probs = out_of_fold(train, make_features, make_model, categories)
        if args.save:
            np.savez(args.save, probs=probs, categories=categories)
        shared = per_category(probs >= 0.3, targets, categories)["micro"]
        p90 = per_category(cross_fitted(probs, targets, folds), targets, categories)
        met = sum(p >= 0.9 and r >= 0.95 for c, (p, r, _) in p90.items() if c != "micro")
        print(
            f"{name:32} shared P {shared[0]:.2f} R {shared[1]:.2f} | p90 P {p90['micro'][0]:.2f}"
            f" R {p90['micro'][1]:.2f} | met {met}/14 | {time.time() - start:.0f} s",
            flush=True,
        )
        for c in categories:
            p, r, n = p90[c]
            print(f"    {c:18} n {n:3}  P {p:.2f}  R {r:.2f}")


if __name__ == "__main__":
    main()
