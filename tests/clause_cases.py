"""Shared by the clause-rule test families (tests/test_licence_clause_rules_*.py).

Every sentence in those files was written for the tests (in no shipped licence and not in the
labelled set of bench/data/clause_sentences.jsonl), so a rule that only knows the shipped
licences' phrases fails there. Each pattern has sentences it must find; each veto has
look-alikes it must keep out. A family file declares FOUND and LOOK_ALIKES (kind -> sentences)
and gets its two tests from `rule_tests`.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from modelbazaar.licenses.clause_model import category
from modelbazaar.licenses.clauses import find_clauses


def found(sentence: str) -> set[str]:
    """The restrictive categories the rules find in one sentence."""
    return {category(f.kind) for f in find_clauses(sentence, "LICENSE") if f.restrictive}


def cases(by_kind: dict[str, list[str]]) -> list[tuple[str, str]]:
    """(kind, sentence) pairs for pytest's parametrize."""
    return [(kind, sentence) for kind, sentences in by_kind.items() for sentence in sentences]


def rule_tests(
    must_find: dict[str, list[str]], look_alikes: dict[str, list[str]]
) -> tuple[Callable[[str, str], None], Callable[[str, str], None]]:
    """(test that each sentence is found as its kind, test that each look-alike is not)."""

    @pytest.mark.parametrize(("kind", "sentence"), cases(must_find))
    def test_wording_is_found(kind: str, sentence: str) -> None:
        assert kind in found(sentence), found(sentence)

    @pytest.mark.parametrize(("kind", "sentence"), cases(look_alikes))
    def test_look_alike_is_not_the_clause(kind: str, sentence: str) -> None:
        assert kind not in found(sentence), found(sentence)

    return test_wording_is_found, test_look_alike_is_not_the_clause
