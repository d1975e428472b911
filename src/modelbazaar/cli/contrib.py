"""The bazaar loop: `contribute`, `review`, `merge`, `distill`.

Example session::

    bazaar contribute --data contributions/gsm8k/train.jsonl --task gsm8k --license MIT
    bazaar review gsm8k.bazaar            # exit 0 accept, 1 reject, 2 refused, 70 crash
    bazaar merge gsm8k.bazaar --method ties
    bazaar log
"""

from __future__ import annotations

import dataclasses
import enum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from modelbazaar.errors import ExitCode
from modelbazaar.merge import METHODS
from modelbazaar.progress import console, out
from modelbazaar.train.lora import LoraTrainConfig
from modelbazaar.train.overrides import apply_overrides
from modelbazaar.workflows import merge as merging
from modelbazaar.workflows.contribute import contribute as run_contribute
from modelbazaar.workflows.review import review as run_review

# The --method choices are the merge registry's names (one list, in merge/methods.py).
MergeMethod = enum.Enum("MergeMethod", {name: name for name in METHODS}, type=str)  # type: ignore[misc]

ModelDir = Annotated[Path, typer.Option("--dir", "-C", help="Model source folder.")]


def contribute(
    data: Annotated[Path, typer.Option(help="Your data: plain text, or JSONL prompt/response.")],
    task: Annotated[str, typer.Option(help="A short name for what the data teaches.")],
    license: Annotated[str, typer.Option("--license", help="SPDX id of your data and adapter.")],
    base: Annotated[str, typer.Option(help="Version to fine-tune from.")] = "main",
    include_data: Annotated[bool, typer.Option(help="Ship the data in the bundle.")] = False,
    out_path: Annotated[Path | None, typer.Option("--out", help="Bundle (TASK.bazaar).")] = None,
    key: Annotated[Path | None, typer.Option(help="Private key (default: bazaar keys).")] = None,
    lora: Annotated[
        list[str] | None,
        typer.Option(
            "--lora",
            help="LoRA setting KEY=VALUE, repeatable: "
            + ", ".join(f"{f.name}={f.default}" for f in dataclasses.fields(LoraTrainConfig)),
        ),
    ] = None,
    provenance: Annotated[str, typer.Option(help="human or synthetic.")] = "human",
    generator: Annotated[str | None, typer.Option(help="Model that wrote synthetic data.")] = None,
    directory: ModelDir = Path("."),
) -> None:
    """Fine-tune a LoRA adapter on your data and write a signed bundle for review.

    Without --include-data your data never leaves this machine: only its size, sha256 and
    licence are in the bundle. Example:
    bazaar contribute --data qa.jsonl --task qa --license MIT --lora steps=100 --lora lr=1e-3
    """
    if provenance not in ("human", "synthetic"):
        raise typer.BadParameter("--provenance must be human or synthetic")
    cfg = apply_overrides(LoraTrainConfig(), lora or [])
    outcome = run_contribute(
        directory,
        data=data,
        task=task,
        license=license,
        base=base,
        include_data=include_data,
        out=out_path,
        key=key,
        train=cfg,
        provenance=provenance,  # type: ignore[arg-type]
        generator=generator,
    )
    console.print(
        f"wrote [bold]{outcome.bundle}[/] (base {outcome.base[:12]}); next: "
        f"bazaar review {outcome.bundle}"
    )


def review(
    bundle: Annotated[Path, typer.Argument(help="The .bazaar bundle to review.")],
    report: Annotated[Path | None, typer.Option(help="Folder for review.{json,md,html}.")] = None,
    directory: ModelDir = Path("."),
) -> None:
    """Review a contribution: trust, integrity, licence, capability and safety vs its base.

    Exit codes (the same for every bazaar command; modelbazaar.errors.ExitCode):

    \b
      0   accept
      1   reject (a verdict: licence, regression, safety or too small a gain)
      2   refused: the bundle is hostile or malformed, its signer is not trusted,
          or the recipe/command line is wrong; nothing is recorded
      70  internal error: a bug in modelbazaar (the traceback is printed)
      130 interrupted (Ctrl-C)
    """
    outcome = run_review(directory, bundle, report_dir=report)
    colour = "green" if outcome.verdict == "accept" else "red"
    shown = escape(f"{bundle} ({outcome.contribution[:12]})")
    out.print(f"[bold {colour}]{outcome.verdict}[/] {shown}")
    for reason in outcome.reasons:  # may quote a contributor's text: never rich markup
        out.print(f"  - {escape(reason)}", highlight=False)
    console.print(f"report: {escape(str(outcome.report_dir))}/review.md", highlight=False)
    if outcome.verdict != "accept":
        raise typer.Exit(ExitCode.REJECTED)


def merge(
    bundles: Annotated[
        list[Path], typer.Argument(help="Accepted bundles (with --remote: contribution ids).")
    ],
    method: Annotated[MergeMethod, typer.Option(help="How deltas combine.")] = MergeMethod.ties,
    density: Annotated[float, typer.Option(help="Share of delta entries kept (ties/dare).")] = 0.5,
    weights: Annotated[list[float] | None, typer.Option(help="One weight per bundle.")] = None,
    seed: Annotated[int, typer.Option(help="Seed of DARE's random pruning.")] = 0,
    remote: Annotated[
        str | None, typer.Option(help="Ask this hub remote to merge approved contributions.")
    ] = None,
    directory: ModelDir = Path("."),
) -> None:
    """Merge accepted contributions into main, after reviewing the merged model against main.

    Example: bazaar merge gsm8k.bazaar poems.bazaar --method ties --density 0.5;
    on a hub: bazaar merge --remote origin 9207910d 4c1e5a77 --method ties
    """
    if remote is not None:
        from modelbazaar.cli.remote import merge_remote

        ids = [str(b) for b in bundles]
        merge_remote(directory, ids, remote, method.value, density, weights or None, seed)
        return
    outcome = merging.merge(
        directory, bundles, method=method.value, density=density, weights=weights or None, seed=seed
    )
    if outcome.already:
        out.print(f"already merged: main is {outcome.version[:12]}, the merge of these bundles")
        return
    if outcome.verdict == "accept":
        out.print(f"[green]merged[/]: main is now {outcome.version[:12]}")
        return
    out.print(f"[red]merged model rejected[/]: main unchanged ({outcome.version[:12]} recorded)")
    for reason in outcome.reasons:
        out.print(f"  - {escape(reason)}", highlight=False)
    raise typer.Exit(ExitCode.REJECTED)


def distill(
    data: Annotated[Path, typer.Option(help="Text (or JSONL) to distill on.")],
    teacher: Annotated[str, typer.Option(help="Teacher version or ref.")] = "main",
    student_config: Annotated[str, typer.Option(help="Student size: tiny, small, …")] = "small",
    steps: Annotated[int, typer.Option(min=1, help="Training steps.")] = 200,
    temperature: Annotated[float, typer.Option(help="Softening temperature T.")] = 2.0,
    alpha: Annotated[
        float, typer.Option(help="Weight of the KL term (1-alpha: next-token).")
    ] = 0.5,
    seed: Annotated[int, typer.Option(help="Seed.")] = 0,
    tag: Annotated[str | None, typer.Option(help="Ref to point at the student.")] = None,
    directory: ModelDir = Path("."),
) -> None:
    """Distill a smaller Llama student from a teacher version (relation `distilled`)."""
    from modelbazaar.train.distill import DistillConfig
    from modelbazaar.workflows.distill import distill_version

    cfg = DistillConfig(
        student=student_config, steps=steps, temperature=temperature, alpha=alpha, seed=seed
    )
    outcome = distill_version(directory, teacher=teacher, data=data, cfg=cfg, tag=tag)
    out.print(
        f"distilled [bold]{outcome.version[:12]}[/] ({outcome.parameters / 1e6:.2f}M "
        f"parameters) from {outcome.teacher[:12]}"
    )


def register(app: typer.Typer) -> None:
    """Add contribute, review, merge and distill to the `bazaar` app."""
    for command in (contribute, review, merge, distill):
        app.command()(command)
