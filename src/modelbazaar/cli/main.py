"""The `bazaar` entry point.

Each command group lives in its own module and registers itself in one line below; a command is a
typed function whose signature is its CLI and whose docstring is its help. Exit codes are
`modelbazaar.errors.ExitCode`: a `BazaarError` is printed as a one-line message (no traceback)
and exits 2 (refused); any other exception is a bug: its traceback is printed and the exit code
is 70, never 1, so that a crash can never be mistaken for a "reject" verdict.
"""

import importlib
import sys
import traceback
import warnings

from modelbazaar.train import portable

# Portable numerics: the CPU caps must be in the environment before any command module imports
# torch (its libraries read them once, at start). `--fast` (build, verify) leaves the host as is.
if not portable.fast_requested(sys.argv[1:]):
    portable.activate()

import typer  # noqa: E402 (after the caps, on purpose)
from rich.console import Console  # noqa: E402
from rich.markup import escape  # noqa: E402

from modelbazaar.errors import BazaarError, ExitCode  # noqa: E402

# Library deprecation notices (transformers 5 renames) are for us, not for people running bazaar.
warnings.filterwarnings("ignore", category=FutureWarning)

app = typer.Typer(
    name="bazaar",
    help="Develop open language models the way open-source software is developed.",
    epilog="Exit codes: 0 ok/accept, 1 reject/differs, 2 refused input, 3 equivalent but not "
    "identical (verify), 70 internal error (a bug), 130 interrupted.",
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
    "modelbazaar.cli.fsck",  # fsck
    "modelbazaar.cli.serve",  # serve, api-key
)

for _module in COMMAND_GROUPS:
    try:
        importlib.import_module(_module).register(app)
    except ModuleNotFoundError as exc:  # a group still being written must not break the others
        if exc.name != _module:
            raise


def main() -> None:
    """Run the CLI: a BazaarError exits 2 with its message, a crash exits 70 with its traceback.

    click handles usage errors (2) and typer Ctrl-C (130); anything else propagates here.
    """
    stderr = Console(stderr=True)
    try:
        app()
    except BazaarError as exc:
        # escape: a message may quote a stranger's text, which must not be read as rich markup
        stderr.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False)
        sys.exit(ExitCode.REFUSED)
    except Exception:  # the last line of defence: report it, and never look like a verdict
        traceback.print_exc()
        stderr.print(
            "[bold red]internal error[/]: this is a bug in modelbazaar, not a problem with your "
            "input. Please report it with the traceback above. "
            f"(exit code {int(ExitCode.INTERNAL)})",
            highlight=False,
        )
        sys.exit(ExitCode.INTERNAL)
