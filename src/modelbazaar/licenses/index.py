"""The shingle index of every licence text we ship, and the search over it.

Built once by `scripts/build_license_index.py` (a few seconds) and shipped as package data, so an
audit only loads two arrays: `hashes` (every licence's distinct shingle hashes, sorted) and
`owners` (which licence group each hash belongs to). Licences whose texts normalise to the same
words (GPL-3.0-only and GPL-3.0-or-later; DeepSeek's LICENSE-CODE and MIT) share one group,
listed preferred id first.

Scores per group g, with Q the query's shingles and R the group's:
    coverage = |Q∩R| / |R|   how much of the licence is in the text
    purity   = |Q∩R| / |Q|   how much of the text is the licence
    score    = F2 of the two (coverage counts 4x: a licence inside a longer file still wins)

Example: `best_matches(text)[0]` -> `Candidate(ids=["MIT", ...], coverage=1.0, purity=0.97, ...)`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

from modelbazaar.licenses.normalise import shingle_hashes, words

INDEX_FILES = ("index.npz", "index.json")


@dataclass(frozen=True)
class Candidate:
    """One licence group scored against a text."""

    group: int
    ids: tuple[str, ...]  # preferred id first
    deprecated: bool  # the preferred id is a deprecated SPDX id (GPL-3.0+)
    coverage: float
    purity: float
    score: float

    @property
    def license_id(self) -> str:
        return self.ids[0]


@dataclass(frozen=True)
class Index:
    hashes: np.ndarray  # uint32, sorted
    owners: np.ndarray  # uint16 group of each hash
    sizes: np.ndarray  # distinct shingles per group
    groups: list[tuple[str, ...]]
    deprecated: frozenset[str]
    digest: str  # of the texts it was built from

    def reference(self, group: int) -> np.ndarray:
        """The sorted shingle hashes of one group."""
        return self.hashes[self.owners == group]


@cache
def load_index() -> Index:
    """The shipped index (read once)."""
    folder = resources.files("modelbazaar.licenses").joinpath("data")
    with folder.joinpath("index.npz").open("rb") as handle:
        arrays = np.load(handle)
        hashes, owners, sizes = arrays["hashes"], arrays["owners"], arrays["sizes"]
    meta = json.loads(folder.joinpath("index.json").read_text("utf-8"))
    groups = [tuple(g) for g in meta["groups"]]
    return Index(hashes, owners, sizes, groups, frozenset(meta["deprecated"]), meta["digest"])


def texts_digest(texts: dict[str, str]) -> str:
    """sha256 over ids and texts: tells whether an index was built from these texts."""
    digest = hashlib.sha256()
    for license_id in sorted(texts):
        digest.update(license_id.encode() + b"\0" + texts[license_id].encode() + b"\0")
    return digest.hexdigest()


def build_index(
    texts: dict[str, str], preference: dict[str, tuple], deprecated: set[str]
) -> tuple[dict, dict]:
    """(arrays for index.npz, metadata for index.json) from id -> text.

    `preference` orders the ids of a group (smallest first), e.g. non-deprecated SPDX ids first.
    """
    by_words: dict[bytes, tuple[np.ndarray, list[str]]] = {}
    for license_id, text in texts.items():
        hashes = np.unique(shingle_hashes(words(text)[0]))
        by_words.setdefault(hashes.tobytes(), (hashes, []))[1].append(license_id)
    groups = sorted(
        (sorted(ids, key=lambda i: preference.get(i, (9, i))), hashes)
        for hashes, ids in by_words.values()
    )
    owners = np.concatenate([np.full(len(h), g, np.uint16) for g, (_, h) in enumerate(groups)])
    hashes = np.concatenate([h for _, h in groups])
    order = np.argsort(hashes, kind="stable")
    arrays = {
        "hashes": hashes[order],
        "owners": owners[order],
        "sizes": np.array([len(h) for _, h in groups], dtype=np.uint32),
    }
    meta = {
        "groups": [ids for ids, _ in groups],
        "deprecated": sorted(deprecated),
        "digest": texts_digest(texts),
    }
    return arrays, meta


def best_matches(query: np.ndarray, top: int = 3) -> list[Candidate]:
    """The `top` licence groups closest to a text's shingle hashes, best first."""
    index = load_index()
    distinct = np.unique(query)
    if not len(distinct):
        return []
    left = np.searchsorted(index.hashes, distinct, "left")
    lengths = np.searchsorted(index.hashes, distinct, "right") - left
    hit = lengths > 0
    left, lengths = left[hit], lengths[hit]
    if not len(left):
        return []
    # every position of every query hash in the sorted array: start of its run + 0..length-1
    starts = np.repeat(left - np.cumsum(np.r_[0, lengths[:-1]]), lengths)
    positions = starts + np.arange(int(lengths.sum()))
    shared = np.bincount(index.owners[positions], minlength=len(index.groups))
    coverage = shared / index.sizes
    purity = shared / len(distinct)
    score = np.where(shared > 0, 5 * purity * coverage / np.maximum(4 * purity + coverage, 1e-9), 0)
    best = np.argsort(-score, kind="stable")[:top]
    return [
        Candidate(
            int(g),
            index.groups[g],
            index.groups[g][0] in index.deprecated,
            float(coverage[g]),
            float(purity[g]),
            float(score[g]),
        )
        for g in best
        if shared[g]
    ]
