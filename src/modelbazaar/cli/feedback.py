"""`bazaar feedback export`: community feedback from the hub's chat page as a dataset."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from modelbazaar.progress import out

feedback_app = typer.Typer(
    name="feedback",
    help="Community feedback from the hub's chat page, as a dataset for training.",
    no_args_is_help=True,
)


@feedback_app.command("export")
def export(
    name: Annotated[str, typer.Argument(help="Dataset name: writes data/NAME.toml + data/NAME/.")],
    remote: Annotated[str, typer.Option("--remote", help="Remote name (or a model URL).")] = (
        "origin"
    ),
    directory: Annotated[Path, typer.Option("--dir", "-C", help="Model source folder.")] = Path(
        "."
    ),
    force: Annotated[bool, typer.Option("--force", help="Replace data/NAME.")] = False,
) -> None:
    """Write the better answers people gave on the hub as data/NAME/train.jsonl + manifest."""
    from modelbazaar.hub.feedback_export import export_feedback

    result = export_feedback(directory, remote, name, force=force)
    out.print(
        f"wrote {escape(str(result.data))} ({result.rows} answers, {result.license}, "
        f"{len(result.authors)} authors) and {escape(str(result.manifest))}; "
        f"{result.skipped} ratings without a better answer left out"
    )
    out.print(
        f"use it: bazaar contribute --data {escape(str(result.data))} --task {escape(name)} "
        f"--license {result.license}  (or add it to the build)"
    )


def register(app: typer.Typer) -> None:
    """Add the feedback group."""
    app.add_typer(feedback_app)
