"""Wording that looks like a clause but is not one, and which of two overlapping kinds stays.

The rules (the other modules here) find wording; this module settles what a sentence really
says: a veto per kind for its look-alikes (the licensee changing the text, GPL's "new
versions", ending the licence on a breach, a name that may not endorse products), definitions
(which name things rather than restrict them), copyleft conveyance terms, and overlaps (a
revenue cap is not also a field-of-use exclusion).

Example: `settle(["use_restriction"], "the name of the author may not be used to endorse
products")` -> `[]`.
"""

from __future__ import annotations

import re

from modelbazaar.licenses.rules.vetoes import VETO

# A definition ('"Model Derivatives" means ...') names things; the clauses using it restrict.
DEFINITION = re.compile(
    r'^"[^"]{1,60}"[^"]{0,40}?(\bor "[^"]{1,60}")?:? (means|includes|shall mean|refers to)\b'
)
# Kinds a definition can carry: '"Non-Commercial" shall mean for research purposes only'.
DEFINED_SCOPE = {"aup", "non_commercial", "research_only", "revenue_cap", "user_cap"}
# Copyleft conveyance terms are conditions on distributing copies, not on use: GPL's
# "occasionally and noncommercially" / "noncommercial distribution" object-code options.
CONVEYANCE = re.compile(r"noncommercially|noncommercial distribution|\bconvey")
# "Designed for research purposes only": a description of the work, which grants nothing.
_NO_GRANT = r"^(?!.*\b(licen[cs]ed|granted|permitted|authori[sz]ed|may (only )?(be )?use))"
RESEARCH_DESCRIPTION = re.compile(
    _NO_GRANT + r".*\b(designed|developed|built|created|trained)\b (solely |only |primarily )?for"
    r" research"
    # "provided for research reproducibility": research names a kind of thing, not the grant's use
    # what the licensor does: "we only release models that passed our safety evaluation"
    r"|\b(we|the licensor|it) only (release|publish|provide|support|offer|distribute)\w*"
    # what the licensor did: "the Licensor ran an evaluation for thirty days before release"
    # ... or used: "our researchers only used synthetic data when testing the Model"
    r"|\b(we|our (\w+ )?(team|researchers|engineers|staff)|the licensor|licensor|the company"
    r"|the (custodian|consortium|provider|institution|university))"
    r" (only |solely |exclusively )?(ran|conducted|performed|carried out|did|used|trained|tested"
    r"|evaluated)\b"
    # ... or uses: "the Consortium uses the usage reports solely to evaluate demand"
    r"|" + _NO_GRANT + r".*\b(we|the (licensor|company|custodian|consortium|provider"
    r"|institution|university))\b (only |solely )?uses?\b"
    # ... by name: "Orbis only uses the feedback you send to evaluate its roadmap"
    r"|" + _NO_GRANT + r"^(?!(you|licensee|recipient|users?|customers?)\b)[\w-]+ (only |solely )?"
    r"uses\b"
    # what a paper reports: "experiments run exclusively on public research datasets"; "we report
    # results on research benchmarks only"
    r"|" + _NO_GRANT + r".*\b(we|our \w+) (report|present|publish|show)\w* (the )?(results?|scores?"
    r"|numbers|figures|evaluations?)\b"
    r"|" + _NO_GRANT + r".*\b(experiments?|studies|evaluations?|tests?|results)\b (were |was )?"
    r"(run|conducted|performed|carried out|done|reported)\b"
    r"|(provided|released|shared|published|made available) for research (?!(purposes?|uses?|only"
    r"|and|or)\b)[a-z]+"
    # "only the base model was evaluated for safety": what was tested, not what may be used
    r"|" + _NO_GRANT + r".*\b(was|were|has|have)( not| never)? (been )?(\w+ )?(evaluated|tested"
    r"|benchmarked"
    r"|assessed)\b"
    # what an evaluation covered: "our evaluation covers only English benchmarks"
    # results reported: "models covered by the benchmark results below"
    r"|" + _NO_GRANT + r".*\b(benchmark|evaluation|test)\w* (results?|scores?|numbers|figures)\b"
    r"|\b(evaluations?|research|benchmarks?|testing|tests)\b (covers?|covered|includes?|included"
    r"|contains?|supports?|was|were|has been|have been|focus\w* on) (\w+ )?(only|solely)\b"
)
# A more specific kind says more than "a use is banned" or "some users are excluded".
SPECIFIC_USE = {"output_use", "revenue_cap", "user_cap", "mau_cap", "non_commercial"}
SPECIFIC_USE |= {"research_only", "field_of_use", "safety_guardrail"}
CAPS = {"revenue_cap", "user_cap", "mau_cap"}


def settle(found: list[str], lowered: str) -> list[str]:
    """The kinds a normalised sentence keeps once look-alikes and overlaps are settled."""
    found = [k for k in found if k not in VETO or not VETO[k].search(lowered)]
    if "research_only" in found and RESEARCH_DESCRIPTION.search(lowered):
        found.remove("research_only")
    if DEFINITION.match(lowered):  # a defined term restricts only where it sets the grant's scope
        # ... and a defined licence territory sets where the grant applies
        scope = DEFINED_SCOPE | ({"field_of_use"} if lowered.startswith('"territor') else set())
        found = [k for k in found if k in scope]
    if "non_commercial" in found and CONVEYANCE.search(lowered):
        found.remove("non_commercial")  # a condition on conveying copies, not on use
    if "mau_cap" in found and "user_cap" in found:
        found.remove("user_cap")  # one cap, said once
    if "field_of_use" in found and CAPS & set(found):
        found.remove("field_of_use")  # "available only to companies below a revenue"
    if "field_of_use" in found and "output_use" in found and "compet" in lowered:
        found.remove("field_of_use")  # outputs kept from competing models: output_use says it
    if "use_restriction" in found and SPECIFIC_USE & set(found):
        found.remove("use_restriction")
    if "use_restriction" in found and "flow_down" in found:
        found.remove("use_restriction")  # passing the restrictions on bans no use itself
    return found
