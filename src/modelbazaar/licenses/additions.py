"""Conditions a copy of an open licence adds that no rule could classify.

An OSI-approved licence with a paragraph appended is no longer the approved licence: the added
text decides (issue 11). When the rules find a restriction in it, that finding decides. When
they find none but the text still limits something ("the License does not grant to you the
right to Sell the Software", the Commons Clause), counting it as open source would vouch for
wording nobody has read, so the audit treats it as it treats an unrecognised licence text: not
open source until a person has read it. Added text that limits nothing (names, a project
header, a warranty disclaimer, "This is not an official Google product") is left alone.

Example: Apache-2.0 + the Commons Clause -> ['... does not grant to you, the right to Sell the
Software.'].
"""

from __future__ import annotations

import re

from modelbazaar.licenses import facts as lic
from modelbazaar.licenses.models import ClauseFinding, LicenseMatch
from modelbazaar.licenses.sections import segments

# A permission denied or narrowed: "does not grant ... the right to", "not permitted to sell",
# "only for", "except", "prohibited", "terminates", "subject to the following condition".
LIMITS = re.compile(
    r"\b(not|no|never|neither|nor)\b[^.;:]{0,60}?\b(grant\w*|rights?|permi\w*|licen[cs]\w*"
    r"|allow\w*|includ\w*|use|using|sell\w*|sale|distribut\w*|commerciali?\w*|provid\w*|host\w*"
    r"|redistribut\w*|modif\w*|deploy\w*)\b"
    r"|\b(prohibit\w*|restrict\w*|terminat\w*|only|solely|exclusively|except|unless|forbid\w*"
    r"|conditions? (below|above|that follows?|as follows)|following conditions?)\b"
    r"|\brequir\w* (the |our |a )?(prior |express |separate )?(written )?(approval|consent"
    r"|permission|authori[sz]ation|agreement|licen[cs]e)\b",
    re.I,
)
# What an added sentence may say without limiting the grant: disclaimers and affiliations.
HARMLESS = re.compile(
    r"liab|warrant|damages|\bas is\b|affiliat|endors|officially|trademark|all rights reserved", re.I
)


def unclassified_conditions(match: LicenseMatch, findings: list[ClauseFinding]) -> list[str]:
    """The added sentences of a variant of an open licence that limit something, when no rule
    found a restriction in the text (empty otherwise: a finding already decides)."""
    if match.status != "variant" or not match.license_id or not lic.is_open(match.license_id):
        return []
    if any(f.restrictive and f.source == match.source for f in findings):
        return []
    found = []
    for paragraph in match.added:
        for sentence in segments(paragraph):
            text = sentence.text.strip()
            if LIMITS.search(text) and not HARMLESS.search(text) and text not in found:
                found.append(text)
    return found
