"""The `bazaar` entry point.

Each command group lives in its own module and registers itself in one line below; a command is a
typed function whose signature is its CLI and whose docstring is its help. A `BazaarError` is
printed as a one-line message (no traceback) and exits with status 2.
"""

import importlib
import sys
import warnings

from modelbazaar.train import portable

# Portable numerics: the CPU caps must be in the environment before any command module imports
# torch (its libraries read them once, at start). `--fast` (build, verify) leaves the host as is.
if not portable.fast_requested(sys.argv[1:]):
    portable.activate()

import typer  # noqa: E402 (after the caps, on purpose)
from rich.console import Console  # noqa: E402

from modelbazaar.errors import BazaarError  # noqa: E402

# Library deprecation notices (transformers 5 renames) are for us, not for people running bazaar.
warnings.filterwarnings("ignore", category=FutureWarning)

app = typer.Typer(
    name="bazaar",
    help="Develop open language models the way open-source software is developed.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

# One line per command group; each module defines `register(app: typer.Typer) -> None`.
COMMAND_GROUPS: tuple[str, ...] = (
    "modelbazaar.cli.source",  # init, build, verify
    "modelbazaar.cli.history",  # log, show, tag, generate, export, import
    "modelbazaar.cli.audit",  # audit
    "modelbazaar.cli.keys",  # keys generate/show
    "modelbazaar.cli.evals",  # eval, compare
    "modelbazaar.cli.contrib",  # contribute, review, merge, distill
    "modelbazaar.cli.release",  # release
)

for _module in COMMAND_GROUPS:
    try:
        importlib.import_module(_module).register(app)
    except ModuleNotFoundError as exc:  # a group still being written must not break the others
        if exc.name != _module:
            raise


def main() -> None:
    """Run the CLI, turning a BazaarError into a clear message and exit status 2."""
    try:
        app()  # click handles usage errors and Ctrl-C; anything else propagates here
    except BazaarError as exc:
        Console(stderr=True).print(f"[bold red]error:[/] {exc}", highlight=False)
        sys.exit(2)
