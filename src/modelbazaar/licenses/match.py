"""Match a licence text against every licence we ship: exact, variant of X, or unknown.

1. Score every licence group on shared word shingles (index.py) and keep the near-best.
2. Against each near-best candidate, mark the words of the text the licence also has; the
   rest are runs of *uncovered* words. Prefer the candidate leaving the fewest uncovered words
   (Apache-2.0 without its appendix is still Apache-2.0, not the Pixar licence derived from it).
3. Uncovered runs that are long enough to be a licence (a second licence pasted below the
   first) are matched again, so a file holding BSD-3-Clause and Apache-2.0 names both.
4. What remains decides the status: only titles and replaced names (runs of a few words on a
   line of their own, or of up to 3 words anywhere) -> "exact"; anything else -> "variant"
   of the licence, with the added or changed text quoted; too little in common -> "unknown".

Example: MIT plus a paragraph capping the licensee's revenue -> `status="variant",
license_id="MIT", added=["Additional restriction: the permission above ..."]`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from modelbazaar.licenses._data import license_text, spdx_licenses
from modelbazaar.licenses.index import Candidate, best_matches, load_index
from modelbazaar.licenses.normalise import SHINGLE, shingle_hashes, words

VARIANT_AT = 0.5  # score and coverage from which a text is "mostly X"
# Purity from which a text lies wholly inside a licence: the SPDX LGPL-3.0 text carries the
# GPL-3.0 it amends, so a plain LGPL-3.0 file covers only a fifth of it.
CONTAINED_AT = 0.9
CONTAINED_WORDS = 200
EXACT_COVERAGE = 0.8  # optional parts (GPL's "How to apply", Apache's appendix) may be absent
NEAR_BEST = 0.1  # candidates this close to the best score compete on uncovered words
NAME_WORDS = 3  # a run this short anywhere is a replaced name ("OWNER" -> "the Regents")
TITLE_WORDS = 8  # a run this short on a line of its own is a title ("The MIT License (MIT)")
# More replaced names than this is a new version (dates, version numbers, names changed).
MAX_NAMES = 3
SECOND_LICENSE_WORDS = 60  # an uncovered run this long may be another licence pasted in
MAX_OTHERS = 3
FRAME_WORDS = 40  # a header or signature block around a licence is at most this long
LEGAL_WORDS = frozenset(
    "shall must may not only use used permit permitted permission grant granted license"
    " licensed licensee restrict restricted restriction restrictions prohibited terminate"
    " revenue users commercial noncommercial research without except provided require requires"
    " required approval consent sell sold fee fees royalty royalties agreement prior unless solely"
    " forbidden allowed revoke revoked".split()
)


@dataclass
class TextMatch:
    """What a licence text was matched as (see module docstring)."""

    status: str  # exact | variant | unknown
    license_id: str | None
    score: float = 0.0
    coverage: float = 0.0
    candidates: list[tuple[str, float]] = field(default_factory=list)
    added: list[str] = field(default_factory=list)  # paragraphs the licence does not contain
    also: list[str] = field(default_factory=list)  # other licences found in the same text
    removed: list[str] = field(default_factory=list)  # model-licence text this copy lacks
    reference: np.ndarray | None = None  # the matched licence's shingle hashes


def _uncovered_runs(hashes: np.ndarray, count: int, reference: np.ndarray) -> list[range]:
    """Runs of word positions that no shingle shared with `reference` covers."""
    hit = np.isin(hashes, reference)
    covered = np.zeros(count, dtype=bool)
    for k in range(SHINGLE):  # shingle i covers words i .. i+SHINGLE-1
        covered[k : k + len(hit)] |= hit[: max(0, count - k)]
    runs, start = [], None
    for position, ok in enumerate(covered):
        if not ok and start is None:
            start = position
        elif ok and start is not None:
            runs.append(range(start, position))
            start = None
    if start is not None:
        runs.append(range(start, count))
    return runs


def _untolerated(
    runs: list[range], text: str, found: list[str], spans: list, reference: np.ndarray
) -> list[range]:
    """Runs that are neither names, titles, nor filled into an optional "How to apply" appendix.

    Below a GNU or Apache text's "END OF TERMS AND CONDITIONS" a copy fills in names and a
    description, so what is new there is tolerated unless it could grant or restrict anything
    (a "Commons Clause" appended below Apache-2.0 still counts)."""
    appendix = len(found)
    end_terms = shingle_hashes(["end", "of", "terms", "and", "conditions"])
    if np.isin(end_terms, reference).all():  # GNU and Apache texts: what follows is optional
        for i in range(len(found) - 4):
            if found[i : i + 5] == ["end", "of", "terms", "and", "conditions"]:
                appendix = i + 5
                break
    return [
        r
        for r in runs
        if (r.start < appendix or _legal(r, found))
        and not _tolerated(r, text, spans)
        and not _frame(r, found)
    ]


def _legal(run: range, found: list[str]) -> bool:
    """A run with a word that could grant or restrict anything."""
    return bool(LEGAL_WORDS.intersection(found[run.start : run.stop]))


def _frame(run: range, found: list[str]) -> bool:
    """A project header above the licence or a signature below it ("ztiny 0.3.1, March 2025";
    "Ana Ortega ana@example.org"): at the very start or end, short, and without a word that
    could grant or restrict anything (a restriction appended below a licence still counts)."""
    if run.start > 0 and run.stop < len(found):
        return False
    return len(run) <= FRAME_WORDS and not _legal(run, found)


def _tolerated(run: range, text: str, spans: list[tuple[int, int]]) -> bool:
    """A replaced name or a title line, which two copies of one licence may differ in."""
    if len(run) <= NAME_WORDS:
        return True
    if len(run) > TITLE_WORDS:
        return False
    start, end = spans[run.start][0], spans[run.stop - 1][1]
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start : len(text) if line_end < 0 else line_end]
    return len(re.findall(r"[A-Za-z0-9]+", line)) <= TITLE_WORDS


def _paragraphs(text: str, runs: list[range], spans: list[tuple[int, int]]) -> list[str]:
    """The paragraphs (blank-line separated) that hold the given runs, whitespace collapsed."""
    found: list[str] = []
    for run in runs:
        start, end = spans[run.start][0], spans[run.stop - 1][1]
        before = text.rfind("\n\n", 0, start)
        after = text.find("\n\n", end)
        paragraph = text[before + 1 if before >= 0 else 0 : after if after >= 0 else len(text)]
        paragraph = re.sub(r"\s+", " ", paragraph).strip()
        if paragraph and paragraph not in found:
            found.append(paragraph[:1000])
    return found


def _pick(text: str, found: list[str], spans: list, candidates: list[Candidate]) -> tuple:
    """The near-best candidate leaving the fewest unexplained words: (candidate, runs, ref).

    Ties go to a current SPDX id over a deprecated one (GPL-3.0-only over GPL-3.0+), then to
    the higher score (BSD-3-Clause over a BSD-3-Clause variant that contains all of it).
    """
    hashes = shingle_hashes(found)
    best = None
    for cand in candidates:
        if not _mostly(cand, len(found)) or cand.score < candidates[0].score - NEAR_BEST:
            continue
        reference = load_index().reference(cand.group)
        runs = _uncovered_runs(hashes, len(found), reference)
        unexplained = sum(len(r) for r in _untolerated(runs, text, found, spans, reference))
        key = (unexplained, cand.deprecated, -cand.score)
        if best is None or key < best[0]:
            best = (key, cand, runs, reference)
    return best[1:] if best else (None, [], None)


def _mostly(cand: Candidate, count: int) -> bool:
    """Mostly this licence: most of it is in the text, or the text is wholly inside it."""
    if cand.score >= VARIANT_AT and cand.coverage >= VARIANT_AT:
        return True
    return cand.purity >= CONTAINED_AT and count >= CONTAINED_WORDS


def match_text(text: str) -> TextMatch:
    """Identify a licence text (see the module docstring for the three outcomes)."""
    found, spans = words(text)
    hashes = shingle_hashes(found)
    candidates = best_matches(hashes, top=5)
    listed = [(c.license_id, round(c.score, 3)) for c in candidates[:3]]
    cand, runs, reference = _pick(text, found, spans, candidates)
    if cand is None:
        return TextMatch("unknown", None, candidates[0].score if candidates else 0.0,
                         candidates[0].coverage if candidates else 0.0, listed)  # fmt: skip
    others: list[str] = []
    for run in [r for r in runs if len(r) >= SECOND_LICENSE_WORDS][:MAX_OTHERS]:
        piece = text[spans[run.start][0] : spans[run.stop - 1][1]]
        other = match_text(piece) if len(piece) < len(text) else None
        if other and other.status != "unknown" and other.license_id != cand.license_id:
            others.append(other.license_id or "")
            runs = [r for r in runs if r is not run] + _shift(other, run, found, spans, piece)
    left = _untolerated(runs, text, found, spans, reference)
    whole = cand.coverage >= EXACT_COVERAGE or cand.purity >= CONTAINED_AT
    names = [r for r in runs if len(r) <= NAME_WORDS and r not in left]
    exact = whole and not left and len(names) <= MAX_NAMES
    if whole and not left and not exact:
        left = names  # the changed names and numbers are what a new version changes
    removed = _removed(cand.license_id, hashes)
    return TextMatch(
        status="exact" if exact and not removed else "variant",
        license_id=cand.license_id,
        score=round(cand.score, 3),
        coverage=round(cand.coverage, 3),
        candidates=listed,
        added=_paragraphs(text, left, spans),
        also=others,
        reference=reference,
        removed=removed,
    )


def _removed(license_id: str, hashes: np.ndarray) -> list[str]:
    """Passages of a model licence (not an SPDX one, whose optional parts copies may drop)
    that the text lacks: a new version that deletes an obligation is a variant too.

    Example: Gemma's 2024-04-01 terms against 2024-02-21 -> ["and you must make reasonable
    efforts to use the latest version of Gemma"].
    """
    if license_id in spdx_licenses():
        return []
    text = license_text(license_id)
    if text is None:
        return []
    found, spans = words(text)
    runs = _uncovered_runs(shingle_hashes(found), len(found), np.unique(hashes))
    return [text[spans[r.start][0] : spans[r.stop - 1][1]] for r in runs if len(r) > NAME_WORDS]


def _shift(other: TextMatch, run: range, found: list[str], spans: list, piece: str) -> list:
    """Runs of `run` that the second licence leaves uncovered, in the outer text's positions."""
    if other.reference is None:
        return []
    inner = shingle_hashes(found[run.start : run.stop])
    return [
        range(run.start + r.start, run.start + r.stop)
        for r in _uncovered_runs(inner, len(run), other.reference)
    ]


def changed_sentence(sentence: str, reference: np.ndarray | None) -> bool:
    """True when a sentence is not word for word in the matched licence (added or changed).

    Example: the revenue-cap sentence appended to MIT -> True; MIT's own warranty
    disclaimer -> False.
    """
    if reference is None:
        return True
    found = words(sentence)[0]
    if len(found) < SHINGLE:
        return True
    return not bool(np.isin(shingle_hashes(found), reference).all())
