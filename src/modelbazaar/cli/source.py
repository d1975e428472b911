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
from modelbazaar.workflows.init_from import create_from
from modelbazaar.workflows.verify import VerifyReport
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
    from_: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="Start from an open model instead of a template: `smollm2`, an HF folder or a "
            ".gguf file. `main` is the imported version; nothing is built.",
        ),
    ] = None,
    license: Annotated[
        str, typer.Option("--license", help="With --from: SPDX id of the weights.")
    ] = "",
) -> None:
    """Create a model source (bazaar.toml + data manifests + data) from a template.

    The folder must be new or empty (--force: non-empty, but no file is ever overwritten).
    Example: bazaar init my-model --template shakespeare
    With --from, the source is an imported model (no [model]/[train]; verify re-imports):
    bazaar init smol --from smollm2      (Apache-2.0)
    bazaar init mine --from path/to/hf-folder --license MIT
    """
    if list_templates or directory is None:
        table = Table("template", "description")
        for name, description in templates.available().items():
            table.add_row(name, description)
        console.print(table)
        return
    if not directory.strip():  # Path("") is ".": an empty name must not fill the current folder
        raise BazaarError("bazaar init needs a folder name; use `bazaar init .` for this folder")
    if from_ is not None:
        target = Path(directory)
        license_id = license or ("Apache-2.0" if from_ == "smollm2" else "")
        if not license_id:
            raise BazaarError(
                "say under which licence the weights are published: --license SPDX-ID"
            )
        version = create_from(target, from_, license_id, force=force)
        console.print(
            f"created model source [bold]{escape(str(target))}[/] from {escape(from_)}: main is "
            f"the imported version {version[:12]} ({escape(license_id)}); nothing to build. "
            f"Next: bazaar eval -C {escape(str(target))}, bazaar verify -C {escape(str(target))}"
        )
    else:
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


Fast = Annotated[
    bool,
    typer.Option(
        "--fast",
        help='Lift the portable CPU caps and thread pinning and allow bf16 / precision = "auto"; '
        "the version is marked non-portable (its bits depend on this machine's CPU).",
    ),
]


def build(directory: ModelDir = Path("."), fast: Fast = False) -> None:
    """Build the model from its source: tokenizer, token shards, pretraining -> version on main.

    Each stage is cached under the hash of its inputs; an interrupted build resumes. By default
    the numerics are portable (fp32, the recipe's threads, AVX2 caps): the same source gives the
    same version hash on every x86-64 CPU with AVX2. See README "Reproducibility".
    """
    outcome = run_build(directory, fast=fast)
    hits = [stage for stage, hit in outcome.cached.items() if hit]
    note = f" (cached: {', '.join(hits)})" if hits else ""
    loss = f", validation loss {outcome.final_val_loss:.4f}" if outcome.final_val_loss else ""
    kind = " [yellow](fast: non-portable)[/]" if fast else ""
    console.print(
        f"built version [bold]{outcome.version[:12]}[/]{kind}: "
        f"{outcome.parameters / 1e6:.2f}M parameters{loss}{note}"
    )


def verify(
    ref: Annotated[str, typer.Argument(help="Version or ref to verify.")] = "main",
    directory: ModelDir = Path("."),
    fast: Annotated[
        bool,
        typer.Option(
            "--fast",
            help="Run without the portable CPU caps (to rebuild a version made with build --fast).",
        ),
    ] = False,
) -> None:
    """Rebuild a version from its source in a scratch store and compare it with the stored one.

    Exit codes: 0 identical (same version hash); 3 equivalent, not identical (weights differ,
    the paired 95% CI of every policy suite metric's difference lies within +- the policy's
    equivalence_margin, default 0.01); 1 differs (an
    eval suite disagrees, or tokenizer, config or tensor shapes differ); 2 error. A report that
    is not identical names the build-environment differences (precision, threads, CPU caps and
    features, library versions) and the largest weight difference per tensor group.
    """
    report = run_verify(Store.existing(directory), directory, ref)
    if report.verdict == "identical":
        console.print(f"[green]verified[/]: {report.message}")
        return
    colour = "yellow" if report.verdict == "equivalent" else "red"
    title = "equivalent, not identical" if report.verdict == "equivalent" else "differs"
    console.print(f"[{colour}]{title}[/]: {report.message}")
    if not report.portable:
        console.print(
            "the version is not a portable build (built with --fast, or before portable "
            "numerics): its bits depend on the CPU it was built on"
        )
    _print_details(report)
    raise typer.Exit(report.exit_code)


def _print_details(report: VerifyReport) -> None:
    console.print("build environment: " + ("; ".join(report.environment) or "no differences"))
    groups = Table("tensor group", "max |difference|")
    for group, diff in sorted(report.groups.items()):
        groups.add_row(group, f"{diff:.3g}")
    console.print(groups)
    if report.evals:
        table = Table("suite", "metric", "recorded", "rebuilt", "delta (95% CI)", "agree")
        for row in report.evals:
            table.add_row(
                row["suite"],
                row["metric"],
                f"{row['recorded']:.4f}",
                f"{row['rebuilt']:.4f}",
                f"{row['delta']:+.2g} [{row['ci_low']:+.2g}, {row['ci_high']:+.2g}]",
                "yes" if row["agree"] else "[red]no[/]",
            )
        console.print(table)


def register(app: typer.Typer) -> None:
    app.command()(init)
    app.command()(build)
    app.command()(verify)
