"""Fitting the guard's lexical half (safety/guard/lexical.py) on the guard's training rows.

One class-balanced logistic regression per output (unsafe, S1..S14) on TF-IDF features, with
liblinear (deterministic: a fixed seed for its coordinate order), C = 10 as the TF-IDF baseline
of bench/guard_quality.py always used. The fitted model is returned after a round trip through
its tensors, so the scores the build chooses the threshold on are those a loaded guard gives.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import hstack

from modelbazaar.safety.guard.lexical import ANALYZERS, MIN_POSITIVES, LexicalModel, vectorizer
from modelbazaar.safety.guard.rows import GuardRow
from modelbazaar.safety.guard.taxonomy import OUTPUTS

C = 10.0


def fit_lexical(rows: list[GuardRow]) -> LexicalModel:
    """The lexical model fitted on `rows`, every row counting once (the recipe's row_weight is
    the network's: the blend was measured with the unweighted baseline). Outputs with fewer
    than MIN_POSITIVES positive rows get no model."""
    from sklearn.linear_model import LogisticRegression

    texts = [r.text for r in rows]
    vectorizers = [vectorizer(a, n, d) for a, n, d in ANALYZERS]
    x = hstack([v.fit_transform(texts) for v in vectorizers]).tocsr()
    coef = np.zeros((len(OUTPUTS), x.shape[1]), dtype=np.float32)
    intercept = np.zeros(len(OUTPUTS))
    present = np.zeros(len(OUTPUTS), dtype=bool)
    for j, output in enumerate(OUTPUTS):
        y = np.array([r.unsafe if output == "unsafe" else int(output in r.codes) for r in rows])
        if y.sum() < MIN_POSITIVES or y.sum() == len(y):
            continue
        model = LogisticRegression(
            C=C, class_weight="balanced", solver="liblinear", random_state=0, max_iter=1000
        ).fit(x, y)
        coef[j], intercept[j], present[j] = model.coef_[0], model.intercept_[0], True
    fitted = LexicalModel(
        vocabularies=[{t: int(i) for t, i in v.vocabulary_.items()} for v in vectorizers],
        idf=[np.asarray(v.idf_, dtype=np.float64) for v in vectorizers],
        coef=coef,
        intercept=intercept,
        present=present,
    )
    return LexicalModel.from_tensors(fitted.to_tensors())
