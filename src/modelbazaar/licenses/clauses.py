"""Find restrictive clauses in any licence text, known or not, sentence by sentence.

Each rule is a few regular expressions over one normalised sentence (lower case, straight
quotes). Rules fire on wording, not on which licence it is, so a licence never seen before is
read the same way. Kinds (restrictive unless noted):

    aup                      an acceptable-use policy incorporated by reference (detail: updatable)
    naming                   derivatives must carry a name / "Built with X" statement
    notice                   a fixed attribution notice must be kept (informational)
    mau_cap                  a monthly-active-user cap (detail: threshold)
    litigation_termination   suing the licensor ends the licence (patent-only: informational)
    non_commercial           non-commercial or research-only use
    output_use               conditions on using outputs to build or improve other models
    use_restriction          use-based (RAIL) restrictions
    flow_down                restrictions must be passed on to downstream users
    remote_update            the licensor may restrict or update use remotely
    field_of_use             people or places excluded from the grant
    governing_law            governing law and courts (informational; detail: law)

Example: `find_clauses("2. If you have more than 700 million monthly active users, you must ask
us.", "LICENSE")` -> `[ClauseFinding(kind="mau_cap", section="2", detail={"threshold":
700000000}, ...)]`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from modelbazaar.licenses.models import ClauseFinding
from modelbazaar.licenses.sections import sentences

_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "—": "-", "–": "-"})
_SCALE = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
UPDATABLE = re.compile(
    r"most recent (copy|version)|latest version|may be updated|updated from time to time"
    r"|from time to time|may (modify|amend|change) (this|the) (policy|acceptable use)"
)


def _has(pattern: str) -> Callable[[str], bool]:
    compiled = re.compile(pattern)
    return lambda s: compiled.search(s) is not None


# kind -> (test on the normalised sentence, restrictive)
RULES: dict[str, tuple[Callable[[str], bool], bool]] = {
    "aup": (
        _has(
            r"(acceptable use|use policy|prohibited use).{0,250}(incorporated|comply|adhere|abide)"
            r"|(comply|adhere|abide|subject to).{0,120}(acceptable use|use policy|prohibited use)"
            r"|\"acceptable use policy\" means"
            r"|(polic(y|ies)|rules|guidelines)[^.]{0,80}incorporated (herein )?by reference"
        ),
        True,
    ),
    "naming": (
        _has(
            r"at the beginning of (any|the|such)?.{0,30}name|name prefix|prefix.{0,40}name"
            r"|display \"(built|improved) (with|using)"
            r"|\"(built|improved) (with|using) [^\"]{1,40}\""
            r"|is built using .{1,60} technology"
        ),
        True,
    ),
    "notice": (_has(r"attribution notice|\"notice\" text file"), False),
    "mau_cap": (_has(r"monthly active users?"), True),
    "litigation_termination": (
        _has(
            r"(institute|initiate|commence|bring|file).{0,60}"
            r"(litigation|lawsuit|proceeding|legal action)"
            r".{0,400}terminat"
        ),
        True,
    ),
    "non_commercial": (
        _has(
            r"(?<!commercial or )(?<!commercial and )\bnon-?commercial(?! or commercial)"
            r"(?! and commercial)(?! purposes? or)|research (or evaluation )?purposes only"
            r"|only use .{0,160}for research purposes|not (be )?used? for commercial"
            r"|for research (or evaluation )?purposes only"
        ),
        True,
    ),
    "output_use": (
        _has(
            r"outputs?( or results)?[^.]{0,120}(improve|train|fine[- ]tune|create)[^.]{0,80}"
            r"(model|other works)|outputs? shall be subject to the restrictions"
            r"|(improve|train|fine[- ]tune)[^.]{0,60}(with|using|on) (the )?outputs?"
        ),
        True,
    ),
    "use_restriction": (
        _has(
            r"use[- ]based restrictions|attachment a|you agree not to use the model"
            r"|not (to )?use the (model|work|materials) .{0,80}"
            r"(ways|purposes) (described|listed|set)"
        ),
        True,
    ),
    "flow_down": (
        _has(
            r"(must|shall) be included as (an )?enforceable provisions?"
            r"|give notice to subsequent users"
            r"|(require|cause) .{0,80}(third part|recipients?|users)"
            r".{0,80}comply with .{0,40}(restrictions|acceptable use|use policy)"
        ),
        True,
    ),
    "remote_update": (_has(r"restrict \(remotely|remotely or otherwise"), True),
    "field_of_use": (
        _has(r"not (being )?granted to you if you are .{0,80}(domiciled|located|resident)"),
        True,
    ),
    "governing_law": (
        _has(r"governed by|governed and construed|construed (under|in accordance with)"),
        False,
    ),
}


def _threshold(sentence: str) -> int | None:
    """The user count in a monthly-active-user clause: "700 million" -> 700000000."""
    match = re.search(
        r"(\d[\d,.]*)\s*(thousand|million|billion)?\s*(monthly active|mau|users)", sentence
    )
    if not match:
        return None
    number = float(match[1].replace(",", "")) if match[1].count(".") <= 1 else None
    if number is None:
        return None
    return int(number * _SCALE.get(match[2] or "", 1))


def _law(sentence: str) -> str | None:
    match = re.search(
        r"laws? of (the )?(state of |people's republic of )?([a-z][a-z ]{1,40}?)"
        r"(,| without| and| excluding|\.|$)",
        sentence,
    )
    return match[3].strip().title() if match else None


def _detail(kind: str, sentence: str, whole: str) -> tuple[dict, bool | None]:
    """Extra facts for a finding, and an override of `restrictive` when the wording decides."""
    if kind == "mau_cap":
        return {"threshold": _threshold(sentence)}, None
    if kind == "aup":
        evidence = UPDATABLE.search(whole)
        return {"updatable": bool(evidence), "evidence": evidence[0] if evidence else None}, None
    if kind == "litigation_termination" and "patent" in sentence:
        if "intellectual property" not in sentence:
            # Apache / OpenMDW-style patent retaliation: common in OSI-approved licences.
            return {"scope": "patent claims only"}, False
    if kind == "governing_law":
        courts = re.search(
            r"courts? (of|in) (the )?([a-z][a-z ]{1,40}?)( shall| will| have|,|\.)", whole
        )
        return {"law": _law(sentence), "courts": courts[3].title() if courts else None}, None
    return {}, None


def find_clauses(text: str, source: str) -> list[ClauseFinding]:
    """Every restrictive (or notable) clause in a licence text, each quoted with its section.

    Works on any text: the rules read wording, not licence names. Example: a sentence "You may
    use the model for non-commercial purposes only." under heading "3." -> one finding
    `kind="non_commercial", section="3"`.
    """
    findings: list[ClauseFinding] = []
    whole = text.translate(_QUOTES).lower()
    for section, sentence in sentences(text):
        lowered = sentence.translate(_QUOTES).lower()
        for kind, (test, restrictive) in RULES.items():
            if test(lowered):
                detail, override = _detail(kind, lowered, whole)
                findings.append(
                    ClauseFinding(
                        kind=kind,
                        source=source,
                        section=section,
                        quote=sentence,
                        restrictive=restrictive if override is None else override,
                        detail=detail,
                    )
                )
    return findings
