"""Commands on a model source: `init`, `build`, `verify`."""

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from modelbazaar import templates
from modelbazaar.progress import console
from modelbazaar.store import Store
from modelbazaar.workflows.build import build as run_build
from modelbazaar.workflows.verify import verify as run_verify

ModelDir = Annotated[Path, typer.Option("--dir", "-C", help="Model source folder.")]


def init(
    directory: Annotated[Path | None, typer.Argument(help="Folder to create.")] = None,
    template: Annotated[str, typer.Option(help="Template to copy.")] = "shakespeare",
    list_templates: Annotated[
        bool, typer.Option("--list-templates", help="List templates.")
    ] = False,
) -> None:
    """Create a model source (bazaar.toml + data manifests + data) from a template.

    Example: bazaar init my-model --template shakespeare
    """
    if list_templates or directory is None:
        table = Table("template", "description")
        for name, description in templates.available().items():
            table.add_row(name, description)
        console.print(table)
        return
    target = templates.create(directory, template)
    console.print(
        f"created model source [bold]{target}[/] from template '{template}'; next: "
        f"cd {target} && bazaar build"
    )


def build(directory: ModelDir = Path(".")) -> None:
    """Build the model from its source: tokenizer, token shards, pretraining -> version on main.

    Each stage is cached under the hash of its inputs; an interrupted build resumes.
    """
    outcome = run_build(directory)
    hits = [stage for stage, hit in outcome.cached.items() if hit]
    note = f" (cached: {', '.join(hits)})" if hits else ""
    loss = f", validation loss {outcome.final_val_loss:.4f}" if outcome.final_val_loss else ""
    console.print(
        f"built version [bold]{outcome.version[:12]}[/]: "
        f"{outcome.parameters / 1e6:.2f}M parameters{loss}{note}"
    )


def verify(
    ref: Annotated[str, typer.Argument(help="Version or ref to verify.")] = "main",
    directory: ModelDir = Path("."),
) -> None:
    """Rebuild a version from its source in a scratch store and compare the weights bit for bit."""
    report = run_verify(Store.for_model(directory), directory, ref)
    if report.identical:
        console.print(f"[green]verified[/]: {report.message}")
    else:
        console.print(f"[red]not reproducible[/]: {report.message}")
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command()(init)
    app.command()(build)
    app.command()(verify)
