"""Overlap of donated documents with themselves, the model's corpus and its eval suites.

- **Exact duplicates**: the sha256 of the normalised text (lower case, whitespace collapsed).
- **Near duplicates**: MinHash LSH (``datasketch``) over word 5-gram shingles; two documents whose
  estimated Jaccard similarity is at least ``threshold`` (default 0.8) are near duplicates.
- **Contamination**: any shared 13-gram of normalised words with an eval example, the rule GPT-3
  and lm-evaluation-harness decontaminate by. A donation that contains the test set fakes a gain.

Example::

    report = duplicates(donated, corpus)     # report.share -> 0.25, report.ids -> ["a.txt:#3"]
    contaminated(donated, {"gsm8k": [q + a for q, a in rows]})  # [("a.txt:#7", "gsm8k", "...")]
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache

from datasketch import MinHash, MinHashLSH

from modelbazaar.data.documents import Document

WORD = re.compile(r"[a-z0-9]+")  # words after lower-casing; punctuation and spacing ignored
SHINGLE = 5  # words per shingle: short enough to survive small edits, long enough to be rare
NUM_PERM = 128  # MinHash permutations: Jaccard estimated within about ±0.09 (1/sqrt(128))
CONTAMINATION_N = 13


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def fingerprint(text: str) -> str:
    return hashlib.sha256(" ".join(words(text)).encode()).hexdigest()


@cache
def _scheme() -> MinHash:
    # fixed seed: the same verdict every run; its permutations are drawn once and shared
    # (drawing them per document was 60% of the time of a donation's duplicate check)
    return MinHash(num_perm=NUM_PERM, seed=1)


def minhash(text: str) -> MinHash:
    tokens = words(text)
    shingles = {" ".join(tokens[i : i + SHINGLE]) for i in range(max(1, len(tokens) - SHINGLE + 1))}
    scheme = _scheme()
    signature = MinHash(
        num_perm=NUM_PERM, seed=1, permutations=scheme.permutations, scheme=scheme.scheme
    )
    signature.update_batch([s.encode() for s in shingles])
    return signature


@dataclass
class DuplicateReport:
    documents: int
    exact_inside: list[str] = field(default_factory=list)  # repeats within the donation
    exact_corpus: list[str] = field(default_factory=list)  # already in the model's corpus
    near_inside: list[str] = field(default_factory=list)
    near_corpus: list[str] = field(default_factory=list)

    @property
    def ids(self) -> list[str]:
        """Every flagged document once, in the order found."""
        groups = (self.exact_inside, self.exact_corpus, self.near_inside, self.near_corpus)
        return list(dict.fromkeys(i for group in groups for i in group))

    @property
    def share(self) -> float:
        return len(self.ids) / self.documents if self.documents else 0.0


def duplicates(
    donated: list[Document], corpus: Iterable[str], threshold: float = 0.8
) -> DuplicateReport:
    """Exact and near duplicates of the donation, inside it and against ``corpus`` texts."""
    report = DuplicateReport(documents=len(donated))
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    seen: set[str] = set()
    for index, text in enumerate(corpus):
        seen.add(fingerprint(text))
        lsh.insert(f"corpus:{index}", minhash(text))
    donated_prints: set[str] = set()
    for doc in donated:
        digest = fingerprint(doc.text)
        if digest in seen:
            report.exact_corpus.append(doc.id)
            continue
        if digest in donated_prints:
            report.exact_inside.append(doc.id)
            continue
        donated_prints.add(digest)
        signature = minhash(doc.text)
        matches = lsh.query(signature)
        if any(m.startswith("corpus:") for m in matches):
            report.near_corpus.append(doc.id)
        elif matches:
            report.near_inside.append(doc.id)
        lsh.insert(f"donation:{doc.id}", signature)
    return report


def ngrams(text: str, n: int = CONTAMINATION_N) -> set[tuple[str, ...]]:
    tokens = words(text)
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


def contaminated(
    donated: list[Document], suites: Mapping[str, Iterable[str]], n: int = CONTAMINATION_N
) -> list[tuple[str, str, str]]:
    """(document id, suite, the shared n-gram) for every donated document overlapping a suite.

    Eval texts shorter than ``n`` words cannot be matched this way (as in lm-eval); they are
    still caught by the exact-duplicate check when a whole example is copied.
    """
    index: dict[tuple[str, ...], str] = {}
    for suite, texts in suites.items():
        for text in texts:
            for gram in ngrams(text, n):
                index.setdefault(gram, suite)
    found = []
    for doc in donated:
        hit = next((g for g in ngrams(doc.text, n) if g in index), None)
        if hit is not None:
            found.append((doc.id, index[hit], " ".join(hit)))
    return found
