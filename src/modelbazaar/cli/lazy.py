"""A command group that imports a command's module only when that command runs.

`bazaar audit` must not pay for importing torch and transformers (seconds) when it needs neither,
and `bazaar --help` needs only each command's one-line help. So the entry point lists every
command in a table (name -> module, short help); running a command imports its module alone,
and the top-level help is drawn from the table. `tests/test_cli_lazy.py` checks the table
against the commands the modules really register, so the two cannot drift apart.
"""

import importlib
from typing import NamedTuple

import click
import typer
from typer.core import TyperGroup


class Entry(NamedTuple):
    module: str  # defines `register(app: typer.Typer) -> None`
    help: str  # the command's short help, shown by `bazaar --help`


def load_commands(module: str) -> click.Group:
    """The click group of everything `module` registers (imports it, and what it imports)."""
    app = typer.Typer()
    importlib.import_module(module).register(app)
    return typer.main.get_group(app)


class LazyGroup(TyperGroup):
    """Typer's group, with commands resolved from `table` on first use."""

    table: dict[str, Entry] = {}
    _listing = False  # True while the top-level help is drawn: no module is imported then

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.table)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = self.table.get(cmd_name)
        if entry is None:
            return None
        if self._listing:
            return click.Command(cmd_name, help=entry.help, short_help=entry.help)
        return load_commands(entry.module).get_command(ctx, cmd_name)

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


def lazy_group(table: dict[str, Entry]) -> type[LazyGroup]:
    """A LazyGroup class bound to `table` (typer takes the group's class, not an instance)."""
    return type("BazaarCommands", (LazyGroup,), {"table": table})
