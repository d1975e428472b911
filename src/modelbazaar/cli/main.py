"""The `bazaar` entry point.

Each command group lives in its own module with a `register(app)` function, listed once in
COMMANDS below and imported only when one of its commands runs; a command is a
typed function whose signature is its CLI and whose docstring is its help. A `BazaarError` is
printed as a one-line message (no traceback) and exits with status 2.
"""

import importlib
import sys
import warnings
from functools import cache

import click
import typer
from rich.console import Console
from typer.core import TyperGroup

from modelbazaar.errors import BazaarError

# Library deprecation notices (transformers 5 renames) are for us, not for people running bazaar.
warnings.filterwarnings("ignore", category=FutureWarning)

# command -> (the module that registers it, its one-line help for `bazaar --help`). A command's
# module is imported only when that command runs, so `bazaar audit` or `bazaar log` never pay for
# torch and transformers; tests/test_cli_start.py checks this table against the modules.
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("modelbazaar.cli.source", "Create a model source from a template."),
    "build": ("modelbazaar.cli.source", "Build the model from its source."),
    "verify": ("modelbazaar.cli.source", "Rebuild a version from source and compare the weights."),
    "log": ("modelbazaar.cli.history", "Show the history of a ref, newest first."),
    "show": ("modelbazaar.cli.history", "Show one version: hash, lineage, data, config, metrics."),
    "tag": ("modelbazaar.cli.history", "Give a version a name (a tag that does not move)."),
    "generate": ("modelbazaar.cli.history", "Sample a continuation from a version."),
    "export": ("modelbazaar.cli.history", "Write a version as a Hugging Face folder or GGUF."),
    "import": ("modelbazaar.cli.history", "Import an existing open model as a new version."),
    "audit": (
        "modelbazaar.cli.audit",
        "Audit how open a model is (MOF, OSAID, EU index, licence).",
    ),
    "keys": ("modelbazaar.cli.keys", "Create and show your signing identity."),
    "eval": ("modelbazaar.cli.evals", "Run eval suites on a version."),
    "compare": ("modelbazaar.cli.evals", "Per-suite deltas between two versions, with intervals."),
    "contribute": (
        "modelbazaar.cli.contrib",
        "Fine-tune a LoRA adapter and write a signed bundle.",
    ),
    "review": ("modelbazaar.cli.contrib", "Review a contribution against its base."),
    "merge": ("modelbazaar.cli.contrib", "Merge accepted contributions into main."),
    "distill": ("modelbazaar.cli.contrib", "Distill a smaller student from a teacher version."),
    "release": (
        "modelbazaar.cli.release",
        "Release a version: model files, card, licences, audit.",
    ),
}


@cache
def _group_commands(module: str) -> dict[str, click.Command]:
    """The click commands one command module registers (imported on first use)."""
    sub = typer.Typer()
    importlib.import_module(module).register(sub)
    return dict(typer.main.get_group(sub).commands)


class LazyGroup(TyperGroup):
    """A command group that imports a command's module only when that command is looked up."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        return _group_commands(COMMANDS[cmd_name][0]).get(cmd_name)

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # plain help from the COMMANDS table: rich help would import every command's module
        self.format_usage(ctx, formatter)
        self.format_help_text(ctx, formatter)
        self.format_options(ctx, formatter)  # ends with format_commands below

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, text) for name, (_, text) in COMMANDS.items()])


app = typer.Typer(
    name="bazaar",
    cls=LazyGroup,
    help="Develop open language models the way open-source software is developed.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def _bazaar() -> None:
    """Every command comes from COMMANDS; this callback only makes `app` a group."""


def main() -> None:
    """Run the CLI, turning a BazaarError into a clear message and exit status 2."""
    try:
        app()  # click handles usage errors and Ctrl-C; anything else propagates here
    except BazaarError as exc:
        Console(stderr=True).print(f"[bold red]error:[/] {exc}", highlight=False)
        sys.exit(2)
