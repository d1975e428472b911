"""Commands on a model source: `init`, `build`, `verify`."""

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from modelbazaar import templates
from modelbazaar.errors import BazaarError
from modelbazaar.progress import console
from modelbazaar.recipe import load_recipe
from modelbazaar.store import Store
from modelbazaar.workflows.build import build as run_build
from modelbazaar.workflows.verify import verify as run_verify

ModelDir = Annotated[Path, typer.Option("--dir", "-C", help="Model source folder.")]


def init(
    directory: Annotated[str | None, typer.Argument(help="Folder to create.")] = None,
    template: Annotated[str, typer.Option(help="Template to copy.")] = "shakespeare",
    list_templates: Annotated[
        bool, typer.Option("--list-templates", help="List templates.")
    ] = False,
    force: Annotated[
        bool,
        typer.Option(help="Add the template to a non-empty folder (never overwrites a file)."),
    ] = False,
) -> None:
    """Create a model source (bazaar.toml + data manifests + data) from a template.

    The folder must be new or empty (--force: non-empty, but no file is ever overwritten).
    Example: bazaar init my-model --template shakespeare
    """
    if list_templates or directory is None:
        table = Table("template", "description")
        for name, description in templates.available().items():
            table.add_row(name, description)
        console.print(table)
        return
    if not directory.strip():  # Path("") is ".": an empty name must not fill the current folder
        raise BazaarError("bazaar init needs a folder name; use `bazaar init .` for this folder")
    target = templates.create(Path(directory), template, force=force)
    console.print(
        f"created model source [bold]{escape(str(target))}[/] from template '{template}'; "
        f"next: cd {escape(str(target))} && bazaar build"
    )
    recipe = load_recipe(target)
    if recipe.policy.require_signature and not (recipe.maintainers or recipe.trusted_contributors):
        console.print(
            "[yellow]nobody is trusted yet[/]: `bazaar review` refuses every contribution until "
            "bazaar.toml lists maintainers or trusted_contributors. Trust your own key with "
            f"`bazaar keys trust -C {escape(str(target))}` (after `bazaar keys generate`)."
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
