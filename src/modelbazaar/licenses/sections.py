"""Split a licence text into sentences, each tagged with the section it sits in.

Section numbers come from the headings and list markers licences use: "5.", "5.1.", "5.1.2",
"5)", "Section 5", "Article 5:", "§ 5", "## 5.", "**3.2.**", then "a." / "(a)" for items and
"i." / "(iv)" for sub-items, so a sentence under "1. ... b. ... iv." is in section "1.b.iv".
Unnumbered annex headings ("Attachment A", "Exhibit B", "Schedule 1", "Appendix") start a section
of their own. Indentation and Markdown do not matter; a title line ("Governing Law") standing
above its text is kept apart from it.

Example: `list(sentences("1. Grant.\\n  a. You may use it. You may not sell it."))` ->
`[("1", "Grant."), ("1.a", "You may use it."), ("1.a", "You may not sell it.")]`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

_ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"]
_NUMBER = re.compile(
    r"^(?:#+\s*)?(?:\*\*)?(?:section|article|§)?\s*(\d{1,2}(?:\.\d{1,2})*)[.):]?(?:\*\*)?[\s*]",
    re.I,
)
_ANNEX = re.compile(
    r"^(?:#+\s*)?(?:\*\*)?((?:attachment|exhibit|schedule|appendix|annex|addendum)"
    r"(?:\s+[A-Z0-9]{1,3}\b)?)[\s.:\-–—*]*",
    re.I,
)
_ITEM = re.compile(r"^\(?([a-z]{1,4})[\.\)]\s+")
_BULLET = ("* ", "- ", "• ", "+ ")
_MARKUP = re.compile(r"<[^>]+>|\*\*|__|\\(?=[.\-*_#()\[\]])")  # tags, bold, "1\\." escapes
# Abbreviations whose full stop does not end a sentence.
_ABBREV = re.compile(r"\b(e\.g|i\.e|etc|inc|ltd|no|vs|u\.s|co|corp|s\.a|b\.v)\.$", re.I)
_SPLIT = re.compile(r"(?<=[.;!?])[\"”’)]?\s+(?=[\"“(]?[A-Z0-9])")


class Sentence(NamedTuple):
    """One sentence with its section and whether it opens a list item ("(a)", "-", "1.")."""

    section: str | None
    text: str
    item: bool


class _Path:
    """The current section path, e.g. ["1", "b", "iv"], updated as headings go by."""

    def __init__(self) -> None:
        self.number: str | None = None
        self.letter: str | None = None
        self.roman: str | None = None

    def heading(self, line: str) -> str:
        """Update the path from a line's leading marker; return the line without the marker."""
        annex = _ANNEX.match(line)
        if annex and len(line) < 80 and not line.rstrip().endswith((".", ";", ",")):
            self.number, self.letter, self.roman = _title(annex[1]), None, None
            return line[annex.end() :]
        match = _NUMBER.match(line)
        if match and not re.match(r"^\d{1,2}\.\d", line[match.end() :]):
            self.number, self.letter, self.roman = match[1], None, None
            return line[match.end() :]
        match = _ITEM.match(line)
        if match and self.number is not None:
            token = match[1].lower()
            if self._is_roman(token):
                self.roman = token
            elif len(token) == 1:
                self.letter, self.roman = token, None
            else:
                return line
            return line[match.end() :]
        return line

    def _is_roman(self, token: str) -> bool:
        if token not in _ROMAN or self.letter is None:
            return False
        if self.roman is not None:  # continuing a roman list: only the next numeral counts
            return _ROMAN.index(token) == _ROMAN.index(self.roman) + 1
        # "i." right after "h." is the letter i; after any other letter it opens a roman list.
        return token == "i" and self.letter != "h"

    @property
    def label(self) -> str | None:
        parts = [p for p in (self.number, self.letter, self.roman) if p]
        return ".".join(parts) if parts else None


def _title(name: str) -> str:
    """ "ATTACHMENT A" -> "Attachment A"."""
    head, _, rest = name.partition(" ")
    return f"{head.capitalize()} {rest.upper()}".strip()


def _split_sentences(paragraph: str) -> list[str]:
    pieces, current = [], ""
    for piece in _SPLIT.split(paragraph):
        current = f"{current} {piece}".strip() if current else piece
        if not _ABBREV.search(current):
            pieces.append(current)
            current = ""
    if current:
        pieces.append(current)
    return [p.strip() for p in pieces if p.strip()]


def _is_title(line: str) -> bool:
    """A short stand-alone line without a full stop: an unnumbered heading like "Publication"."""
    short = len(line) < 60 and not any(ch.isdigit() for ch in line)
    return short and line[:1].isupper() and not line.endswith((".", ";", ":", ","))


def _is_heading(line: str) -> bool:
    """A title-cased or upper-case title line ("Governing Law", "USE RESTRICTIONS")."""
    if not _is_title(line):
        return False
    long_words = [w for w in re.findall(r"[A-Za-z]+", line) if len(w) > 3]
    return bool(long_words) and sum(w[0].isupper() for w in long_words) >= 0.6 * len(long_words)


def _titles(line: str, following: str) -> bool:
    """A sentence-case title ("Use restrictions") standing above a much longer line of text."""
    return _is_title(line) and following[:1].isupper() and len(line) < 0.6 * len(following)


def segments(text: str) -> Iterator[Sentence]:
    """Yield every sentence of a licence text with its section and item flag, in order.

    A paragraph runs until a blank line, a line that starts with a section or list marker, or
    a title line; bullet markers ("*", "-") start a new paragraph too, so lists quote one item
    each.
    """
    path = _Path()
    paragraph: list[str] = []
    section: str | None = None
    item = False

    def flush() -> Iterator[Sentence]:
        nonlocal section, item
        if len(paragraph) == 1 and path.number is None and not item and _is_title(paragraph[0]):
            section = paragraph.pop()  # unnumbered licence (e.g. Falcon): name the heading
        if paragraph:
            joined = re.sub(r"\s+", " ", " ".join(paragraph))
            for position, sentence in enumerate(_split_sentences(joined)):
                yield Sentence(section, sentence, item and position == 0)
            paragraph.clear()
        item = False

    lines = [_MARKUP.sub("", raw).strip() for raw in text.splitlines()]
    for number, line in enumerate(lines):
        if not line:
            yield from flush()
            continue
        before = path.label
        rest = path.heading(line)
        bullet = line.startswith(_BULLET)
        marked = rest is not line or before != path.label
        if marked or bullet:
            yield from flush()
            section = path.label or section
            item = bullet or bool(_ITEM.match(line)) or before != path.label
            line = rest.lstrip("*-•+ ").strip()
            if not line:
                continue
        paragraph.append(line)
        following = lines[number + 1] if number + 1 < len(lines) else ""
        if len(paragraph) == 1 and (
            _is_heading(line) or (marked and _is_title(line)) or _titles(line, following)
        ):
            yield from flush()  # "Governing Law" above its text: a heading, not its first words
    yield from flush()


def sentences(text: str) -> Iterator[tuple[str | None, str]]:
    """Yield (section, sentence) for every sentence of a licence text, in order."""
    for found in segments(text):
        yield found.section, found.text
