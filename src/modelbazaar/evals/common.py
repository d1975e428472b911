"""What every kind shares: parameter parsing that names bad fields, and a progress ticker.

A kind is a module with `Params` (a pydantic model of its suite parameters) and
`evaluate(model, tokenizer, suite, examples_of, tick) -> SuiteResult`; it registers in one line
in `kinds.py`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from modelbazaar.errors import EvalError, validation_problems
from modelbazaar.evals.suite import Suite

P = TypeVar("P", bound=BaseModel)


def parse_params(suite: Suite, params: type[P]) -> P:
    """The suite's `parameters` as the kind's typed Params; an error names the field."""
    try:
        return params.model_validate(suite.parameters)
    except ValidationError as exc:
        problems = validation_problems(exc.errors(), prefix="parameters.")
        raise EvalError(f"suite '{suite.name}' ({suite.path}): {problems}") from None


@dataclass
class Tick:
    """Reports progress: `start(total)` once, then `advance(k)` per finished batch."""

    start: Callable[[int], None] = lambda total: None
    advance: Callable[[int], None] = lambda k: None


def pick(row: dict[str, Any], key: str, suite: Suite) -> Any:
    """row[key], or an error naming the missing field of the suite's data."""
    if key not in row:
        raise EvalError(f"suite '{suite.name}': example {row.get('id')} has no field '{key}'")
    return row[key]
