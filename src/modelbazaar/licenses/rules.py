"""The clause kinds: what wording marks each, whether it restricts, and how to say it.

Each rule is a regular expression over one normalised sentence (lower case, straight quotes).
Rules read wording, not licence names, so a licence never seen before is read the same way; the
patterns are written for every way we know a clause is phrased (passive and active voice, any
currency, names in quotes), and measured on held-out clause sentences by
`bench/clause_rules.py`, not tuned on them.

Example: `RULES["revenue_cap"].pattern.search("companies with annual revenue above eur 5
million")` matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUMBER = r"[\d][\d,.]*\s*(?:thousand|million|billion|m|bn|k)?"
_MONEY = (
    r"(?:(?:\$|€|£|¥|usd|us\$|eur|gbp|cny|rmb|jpy|inr|chf|cad|aud)\s?" + _NUMBER + r"|"
    + _NUMBER + r"\s*(?:usd|eur|gbp|cny|rmb|jpy|chf|(?:us )?dollars?|euros?|pounds?|yuan))"
)  # fmt: skip
_MORE = r"(?:more than|greater than|exceed\w*|in excess of|over|above|at least|or more)"
_LESS = r"(?:less than|fewer than|below|under|up to|not exceeding|no more than)"
_NEG = r"(?:may not|shall not|must not|will not|cannot|can ?not|do not|are not permitted to)"


@dataclass(frozen=True)
class Rule:
    """One clause kind."""

    pattern: re.Pattern[str]
    restrictive: bool
    why: str  # verdict reason: why it is not open source
    plain: str  # the obligation it puts on a derivative, in plain words


def _rule(pattern: str, restrictive: bool, why: str, plain: str) -> Rule:
    return Rule(re.compile(pattern), restrictive, why, plain)


RULES: dict[str, Rule] = {
    "aup": _rule(
        r"(acceptable use|use polic|prohibited use|usage polic|\baup\b).{0,250}"
        r"(incorporated|comply|adhere|abide|govern)"
        r"|(comply|adhere|abide|subject to|governed by|in accordance with|conform).{0,120}"
        r"(acceptable use|use polic|prohibited use|usage polic|\baup\b)"
        r"|\"acceptable use policy\" means"
        r"|(polic(y|ies)|rules|guidelines).{0,80}incorporated (herein )?by reference",
        True,
        "an acceptable-use policy restricts use",
        "follow the licensor's acceptable-use policy and pass it on to your users",
    ),
    "naming": _rule(
        r"at the beginning of (any|the|such)?.{0,30}name|name prefix|prefix.{0,40}name"
        r"|\"[^\"]{1,30}\" at the (start|beginning) of .{0,30}name"
        r"|(display|state|show|include|feature|carry|bear)s?.{0,80}\"(built|powered|improved"
        r"|made|created|developed|based) (with|using|on|by) [^\"]{1,40}\""
        r"|\"(built|improved|powered) (with|using|on|by) [^\"]{1,40}\""
        r"|is built using .{1,60} technology"
        r"|(must|shall) (prominently |clearly )?(display|state|show) .{0,60}\"[^\"]{1,40}\"",
        True,
        "derivatives or products must carry a prescribed name or statement",
        'name derivatives or label products as the licence prescribes (e.g. "Built with X")',
    ),
    "notice": _rule(r"attribution notice|\"notice\" text file|(must|shall) cite", False, "", ""),
    "mau_cap": _rule(
        r"monthly active users?|\bmau\b",
        True,
        "a monthly-active-user cap limits who may use it",
        "ask the licensor for a licence above the monthly-active-user cap",
    ),
    "user_cap": _rule(
        _MORE + r" " + _NUMBER + r" ?(registered |active |daily active |end |total |paying )?"
        r"(users|customers|subscribers|seats|installations)"
        r"|(users|customers|subscribers).{0,40}" + _MORE + r" " + _NUMBER,
        True,
        "a user cap limits how widely it may be deployed",
        "ask the licensor for a licence above the user cap",
    ),
    "revenue_cap": _rule(
        r"(revenue|turnover|income|sales|market cap\w*|valuation|receipts|funding).{0,80}"
        r"("
        + _MORE
        + "|"
        + _LESS
        + r"|threshold).{0,40}"
        + _MONEY
        + r"|"
        + _MONEY
        + r".{0,80}(revenue|turnover|income|sales|valuation)"
        r"|(" + _MORE + "|" + _LESS + r") [\d,]+ (employees|staff|personnel|full-time)",
        True,
        "a revenue or company-size cap limits who may use it",
        "ask the licensor for a licence above the revenue or size threshold",
    ),  # fmt: skip
    "litigation_termination": _rule(
        r"(institute|initiate|commence|bring|file).{0,60}"
        r"(litigation|lawsuit|proceeding|legal action).{0,400}terminat",
        True,
        "the licence ends if you sue the licensor",
        "the licence ends if you sue the licensor over it",
    ),
    "safety_guardrail": _rule(
        r"(remov|disabl|circumvent|bypass|tamper|overrid|defeat|evad|jailbreak|deactivat"
        r"|strip)\w*.{0,80}(safety|guardrail|safeguard|content filter|moderation"
        r"|protective measure)"
        r"|(safety|guardrail|safeguard|content filter).{0,60}"
        + _NEG.replace("do not|", "")
        + r" be (removed|disabled|circumvented|bypassed)",
        True,
        "the licence depends on keeping the licensor's safety guardrails",
        "keep the licensor's safety guardrails and filters in place",
    ),  # fmt: skip
    "terms_change": _rule(
        r"(reserves? the right to|\bmay|\bcan|\bwill) (at any time |from time to time )?"
        r"(unilaterally )?(modify|amend|change|revise|update|alter).{0,40}(these terms"
        r"|this agreement|this licen[cs]e|the terms|the agreement|the licen[cs]e|these conditions)"
        r"|(continued|continuing) use.{0,80}(constitutes|signifies|deemed|means).{0,30}accept"
        r"|(terms|agreement|licen[cs]e).{0,40}may be (modified|amended|changed|revised|updated)",
        True,
        "the licensor may change the terms unilaterally",
        "watch for changed terms: the licensor may change them at any time",
    ),
    "non_commercial": _rule(
        r"(?<!commercial or )(?<!commercial and )\bnon-?commercial(?! or commercial)"
        r"(?! and commercial)(?! purposes? or)|not (be )?used? for commercial"
        r"|(?<!non-)commercial (use|purposes?).{0,40}(requires?|need).{0,30}(separate|"
        r"written|commercial) (agreement|licen[cs]e|permission)",
        True,
        "use is limited to non-commercial purposes",
        "no commercial use: the model is non-commercial",
    ),
    "research_only": _rule(
        r"(solely|only|exclusively|strictly) (for|to) (the purposes? of )?(non-?commercial )?"
        r"(academic |scientific )?(research|evaluation|testing|personal|educational"
        r"|non-?production|internal evaluation)"
        r"|for (testing|research|evaluation|personal|academic|educational).{0,60}"
        r"purposes only|(research|evaluation|academic) (use |purposes )?only\b"
        r"|only use .{0,160}for (non-?commercial )?(research|evaluation|testing|personal)",
        True,
        "use is limited to research, testing, evaluation or personal purposes",
        "research, testing or evaluation only: no production use",
    ),
    "output_use": _rule(
        r"(outputs?|results|content generated|generated content|text or data produced"
        r"|content produced|synthetic data).{0,160}(improve|train|fine[- ]?tune|develop"
        r"|create|build|distill).{0,100}(model|\bai\b|llm|machine learning|other works"
        r"|training data)|outputs? shall be subject to the restrictions"
        r"|(improve|train|fine[- ]?tune|develop|distill).{0,80}(with|using|on|from) (the |any )?"
        r"(outputs?|generated content|content generated)",
        True,
        "use of outputs to build other models is restricted",
        "do not use outputs to improve other models",
    ),
    "use_restriction": _rule(
        r"use[- ]based restrictions|you agree not to use the (model|work|materials)"
        r"|not (to )?use the (model|work|materials) .{0,80}(ways|purposes) (described|listed|set)"
        r"|(you|licensee|licensees|user|users) (will|shall|must|agree to|may) not use.{0,80}:$"
        r"|(prohibited|restricted) uses?\b.{0,40}:$",
        True,
        "use-based restrictions apply",
        "use-based restrictions apply and must flow down",
    ),
    "flow_down": _rule(
        r"(must|shall) be included as (an )?enforceable provisions?"
        r"|(include|incorporate).{0,120}(restrictions|these terms|section \d+|paragraph \d+)"
        r".{0,80}(enforceable provision|in (any|every|each|all) (agreement|licen[cs]e|contract))"
        r"|give notice to subsequent users"
        r"|(require|cause|ensure|oblige|bind).{0,80}(third part|recipients?|users|licensees"
        r"|anyone).{0,80}(comply with|abide by|be bound by|to the same).{0,60}"
        r"(restrictions|acceptable use|use polic|conditions)"
        r"|bind (them|recipients?|each recipient|the recipient)s? (to|by) (the )?(same|these) "
        r"(conditions|terms|restrictions)",
        True,
        "restrictions must be imposed on downstream users",
        "impose the same restrictions on anyone you give it to",
    ),
    "remote_update": _rule(
        r"restrict \(remotely|remotely or otherwise",
        True,
        "the licensor may restrict use remotely",
        "the licensor may restrict use remotely",
    ),
    "field_of_use": _rule(
        r"not (being )?granted to you if you are .{0,80}(domiciled|located|resident)"
        r"|(does not|shall not|will not) (extend|apply) to.{0,80}(located|resident|domiciled"
        r"|organi[sz]ed|incorporated) in"
        r"|(may|must|shall|can) ?not be used.{0,40}(military|armed forces|weapons|nuclear"
        r"|surveillance|law enforcement)"
        r"|(sanctioned|embargoed) (countries|country|jurisdictions|persons)"
        r"|subject to (comprehensive )?(sanctions|embargo)",
        True,
        "some people, places or fields of use are excluded",
        "some people, places or fields of use are excluded",
    ),
    "governing_law": _rule(
        r"(governed|construed|interpreted).{0,80}\blaws?\b",
        False,
        "",
        "",
    ),
}

# Copyleft conveyance terms are conditions on distributing copies, not on use: GPL's
# "occasionally and noncommercially" / "noncommercial distribution" object-code options.
CONVEYANCE = re.compile(r"noncommercially|noncommercial distribution|\bconvey")
