"""The exception hierarchy; every message names the problem and what to do about it."""


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
