"""Find restrictive clauses in any licence text, known or not, sentence by sentence.

The kinds and their wording are in `rules/`. Beyond the rules, three things are read from the
layout: a use-restriction list ("You will not use the Model:" followed by items) is quoted item
by item, a question in a licence FAQ is read with its answer ("Can I ...? No, ...";
questions.py), and copyleft conveyance terms (GPL's "occasionally and noncommercially") are
never taken for a non-commercial clause.

Example: `find_clauses("2. If you have more than 700 million monthly active users, you must ask
us.", "LICENSE")` -> `[ClauseFinding(kind="mau_cap", section="2", detail={"threshold":
700000000}, ...)]`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from modelbazaar.licenses.clause_model import (
    KIND_OF_CATEGORY,
    TOKEN,
    ClauseClassifier,
    category,
    shipped_model,
)
from modelbazaar.licenses.models import ClauseFinding
from modelbazaar.licenses.questions import is_question, read_with_question
from modelbazaar.licenses.rules import RULES
from modelbazaar.licenses.rules.base import MONEY
from modelbazaar.licenses.rules.look_alikes import settle
from modelbazaar.licenses.sections import Sentence, segments

_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "—": "-", "–": "-"})
_SCALE = {"thousand": 1_000, "k": 1_000, "million": 1_000_000, "m": 1_000_000}
_SCALE |= {"billion": 1_000_000_000, "bn": 1_000_000_000}
MIN_WORDS = 5  # words a sentence needs before the classifier judges it (see _learned)
KNOWN_SHARE = 0.5  # ... and the share of them the train part has (4 of 846 held-out rows lack it)
UPDATABLE = re.compile(
    r"most recent (copy|version)|latest version|may be updated|updated from time to time"
    r"|from time to time|may (modify|amend|change) (this|the) (policy|acceptable use)"
)


# Contractions spelt out, so plain-English licences ("you can't use", "isn't licensed") read
# like formal ones: "can't" -> "cannot", "won't" -> "will not", "isn't" -> "is not".
_CONTRACTIONS = {"can't": "cannot", "won't": "will not", "shan't": "shall not"}
_NOT = re.compile(r"\b(can't|won't|shan't|(\w+)n't)\b")


def normalise_sentence(sentence: str) -> str:
    """Lower case, straight quotes, contractions spelt out: what the rules read. Example:
    "“AUP”" -> '"aup"'; "You can't" -> "you cannot"."""
    lowered = sentence.translate(_QUOTES).lower()
    return _NOT.sub(lambda m: _CONTRACTIONS.get(m[1]) or f"{m[2]} not", lowered)


def _number(text: str) -> int | None:
    """ "700 million" -> 700000000; "1,000,000" -> 1000000; None when not a number."""
    match = re.search(r"(\d[\d,.]*)\s*(thousand|million|billion|bn|k|m)?\b", text)
    if not match or match[1].count(".") > 1:
        return None
    return int(float(match[1].replace(",", "")) * _SCALE.get(match[2] or "", 1))


def _threshold(sentence: str) -> int | None:
    """The user count in a user-cap clause: "700 million monthly active users" -> 700000000."""
    match = re.search(
        r"(\d[\d,.]*\s*(thousand|million|billion)?)\s*(monthly active|mau|registered|active"
        r"|daily active|end |total |paying )?\s*(users|customers|subscribers|seats)",
        sentence,
    )
    return _number(match[1]) if match else None


def _law(sentence: str) -> str | None:
    match = re.search(
        r"laws? of (the )?(state of |people's republic of )?([a-z][a-z ]{1,40}?)"
        r"(,| without| and| excluding|\.|$)",
        sentence,
    )
    return match[3].strip().title() if match else None


def _detail(kind: str, sentence: str, whole: str) -> tuple[dict, bool | None]:
    """Extra facts for a finding, and an override of `restrictive` when the wording decides."""
    if kind in ("mau_cap", "user_cap"):
        return {"threshold": _threshold(sentence)}, None
    if kind == "revenue_cap":
        money = re.search(MONEY, sentence)
        return {"threshold": money[0].strip().upper() if money else None}, None
    if kind == "aup":
        evidence = UPDATABLE.search(whole)
        return {"updatable": bool(evidence), "evidence": evidence[0] if evidence else None}, None
    if kind == "litigation_termination" and "patent" in sentence:
        if not re.search(r"intellectual property|copyright|trade secret|whether or not", sentence):
            # Apache / OpenMDW-style patent retaliation: common in OSI-approved licences.
            return {"scope": "patent claims only"}, False
    if kind == "governing_law":
        courts = re.search(
            r"courts? (of|in) (the )?([a-z][a-z ]{1,40}?)( shall| will| have|,|\.)", whole
        )
        return {"law": _law(sentence), "courts": courts[3].title() if courts else None}, None
    return {}, None


def _kinds(
    lowered: str, learned: dict[str, float] | None = None, doubted: set[str] | None = None
) -> list[str]:
    """The clause kinds one normalised sentence has: the rules' (but those of a category the
    classifier `doubted`), plus the categories the classifier found that no rule did
    (`learned`: category -> probability).

    A classifier adds; it never takes a rule's finding away. Settling the rules' kinds and the
    added ones together would let an added field of use displace the rules' use restriction of
    the same sentence (a more specific kind wins, look_alikes.settle), so the rules' kinds are
    settled first, and an added kind stays if it survives settling beside them."""
    found = [kind for kind, rule in RULES.items() if rule.matches(lowered)]
    found = [kind for kind in found if category(kind) not in (doubted or ())]
    have = {category(k) for k in found}
    added = [KIND_OF_CATEGORY.get(c, c) for c in learned or {} if c not in have]
    ruled = settle(found, lowered)
    return ruled + [k for k in settle(ruled + added, lowered) if k in added]


def find_clauses(
    text: str,
    source: str,
    keep: Callable[[str], bool] | None = None,
    *,
    classifier: ClauseClassifier | None = None,
) -> list[ClauseFinding]:
    """Every restrictive (or notable) clause in a licence text, each quoted with its section.

    Works on any text: the rules read wording, not licence names. A `classifier`
    (clause_model.py) adds the categories it finds that no rule did (detail "classifier": its
    probability), quoted with their section like the rules' findings; the audit passes the
    shipped one (`clause_model.shipped_model()`: the categories in its ADDS_TO_RULES only,
    at thresholds chosen for precision 0.9), the bench measures both ways.
    A classifier may also doubt a rule's finding (`doubted`: `--deep`'s encoder drops the rule
    findings it gives almost no chance, audit/clause_encoder.py).
    The items of a use-restriction list are quoted one by one (kind "use_restriction",
    detail "item"). `keep(sentence)` limits the search to some sentences (the text a variant
    adds). Example: "3. You may use the model for non-commercial purposes only." -> one
    finding `kind="non_commercial", section="3"`.
    """
    findings: list[ClauseFinding] = []
    whole = normalise_sentence(text)
    heading: Sentence | None = None
    found_all = list(segments(text))
    wanted = [keep is None or keep(f.text) for f in found_all]
    learned, doubts = _learned(
        [f.text for f, w in zip(found_all, wanted, strict=True) if w], classifier
    )
    asked: str | None = None  # the question just before, in a licence FAQ
    for found, want in zip(found_all, wanted, strict=True):
        lowered = normalise_sentence(found.text)
        if heading is not None and not _in_list(found, heading):
            heading = None  # the list ended
        guesses = learned.pop(0) if want and learned else {}
        doubted = doubts.pop(0) if want and doubts else set()
        # a question restricts nothing; its answer is read with it ("Can I ...? No, ...")
        reading = read_with_question(asked, lowered) if asked else None
        asked = lowered if is_question(lowered) else None
        kinds = _kinds(reading or lowered, guesses, doubted) if want and asked is None else []
        if heading is not None and want and "use_restriction" not in kinds:
            detail = {"item": True, "heading": heading.text}
            findings.append(_finding("use_restriction", source, found, detail, True))
        for kind in kinds:
            detail, override = _detail(kind, lowered, whole)
            if category(kind) in guesses and not RULES[kind].matches(lowered):
                detail["classifier"] = guesses[category(kind)]
            restrictive = RULES[kind].restrictive if override is None else override
            findings.append(_finding(kind, source, found, detail, restrictive))
        if "use_restriction" in kinds and lowered.rstrip().endswith((":", "-")):
            heading = found
    return findings


def _learned(
    texts: list[str], model: ClauseClassifier | None
) -> tuple[list[dict[str, float]], list[set[str]]]:
    """The classifier's categories for each sentence, and those it doubts (empty without a
    classifier).

    A fragment of fewer than MIN_WORDS words is not judged: its TF-IDF vector is one or two
    terms, so a word that often opens a clause scores as the clause ("If" cut off before a
    list, in TPL-1.0, came out a termination at 0.97; after the eighth clause pass, OSET-PL's
    heading "No Sovereign Immunity" came out a use restriction at 0.89, so three words are not
    enough either; after the tenth, CAL-1.0's heading "No Withholding User Data" did at four, and
    of the train part's 111 four-word sentences 3 hold a clause, all three found by the rules).
    For the same reason a sentence most of whose words the train part never had is not judged:
    after the ninth pass the German CC texts' "natürliche oder juristische Person" definitions
    (one known word, "person") came out use restrictions at 0.84. Rules and classifiers read
    English; other languages are left to the rules."""
    if model is None or not texts:
        return [{} for _ in texts], [set() for _ in texts]
    probs = model.probabilities(texts)
    judged = [_judged(t) for t in texts]
    found = [f if j else {} for f, j in zip(model.found(probs), judged, strict=True)]
    return found, [d if j else set() for d, j in zip(model.doubted(probs), judged, strict=True)]


def _judged(text: str) -> bool:
    """Enough words, and at least KNOWN_SHARE of them words the train part has."""
    words = TOKEN.findall(text.lower())
    if len(words) < MIN_WORDS:
        return False
    known = _known_words()
    return sum(word in known for word in words) >= KNOWN_SHARE * len(words)


@cache
def _known_words() -> frozenset[str]:
    """The train part's words: the shipped TF-IDF model's unigrams."""
    return frozenset(term for term in shipped_model().vocabulary if " " not in term)


def _in_list(found: Sentence, heading: Sentence) -> bool:
    """An item below a list heading: deeper numbering ("3.1" -> "3.1.a") or a bullet there."""
    if heading.section is None or found.section == heading.section:
        return found.item
    return bool(found.section and found.section.startswith(heading.section + "."))


def _finding(kind: str, source: str, found: Sentence, detail: dict, restrictive: bool):
    return ClauseFinding(
        kind=kind,
        source=source,
        section=found.section,
        quote=found.text,
        restrictive=restrictive,
        detail=detail,
    )
