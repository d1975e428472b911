"""Keyword prefilters: the literal words a pattern cannot match without, checked before it runs.

A clause rule is a long alternation of `near()` shapes, and Python's `re` tries every alternative
at every position of a sentence; after the eighth clause pass that made the rules ~0.4 s of a
1 s audit. The same idea as RE2's and Hyperscan's prefilters: from each top-level alternative's
parse tree we derive a conjunction of disjunctions of literal strings (`Words`, e.g. "one of
'may', 'can' and one of 'chang', 'updat' and one of 'these terms', 'the licence'"), every one of
which a match must contain; an alternative runs only on sentences that hold its words.

The words are derived, not written, so they cannot drift from the patterns. Dropping a
requirement only makes the gate weaker, never wrong, so whatever the derivation does not
understand (case-insensitive groups, back references, character ranges) asks for nothing.
`tests/test_licence_rule_prefilter.py` checks gated and ungated rules agree on every labelled
sentence and on whole licence texts.

The parser is CPython's own (`re._parser`, a private module since 3.11, public as `sre_parse`
before): parsing once and compiling each alternative from its tree costs what one `re.compile`
of the whole pattern did. Should that module go or change shape, `gated()` falls back to the
ungated pattern. (A hostile review ran ~20,000 random patterns and ~59,000 mutated texts through
gated and whole patterns and found them to agree, but for a CPython 3.11 bug: a possessive repeat
around capture groups, `((a)(a)|)*+`, can raise SystemError in one order of trying the
alternatives and not the other. No rule uses possessive repeats or atomic groups.)

Example: `words(r"\b(?:may|can)\b.{0,40}(?:change|amend)")`
    -> ({'change', 'amend'}, {'may', 'can'}).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

try:  # private CPython modules; see the docstring
    from re import _compiler, _parser
    from re import _constants as op
except ImportError:  # pragma: no cover - a Python without them runs the rules ungated
    _parser = None

MIN_WORD = 3  # shorter literals ("of", "a") would let nearly every sentence through
# How many spellings an exact part ("(may|can) (change|amend)") may expand to: more spellings
# are more selective but each costs an `in` test; 4 was fastest on the labelled sentences
# (1: 0.49 s, 2: 0.45 s, 4: 0.47 s, 8: 0.63 s, 64: 1.0 s for 800 sentences, all 18 rules).
MAX_EXACT = 4
MAX_CLAUSES = 6  # the requirements kept per node, the most selective first

Clause = frozenset[str]  # one of these strings must occur
Words = tuple[Clause, ...]  # all of these clauses must hold


@dataclass(frozen=True)
class _Info:
    exact: frozenset[str] | None  # every string the node can match, when few and literal
    need: Words  # what any match of the node contains


_NOTHING = _Info(None, ())
_EMPTY = _Info(frozenset({""}), ())


def _best(clauses: Iterable[Clause]) -> Words:
    """The clauses best checked first: fewest words (each is an `in` test), then the longest
    shortest word (rarer, so more sentences stop at it)."""
    scored = {}
    for clause in clauses:
        shortest = min(map(len, clause), default=0)
        if shortest >= MIN_WORD:
            scored[clause] = (len(clause), -shortest)
    if len(scored) <= 1:
        return tuple(scored)
    return tuple(sorted(scored, key=scored.__getitem__)[:MAX_CLAUSES])


def _as_need(info: _Info) -> Words:
    return _best((*info.need, info.exact)) if info.exact is not None else info.need


def _sequence(items: Iterable[tuple]) -> _Info:
    """A run of nodes: adjacent exact parts are joined ("may" + " " + "change")."""
    current = frozenset({""})
    run = ""  # literal characters not yet joined onto `current` (most nodes are these)
    need: list[Clause] = []
    all_exact = True
    for code, value in getattr(items, "data", items):  # a parser SubPattern's nodes
        if code is op.LITERAL:
            run += chr(value)
            continue
        info = _node(code, value)
        if run:
            current, run = frozenset(a + run for a in current), ""
        need += info.need
        if info.exact is None:
            all_exact = False
            need.append(current)
            current = frozenset({""})
        elif len(current) * len(info.exact) <= MAX_EXACT:
            current = frozenset(a + b for a in current for b in info.exact)
        else:  # too many spellings: keep what was joined so far, start again
            all_exact = False
            need.append(current)
            current = info.exact
    if run:
        current = frozenset(a + run for a in current)
    if all_exact:
        return _Info(current, _best(need))
    need.append(current)
    return _Info(None, _best(need))


def _either(branches: list[_Info]) -> _Info:
    """Alternatives: one of them matches, so a requirement must hold for each (distributed)."""
    if all(b.exact is not None for b in branches):
        union = frozenset().union(*(b.exact or () for b in branches))
        if len(union) <= MAX_EXACT:
            return _Info(union, ())
    needs = [_as_need(b) for b in branches]
    if not all(needs):
        return _NOTHING
    combined: Words = needs[0]
    for need in needs[1:]:
        combined = _best(a | b for a in combined for b in need)
    return _Info(None, combined)


def _repeat(low: int, high: int, body: object) -> _Info:
    inner = _sequence(body)  # type: ignore[arg-type]
    if low == 0:
        if high == 1 and inner.exact is not None:  # "s?"
            return _Info(inner.exact | {""}, ())
        return _NOTHING
    exact = inner.exact if low == high == 1 else None
    return _Info(exact, _as_need(inner))


def _node(code: object, value: object) -> _Info:
    """What one parse-tree node requires; `_NOTHING` for whatever is not understood."""
    if code is op.LITERAL:
        return _Info(frozenset({chr(value)}), ())  # type: ignore[arg-type]
    if code is op.IN:
        items = list(value)  # type: ignore[call-overload]
        if len(items) <= 8 and all(c is op.LITERAL for c, _ in items):
            return _Info(frozenset(chr(v) for _, v in items), ())
        return _NOTHING
    if code is op.AT or code is op.ASSERT_NOT:
        return _EMPTY
    if code is op.ASSERT:  # a lookahead's text must be in the sentence too
        return _Info(frozenset({""}), _as_need(_sequence(value[1])))  # type: ignore[index]
    if code is op.SUBPATTERN:
        _group, add_flags, _del_flags, body = value  # type: ignore[misc]
        return _NOTHING if add_flags & re.IGNORECASE else _sequence(body)
    if code is op.BRANCH:
        return _either([_sequence(b) for b in value[1]])  # type: ignore[index]
    if code in (op.MAX_REPEAT, op.MIN_REPEAT, getattr(op, "POSSESSIVE_REPEAT", None)):
        low, high, body = value  # type: ignore[misc]
        return _repeat(low, high, body)
    return _NOTHING


def words(pattern: str) -> Words:
    """The literal requirements of a whole pattern (for tests and for reading a rule); none for
    a case-insensitive one, as `gated` asks."""
    tree = _parser.parse(pattern)
    return () if tree.state.flags & re.IGNORECASE else _as_need(_sequence(tree))


@dataclass(frozen=True)
class Gated:
    """One top-level alternative of a pattern and the words it needs."""

    pattern: re.Pattern[str]
    need: Words

    def search(self, text: str) -> bool:
        for clause in self.need:
            if not any(word in text for word in clause):
                return False
        return self.pattern.search(text) is not None


def gated(source: str) -> tuple[Gated, ...]:
    """A pattern's top-level alternatives, each compiled behind its own words.

    Any match of the whole is a match of one alternative, so `any(a.search(s) for a in ...)` is
    `bool(re.search(source, s))`.
    """
    if _parser is None:  # pragma: no cover
        return (Gated(re.compile(source), ()),)
    try:
        tree = _parser.parse(source)
        if tree.state.flags & re.IGNORECASE:  # the words are lower case; ask for none
            return (Gated(re.compile(source), ()),)
        return tuple(
            Gated(_compiler.compile(b), _as_need(_sequence(b))) for b in _alternatives(tree)
        )
    except (AttributeError, IndexError, TypeError, ValueError):  # pragma: no cover
        # the private parser changed shape in some later Python: run the pattern ungated
        return (Gated(re.compile(source), ()),)


def _alternatives(tree: _parser.SubPattern) -> list[_parser.SubPattern]:
    """`a|b|c` as [a, b, c]. The parser moves a prefix the alternatives share out in front of
    them (`\\bmay|\\bcan` is `\\b(?:may|can)`), so one top-level branch with nodes around it,
    P (b1|b2) S, is taken apart as P b1 S and P b2 S."""
    data = tree.data
    at = [i for i, (code, _) in enumerate(data) if code is op.BRANCH]
    if len(at) != 1:
        return [tree]
    before, after = data[: at[0]], data[at[0] + 1 :]
    branches = data[at[0]][1][1]
    return [_parser.SubPattern(tree.state, [*before, *b.data, *after]) for b in branches]
