"""Data members of a bundle are UTF-8 text or JSON Lines, by rule, checked when a bundle opens.

A contributor's data is read by the review (its held-out slice is re-measured), so it is hostile
input like the rest of the bundle. The rule is narrow on purpose: a name ending in ``.txt`` or
``.md`` (plain text, examples separated by blank lines) or ``.jsonl`` / ``.json`` (one JSON
object per line), and content that :func:`modelbazaar.data.documents.read_documents` accepts —
the same reader donations go through: strict UTF-8 without NUL bytes, every JSON line an object
nested at most 32 deep (a 100k-deep line would exhaust the parser's recursion).
A pickle named ``data/evil.pt`` is refused by its name before its bytes are looked at.

Example::

    check_data_member("train.jsonl", b'{"prompt": "2+2", "response": "4"}\\n')   # its text
    check_data_member("evil.pt", pickle.dumps(obj))   # BundleError: ... must be UTF-8 text ...
"""

from __future__ import annotations

from modelbazaar.data.documents import read_documents
from modelbazaar.errors import BundleError, DataError

TEXT_SUFFIXES = (".txt", ".md")  # plain text: examples are paragraphs
JSONL_SUFFIXES = (".jsonl", ".json")  # .json: JSON Lines too, as `bazaar contribute` reads it


def is_jsonl_name(name: str) -> bool:
    """True for names read as JSON Lines. Example: is_jsonl_name("qa.jsonl") -> True"""
    return name.endswith(JSONL_SUFFIXES)


def check_data_member(name: str, data: bytes) -> str:
    """Return the member's text if it follows the rule; raise BundleError naming the problem."""
    where = f"data/{name}"
    if not name.endswith(TEXT_SUFFIXES + JSONL_SUFFIXES):  # lower case: one reading per name
        raise BundleError(
            f"{where}: data files must be UTF-8 text (.txt, .md) or JSON Lines (.jsonl, .json); "
            "refusing any other kind of file"
        )
    try:
        read_documents(where, data)
    except DataError as exc:
        raise BundleError(f"{exc}; refusing the bundle") from None
    return data.decode("utf-8")
