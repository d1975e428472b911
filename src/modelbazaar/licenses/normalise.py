"""Licence text -> words and word shingles, the way the SPDX matching guidelines compare texts.

Two copies of one licence differ in case, whitespace, punctuation, quote styles, Markdown,
list markers ("1.", "(a)", "*"), British or American spelling and copyright lines; none of that
survives here. Each word keeps its character span in the original text, so text a licence
does not contain can be quoted back exactly.

Example: `words("Copyright 2024 Jane\\n\\n1. The licence is **free**.")[0]` ->
`["the", "license", "is", "free"]`.
"""

from __future__ import annotations

import re
import zlib

import numpy as np

SHINGLE = 5  # words per shingle: long enough to be specific, short enough to survive edits

# A copyright line: "Copyright (c) ...", "Copyright 2024 ...", "(c) 2024 ...", "© ...",
# "All rights reserved." (licence sentences that merely mention copyright stay).
_COPYRIGHT = re.compile(
    r"^[ \t>*#-]*(?:copyright\b[\s:]*(?:\(c\)|©)[^\n]*|copyright\b[\s:]*(?:\d{4}|<|\[|\{)[^\n]*"
    r"|(?:\(c\)|©)\s*\d[^\n]*|all rights reserved\.?[ \t]*)$",
    re.IGNORECASE | re.MULTILINE,
)
# A list marker at the start of a line: "-", "*", "•", "1.", "1.2.", "(a)", "iv)", also after
# Markdown heading hashes ("### 3. Grant").
_MARKER = re.compile(
    r"^[ \t>#]*(?:[-*•+]|\(?(?:\d{1,2}(?:\.\d{1,2})*|[a-z]|[ivx]{1,5})[.)])[ \t]+",
    re.IGNORECASE | re.MULTILINE,
)
_WORD = re.compile(r"[A-Za-z0-9]+")
# SPDX "equivalent words": spellings that never change a licence's meaning.
EQUIVALENT = {
    "licence": "license",
    "licences": "licenses",
    "licenced": "licensed",
    "licencing": "licensing",
    "licencee": "licensee",
    "licencor": "licensor",
    "sublicence": "sublicense",
    "sublicences": "sublicenses",
    "acknowledgement": "acknowledgment",
    "acknowledgements": "acknowledgments",
    "organisation": "organization",
    "organisations": "organizations",
    "authorised": "authorized",
    "authorisation": "authorization",
    "behaviour": "behavior",
    "recognised": "recognized",
}
SKIP = {"http", "https", "www"}  # URLs differ only in scheme between copies


def words(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    """(words, their character spans) of a licence text, without copyright lines or markers.

    Example: `words("(a) Licence granted")` -> `(["license", "granted"], [(4, 11), (12, 19)])`.
    """

    def blank(match: re.Match[str]) -> str:
        return " " * (match.end() - match.start())  # keep every other character's offset

    text = _MARKER.sub(blank, _COPYRIGHT.sub(blank, text))
    found: list[str] = []
    spans: list[tuple[int, int]] = []
    for match in _WORD.finditer(text):
        word = match[0].lower()
        if word not in SKIP:
            found.append(EQUIVALENT.get(word, word))
            spans.append(match.span())
    return found, spans


def shingle_hashes(found: list[str]) -> np.ndarray:
    """One stable uint32 hash per run of SHINGLE words; shingle i covers words i .. i+4.

    A text shorter than a shingle is one shingle. Example: 7 words -> 3 hashes.
    """
    if not found:
        return np.zeros(0, dtype=np.uint32)
    ids = np.fromiter((zlib.crc32(w.encode()) for w in found), dtype=np.uint64, count=len(found))
    count = max(1, len(found) - SHINGLE + 1)
    padded = np.concatenate([ids, np.zeros(SHINGLE, dtype=np.uint64)])
    mixed = np.zeros(count, dtype=np.uint64)
    for k in range(SHINGLE):  # polynomial hash of the 5 word ids (wraps mod 2**64 on purpose)
        mixed = mixed * np.uint64(1_000_003) + padded[k : k + count]
    return ((mixed >> np.uint64(32)) ^ (mixed & np.uint64(0xFFFFFFFF))).astype(np.uint32)
