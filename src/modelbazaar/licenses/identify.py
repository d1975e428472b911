"""Identify a licence text by normalised word-shingle similarity to the shipped corpus.

Normalising removes what differs between two copies of the same licence: case, whitespace,
punctuation and quote styles, Markdown / HTML markup, and copyright lines. Each text becomes a
set of 5-word shingles; the score of a corpus licence is the Dice coefficient of the two sets
(2|A∩B| / (|A|+|B|)), which is high only when the texts are nearly the same both ways, so a
licence that merely quotes another (a model licence quoting Apache's disclaimer) scores low.

Example: the Apache-2.0 text with "Copyright 2024 Jane" filled in -> `Apache-2.0`, 0.99.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from modelbazaar.licenses import _data
from modelbazaar.licenses import facts as lic
from modelbazaar.licenses.models import LicenseMatch

SHINGLE = 5  # words per shingle: long enough to be specific, short enough to survive edits
# Dice score from which a text is a copy of a corpus licence; Falcon's licence scores 0.75
# against Apache-2.0 it derives from, and must not pass for it.
MATCH_AT = 0.8
MAX_BYTES = 2_000_000  # a licence longer than this is not a licence; do not read it all

# A copyright line (short: a reflowed one-line licence must not vanish with it).
_COPYRIGHT = re.compile(
    r"^(?=[^\n]{0,200}$)[^\n]*\b(copyright|\(c\)|©)\s[^\n]*$", re.IGNORECASE | re.MULTILINE
)
_MARKUP = re.compile(r"<[^>]+>|[*_`#>|]+")
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "—": "-", "–": "-"})
_WORD = re.compile(r"[a-z0-9]+")


def normalise(text: str) -> list[str]:
    """The words of a licence text, lower-cased, without markup, punctuation or copyright lines.

    Example: `normalise("Copyright 2024 Jane\\n**MIT** License.")` -> `["mit", "license"]`.
    """
    text = _COPYRIGHT.sub(" ", text.translate(_QUOTES))
    return _WORD.findall(_MARKUP.sub(" ", text).lower())


def shingles(words: list[str], size: int = SHINGLE) -> frozenset[tuple[str, ...]]:
    """Every run of `size` consecutive words (the whole text when it is shorter).

    Example: `shingles(["a", "b", "c"], 2)` -> `{("a", "b"), ("b", "c")}`.
    """
    if len(words) < size:
        return frozenset([tuple(words)]) if words else frozenset()
    return frozenset(tuple(words[i : i + size]) for i in range(len(words) - size + 1))


@cache
def _corpus_shingles() -> dict[str, frozenset[tuple[str, ...]]]:
    return {lid: shingles(normalise(text)) for lid, text in _data.corpus_texts().items()}


def similarity(a: frozenset, b: frozenset) -> float:
    """Dice coefficient of two shingle sets: 1.0 for the same text, 0.0 for nothing shared."""
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def identify_license(text: str, source: str = "text") -> LicenseMatch:
    """Match a licence text against the corpus; below MATCH_AT it is "unknown" (id None).

    Example: `identify_license(open("LICENSE").read(), "LICENSE").license_id -> "MIT"`.
    """
    mine = shingles(normalise(text))
    scored = sorted(
        ((lid, similarity(mine, theirs)) for lid, theirs in _corpus_shingles().items()),
        key=lambda pair: (-pair[1], pair[0]),
    )
    candidates = [(lid, round(score, 3)) for lid, score in scored[:3]]
    best_id, best = scored[0] if scored else (None, 0.0)
    license_id = best_id if best >= MATCH_AT else None
    license_id = lic.EQUIVALENT.get(license_id or "", license_id)
    return LicenseMatch(
        source=source,
        license_id=license_id,
        confidence=round(best, 3),
        method="text",
        kind=lic.license_kind(license_id) if license_id else "unknown",
        candidates=candidates,
    )


def declared_license(value: str | None, source: str) -> LicenseMatch:
    """A licence named by id (a model card's `license:` field), not by text.

    Confidence is 1.0 when the id is a known SPDX / corpus id, 0.5 otherwise (a name we cannot
    check). Example: `declared_license("apache-2.0", "README.md:license").license_id ->
    "Apache-2.0"`.
    """
    license_id = lic.canonical_id(value)
    if lic.is_no_license(license_id):
        return LicenseMatch(source=source, license_id=None, method="declared", kind="none")
    assert license_id is not None
    known = license_id in _data.spdx_licenses() or license_id in _data.corpus_texts()
    return LicenseMatch(
        source=source,
        license_id=license_id,
        confidence=1.0 if known else 0.5,
        method="declared",
        kind=lic.license_kind(license_id),
    )


def read_license_file(path: Path) -> tuple[str | None, str | None]:
    """(text, problem): the text of a licence file, or why it cannot be used as one.

    Binary files (a NUL byte, or not decodable as UTF-8 / UTF-16 / Latin-1 text), files too large
    to be a licence, and unreadable files come back as (None, "...reason...") instead of raising.
    """
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        return None, f"cannot read {path.name}: {exc.strerror or exc}"
    if len(raw) > MAX_BYTES:
        return None, f"{path.name} is larger than {MAX_BYTES // 1_000_000} MB; not a licence text"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace"), None
    if b"\x00" in raw[:8192]:
        return None, f"{path.name} is a binary file, not a licence text"
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
        printable = sum(ch.isprintable() or ch.isspace() for ch in text) / max(1, len(text))
        if printable < 0.95:  # mostly control bytes: binary, whatever the extension says
            return None, f"{path.name} is a binary file, not a licence text"
        return text, None
