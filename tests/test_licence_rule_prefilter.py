"""The keyword prefilter in front of the clause rules: the words it derives, and that a gated rule
finds exactly what its whole pattern finds."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from modelbazaar.licenses.clauses import normalise_sentence
from modelbazaar.licenses.rules import RULES
from modelbazaar.licenses.rules.prefilter import gated, words

SENTENCES = Path(__file__).parents[1] / "bench" / "data" / "clause_sentences.jsonl"


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        # apart by a gap: both words are needed, the quicker to check (fewer spellings) first
        (r"\bmay\b.{0,40}\b(?:change|amend)\w*", [{"may"}, {"amend", "change"}]),
        # a lookahead's text must be in the sentence as well
        (r"^(?=.*\bwithout\b).*consent", [{"without"}, {"consent"}]),
        # a small class and an optional letter expand to every spelling
        (r"licen[cs]es?", [{"licence", "licences", "license", "licenses"}]),
        # adjacent alternatives join into whole phrases
        (r"(?:may|can) (?:change|amend) th", [{"may change th", "may amend th", "can change th",
                                               "can amend th"}]),
        (r"near|far", [{"near", "far"}]),
        # a negative lookahead asks for nothing
        (r"(?!not )allowed", [{"allowed"}]),
    ],
)  # fmt: skip
def test_words_a_match_cannot_do_without(pattern: str, expected: list[set[str]]) -> None:
    assert [set(clause) for clause in words(pattern)] == expected


@pytest.mark.parametrize(
    "pattern",
    [
        r"(?i:Terms)",  # case-insensitive: the words would be the wrong case
        r"foo|\w+",  # one alternative needs no word, so the whole needs none
        r"of .* a",  # words under three characters would let nearly everything through
        r"(\w+) \1",  # back references are not understood
    ],
)
def test_what_is_not_understood_asks_for_nothing(pattern: str) -> None:
    need = words(pattern)
    assert all(min(map(len, clause)) >= 3 for clause in need)
    assert not need or pattern == r"of .* a" and need == (frozenset({"of "}),)


def test_a_case_insensitive_pattern_runs_ungated() -> None:
    assert words(r"(?i)these terms") == ()
    (part,) = gated(r"(?i)these terms may change")
    assert part.need == ()
    assert part.search("THESE TERMS MAY CHANGE")


def test_alternatives_are_gated_one_by_one() -> None:
    parts = gated(r"\bmay\b.{0,20}change|\bterminat\w+.{0,30}at any time")
    assert [p.need for p in parts] == [
        (frozenset({"change"}), frozenset({"may"})),  # one spelling each: longer first
        (frozenset({"at any time"}), frozenset({"terminat"})),
    ]
    assert parts[1].search("we may terminate this licence at any time")
    assert not parts[0].search("we may terminate this licence at any time")


def test_every_rule_alternative_needs_a_word() -> None:
    """An alternative with no literal word runs on every sentence of every audit."""
    for kind, rule in RULES.items():
        for number, part in enumerate(rule.parts):
            assert part.need, f"{kind}: alternative {number} needs no word; give it one"


def test_gated_rules_find_what_the_whole_patterns_find() -> None:
    rows = [json.loads(line) for line in SENTENCES.read_text(encoding="utf-8").splitlines()]
    sample = [normalise_sentence(row["text"]) for row in rows[::8]]
    found = 0
    for kind, rule in RULES.items():
        whole = re.compile(rule.source)
        for sentence in sample:
            expected = bool(whole.search(sentence))
            found += expected
            gated_found = any(part.search(sentence) for part in rule.parts)
            assert gated_found == expected, (kind, sentence)
    assert found > 250  # the sample holds clauses of most kinds, not only look-alikes


def test_the_whole_pattern_is_still_there() -> None:
    assert RULES["revenue_cap"].pattern.search("companies with annual revenue above eur 5 million")
