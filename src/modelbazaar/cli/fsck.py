"""`bazaar fsck`: check the store; exit 0 when it is whole, 1 when anything is wrong."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from modelbazaar.progress import console, out
from modelbazaar.store import Store
from modelbazaar.store.fsck import fsck as run_fsck


def fsck(
    repair: Annotated[
        bool,
        typer.Option(
            "--repair",
            help="Remove provable garbage (temp files of dead processes, checkpoints of "
            "finished builds) and move corrupt objects to quarantine/. Nothing else is touched.",
        ),
    ] = False,
    directory: Annotated[Path, typer.Option("--dir", "-C", help="Model source folder.")] = Path(
        "."
    ),
) -> None:
    """Re-hash every object and check every catalogue row, ref and leftover file of the store.

    Exit status 0: no problems; 1: problems remain (listed with what to do). Example:
    bazaar fsck; bazaar fsck --repair
    """
    store = Store.existing(directory)
    report = run_fsck(store, repair=repair, show_progress=True)
    if report.findings:
        table = Table("problem", "about", "detail", "status")
        for f in report.findings:
            status = "repaired" if f.repaired else ("garbage" if f.garbage else "problem")
            table.add_row(f.kind, f.subject[-40:], f.detail, status)
        out.print(table)
    for note in report.notes:
        console.print(f"note: {note}", highlight=False)
    counts = ", ".join(f"{n} {what}" for what, n in report.counts.items())
    remaining = [f for f in report.findings if not f.repaired]
    if not remaining:
        out.print(f"checked {counts}: no problems")
        return
    garbage = sum(f.garbage for f in remaining)
    hint = f" ({garbage} garbage: `bazaar fsck --repair` removes it)" if garbage else ""
    out.print(f"checked {counts}: {len(remaining)} problem(s){hint}", highlight=False)
    raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add `fsck` to the `bazaar` app."""
    app.command()(fsck)
