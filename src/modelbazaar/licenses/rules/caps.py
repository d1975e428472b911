"""Caps on who may use a model: monthly-active-user and user counts, revenue and company size.

Example: `CAP_RULES["revenue_cap"].matches("companies with annual revenue above eur 5
million")` -> True.
"""

from __future__ import annotations

from modelbazaar.licenses.rules.base import MONEY, NUMBER, Rule, near, rule

_USERS = (
    r"((?<!\w)\d[\d,.]*\s*(thousand|million|billion|k|m)?|thousand|million|billion)\s+"
    r"(\w+\s+){0,2}"
    r"(users|accounts|subscribers|customers|seats|people|installations|mau)\b"
)
_COUNT = (  # a count, not a version ("v2") or a time ("five years after installation")
    r"\b(\d[\d,.]*( million| thousand)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven"
    r"|twelve|fifteen|twenty|thirty|forty|fifty|sixty|hundred)\b"
    r"(?! (years?|months?|days?|weeks?)\b)"
)
_SEATS = (  # what a licence counts: seats, devices, installations, named people
    r"(devices?|machines?|computers?|installations?|installs|seats?|accounts?|profiles?|members?"
    r"|logins?|vehicles?|terminals?|tablets?|scanners?|gateways?|servers?|nodes?|hubs?"
    r"|workstations?|laptops?|analysts?|engineers?|dispatchers?|learners?|travell?ers?"
    r"|developers?|subscribers?)\b"
)
COMPARE = (
    r"more than|greater than|exceed|in excess of|\bover\b|above|at least|or more|less than"
    r"|fewer than|below|under|up to|not exceeding|no more than|reach|pass|surpass|threshold"
    r"|limited to|once"
)

CAP_RULES: dict[str, Rule] = {
    "mau_cap": rule(
        r"(monthly|daily|weekly) active (users?|learners?|accounts?|customers?)|\b(mau|dau)\b",
        True,
        "a monthly-active-user cap limits who may use it",
        "ask the licensor for a licence above the monthly-active-user cap",
    ),
    "user_cap": rule(
        # (an age is no user count: "users under 18 years of age")
        _USERS
        + r"|(users|customers|subscribers).{0,40}("
        + COMPARE
        + r") "
        + NUMBER
        + r"(?!\d| ?(years?|yrs)\b|-year)"
        # (ninth pass) seats, devices, installations and named people, in figures or words
        + r"|(up to|no more than|not more than|at most|a maximum of|limited to|capped at|more than"
        r"|over) "
        + _COUNT
        + r"( [\w-]+){0,3} "
        + _SEATS
        + r"|(permits?|entitles?|allows?|covers?) (\w+ ){0,4}"
        + _COUNT
        + r" (\w+ ){0,2}(installations?|seats?|activations?|named users?)\b"
        + r"|\bnumber of (\w+ ){0,3}"
        + _SEATS
        + r".{0,60}\b(exceed|more than|above)",
        True,
        "a user cap limits how widely it may be deployed",
        "ask the licensor for a licence above the user cap",
        also=COMPARE + r"|at most|maximum|capped at|\bpermits?|\bentitles?|\ballows?|\bcovers?",
    ),
    "revenue_cap": rule(
        near(
            r"revenue|turnover|income|sales|market cap\w*|valuation|receipts|funding",
            MONEY + r"|\d[\d,.]*\s*(million|billion|crore|lakh|m\b|bn\b)"
            r"|(one|two|three|four|five|ten|hundred) (thousand|million|billion)",
            100,
        )
        + r"|("
        + COMPARE
        # (a head count in figures or words: "fewer than fifty employees")
        + r") (than )?([\d,]+|ten|twenty|thirty|forty|fifty|hundred|thousand|\w+ hundred)"
        r" (total )?(individuals|employees|staff"
        r"|personnel|full-time|people)|headcount (above|over|of more)|revenue threshold",
        True,
        "a revenue or company-size cap limits who may use it",
        "ask the licensor for a licence above the revenue or size threshold",
        also=COMPARE + r"|only if|only to|qualify|threshold|or more|exceeds?",
    ),  # fmt: skip
}
