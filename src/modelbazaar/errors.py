"""The exception hierarchy; every message names the problem and what to do about it."""

import difflib


class BazaarError(Exception):
    """Base class of every error modelbazaar reports to a user."""


class RecipeError(BazaarError):
    """bazaar.toml or a data manifest is malformed."""


class DataError(BazaarError):
    """A data file is missing, or its hash or licence is wrong."""


class StoreError(BazaarError):
    """The store is missing or corrupt, or a ref does not exist."""


class BundleError(BazaarError):
    """A contribution bundle is hostile or malformed."""


class EvalError(BazaarError):
    """An eval suite is malformed or cannot run on this model."""


class AuditError(BazaarError):
    """An audit input cannot be read."""


class NumericsError(BazaarError):
    """A build cannot run with portable numerics (recipe precision, CPU caps)."""


def validation_problems(errors: list[dict], prefix: str = "", top: str = "(top level)") -> str:
    """One readable line from pydantic's ``ValidationError.errors()``.

    Example: [{"loc": ("train", "lr"), "msg": "Input should be > 0", "type": "greater_than"}]
    -> "train.lr: Input should be > 0"; a missing field reads "field required".
    """
    parts = []
    for error in errors:
        where = prefix + ".".join(str(p) for p in error["loc"]) or top
        message = "field required" if error.get("type") == "missing" else error["msg"]
        parts.append(f"{where}: {message}")
    return "; ".join(parts)


def unknown_name(kind: str, name: str, known: list[str]) -> str:
    """The one way an unknown name is reported: what it was, the closest known one, all known.

    Example: unknown_name("template", "shakespear", ["shakespeare", "tiny"]) -> "unknown template
    'shakespear'. Did you mean 'shakespeare'? Known: shakespeare, tiny."
    """
    close = difflib.get_close_matches(name, known, n=1)
    hint = f" Did you mean '{close[0]}'?" if close else ""
    return f"unknown {kind} '{name}'.{hint} Known: {', '.join(known)}."
