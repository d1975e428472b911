"""Documents of a data file: what dedup, contamination, PII and quality checks look at.

A ``.txt`` file is one document per paragraph (blank-line separated, as LoRA training reads it);
a ``.jsonl`` file is one document per line, its text the string values of the object in key
order (``{"prompt": "2+2=", "response": "4"}`` -> ``"2+2=\\n4"``). Bytes that are not UTF-8, a
binary file, or a line that is not a JSON object are refused naming the file (and line).

Example: ``read_documents("qa.jsonl", b'{"q": "hi"}\\n')`` -> ``[Document("qa.jsonl:1", "hi")]``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from modelbazaar.errors import DataError

MAX_JSON_DEPTH = 32  # a JSONL record is a flat-ish object; deeper nesting is refused, not parsed


@dataclass(frozen=True)
class Document:
    id: str  # "file:line" for JSONL, "file:#paragraph" for text
    text: str


def decode_text(name: str, raw: bytes) -> str:
    """UTF-8 text or a DataError naming the file and the first bad byte."""
    if b"\x00" in raw:
        raise DataError(f"{name} is binary (it contains NUL bytes); donate UTF-8 text or JSONL")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(
            f"{name} is not UTF-8 text (byte {exc.start}: {raw[exc.start : exc.start + 1]!r}); "
            "convert it with e.g. `iconv -t UTF-8`"
        ) from None


def _depth(line: str) -> int:
    """Deepest bracket nesting of a JSON line, counted before parsing (no recursion)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in line:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def read_documents(name: str, raw: bytes) -> list[Document]:
    """The documents of one donated file (see the module docstring for the rules)."""
    text = decode_text(name, raw)
    if not name.endswith((".jsonl", ".json")):
        paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n")]
        return [Document(f"{name}:#{i + 1}", p) for i, p in enumerate(paragraphs) if p]
    documents = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if _depth(line) > MAX_JSON_DEPTH:
            raise DataError(f"{name} line {number}: JSON nested deeper than {MAX_JSON_DEPTH}")
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DataError(f"{name} line {number} is not JSON: {exc.msg}") from None
        if not isinstance(record, dict):
            raise DataError(f"{name} line {number}: expected a JSON object, got {line[:40]!r}")
        documents.append(Document(f"{name}:{number}", "\n".join(_strings(record))))
    return documents
