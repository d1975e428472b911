"""`bazaar release`: write a version as a release folder with card, licences and audit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from modelbazaar.cli.audit import print_summary
from modelbazaar.store import Store


def release_command(
    ref: Annotated[str, typer.Argument(help="Version to release: a ref, hash or hash prefix.")],
    out: Annotated[Path, typer.Argument(help="Folder to write the release into.")],
    license: Annotated[
        str, typer.Option("--license", help="SPDX id (or LicenseRef-…) for the weights.")
    ],
    directory: Annotated[
        Path, typer.Option("--dir", "-C", help="Model folder whose store holds REF.")
    ] = Path("."),
    paper: Annotated[
        Path | None, typer.Option("--paper", help="A research paper to ship instead of PAPER.md.")
    ] = None,
    gguf: Annotated[
        bool, typer.Option("--gguf", help="Also write GGUF (not supported yet: skipped).")
    ] = False,
) -> None:
    """Release REF into OUT: HF model files, model card, datasheet, licences, lineage, metrics,
    intermediate checkpoint, source (recipe, data, code) and the openness audit of the folder.

    Example: bazaar release main out/v0.1 --license Apache-2.0
    """
    from modelbazaar.workflows.release import release  # torch import only when the command runs

    console = Console()
    outcome = release(
        Store.existing(directory), ref, out, license_id=license, model_dir=directory, paper=paper
    )
    for note in outcome.notes:
        console.print(f"  · {note}", highlight=False)
    if gguf:
        console.print(
            "[yellow]--gguf skipped:[/] transformers cannot write GGUF; use llama.cpp's "
            "convert_hf_to_gguf.py on the release folder."
        )
    print_summary(outcome.report, console)
    console.print(f"released {outcome.version[:12]} into {out}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add the `release` command to the `bazaar` app."""
    app.command("release")(release_command)
