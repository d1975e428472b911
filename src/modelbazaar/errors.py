"""The exception hierarchy and the exit codes; every message names the problem and what to do.

A ``BazaarError`` is input we refuse (a bad bundle, recipe, manifest, ref or option): the CLI
prints its message and exits with ``ExitCode.REFUSED``. Anything else escaping a command is a bug
in modelbazaar: the CLI prints the traceback and exits with ``ExitCode.INTERNAL``, so a script or
CI job can always tell a verdict from a refusal from a crash.
"""

import difflib
from enum import IntEnum


class ExitCode(IntEnum):
    """Every exit status of ``bazaar``, in one place (the README and ``bazaar review --help``
    repeat this table).

    ==  ===========  ==============================================================================
    0   OK           done; ``review`` accepted; ``verify`` bit-identical
    1   REJECTED     a verdict said no: ``review`` rejected, ``merge`` rejected the merged model,
                     ``compare --fail-on-regression`` found one, ``verify`` differs
    2   REFUSED      input refused before anything changed: a hostile or malformed bundle, recipe,
                     manifest, ref or command line (click's usage errors are 2 as well)
    3   EQUIVALENT   ``verify``: not bit-identical, but equivalent within the policy's CIs
    70  INTERNAL     a crash, i.e. a bug in modelbazaar (EX_SOFTWARE of sysexits.h); the traceback
                     is printed: please report it
    130 INTERRUPTED  Ctrl-C (128 + SIGINT)
    ==  ===========  ==============================================================================

    Example: ``bazaar review x.bazaar; echo $?`` prints 0, 1, 2 or 70.
    """

    OK = 0
    REJECTED = 1
    REFUSED = 2
    EQUIVALENT = 3
    INTERNAL = 70
    INTERRUPTED = 130


class BazaarError(Exception):
    """Base class of every error modelbazaar reports to a user."""


class RecipeError(BazaarError):
    """bazaar.toml or a data manifest is malformed."""


class DataError(BazaarError):
    """A data file is missing, or its hash or licence is wrong."""


class StoreError(BazaarError):
    """The store is missing or corrupt, or a ref does not exist."""


class TrainingError(BazaarError):
    """Training diverged: a loss or a weight is not finite, so no version is recorded."""


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
