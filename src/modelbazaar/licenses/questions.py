"""Licence FAQs and summaries: a question read together with its answer.

"Can I use X in a paid app? No, paid apps need a commercial agreement." says its clause across
two sentences: the question names the use, the answer allows or refuses it. The rules read one
sentence at a time, so the pair is turned into one statement they can read ("you may not use x
in a paid app; paid apps need ..."). A question alone asks, it restricts nothing: its own
wording is not read as a clause (`is_question`).

Example: `read_with_question("can i use x in a paid app?", "no, not under this licence.")` ->
"you may not use x in a paid app; not under this licence."
"""

from __future__ import annotations

import re

# "can I ...?", "may we ...?", "can people in X ...?", "am I allowed to ...?"
_PERMISSION = re.compile(
    r"^(?:can|may|could) ((?:people|users|anyone|companies|residents) (?:in|from) [^?]{1,40}?"
    r"|i|we|people|users|anyone|companies|organi[sz]ations|businesses|(?:my|our) [\w-]+"
    r"(?: [\w-]+)?|[\w-]+ users) (.+)\?$"
    r"|^(?:am|are) (i|we|people|users) (?:allowed|permitted) to (.+)\?$"
    r"|^is it (?:ok|okay|allowed|permitted|fine|alright)(?: for (me|us))? to (.+)\?$"
)
# "is X okay?": a use named by its gerund
_ACCEPTABLE = re.compile(r"^is (.+) (?:ok|okay|allowed|permitted|fine|alright|acceptable)\?$")
_WH = re.compile(r"^(what|how|when|where|who|which|why)\b")
_NO = re.compile(r"^(?:no|nope|never|not\b[^,:;.!]*)\b[\s,:;.!-]*(.*)$")
_YES = re.compile(r"^(?:yes|yep|sure|absolutely|of course|certainly)\b[\s,:;.!-]*(.*)$")
_ONLY = re.compile(r"^only\b(.*)$")
_SUBJECT = {"i": "you", "we": "you", "me": "you", "us": "you"}


def is_question(lowered: str) -> bool:
    """True for a normalised sentence that asks (ends with a question mark)."""
    return lowered.rstrip().endswith("?")


def _subject(word: str) -> str:
    word = _SUBJECT.get(word, word)
    return re.sub(r"^(my|our) ", "your ", word)


def read_with_question(question: str, answer: str) -> str | None:
    """One statement for a normalised question and the answer after it, or None when the pair
    says no more than the answer (a "no" to a question that asks no permission)."""
    answer = answer.strip()
    permission = _PERMISSION.match(question.strip())
    acceptable = _ACCEPTABLE.match(question.strip())
    no, yes, only = _NO.match(answer), _YES.match(answer), _ONLY.match(answer)
    if permission:
        groups = [g for g in permission.groups() if g is not None]
        who, what = _subject(groups[0]), groups[1]
        if no:
            return f"{who} may not {what}; {no[1]}"
        if only:
            return f"{who} may {what} only{only[1]}"
        if yes:
            return f"{who} may {what}; {yes[1]}"
        return f"{question.rstrip('?')}: {answer}"
    if acceptable:
        if no:
            return f"{acceptable[1]} is not allowed; {no[1]}"
        return f"{acceptable[1]} is allowed; {yes[1] if yes else answer}"
    if _WH.match(question) or yes:
        return f"{question.rstrip('?')}: {yes[1] if yes else answer}"
    return None
