"""Texts to check from a file: one per line, or JSON Lines with a `text` field.

A file whose every non-empty line is a JSON object is read as JSON Lines (`{"text": "..."}`;
other fields are ignored); otherwise each non-empty line is one text. Everything is checked
first, so a bad line 9,000 stops the run before any text is scored, with its line number.

Example: a file "hello\\n\\nhow are you\\n" -> [(1, "hello"), (3, "how are you")].
"""

from __future__ import annotations

import json
from pathlib import Path

from modelbazaar.errors import DataError
from modelbazaar.safety.guard.model import MAX_TEXT_CHARS

MAX_FILE_BYTES = 256 * 1024 * 1024  # 256 MiB of text is ~1M messages; more is not a guard job


def read_texts(path: Path) -> list[tuple[int, str]]:
    """(line number, text) for every text in the file, in order."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: no such file; --file takes a text or JSONL file")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise DataError(f"{path} has {size:,} bytes; split it into files of ≤ {MAX_FILE_BYTES:,}")
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(
            f"{path} is not UTF-8 (invalid byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None
    lines = [(n, line) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
    if not lines:
        raise DataError(f"{path} holds no text to check (it is empty or blank)")
    items = _json_lines(lines)
    texts = items if items is not None else lines
    for number, item in texts:
        if len(item) > MAX_TEXT_CHARS:
            raise DataError(
                f"{path} line {number}: {len(item):,} characters; at most "
                f"{MAX_TEXT_CHARS:,} per message"
            )
    return texts


def _json_lines(lines: list[tuple[int, str]]) -> list[tuple[int, str]] | None:
    """The `text` of each line if the file is JSON Lines, else None (a plain text file)."""
    if not all(line.lstrip().startswith("{") for _, line in lines):
        return None
    out = []
    for number, line in lines:
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DataError(
                f"line {number}: not JSON ({exc.msg}); JSONL needs one object per line"
            ) from None
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise DataError(f'line {number}: a JSONL row needs a string field "text"')
        out.append((number, item["text"]))
    return out
