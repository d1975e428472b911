"""The clause kinds: what wording marks each, whether it restricts, and how to say it.

Rules read wording, not licence names, so a licence never seen before is read the same way; the
patterns are written for every way we know a clause is phrased (passive and active voice, any
currency, names in quotes), and measured on held-out clause sentences by
`bench/clause_quality.py` (changed only from train-split misses; see bench/data/CLAUSES.md).

One module per family of kinds:
    base.py             the Rule type, its builders, wording shared by several families
    caps.py             user and revenue / company-size caps
    use_scope.py        non-commercial, research-only
    outputs.py          output use
    use_bans.py         use restrictions and the headings of their lists
    fields.py           excluded fields of use, places, people and platforms (field_words.py:
                        the fields and the wording of exclusion)
    obligations.py      use policies (AUP), notices, safety guardrails, flow-down
    naming.py           prescribed names and "Built with X" statements
    licensor_powers.py  termination, remote restriction, governing law
    terms.py            terms changes
    vetoes.py           per kind, wording that only looks like that clause (use_vetoes.py:
                        the use kinds')
    look_alikes.py      research descriptions, definitions, overlapping kinds: settle()
    prefilter.py        the literal words each alternative of a pattern needs, checked first

Example: `RULES["revenue_cap"].pattern.search("companies with annual revenue above eur 5
million")` matches.
"""

from __future__ import annotations

from modelbazaar.licenses.rules.base import MONEY as _MONEY
from modelbazaar.licenses.rules.base import Rule
from modelbazaar.licenses.rules.caps import CAP_RULES
from modelbazaar.licenses.rules.fields import FIELD_RULES
from modelbazaar.licenses.rules.licensor_powers import LICENSOR_POWER_RULES
from modelbazaar.licenses.rules.look_alikes import CONVEYANCE
from modelbazaar.licenses.rules.naming import NAMING_RULES
from modelbazaar.licenses.rules.obligations import OBLIGATION_RULES
from modelbazaar.licenses.rules.outputs import OUTPUT_RULES
from modelbazaar.licenses.rules.terms import TERMS_RULES
from modelbazaar.licenses.rules.use_bans import USE_BAN_RULES
from modelbazaar.licenses.rules.use_scope import USE_SCOPE_RULES

_ALL = CAP_RULES | USE_SCOPE_RULES | OUTPUT_RULES | USE_BAN_RULES | FIELD_RULES | OBLIGATION_RULES
_ALL |= LICENSOR_POWER_RULES | TERMS_RULES | NAMING_RULES
# The order findings of one sentence are listed in (reports and tests read it).
ORDER = (
    "aup", "naming", "notice", "mau_cap", "user_cap", "revenue_cap", "litigation_termination",
    "discretionary_termination", "safety_guardrail", "terms_change", "non_commercial",
    "research_only", "output_use", "use_restriction", "flow_down", "remote_update",
    "field_of_use", "governing_law",
)  # fmt: skip
RULES: dict[str, Rule] = {kind: _ALL[kind] for kind in ORDER}
assert set(RULES) == set(_ALL), "a rule family holds a kind ORDER does not list"


__all__ = ["CONVEYANCE", "ORDER", "RULES", "Rule", "_MONEY"]
