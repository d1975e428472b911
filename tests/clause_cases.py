"""Shared by the clause-rule test families (tests/test_licence_clause_rules_*.py)."""

from __future__ import annotations

from modelbazaar.licenses.clause_model import category
from modelbazaar.licenses.clauses import find_clauses


def found(sentence: str) -> set[str]:
    """The restrictive categories the rules find in one sentence."""
    return {category(f.kind) for f in find_clauses(sentence, "LICENSE") if f.restrictive}


def cases(by_kind: dict[str, list[str]]) -> list[tuple[str, str]]:
    """(kind, sentence) pairs for pytest's parametrize."""
    return [(kind, sentence) for kind, sentences in by_kind.items() for sentence in sentences]
