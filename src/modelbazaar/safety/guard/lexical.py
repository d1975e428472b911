"""The guard's lexical half: TF-IDF n-grams and a logistic regression per output.

A guard's score is the network's logit blended with this model's, per output:
``logit = (1 - w) * network + w * lexical`` with ``w`` the recipe's ``[guard] lexical_weight``.
Why: the two err on different messages. On the validation split (bench/guard_lexical.py) the
template's network alone reached OpenAI-moderation AUPRC 0.791 and the lexical model alone
0.761, the blend at w = 0.5 0.823, with harmful recall 0.73 -> 0.84 at the same XSTest
false-positive rate (README "The guard": the test split's figures). The features are those of
the TF-IDF baseline in bench/guard_quality.py: character 2-5-grams inside word boundaries
(robust to misspellings and obfuscation) and word 1-2-grams, sublinear tf, l2 rows.

`Guard.check` blends per window: each 128-token window's text (by the tokenizer's offsets) is
scored by both halves and the text takes its most unsafe window, so benign padding around a
request cannot dilute its lexical features (a text of one window is read whole, as the build
scores its validation rows).

The model travels inside the guard's ``model.safetensors`` (no pickle, no new file): tensors
under ``lexical.`` — each analyzer's vocabulary as UTF-8 JSON bytes, its idf weights, the
coefficients (float32) and intercepts, and which outputs have a model (an output with fewer
than ``MIN_POSITIVES`` training examples has none and keeps the network's score alone).
Scoring rebuilds scikit-learn's vectorizers from the stored vocabulary and idf, so the features
are computed by the same code that fitted them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import torch

from modelbazaar.safety.guard.taxonomy import OUTPUTS

PREFIX = "lexical."
# (analyzer, ngram_range, min_df): the TF-IDF baseline's features (bench/guard_quality.py)
ANALYZERS: tuple[tuple[str, tuple[int, int], int], ...] = (
    ("char_wb", (2, 5), 2),
    ("word", (1, 2), 1),
)
MIN_POSITIVES = 5  # an output with fewer training examples keeps the network's score alone
FLOATS = (torch.float32, torch.float64)
MAX_IDF = 100.0  # 1 + ln(n): a vocabulary fitted on e^99 texts; larger is a damaged file
MAX_WEIGHT = 1e4  # far above any fitted coefficient (C = 10); larger overflows the scores


def vectorizer(analyzer: str, ngrams: tuple[int, int], min_df: int, vocabulary=None):  # noqa: ANN001, ANN201
    """A TfidfVectorizer with the guard's settings (a fixed vocabulary, or one to fit)."""
    from sklearn.feature_extraction.text import TfidfVectorizer  # only where a guard scores

    return TfidfVectorizer(
        analyzer=analyzer,
        ngram_range=ngrams,
        sublinear_tf=True,
        min_df=min_df if vocabulary is None else 1,
        vocabulary=vocabulary,
        dtype=np.float64,
    )


@dataclass
class LexicalModel:
    vocabularies: list[dict[str, int]]  # one per analyzer in ANALYZERS
    idf: list[np.ndarray]  # one per analyzer, float64
    coef: np.ndarray  # (outputs, features) float32; features = the analyzers' columns in order
    intercept: np.ndarray  # (outputs,) float64
    present: np.ndarray  # (outputs,) bool: the output has a model

    def __post_init__(self) -> None:
        outputs = len(OUTPUTS)
        if self.present.shape != (outputs,) or self.intercept.shape != (outputs,):
            raise ValueError(f"lexical outputs: expected {outputs} (unsafe, S1..S14)")
        for vocab, idf in zip(self.vocabularies, self.idf, strict=True):
            if idf.shape != (len(vocab),):
                raise ValueError("lexical idf weights do not match their vocabulary")
            # scikit-learn's smoothed idf is 1 + ln((1 + n) / (1 + df)): >= 1, small
            if not (np.isfinite(idf).all() and (idf >= 1).all() and (idf <= MAX_IDF).all()):
                raise ValueError(f"lexical idf weights must lie in [1, {MAX_IDF}]")
        numbers = (self.coef, self.intercept)
        if not all(np.isfinite(a).all() and (np.abs(a) <= MAX_WEIGHT).all() for a in numbers):
            raise ValueError(f"lexical coefficients must be finite numbers within ±{MAX_WEIGHT}")
        self._coef = self.coef.astype(np.float64).T  # once, not per check
        self._vectorizers = []
        for (analyzer, ngrams, min_df), vocab, idf in zip(
            ANALYZERS, self.vocabularies, self.idf, strict=True
        ):
            fitted = vectorizer(analyzer, ngrams, min_df, vocabulary=vocab)
            fitted.idf_ = idf
            self._vectorizers.append(fitted)
        width = sum(len(v) for v in self.vocabularies)
        if self.coef.shape != (len(self.present), width):
            raise ValueError(f"lexical coefficients {self.coef.shape} do not fit {width} features")

    def features(self, texts: list[str]):  # noqa: ANN201
        """(texts, features) sparse TF-IDF rows."""
        from scipy.sparse import hstack

        return hstack([v.transform(texts) for v in self._vectorizers]).tocsr()

    def logits(self, texts: list[str]) -> np.ndarray:
        """(texts, outputs) logits; 0 for an output without a model (blend leaves it alone)."""
        scores = np.asarray(self.features(texts) @ self._coef)
        return np.where(self.present, scores + self.intercept, 0.0)

    def to_tensors(self) -> dict[str, torch.Tensor]:
        tensors = {}
        for i, (vocab, idf) in enumerate(zip(self.vocabularies, self.idf, strict=True)):
            terms = sorted(vocab, key=vocab.__getitem__)  # index order
            data = json.dumps(terms, ensure_ascii=False).encode("utf-8")
            tensors[f"{PREFIX}vocabulary.{i}"] = torch.frombuffer(
                bytearray(data), dtype=torch.uint8
            )
            tensors[f"{PREFIX}idf.{i}"] = torch.from_numpy(idf.astype(np.float64))
        tensors[f"{PREFIX}coef"] = torch.from_numpy(self.coef.astype(np.float32))
        tensors[f"{PREFIX}intercept"] = torch.from_numpy(self.intercept.astype(np.float64))
        tensors[f"{PREFIX}present"] = torch.from_numpy(self.present.astype(np.uint8))
        return tensors

    @classmethod
    def from_tensors(cls, tensors: dict[str, torch.Tensor]) -> LexicalModel:
        """The model from its `lexical.*` tensors; anything else in them is refused, naming the
        tensor (a guard folder may come from anyone)."""
        expected = {
            f"{PREFIX}{n}.{i}" for n in ("vocabulary", "idf") for i in range(len(ANALYZERS))
        }
        expected |= {f"{PREFIX}coef", f"{PREFIX}intercept", f"{PREFIX}present"}
        if set(tensors) != expected:
            extra, missing = sorted(set(tensors) - expected), sorted(expected - set(tensors))
            raise ValueError(f"lexical tensors: unexpected {extra}, missing {missing}")
        vocabularies = [
            _vocabulary(tensors, f"{PREFIX}vocabulary.{i}") for i in range(len(ANALYZERS))
        ]
        present = _numbers(tensors, f"{PREFIX}present", (torch.uint8,))
        if not np.isin(present, (0, 1)).all():
            raise ValueError(f"{PREFIX}present: values must be 0 or 1")
        return cls(
            vocabularies=vocabularies,
            idf=[_numbers(tensors, f"{PREFIX}idf.{i}", FLOATS) for i in range(len(ANALYZERS))],
            coef=_numbers(tensors, f"{PREFIX}coef", FLOATS).astype(np.float32),
            intercept=_numbers(tensors, f"{PREFIX}intercept", FLOATS),
            present=present.astype(bool),
        )


def _vocabulary(tensors: dict[str, torch.Tensor], key: str) -> dict[str, int]:
    tensor = tensors[key]
    if tensor.dtype != torch.uint8 or tensor.dim() != 1:
        raise ValueError(f"{key}: expected a 1-D uint8 tensor of UTF-8 JSON, got {tensor.dtype}")
    try:
        terms = json.loads(tensor.numpy().tobytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ValueError(f"{key}: not UTF-8 JSON ({exc})") from None
    if not isinstance(terms, list) or not terms or not all(isinstance(t, str) for t in terms):
        raise ValueError(f"{key}: lexical vocabulary is not a list of strings")
    if len(set(terms)) != len(terms):
        raise ValueError(f"{key}: the vocabulary repeats terms")
    return {term: index for index, term in enumerate(terms)}


def _numbers(tensors: dict[str, torch.Tensor], key: str, dtypes: tuple) -> np.ndarray:
    tensor = tensors[key]
    if tensor.dtype not in dtypes:
        raise ValueError(f"{key}: expected {' or '.join(map(str, dtypes))}, got {tensor.dtype}")
    return tensor.numpy().astype(np.float64)


def split_state(tensors: dict[str, torch.Tensor]) -> tuple[dict, LexicalModel | None]:
    """(the network's tensors, the lexical model or None) from a guard's safetensors."""
    network = {k: v for k, v in tensors.items() if not k.startswith(PREFIX)}
    lexical = {k: v for k, v in tensors.items() if k.startswith(PREFIX)}
    return network, LexicalModel.from_tensors(lexical) if lexical else None


def blend(
    network: np.ndarray, lexical: np.ndarray, present: np.ndarray, weight: float
) -> np.ndarray:
    """Per output, (1 - w) * network + w * lexical logits where the lexical model has the output.

    Example: network logit 2.0, lexical -1.0, w 0.5 -> 0.5.
    """
    return np.where(present, (1 - weight) * network + weight * lexical, network)


def probabilities(logits: np.ndarray) -> np.ndarray:
    """The logistic function in float64: the build and a loaded guard compute P the same way."""
    from scipy.special import expit

    return expit(logits)
