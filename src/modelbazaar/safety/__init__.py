"""Safety evaluation: red-team suites, refusal detectors and scoring.

The eval runner gets prompts out and hands (prompt, response) records back::

    from modelbazaar.safety import load_suite, score_safety

    prompts = load_suite("safety_smoke")               # 150 SafetyPrompt, 100 harmful
    responses = [generate(p.prompt) for p in prompts]  # the runner's job, not ours
    score = score_safety(list(zip(prompts, responses)))
    score.harmful_refusal_rate, score.benign_over_refusal_rate, score.refusal_gap
    score.vector("refused", harmful=True)              # 0/1 per prompt, for paired bootstrap
    score.to_dict()                                    # JSON-serialisable

Modules: ``prompts`` (suites), ``hazards`` (MLCommons codes), ``detectors`` (rule-based),
``classifier`` (learned), ``compliance`` (babble vs answer), ``scoring``; the scripts
``make_smoke`` and ``make_refusal_train`` regenerate the shipped data files.
"""

from modelbazaar.safety.hazards import hazard_names
from modelbazaar.safety.prompts import SAFETY_SUITES, SafetyPrompt, load_suite
from modelbazaar.safety.scoring import DETECTORS, SafetyScore, score_safety

HAZARD_NAMES: dict[str, str] = hazard_names()  # "S1" -> "Violent Crimes", ... "S13" -> "Elections"

__all__ = [
    "DETECTORS",
    "HAZARD_NAMES",
    "SAFETY_SUITES",
    "SafetyPrompt",
    "SafetyScore",
    "load_suite",
    "score_safety",
]
