"""Data members of a bundle are UTF-8 text or JSON Lines, by rule, checked when a bundle opens.

A contributor's data is read by the review (its held-out slice is re-measured), so it is hostile
input like the rest of the bundle. The rule is narrow on purpose: a name ending in ``.txt`` or
``.md`` (plain text, examples separated by blank lines) or ``.jsonl`` / ``.json`` (one JSON
object per line); strict UTF-8 without NUL bytes; every JSON line an object nested at most
``MAX_JSON_DEPTH`` deep (a 100k-deep line would exhaust the parser's recursion). A pickle named
``data/evil.pt`` is refused by its name before its bytes are looked at.

Example::

    check_data_member("train.jsonl", b'{"prompt": "2+2", "response": "4"}\\n')   # passes
    check_data_member("evil.pt", pickle.dumps(obj))   # BundleError: ... must be .txt or .jsonl
"""

from __future__ import annotations

import json
import re

from modelbazaar.errors import BundleError

TEXT_SUFFIXES = (".txt", ".md")  # plain text: examples are paragraphs
JSONL_SUFFIXES = (".jsonl", ".json")  # .json: JSON Lines too, as `bazaar contribute` reads it
MAX_JSON_DEPTH = 32  # a prompt/response object is 1 deep; chat messages with metadata ~4
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')  # a JSON string, escapes included
_BRACKET = re.compile(r"[\[\]{}]")


def is_jsonl_name(name: str) -> bool:
    """True for names read as JSON Lines. Example: is_jsonl_name("qa.JSONL") -> True"""
    return name.lower().endswith(JSONL_SUFFIXES)


def check_data_member(name: str, data: bytes) -> str:
    """Return the member's text if it follows the rule; raise BundleError naming the problem."""
    where = f"data/{name}"
    if not name.lower().endswith(TEXT_SUFFIXES + JSONL_SUFFIXES):
        raise BundleError(
            f"{where}: data files must be UTF-8 text (.txt, .md) or JSON Lines (.jsonl, .json); "
            "refusing any other kind of file"
        )
    try:
        text = data.decode("utf-8")  # strict: a single invalid byte is refused, never replaced
    except UnicodeDecodeError as exc:
        raise BundleError(
            f"{where} is not UTF-8 text (invalid byte 0x{data[exc.start]:02x} at offset "
            f"{exc.start}); data files must be UTF-8"
        ) from None
    if "\x00" in text:
        raise BundleError(f"{where} contains a NUL byte at offset {text.index(chr(0))}; not text")
    if is_jsonl_name(name):
        for number, line in enumerate(text.splitlines(), 1):
            if line.strip():
                _check_json_line(line, f"{where} line {number}")
    return text


def json_depth(line: str) -> int:
    """Deepest nesting of arrays/objects in one JSON text, without parsing it recursively.

    Example: json_depth('{"a": [1, {"b": "[[["}]}') -> 3
    """
    depth = deepest = 0
    for bracket in _BRACKET.findall(_STRING.sub('""', line)):  # brackets inside strings: gone
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def _check_json_line(line: str, where: str) -> None:
    depth = json_depth(line)
    if depth > MAX_JSON_DEPTH:
        raise BundleError(
            f"{where} nests {depth} levels deep, the limit is {MAX_JSON_DEPTH}; "
            'an example is a flat object such as {"prompt": ..., "response": ...}'
        )
    try:
        row = json.loads(line)
    except ValueError as exc:
        raise BundleError(f"{where} is not valid JSON ({exc}); refusing the bundle") from None
    if not isinstance(row, dict):
        raise BundleError(f"{where} is a JSON {type(row).__name__}, not an object")
