"""Identify a licence from its text, a notice, an SPDX expression or a declared id.

A text is matched against every SPDX licence and every model licence we ship (match.py): it is
an exact copy, a variant of one (its added or changed paragraphs are quoted), or unknown. A
text that matches nothing but names its licence ("SPDX-License-Identifier: MIT",
"Licensed under the Apache License, Version 2.0") is identified by that name.

`read_license` also reads the clauses: all of them in an unknown or restricted licence, only
those in added or changed sentences in a copy or variant of an open one (GPL's own conveyance
terms are not a restriction of a GPL-licensed model; a revenue cap added to MIT is).

Example: the Apache text with "Copyright 2024 Jane" filled in -> `Apache-2.0`, status "exact".
"""

from __future__ import annotations

from pathlib import Path

from modelbazaar.licenses import _data
from modelbazaar.licenses import facts as lic
from modelbazaar.licenses.clause_model import ClauseClassifier, shipped_model
from modelbazaar.licenses.clauses import find_clauses
from modelbazaar.licenses.expression import looks_like_expression, normalise_expression
from modelbazaar.licenses.match import changed_sentence, match_text
from modelbazaar.licenses.models import ClauseFinding, LicenseMatch
from modelbazaar.licenses.notices import find_notice, spdx_header

MAX_BYTES = 2_000_000  # a licence longer than this is not a licence; do not read it all


def identify_license(text: str, source: str = "text") -> LicenseMatch:
    """Match a licence text; see the module docstring for the outcomes.

    Example: `identify_license(open("LICENSE").read(), "LICENSE").license_id -> "MIT"`.
    """
    return read_license(text, source)[0]


def read_license(
    text: str, source: str, classifier: ClauseClassifier | None = None
) -> tuple[LicenseMatch, list[ClauseFinding]]:
    """(what the text is, the clauses that count in it). `classifier`: the model beside the
    rules (default the shipped TF-IDF one; `bazaar audit --deep` passes
    audit.clause_encoder.shipped_deep_model())."""
    classifier = classifier or shipped_model()
    if not text.strip():
        problem = f"{source} is empty: it grants nothing, so the folder has no licence text"
        return LicenseMatch(source=source, license_id=None, method="empty", problem=problem), []
    found = match_text(text)
    if found.status == "unknown":
        named = _named(text, source)
        if named is not None:
            return named, find_clauses(text, source, classifier=classifier)
    license_id = found.license_id
    restricted = license_id is None or not lic.is_open(license_id)
    keep = None if found.reference is None else (lambda s: changed_sentence(s, found.reference))
    findings = find_clauses(text, source, keep=None if restricted else keep, classifier=classifier)
    if keep is not None and restricted:
        for finding in findings:  # a variant of a model licence: show what it changes
            finding.detail.setdefault("changed", keep(finding.quote))
    status = found.status
    if status == "exact" and any(f.restrictive for f in findings) and not restricted:
        status = "variant"  # a few words that restrict: not the licence it otherwise copies
    match = LicenseMatch(
        source=source,
        license_id=license_id,
        confidence=round(found.score, 3),
        coverage=round(found.coverage, 3),
        method="text",
        status=status,  # type: ignore[arg-type]
        variant_of=license_id if status == "variant" else None,
        kind=lic.license_kind(license_id) if license_id else "unknown",
        candidates=found.candidates,
        added=found.added,
        also=found.also,
        removed=found.removed,
    )
    return match, findings


def _named(text: str, source: str) -> LicenseMatch | None:
    """A licence named by an SPDX-License-Identifier line or a standard notice."""
    header = spdx_header(text)
    expression = normalise_expression(header) if header else None
    if expression:
        return LicenseMatch(
            source=source,
            license_id=expression,
            confidence=1.0,
            method="expression",
            status="exact",
            kind=lic.license_kind(expression),
        )
    notice = find_notice(text)
    if notice:
        return LicenseMatch(
            source=source,
            license_id=notice,
            confidence=1.0,
            method="notice",
            status="exact",
            kind=lic.license_kind(notice),
        )
    return None


def declared_license(value: str | None, source: str) -> LicenseMatch:
    """A licence named by id or SPDX expression (a model card's `license:` field), not by text.

    Confidence is 1.0 when every id is a known SPDX / corpus id, 0.5 otherwise (a name we cannot
    check). Example: `declared_license("apache-2.0", "README.md:license").license_id ->
    "Apache-2.0"`; `declared_license("mit OR apache-2.0", ...)` -> "MIT OR Apache-2.0".
    """
    if value is not None and looks_like_expression(value):
        expression = normalise_expression(value)
        if expression:
            return LicenseMatch(
                source=source,
                license_id=expression,
                confidence=1.0,
                method="declared",
                status="exact",
                kind=lic.license_kind(expression),
            )
    license_id = lic.canonical_id(value)
    if lic.is_no_license(license_id):
        return LicenseMatch(source=source, license_id=None, method="declared", kind="none")
    assert license_id is not None
    known = license_id in _data.spdx_licenses() or license_id in _data.corpus_ids()
    return LicenseMatch(
        source=source,
        license_id=license_id,
        confidence=1.0 if known else 0.5,
        method="declared",
        status="exact" if known else "unknown",
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
