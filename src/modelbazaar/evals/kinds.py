"""The kinds a suite can have: one line each, name -> the module's `evaluate`.

Example: KINDS["perplexity"](model, tokenizer, suite, examples, Tick()) -> SuiteResult.
"""

from modelbazaar.evals import choice, diversity, generation, perplexity, safety_kind

KINDS = {
    "perplexity": perplexity.evaluate,
    "generation": generation.evaluate,
    "multiple_choice": choice.evaluate,
    "safety": safety_kind.evaluate,
    "diversity": diversity.evaluate,
}
