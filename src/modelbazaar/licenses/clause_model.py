"""A sentence classifier for restrictive clauses, beside the rules (licenses/rules/).

Trained with scikit-learn on the train part of `bench/data/clause_sentences.jsonl`
(`train_model`): word 1–2-gram TF-IDF (sublinear tf, l2) and one class-balanced logistic
regression per category (C=30, liblinear). Each category's threshold is the lowest that reached
precision 0.9 by grouped 5-fold cross-validation by licence family on the train part
(`train_thresholded`). `ClauseModel` holds the vocabulary, idf weights, coefficients and
thresholds and predicts with numpy alone (a test checks it agrees with scikit-learn), so the
audit never imports scikit-learn.

`bazaar audit` runs the shipped model (`shipped_model()`: data/clause_model.npz, plain arrays,
built by scripts/build_clause_model.py, a test checks it equals a refit) beside the rules, for
the categories in ADDS_TO_RULES only (why those: the comment there). Measured (README,
bench/clause_quality.py, bench/clause_rounds.py; as of the sixth clause pass): on the 21
written rounds replayed, rules plus this model find micro R 0.70 at P 0.86 against the rules'
0.66 / 0.88; on the held-out part R 0.96 at P 0.91 against 0.95 / 0.92 (one terms change more,
one false one).

Example: `shipped_model().predict("The Licensor may revise these terms at any time.")` ->
`{"terms_change": 0.992}` (categories at/above their threshold, with their probability).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO, Protocol

import numpy as np

from modelbazaar.licenses._data import data_root

TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token_pattern
THRESHOLD = 0.3  # one shared threshold, chosen by grouped 5-fold CV on the train part (F1)
MODEL_FILE = "clause_model.npz"  # in licenses/data/
# The categories the classifier adds to the rules in the product, chosen on train-side data
# alone. Replaying the fourth pass's eleven rounds (bench/clause_rounds.py: rules and classifier
# from before each round, scored on its 958 sentences), rules + classifier had a higher F1 than
# the rules, keeping precision >= 0.9 (or, where the rules were below, no lower), for naming,
# termination, terms_change, use_restriction and user_cap; the others lost precision (aup,
# field_of_use, output_use, safety_guardrail) or gained nothing. Run over every SPDX text outside
# the held-out families, naming and user_cap then fired on 61 sentences that are no clause (GFDL
# cover titles, name bans, LPPL fragments, "the supplying of the services again"), so they stay
# with the rules alone. Replayed again after the eighth pass (rounds 22-58, 1,514 sentences, a
# classifier trained on up to 5,700 rows), the union also gained at no lower precision in aup
# (P / R 0.82 / 0.47 -> 0.83 / 0.53), field_of_use (0.79 / 0.36 -> 0.80 / 0.48), flow_down,
# research_only and safety_guardrail; on the SPDX texts field_of_use added 4 findings, all true
# (Llama AUP and LLaMA 1 military bans, PPL), aup none, while naming added 66 and
# safety_guardrail 11 (GFDL covers, copyright notices), flow_down 2 of 3 and research_only 2 of 3
# false (CERN-OHL-P's copy of the licence, FSL's permitted purposes): those four stay out.
ADDS_TO_RULES = (
    "aup", "field_of_use", "termination", "terms_change", "use_restriction",
)  # fmt: skip
PRECISION = 0.9  # per-category thresholds aim at this precision out of fold (issue 11)
C = 30.0  # inverse regularisation, chosen by grouped 5-fold CV (bench/clause_classifier_cv.py)
# Rule kinds -> the category the labelled set uses for them.
CATEGORY_OF_KIND = {
    "mau_cap": "user_cap",
    "litigation_termination": "termination",
    "discretionary_termination": "termination",
}
# Category -> the rule kind a classifier finding is reported as.
KIND_OF_CATEGORY = {"user_cap": "user_cap", "termination": "discretionary_termination"}


class ClauseClassifier(Protocol):
    """What find_clauses runs beside the rules: ClauseModel, or clause_encoder's deep model."""

    def probabilities(self, texts: Sequence[str]) -> np.ndarray: ...

    def found(self, probs: np.ndarray) -> list[dict[str, float]]: ...

    def doubted(self, probs: np.ndarray) -> list[set[str]]: ...


def found_at(
    categories: Sequence[str], thresholds: np.ndarray, probs: np.ndarray
) -> list[dict[str, float]]:
    """Per row of `probs`, the categories at or above their threshold, with their probability
    (inf: never found). What every clause classifier's `found` returns."""
    return [
        {c: round(float(p), 3) for c, p, t in zip(categories, row, thresholds, strict=True)
         if p >= t}
        for row in probs
    ]  # fmt: skip


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
    thresholds: np.ndarray  # (categories,): a category is found at/above its threshold

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """(sentences, categories) probabilities.

        TF-IDF as scikit-learn makes it (sublinear tf, l2-normalised), but each sentence's few
        columns are gathered rather than a dense (sentences, vocabulary) matrix built.
        """
        scores = np.tile(self.intercept, (len(texts), 1))
        for row, text in enumerate(texts):
            counts = Counter(self.vocabulary[t] for t in _terms(text) if t in self.vocabulary)
            if not counts:
                continue
            columns = np.fromiter(counts.keys(), dtype=np.int64)
            weights = (1 + np.log(np.fromiter(counts.values(), dtype=float))) * self.idf[columns]
            weights /= np.linalg.norm(weights)
            scores[row] += self.coef[:, columns] @ weights
        return 1 / (1 + np.exp(-scores))

    def predict(self, text: str) -> dict[str, float]:
        """Categories at or above the threshold for one sentence, with their probability."""
        return self.found(self.probabilities([text]))[0]

    def found(self, probs: np.ndarray) -> list[dict[str, float]]:
        """Per sentence, the categories at or above their threshold, with their probability."""
        return found_at(self.categories, self.thresholds, probs)

    def doubted(self, probs: np.ndarray) -> list[set[str]]:
        """Per sentence, the categories whose rule findings this model would drop: none (the
        TF-IDF model only adds; the deep encoder also doubts: audit/clause_encoder.py)."""
        return [set() for _ in probs]

    def with_thresholds(self, thresholds: Sequence[float]) -> ClauseModel:
        """The same model with other per-category thresholds (inf: the category is never found)."""
        return replace(self, thresholds=np.asarray(thresholds, dtype=float))


def train_model(
    rows: Iterable[dict[str, Any]], categories: Sequence[str] | None = None
) -> tuple[ClauseModel, Any]:
    """(ClauseModel, the scikit-learn pipeline) trained on labelled rows {"text", "labels"}.

    `categories` fixes the categories (and their order); by default those in `rows`. Every
    threshold is THRESHOLD; `with_thresholds` sets per-category ones.
    scikit-learn is imported here only: training runs in the build script and the bench.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.preprocessing import MultiLabelBinarizer

    rows = list(rows)
    if categories is None:
        categories = sorted({c for r in rows for c in r["labels"]})
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)
    matrix = vectorizer.fit_transform([r["text"] for r in rows])
    binarizer = MultiLabelBinarizer(classes=list(categories))
    wanted = set(categories)  # labels of other categories are not this model's targets
    targets = binarizer.fit_transform([[c for c in r["labels"] if c in wanted] for r in rows])
    # liblinear, dual (more terms than sentences): the same optimum as lbfgs, ~50x faster
    classifier = OneVsRestClassifier(
        LogisticRegression(
            C=C,
            class_weight="balanced",
            solver="liblinear",
            dual=True,
            max_iter=1000,
            random_state=0,
        )
    ).fit(matrix, targets)
    coef = np.vstack([e.coef_[0] for e in classifier.estimators_])
    intercept = np.array([e.intercept_[0] for e in classifier.estimators_])
    vocabulary = {term: int(i) for term, i in vectorizer.vocabulary_.items()}
    thresholds = np.full(len(categories), THRESHOLD)
    model = ClauseModel(vocabulary, vectorizer.idf_, coef, intercept, list(categories), thresholds)
    return model, (vectorizer, classifier)


def family_groups(rows: Sequence[dict[str, Any]]) -> list[str]:
    """One cross-validation group per licence family ("source"); each first-pass paraphrase
    ("paraphrase") is its own group, a fourth-pass family ("paraphrase:DBRX") is one."""
    return [r["source"] if r["source"] != "paraphrase" else f"p{i}" for i, r in enumerate(rows)]


def lowest_threshold(probs: np.ndarray, truth: np.ndarray, precision: float) -> float:
    """The lowest threshold at which these scores reach `precision` (inf: never reached).

    Example: probs [0.9, 0.8, 0.4], truth [1, 1, 0], precision 0.9 -> 0.8.
    """
    order = np.argsort(-probs, kind="stable")
    hits = np.cumsum(truth[order])
    reached = (hits / np.arange(1, len(order) + 1) >= precision) & truth[order].astype(bool)
    return float(probs[order][np.nonzero(reached)[0][-1]]) if reached.any() else float("inf")


def out_of_fold(rows: Sequence[dict[str, Any]], categories: Sequence[str]) -> np.ndarray:
    """(rows, categories) probabilities by grouped 5-fold CV: each row scored by a model
    trained on the folds that hold none of its licence family."""
    from sklearn.model_selection import GroupKFold

    probs = np.zeros((len(rows), len(categories)))
    for fit, score in GroupKFold(5).split(rows, groups=family_groups(rows)):
        model, _ = train_model([rows[i] for i in fit], categories)
        probs[score] = model.probabilities([rows[i]["text"] for i in score])
    return probs


def train_thresholded(
    rows: Sequence[dict[str, Any]],
    precision: float = PRECISION,
    enabled: Sequence[str] | None = ADDS_TO_RULES,
) -> ClauseModel:
    """The model trained on all `rows`, each category's threshold the lowest that reached
    `precision` out of fold (grouped 5-fold CV on `rows`): six fits, a few seconds on the train
    part. Categories not `enabled` (None: all) get an infinite threshold: never found."""
    categories = sorted({c for r in rows for c in r["labels"]})
    probs = out_of_fold(rows, categories)
    truth = np.array([[c in r["labels"] for c in categories] for r in rows])
    cuts = [
        lowest_threshold(probs[:, j], truth[:, j], precision)
        if enabled is None or c in enabled
        else float("inf")
        for j, c in enumerate(categories)
    ]
    model, _ = train_model(rows, categories)
    return model.with_thresholds(cuts)


def save_model(model: ClauseModel, target: Path | BinaryIO) -> None:
    """Write the model as plain arrays (no pickle): terms, idf, coef (float32), thresholds.

    Only the categories it can find (a finite threshold) are written. np.savez writes fixed
    zip dates, so the same model gives the same bytes.
    """
    terms = sorted(model.vocabulary, key=model.vocabulary.__getitem__)
    kept = np.isfinite(model.thresholds)
    with ExitStack() as stack:
        handle = target if not isinstance(target, Path) else stack.enter_context(open(target, "wb"))
        np.savez_compressed(
            handle,
            terms=np.array(terms),
            idf=model.idf.astype(np.float32),
            coef=model.coef[kept].astype(np.float32),
            intercept=model.intercept[kept].astype(np.float32),
            categories=np.array(model.categories)[kept],
            thresholds=model.thresholds[kept].astype(np.float32),
        )


def load_model(source: Any) -> ClauseModel:
    """A model written by `save_model` (a path or an open binary file)."""
    with np.load(source, allow_pickle=False) as arrays:
        terms = arrays["terms"].tolist()
        return ClauseModel(
            vocabulary={term: i for i, term in enumerate(terms)},
            idf=arrays["idf"].astype(float),
            coef=arrays["coef"].astype(float),
            intercept=arrays["intercept"].astype(float),
            categories=arrays["categories"].tolist(),
            thresholds=arrays["thresholds"].astype(float),
        )


@cache
def shipped_model() -> ClauseModel:
    """The classifier `bazaar audit` runs beside the rules (data/clause_model.npz, built from
    the train part by scripts/build_clause_model.py)."""
    with data_root().joinpath(MODEL_FILE).open("rb") as handle:
        return load_model(handle)
