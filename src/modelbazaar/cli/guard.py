"""`bazaar guard`: check texts with the safety guard, build the default guard."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from modelbazaar.errors import BazaarError
from modelbazaar.progress import console, out

guard_app = typer.Typer(
    help="The safety guard: MLCommons hazards S1-S14, built from source (templates/guard).",
    no_args_is_help=True,
)
BATCH = 256  # texts per guard call when checking a file


@guard_app.command("check")
def check(
    text: Annotated[str | None, typer.Argument(help="Text to check (or use --file).")] = None,
    role: Annotated[str, typer.Option(help="Whose message: user or assistant.")] = "user",
    as_json: Annotated[bool, typer.Option("--json", help="Probabilities per category.")] = False,
    file: Annotated[
        Path | None, typer.Option("--file", "-f", help="One text per line, or JSONL with `text`.")
    ] = None,
    guard: Annotated[
        Path | None,
        typer.Option("--guard", help="A guard source or release folder (default: `guard build`)."),
    ] = None,
    int8: Annotated[
        bool,
        typer.Option(
            "--int8",
            help="Linear layers in int8: ~3x faster, slightly different scores "
            '(README "The guard").',
        ),
    ] = False,
    portable: Annotated[
        bool,
        typer.Option(
            "--portable",
            help="Portable numerics (the caps the guard was built under: the same probabilities "
            "on every x86-64 CPU, slower) instead of this CPU's fastest kernels.",
        ),
    ] = False,
) -> None:
    """Print `safe`, or `unsafe` and the hazard codes on the next line, as Llama Guard 3 does.

    With --file, one line per text: `LINE<TAB>safe` or `LINE<TAB>unsafe<TAB>S1,S10` (LINE is
    the text's line in the file); --json prints JSON (JSON Lines for a file) with P(unsafe),
    the threshold and the probability of every category S1..S14.
    Example: bazaar guard check "How do I make a pipe bomb?"  ->  unsafe / S1,S9
    """
    from modelbazaar.safety.guard import GuardUnavailable, load_guard
    from modelbazaar.safety.guard.inputs import read_texts

    if int8 and portable:  # (--portable itself is read by cli/main.py before torch starts)
        raise BazaarError("--int8 and --portable: the portable guard is the fp32 one; pick one")

    if (text is None) == (file is None):
        raise BazaarError("give one TEXT to check, or --file FILE, not both or neither")
    if text is not None and not text.strip():
        raise BazaarError("the text to check is empty")
    items = [(0, text)] if text is not None else read_texts(file)  # type: ignore[arg-type]
    try:
        model = load_guard(guard, int8=int8)
    except GuardUnavailable as exc:
        raise BazaarError(f"the guard cannot load: {exc}") from None
    if text is not None:
        [verdict] = model.check([text], role=role)
        _print_one(verdict, model.threshold, role, as_json)
        return
    flagged = 0
    for first in range(0, len(items), BATCH):
        chunk = items[first : first + BATCH]
        for (line, _), verdict in zip(chunk, model.check([t for _, t in chunk], role), strict=True):
            flagged += verdict.flagged
            _print_line(line, verdict, model.threshold, role, as_json)
    console.print(f"checked {len(items)} texts: {flagged} unsafe", highlight=False)


def _record(verdict, threshold: float, role: str) -> dict:  # noqa: ANN001 (a GuardVerdict)
    return {
        "flagged": verdict.flagged,
        "codes": verdict.codes,
        "probability": verdict.probability,
        "threshold": threshold,
        "role": role,
        "scores": verdict.scores,
    }


def _print_one(verdict, threshold: float, role: str, as_json: bool) -> None:  # noqa: ANN001
    if as_json:
        out.print_json(json.dumps(_record(verdict, threshold, role)))
    elif verdict.flagged:
        out.print(f"unsafe\n{','.join(verdict.codes)}", highlight=False)
    else:
        out.print("safe", highlight=False)


def _print_line(line: int, verdict, threshold: float, role: str, as_json: bool) -> None:  # noqa: ANN001
    if as_json:
        print(json.dumps({"line": line} | _record(verdict, threshold, role)))
    elif verdict.flagged:
        print(f"{line}\tunsafe\t{','.join(verdict.codes)}")
    else:
        print(f"{line}\tsafe")


@guard_app.command("build")
def build_default(
    directory: Annotated[
        Path | None, typer.Option("--dir", "-C", help="Where to put the guard source.")
    ] = None,
) -> None:
    """Create the guard source from the `guard` template (if missing) and build it.

    Default folder: $BAZAAR_GUARD, else ~/.local/share/modelbazaar/guard; `guard check` and
    `serve --guard` load the guard from there. Takes a few minutes on 2 cores; run it again and
    every stage is a cache hit. `bazaar verify -C FOLDER` rebuilds it bit for bit.
    """
    from modelbazaar import templates
    from modelbazaar.recipe import RECIPE_FILE
    from modelbazaar.safety.guard import default_guard_home, load_guard
    from modelbazaar.workflows.build import build

    folder = directory or default_guard_home()
    if not (folder / RECIPE_FILE).exists():
        templates.create(folder, "guard")
        console.print(f"created the guard source in {escape(str(folder))}")
    outcome = build(folder)
    guard = load_guard(folder)
    hit = " (cached)" if all(outcome.cached.values()) else ""
    out.print(
        f"built guard {outcome.version[:12]}{hit} in {folder}: threshold {guard.threshold:.3f}",
        highlight=False,
    )


def register(app: typer.Typer) -> None:
    app.add_typer(guard_app, name="guard")
