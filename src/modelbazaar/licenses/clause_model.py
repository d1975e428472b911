"""A sentence classifier for restrictive clauses, beside the rules (rules.py).

Trained with scikit-learn on the train part of `bench/data/clause_sentences.jsonl`
(`train_model`): word 1–2-gram TF-IDF (sublinear tf, l2) and one class-balanced logistic
regression per category (C=10, threshold 0.3, both chosen by grouped 5-fold cross-validation
on the train part). `ClauseModel` holds the vocabulary, idf weights and coefficients and
predicts with numpy alone (a test checks it agrees with scikit-learn).

Measured (bench/clause_quality.py) it finds far fewer clauses than the rules: recall 0.21
against 0.93 on the held-out part, 0.45 against 0.98 by grouped cross-validation on the train
part (`--cv`; 2,067 sentences; character 3–5-grams did no better), and joined with the rules it
lowers precision (held out 0.88 against 0.92; CV 0.84 against 0.93) for at most +0.01 recall.
So `bazaar audit` runs the rules alone and this model is kept for the benchmark, to be used once
a larger labelled set makes it pay.

Example: `model, _ = train_model(rows); model.predict("Free use ends once yearly turnover
passes five million euros.")` -> `{"revenue_cap": 0.41}` (categories at/above the threshold).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token_pattern
THRESHOLD = 0.3  # chosen by 5-fold grouped cross-validation on the train part (F1)
# Rule kinds -> the category the labelled set uses for them.
CATEGORY_OF_KIND = {
    "mau_cap": "user_cap",
    "litigation_termination": "termination",
    "discretionary_termination": "termination",
}
# Category -> the rule kind a classifier finding is reported as.
KIND_OF_CATEGORY = {"user_cap": "user_cap", "termination": "discretionary_termination"}


def category(kind: str) -> str:
    """The labelled-set category of a rule kind: "mau_cap" -> "user_cap"."""
    return CATEGORY_OF_KIND.get(kind, kind)


def _terms(text: str) -> list[str]:
    """Lower-cased word unigrams and bigrams, as TfidfVectorizer(ngram_range=(1, 2)) makes."""
    tokens = TOKEN.findall(text.lower())
    return tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)]


@dataclass(frozen=True)
class ClauseModel:
    vocabulary: dict[str, int]
    idf: np.ndarray  # (features,)
    coef: np.ndarray  # (categories, features)
    intercept: np.ndarray  # (categories,)
    categories: list[str]
    threshold: float = THRESHOLD

    def features(self, texts: Sequence[str]) -> np.ndarray:
        """TF-IDF rows (sublinear tf, l2-normalised) for the given sentences."""
        rows = np.zeros((len(texts), len(self.idf)))
        for row, text in enumerate(texts):
            counts = Counter(t for t in _terms(text) if t in self.vocabulary)
            for term, count in counts.items():
                column = self.vocabulary[term]
                rows[row, column] = (1 + math.log(count)) * self.idf[column]
            norm = np.linalg.norm(rows[row])
            if norm > 0:
                rows[row] /= norm
        return rows

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """(sentences, categories) probabilities."""
        scores = self.features(texts) @ self.coef.T + self.intercept
        return 1 / (1 + np.exp(-scores))

    def predict(self, text: str) -> dict[str, float]:
        """Categories at or above the threshold for one sentence, with their probability."""
        probs = self.probabilities([text])[0]
        return {c: round(float(p), 3) for c, p in zip(self.categories, probs, strict=True)
                if p >= self.threshold}  # fmt: skip


def train_model(rows: Iterable[dict[str, Any]]) -> tuple[ClauseModel, Any]:
    """(ClauseModel, the scikit-learn pipeline) trained on labelled rows {"text", "labels"}.

    scikit-learn is imported here only: training runs in the build script and the bench.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.preprocessing import MultiLabelBinarizer

    rows = list(rows)
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)
    matrix = vectorizer.fit_transform([r["text"] for r in rows])
    binarizer = MultiLabelBinarizer()
    targets = binarizer.fit_transform([r["labels"] for r in rows])
    classifier = OneVsRestClassifier(
        LogisticRegression(C=10.0, class_weight="balanced", max_iter=2000)
    ).fit(matrix, targets)
    coef = np.vstack([e.coef_[0] for e in classifier.estimators_])
    intercept = np.array([e.intercept_[0] for e in classifier.estimators_])
    vocabulary = {term: int(i) for term, i in vectorizer.vocabulary_.items()}
    categories = list(binarizer.classes_)
    model = ClauseModel(vocabulary, vectorizer.idf_, coef, intercept, categories, THRESHOLD)
    return model, (vectorizer, classifier)
