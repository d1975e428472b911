"""What every clause rule is made of: the `Rule` type, its builders, and shared wording.

Each rule is a regular expression over one normalised sentence (lower case, straight quotes);
`near(a, b)` finds two wordings close together in either order, the shape most clauses take.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from modelbazaar.licenses.rules.prefilter import Gated, gated

NUMBER = r"[\d][\d,.]*\s*(?:thousand|million|billion|m|bn|k)?"
MONEY = (
    r"(?:(?:\$|€|£|¥|usd|us\$|eur|gbp|cny|rmb|jpy|inr|chf|cad|aud)\s?" + NUMBER + r"|"
    + NUMBER + r"\s*(?:usd|eur|gbp|cny|rmb|jpy|chf|(?:us )?dollars?|euros?|pounds?|yuan))"
)  # fmt: skip
# A named use policy: "Acceptable Use Policy", "AUP", "Usage Guidelines", "Code of Conduct".
POLICY = (
    r"(acceptable|prohibited|permitted|responsible|fair)[- ]use (polic\w*|guidelines|rules|terms)"
    r"|usage (polic\w*|guidelines|rules)|\buse (polic\w*|rules|guidelines)|\baup\b"
    r"|code of conduct|prohibited uses? polic"
    r"|(responsible|trustworthy|ethical) (ai|use) (polic\w*|guidelines|guides?|principles|terms"
    r"|standards)"
    r"|(conduct|content) (polic\w*|rules)"
    r"|\((acceptable|prohibited|permitted) uses?\)"
)


@dataclass(frozen=True)
class Rule:
    """One clause kind: `pattern` finds it; `also`, when set, must match the sentence too.

    `parts` are the pattern's top-level alternatives, each behind the literal words it needs
    (prefilter.py): `matches` runs only those whose words the sentence holds, with the same
    result as `pattern.search` and a fraction of its time.
    """

    source: str
    restrictive: bool
    why: str  # verdict reason: why it is not open source
    plain: str  # the obligation it puts on a derivative, in plain words
    also: re.Pattern[str] | None = None
    parts: tuple[Gated, ...] = field(init=False, repr=False)  # derived from `source`

    def __post_init__(self) -> None:
        object.__setattr__(self, "parts", gated(self.source))

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        """The whole pattern, compiled when first asked for (the audit runs `parts`)."""
        return re.compile(self.source)

    def matches(self, sentence: str) -> bool:
        """True when a normalised sentence has this clause."""
        if not any(part.search(sentence) for part in self.parts):
            return False
        return self.also is None or bool(self.also.search(sentence))


def rule(pattern: str, restrictive: bool, why: str, plain: str, also: str = "") -> Rule:
    """A Rule from pattern strings (parsed and compiled once, at import)."""
    return Rule(pattern, restrictive, why, plain, re.compile(also) if also else None)


def near(left: str, right: str, gap: int = 100) -> str:
    """`left` then `right` within `gap` characters, in either order."""
    return rf"(?:{left}).{{0,{gap}}}(?:{right})|(?:{right}).{{0,{gap}}}(?:{left})"
