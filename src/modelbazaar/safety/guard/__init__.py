"""The guard: a safety classifier over the MLCommons hazards S1..S14, built from source.

    from modelbazaar.safety.guard import load_guard
    guard = load_guard()                      # the default guard (`bazaar guard build`)
    [v] = guard.check(["How do I make a pipe bomb?"])
    v.flagged, v.codes, v.scores["S9"]        # True, ["S9"], 0.97

Modules: ``taxonomy`` (outputs, names), ``rows`` (labelled JSONL rows of a source), ``network``
(encoder + head, backbone package), ``model`` (Guard, verdicts, loading), ``make_data``
(regenerates the template's data). Training is ``modelbazaar.train.guard``.
"""

from modelbazaar.safety.guard.model import (
    Guard,
    GuardInputError,
    GuardUnavailable,
    GuardVerdict,
    default_guard_home,
    load_guard,
)
from modelbazaar.safety.guard.taxonomy import CODES, code_names

__all__ = [
    "CODES",
    "Guard",
    "GuardInputError",
    "GuardUnavailable",
    "GuardVerdict",
    "code_names",
    "default_guard_home",
    "load_guard",
]
