"""The clause kinds: what wording marks each, whether it restricts, and how to say it.

Each rule is a regular expression over one normalised sentence (lower case, straight quotes).
Rules read wording, not licence names, so a licence never seen before is read the same way; the
patterns are written for every way we know a clause is phrased (passive and active voice, any
currency, names in quotes), and measured on held-out clause sentences by
`bench/clause_quality.py` (changed only from train-split misses; see bench/data/CLAUSES.md).

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
    """One clause kind: `pattern` finds it; `also`, when set, must match the sentence too."""

    pattern: re.Pattern[str]
    restrictive: bool
    why: str  # verdict reason: why it is not open source
    plain: str  # the obligation it puts on a derivative, in plain words
    also: re.Pattern[str] | None = None

    def matches(self, sentence: str) -> bool:
        """True when a normalised sentence has this clause."""
        if not self.pattern.search(sentence):
            return False
        return self.also is None or bool(self.also.search(sentence))


def _rule(pattern: str, restrictive: bool, why: str, plain: str, also: str = "") -> Rule:
    return Rule(re.compile(pattern), restrictive, why, plain, re.compile(also) if also else None)


def _near(left: str, right: str, gap: int = 100) -> str:
    """`left` then `right` within `gap` characters, in either order."""
    return rf"(?:{left}).{{0,{gap}}}(?:{right})|(?:{right}).{{0,{gap}}}(?:{left})"


# A named use policy: "Acceptable Use Policy", "AUP", "Usage Guidelines", "Code of Conduct".
_POLICY = (
    r"(acceptable|prohibited|permitted|responsible|fair)[- ]use (polic\w*|guidelines|rules|terms)"
    r"|usage (polic\w*|guidelines|rules)|\buse (polic\w*|rules|guidelines)|\baup\b"
    r"|code of conduct|prohibited uses? polic"
)
_BIND = (
    r"comply|adhere|abide|subject to|governed by|in accordance with|conform|agree to|bound by"
    r"|respect|follow|observe|incorporat|forms? part of|in violation of|contrary to"
)
_CHANGE = r"updat\w*|chang\w*|amend\w*|modif\w*|revis\w*|alter\w*|replac\w*"
_TERMS = r"these terms|this agreement|this licen[cs]e|the terms|the agreement|the licen[cs]e"
_TERMS += r"|these conditions|this polic\w*|the polic\w*|" + _POLICY
_OUTPUT = (
    r"outputs?\b|results|completions?|responses|generations|generated (text|content|data)"
    r"|content (generated|produced)|synthetic data|anything the model generates"
    r"|text or data produced|what the model (generates|produces)"
)
_FIELD = (
    r"military|armed forces|weapon|nuclear|surveillance|law enforcement|police|intelligence"
    r"|border|defen[cs]e|oil and gas|fossil fuel|political campaign|election|clinical"
    r"|diagnos|human rights|(hosted|managed)( or managed)? service|gambling|firearm"
    r"|good, not evil"
)
_EXCLUDE = (
    r"(may|must|shall|can|will) ?not|cannot|not (be )?(used|deployed|designed|licensed|intended"
    r"|granted)|exclud|prohibit|forbid|outside the scope|does not (cover|extend|apply)"
    r"|no (licen[cs]e|rights?) (is |are )?granted|consistent with|void|not extend"
)
_PLACE = (
    r"(resident|located|domiciled|headquartered|based|incorporated|organi[sz]ed|citizens?)\w*"
    r" (in|of)\b"
)
_GUARD = (
    r"safety|guardrail|safeguard|filter|moderation|protective|protection|harm[- ]prevention"
    r"|refusal|alignment|watermark|guard model|classifier|mitigation"
)
_DEFEAT = (
    r"remov|disabl|circumvent|bypass|tamper|overrid|defeat|evad|jailbreak|deactivat|strip"
    r"|weaken|route around|routing around|switch\w* off|turn\w* off|abliterat"
)
_SUE = r"(institut|initiat|commenc|bring|brings|file|files|filed|make)\w* .{0,40}"
_SUE += r"(litigation|lawsuit|proceeding|legal action|action|claim|suit)"
_ENDS = r"terminat|\bend(s|ed)?\b|revok|revoc|ceases?"
_COMMERCE = (
    r"commercial (use|purpose|exploitation|advantage|application|activit|product|service"
    r"|deployment)|commercially|monetis|monetiz|for-profit|revenue-generating|earns? money"
    r"|paid (service|product)|monetary compensation"
)
_RESEARCH = (
    r"research|evaluat\w*|testing|benchmark\w*|academic|scholarly|educational|teaching"
    r"|experiment\w*|non-?production|scientific|personal"
)
_USERS = (
    r"(\d[\d,.]*\s*(thousand|million|billion|k|m)?|thousand|million|billion)\s+(\w+\s+){0,2}"
    r"(users|accounts|subscribers|customers|seats|people|installations|mau)\b"
)
_COMPARE = (
    r"more than|greater than|exceed|in excess of|\bover\b|above|at least|or more|less than"
    r"|fewer than|below|under|up to|not exceeding|no more than|reach|pass|surpass|threshold"
    r"|limited to|once"
)

RULES: dict[str, Rule] = {
    "aup": _rule(
        _near(_POLICY, _BIND, 250)
        + r"|\"acceptable use policy\" means"
        + r"|(polic(y|ies)|rules|guidelines).{0,80}incorporated (herein )?(by reference|into)"
        + r"|incorporates .{0,60}(polic\w*|rules|guidelines)",
        True,
        "an acceptable-use policy restricts use",
        "follow the licensor's acceptable-use policy and pass it on to your users",
    ),
    "naming": _rule(
        r"at the beginning of (any|the|such)?.{0,30}name|name prefix|prefix.{0,40}name"
        r"|names? (that |which )?(must |shall )?(begins?|starts?) with|keep the prefix"
        r"|\"[^\"]{1,30}\" at the (start|beginning) of .{0,30}name"
        r"|(display|state|show|feature|carry|bear|label|caption)\w*.{0,120}\"(built|powered"
        r"|improved|made|created|developed|based|derived|runs|running) (with|using|on|by|from)"
        r" [^\"]{1,40}\"|\"(built|improved|powered|made|runs) (with|using|on|by) [^\"]{1,40}\""
        r"|is built using .{1,60} technology|brand guidelines"
        r"|(must|shall) (prominently |clearly )?(display|state|show) .{0,60}\"[^\"]{1,40}\""
        r"|(include|display|state)\w* prominently|prominently (display|include|state|show)"
        r"|(feature|display|show)\w* the licensor\W?s? (logo|name)"
        r"|credit the licensor|(name|title) of any .{0,60}must include",
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
        _USERS + r"|(users|customers|subscribers).{0,40}(" + _COMPARE + r") " + _NUMBER,
        True,
        "a user cap limits how widely it may be deployed",
        "ask the licensor for a licence above the user cap",
        also=_COMPARE,
    ),
    "revenue_cap": _rule(
        _near(
            r"revenue|turnover|income|sales|market cap\w*|valuation|receipts|funding",
            _MONEY + r"|\d[\d,.]*\s*(million|billion|crore|lakh|m\b|bn\b)"
            r"|(one|two|three|four|five|ten|hundred) (thousand|million|billion)",
            100,
        )
        + r"|("
        + _COMPARE
        + r") (than )?[\d,]+ (total )?(individuals|employees|staff"
        r"|personnel|full-time|people)|headcount (above|over|of more)|revenue threshold",
        True,
        "a revenue or company-size cap limits who may use it",
        "ask the licensor for a licence above the revenue or size threshold",
        also=_COMPARE + r"|only if|only to|qualify|threshold|or more|exceeds?",
    ),  # fmt: skip
    "litigation_termination": _rule(
        _near(_SUE, _ENDS, 400) + r"|challenge the validity.{0,120}(" + _ENDS + ")",
        True,
        "the licence ends if you sue the licensor",
        "the licence ends if you sue the licensor over it",
    ),
    "discretionary_termination": _rule(
        _near(
            r"terminat\w*|revok\w*|suspend\w*|cancel\w*|\bend\b",
            r"at any time|for any reason|without cause|(sole|absolute|its) discretion"
            r"|for convenience|competitor|compete|acquired|merge|change of control"
            r"|criticis|disparag",
            100,
        ),
        True,
        "the licensor may end the licence at will or for reasons beyond a breach",
        "the licensor may end the licence at will",
    ),
    "safety_guardrail": _rule(
        _near(_DEFEAT, _GUARD, 80)
        + r"|(keep|retain|maintain|must use|depends? on|be used to screen).{0,80}("
        + _GUARD
        + ")",
        True,
        "the licence depends on keeping the licensor's safety guardrails",
        "keep the licensor's safety guardrails and filters in place",
    ),  # fmt: skip
    "terms_change": _rule(
        r"(reserves? the right to|\bmay|\bcan|\bwill) (at any time |from time to time )?"
        r"(unilaterally )?(" + _CHANGE + r").{0,60}(" + _TERMS + r")"
        r"|(continued|continuing) (use|to).{0,80}(constitutes|signifies|deemed|means|after)"
        r"|(" + _TERMS + r").{0,40}(may|will|can) be (" + _CHANGE + r")"
        r"|(most recent|latest|current) (copy|version) of (this|the) (polic|terms|agreement|licen)"
        r"|the latest version from time to time"
        r"|(after|following) (an|any|the|such) (" + _CHANGE + r") (to|of) (" + _TERMS + r")"
        r"|bound by the (updated|amended|revised|new|changed) (" + _TERMS + r"|agreement|terms)"
        r"|(" + _CHANGE + r").{0,60}without (prior )?notice|monitor the web address"
        r"|check this page periodically",
        True,
        "the licensor may change the terms unilaterally",
        "watch for changed terms: the licensor may change them at any time",
    ),  # fmt: skip
    "non_commercial": _rule(
        r"(?<!commercial or )(?<!commercial and )\bnon-?commercial(?! or commercial)"
        r"(?! and commercial)(?! purposes? or)|not (be )?used? for commercial"
        r"|(?<!non-)commercial (use|purposes?).{0,40}(requires?|need).{0,30}(separate|"
        r"written|commercial) (agreement|licen[cs]e|permission)|"
        + _near(
            r"\bno\b|\bnot\b|never|prohibit|forbid|outside the scope|does not (allow|permit|cover)"
            r"|cannot|requires? (a )?(separate|commercial|paid)|shall request|must (buy|pay)",
            _COMMERCE,
            80,
        )
        + r"|(not-for-profit|non-?profit|hobby\w*|charitable).{0,80}(only|purposes?|businesses"
        r" must)|without any (anticipated )?commercial|directed towards? commercial",
        True,
        "use is limited to non-commercial purposes",
        "no commercial use: the model is non-commercial",
    ),
    "research_only": _rule(
        r"\b(only|solely|exclusively|strictly|limited to|alone)\b.{0,80}\b(" + _RESEARCH + ")"
        r"|\b(" + _RESEARCH + r")\b.{0,80}\b(only|solely|alone|nothing else)\b"
        r"|production (use|deployment|systems?)? ?(is|are) not (licensed|permitted|allowed"
        r"|authori[sz]ed)|(may not|must not|shall not|cannot) be (deployed|used) in (production"
        r"|any product)|research preview|evaluat\w* .{0,40}for (up to |a period of )?\w+ days"
        r"|non-?production use|only use .{0,160}for (non-?commercial )?(research|evaluation|testing"
        r"|personal)",
        True,
        "use is limited to research, testing, evaluation or personal purposes",
        "research, testing or evaluation only: no production use",
    ),
    "output_use": _rule(
        _near(
            _OUTPUT,
            r"(improv|train|fine[- ]?tun|develop|creat|build|distil|teach|pretrain|benchmark"
            r"|compet|fed|feed)\w*.{0,100}(model|\bai\b|llm|machine learning|neural network"
            r"|system|other works|training data|datasets?)",
            160,
        )
        + r"|outputs? shall be subject to the restrictions|(use of the output|outputs?).{0,40}"
        r"(contravene|violate)|(contravene|violate).{0,80}use of the output"
        r"|distil\w* the model\W?s? (responses|outputs)"
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
        r"|(prohibited|restricted) uses?\b.{0,40}:$|(specified |the )restricted uses"
        r"|(restrictions|uses?) (in|set forth in|listed in) (attachment|appendix|annex|schedule"
        r"|exhibit)|(uses|purposes?) listed in (attachment|appendix|annex|schedule|exhibit)"
        r"|\bnot\s+(to\s+)?(use|employ|deploy)\w*\s+(the |any |this )?(model|software|weights"
        r"|work|materials)\b.{0,80}\b(to|for|in|as)\b"
        r"|(model|software|weights|work|materials|it) (must|shall|may) not be used (to|for)"
        r"|^using the (model|software|weights).{0,160}"
        r"(is|are) (forbidden|prohibited|not (permitted|allowed))"
        r"|uses of the (model|software|weights) are prohibited|following (ways|uses)",
        True,
        "use-based restrictions apply",
        "use-based restrictions apply and must flow down",
    ),
    "flow_down": _rule(
        r"(must|shall) be included as (an )?enforceable provisions?"
        r"|(include|incorporate).{0,120}(restrictions|these terms|section \d+|paragraph \d+)"
        r".{0,80}(enforceable provision|in (any|every|each|all) (agreement|licen[cs]e|contract))"
        r"|give notice to subsequent users|(pass|carry|flow)\w* (on |down |forward )?(these|the"
        r"|such|those|all)? ?(use |same )?(restrictions|conditions|terms|limitations)"
        r"|(require|ensure|make sure|procure|oblige|cause|bind|responsible for ensuring)\w*"
        r".{0,100}(users?|customers?|recipients?|licensees?|third part\w*|persons?|anyone"
        r"|everyone).{0,100}(comply|abide|bound|agree|accept|observe|follow|respect)\w*"
        r"|(restrictions|limitations|conditions)\w*.{0,40}(at least as (strict|restrictive)"
        r"|no less (strict|restrictive))|(bound|subject) (by|to) the same (limitations"
        r"|restrictions|conditions)|(terms of service|end[- ]user (terms|licen[cs]e|agreement)"
        r"|eula).{0,80}(prohibit|restrict)|(does not|not) (contradict|conflict with) the"
        r" (restrictions|acceptable use)|similar set of restrictions"
        r"|same use-based restrictions|(derivatives?|recipients?).{0,80}subject to the"
        r" restrictions|onward licen[cs]ing.{0,80}non-?commercial|contractually required",
        True,
        "restrictions must be imposed on downstream users",
        "impose the same restrictions on anyone you give it to",
    ),
    "remote_update": _rule(
        r"restrict \(remotely|remotely or otherwise|\bremotely\b|licen[cs]e server"
        r"|connect to (our|the licensor\W?s?) servers?|(push|deliver)\w* updates?"
        r"|(throttle|shut off|shut down|alter).{0,60}(technical means|remotely|network)"
        r"|modify the output.{0,60}updates|update the model through electronic means",
        True,
        "the licensor may restrict use remotely",
        "the licensor may restrict use remotely",
    ),
    "field_of_use": _rule(
        _near(_FIELD, _EXCLUDE, 100)
        + r"|"
        + _near(_PLACE, r"not|\bno\b|exclud|void|does not extend", 120)
        + r"|not (being )?granted to you if you are .{0,80}(domiciled|located|resident)"
        r"|(sanctioned|embargoed) (countries|country|jurisdictions|persons)|sanctions list"
        r"|subject to (comprehensive )?(\w+ )?(sanctions|embargo)|restricted[- ]part(y|ies)"
        r"|for good, not evil",
        True,
        "some people, places or fields of use are excluded",
        "some people, places or fields of use are excluded",
    ),  # fmt: skip
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
