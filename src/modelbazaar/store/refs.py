"""Ref names and ref moves.

A ref names a version: a *branch* (`main`, `built`) moves as work lands on it, a *tag* never
moves unless forced. Every move is a compare-and-swap: the writer says which version it started
from, and the move happens only if the ref still points there (see `Catalogue.move_refs`).

Tag names follow a documented subset of git's ref-name rules (`git check-ref-format`), plus one
rule of our own: a name that could be read as a version hash is refused, so a tag can never
shadow a version.

Example: check_tag_name("v0.1") -> None; check_tag_name("../x") -> RefNameError
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from modelbazaar.errors import StoreError

BRANCHES = ("main", "built")  # moved by build, merge and import, never by `bazaar tag`
MAX_NAME = 100  # characters; a name is something people type and read
ALLOWED = re.compile(r"^[A-Za-z0-9._+@-]+$")  # one path component: no "/" at all
HEXLIKE = re.compile(r"^[0-9a-fA-F]{4,}$")  # git abbreviates hashes down to 4 digits


class RefNameError(StoreError):
    """A tag name breaks the ref-name rules."""


class RefMovedError(StoreError):
    """A ref moved under a writer between the time it read it and the time it moved it."""


@dataclass(frozen=True)
class RefMove:
    """Move `name` from `expected` (None: the ref must not exist yet) to `new`."""

    name: str
    new: str
    expected: str | None
    kind: str = "branch"  # branch | tag


def _describe(char: str) -> str:
    return repr(char) if char.isprintable() and char != " " else f"U+{ord(char):04X}"


def check_tag_name(name: str) -> None:
    """Raise RefNameError naming the rule `name` breaks; return None for a good name.

    The rules, a subset of git's: 1-100 characters from letters, digits and ``. _ + @ -``
    (so no ``/``, spaces, control characters or any of ``~ ^ : ? * [ \\``); not starting with
    ``-`` or ``.``; no ``..`` and no ``@{``; not ending with ``.`` or ``.lock``; not ``@``;
    not a branch name (main, built); and not 4+ hex digits, which could be a version hash.
    """
    rule = _broken_rule(name)
    if rule:
        raise RefNameError(
            f"{name[:40]!r}{'…' if len(name) > 40 else ''} is not a valid tag name: {rule}. "
            "Use letters, digits and . _ + @ - (for example v0.2 or gsm8k-merge)"
        )


def _broken_rule(name: str) -> str | None:
    if not name:
        return "it is empty"
    if len(name) > MAX_NAME:
        return f"it is {len(name)} characters long (at most {MAX_NAME})"
    bad = [c for c in name if not ALLOWED.match(c)]
    if bad:
        return f"it contains {_describe(bad[0])}, which a ref name may not contain"
    if name.startswith(("-", ".")):
        return f"it starts with {name[0]!r}"
    if ".." in name or "@{" in name or name == "@":
        return "it contains '..', '@{' or is '@' (git reserves these)"
    if name.endswith((".", ".lock")):
        return "it ends with '.' or '.lock'"
    if name in BRANCHES:
        return f"'{name}' is a branch moved by build and merge"
    if HEXLIKE.match(name):
        return "it is a hex string that could be read as a version hash"
    return None


COMMANDS = {  # the reason a ref moves -> the command to run again
    "merging": "merge",
    "building": "build",
    "distilling": "distill",
    "tagging": "tag",
    "importing": "import",
}


def moved_error(move: RefMove, current: str | None, reason: str) -> RefMovedError:
    """The message a writer gets when another command moved the ref first.

    Example: "main moved from 95d0bffd565f to 3f9c01a2b4c5 while merging; run the merge again"
    """
    again = f"run the {COMMANDS.get(reason, 'command')} again"
    if move.expected is None:
        return RefMovedError(
            f"{move.name} was created (at {str(current)[:12]}) by another command while "
            f"{reason}; {again}"
        )
    where = str(current)[:12] if current else "nowhere (it was deleted)"
    return RefMovedError(
        f"{move.name} moved from {move.expected[:12]} to {where} while {reason}; {again}"
    )
