"""SPDX licence expressions ("MIT OR Apache-2.0", "GPL-2.0-only WITH Classpath-exception-2.0"),
parsed by `license-expression` against the one SPDX list and the model licences we know.

An expression is open when the licensee can choose open terms: OR needs one open branch, AND
needs every part open, WITH keeps the licence's status (exceptions only add permissions).

Example: `normalise_expression("apache-2.0 or mit")` -> "Apache-2.0 OR MIT";
`expression_is_open("MIT AND CC-BY-NC-4.0", is_open)` -> False.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from license_expression import ExpressionError, LicenseSymbol, Licensing

from modelbazaar.licenses import _data

OPERATORS = (" OR ", " AND ", " WITH ")


def looks_like_expression(value: str) -> bool:
    """True when a licence value combines licences: "MIT OR Apache-2.0", "(MIT)"."""
    upper = f" {value.upper()} "
    return any(op in upper for op in OPERATORS) or "(" in value


@cache
def _licensing() -> Licensing:
    ids = set(_data.spdx_licenses()) | set(_data.corpus_ids()) | {"LicenseRef-Public-Domain"}
    return Licensing([LicenseSymbol(i, aliases=(i.lower(),)) for i in sorted(ids)])


def normalise_expression(value: str) -> str | None:
    """The canonical spelling of an expression of known ids, or None when it is not one.

    Exceptions ("WITH Classpath-exception-2.0") are kept as written: the list we ship holds
    licences, not exceptions.
    """
    try:
        parsed = _licensing().parse(value, validate=False)
    except ExpressionError:
        return None
    if parsed is None or any(k not in _known() for k in expression_ids(parsed.render())):
        return None
    return parsed.render()


@cache
def _known() -> frozenset[str]:
    return frozenset(_licensing().known_symbols)


def expression_ids(value: str) -> list[str]:
    """The licence ids an expression names, exceptions left out.

    Example: `expression_ids("MIT OR GPL-2.0-only WITH Classpath-exception-2.0")` ->
    ["MIT", "GPL-2.0-only"].
    """
    licensing = _licensing()
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, licensing.OR | licensing.AND):
            for arg in node.args:
                walk(arg)
            return
        symbol = getattr(node, "license_symbol", node)
        found.append(getattr(symbol, "key", str(symbol)))

    walk(licensing.parse(value, validate=False))
    return found


def expression_is_open(value: str, is_open: Callable[[str], bool]) -> bool:
    """Open when the licensee can pick open terms (see module docstring)."""
    licensing = _licensing()

    def walk(node: object) -> bool:
        if isinstance(node, licensing.OR):
            return any(walk(arg) for arg in node.args)
        if isinstance(node, licensing.AND):
            return all(walk(arg) for arg in node.args)
        symbol = getattr(node, "license_symbol", node)  # "X WITH exception" -> X
        return is_open(getattr(symbol, "key", str(symbol)))

    return walk(licensing.parse(value, validate=False))
