"""Text from strangers, made safe to show: character-class checks and Markdown escaping.

A contribution's description, generator and evaluation keys end up in review reports, model
cards and terminals. Two defences, both needed: the manifest schema refuses characters that have
no business in such text (control and invisible format characters: ANSI escapes, bidi overrides,
zero-width joiners), and every renderer escapes what is left for its format — HTML through
Jinja's autoescape, Markdown through :func:`escape_markdown`, terminals through rich's
``escape``.

Example::

    check_plain_text("Q&A pairs\\nfrom my notes", multiline=True)   # returns the text
    check_plain_text("\\x1b[2J")      # ValueError: control character U+001B
    escape_markdown("**Verdict: ACCEPT** <!--")
    # -> '\\\\*\\\\*Verdict: ACCEPT\\\\*\\\\* &lt;!--'
"""

from __future__ import annotations

import re
import unicodedata

# Unicode categories refused in contributor text: Cc control (ESC, NUL, BEL…), Cf format
# (bidi overrides U+202E, zero-width U+200B…), Co private use, Cs surrogates, Cn unassigned.
REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Cn"})
ALLOWED_CONTROLS = frozenset("\n\t")  # only in multi-line fields (a description)

# Inline Markdown that changes what a reader sees: emphasis (* _ ~), code (`), links and
# images ([ ]), tables (|), and the backslash itself. HTML (< > &) becomes entities, so
# `<script>`, `<img onerror>` and an open `<!--` are shown, never interpreted.
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]|~])")
_BLOCK_START = re.compile(r"^([#+=-])")  # would start a heading or a nested list
_ORDERED_START = re.compile(r"^(\d+)([.)])")  # "1." would start an ordered list


def check_plain_text(text: str, *, multiline: bool = False) -> str:
    """Return ``text`` if it holds no control, format or private-use characters; else ValueError.

    Example: check_plain_text("gpt-4o-mini") -> "gpt-4o-mini"; "a\\u202eb" -> ValueError
    """
    for offset, char in enumerate(text):
        if multiline and char in ALLOWED_CONTROLS:
            continue
        if unicodedata.category(char) in REFUSED_CATEGORIES:
            raise ValueError(
                f"character U+{ord(char):04X} at offset {offset} is a control or invisible "
                "character; only printable text is allowed"
            )
    return text


def escape_markdown(value: object) -> str:
    """``value`` as inert inline Markdown: one line, HTML as entities, Markdown syntax escaped.

    Example: escape_markdown("# a|b\\n**x**") -> '\\\\# a\\\\|b \\\\*\\\\*x\\\\*\\\\*'
    """
    text = " ".join(str(value).splitlines())  # a newline would end a list item or table row
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)
    text = _BLOCK_START.sub(r"\\\1", text)
    return _ORDERED_START.sub(r"\1\\\2", text)
