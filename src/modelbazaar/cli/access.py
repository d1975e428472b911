"""`bazaar access`: who may download a hub model or one of its releases (maintainers set the
levels and decide requests; anyone asks).

    bazaar access set gated --release v2            # the model stays as it is; v2 is gated
    bazaar access show                              # the model's level and each release's
    bazaar access request --release v2 --who "Carol, a student" --use "coursework" \\
        --remote http://127.0.0.1:8000/models/tiny
    bazaar access requests && bazaar access approve 3 --reason "fine"
    bazaar access revoke 3 --reason "misuse"
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from modelbazaar.hub import access_actions
from modelbazaar.progress import console, out

access_app = typer.Typer(
    name="access",
    help="Who may download a hub model or its releases: levels and access requests.",
    no_args_is_help=True,
)
ModelDir = Annotated[Path, typer.Option("--dir", "-C", help="Model source folder.")]
Remote = Annotated[str, typer.Option("--remote", help="Remote name (or a model URL).")]
Release = Annotated[
    str | None, typer.Option("--release", help="A release (tag) instead of the whole model.")
]
RequestId = Annotated[int, typer.Argument(help="Request number (`bazaar access requests`).")]


@access_app.command("set")
def set_level(
    level: Annotated[str, typer.Argument(help="public, gated or private (inherit: --release).")],
    release: Release = None,
    remote: Remote = "origin",
    directory: ModelDir = Path("."),
) -> None:
    """Set the model's level, or one release's (maintainers).

    gated: anyone reads the pages; downloading (clone, pull, the chat) needs an approved
    access request. A release's own level wins over the model's for that release's version.
    """
    result = access_actions.set_level(directory, level, release=release, remote=remote)
    what = f"release {escape(release)}" if release else "the model"
    out.print(f"{what} is now [bold]{result['level']}[/]")
    for note in result.get("notes", []):
        console.print(f"[yellow]{escape(note)}[/]", highlight=False)


@access_app.command("show")
def show(remote: Remote = "origin", directory: ModelDir = Path(".")) -> None:
    """The model's level and each release's, and whether you may download it."""
    found = access_actions.levels(directory, remote)
    out.print(f"{escape(found['model'])}: [bold]{found['level']}[/]")
    table = Table("release", "version", "level", "own level", "you may download")
    for row in found["releases"]:
        table.add_row(
            escape(row["release"]),
            row["version"][:12],
            row["level"],
            "yes" if row["own"] else "follows the model",
            "yes" if row["download"] else "no",
        )
    out.print(table)


@access_app.command("request")
def request(
    who: Annotated[str, typer.Option("--who", help="Who you are.")],
    use: Annotated[str, typer.Option("--use", help="What you intend to do with it.")],
    release: Release = None,
    remote: Remote = "origin",
    directory: ModelDir = Path("."),
) -> None:
    """Ask the maintainers for access to a gated model or release."""
    result = access_actions.request(directory, who, use, release=release, remote=remote)
    out.print(f"request {result['id']} is {result['state']}; the maintainers decide")


@access_app.command("requests")
def requests(remote: Remote = "origin", directory: ModelDir = Path(".")) -> None:
    """Every access request of the model, newest first (maintainers)."""
    table = Table("id", "user", "for", "who", "intended use", "state", "reason")
    for row in access_actions.requests(directory, remote):
        table.add_row(
            str(row["id"]),
            escape(row["user"]),
            escape(row["release"] or "the model"),
            escape(row["who"])[:200],
            escape(row["intended_use"])[:200],
            row["state"],
            escape(row["reason"])[:200] or "—",
        )
    out.print(table)


def _decision(verdict: str, reason_help: str, summary: str) -> Callable[..., None]:
    """The `approve` / `decline` / `revoke` command: one request, one verdict, one reason."""

    def command(
        request_id: RequestId,
        reason: str = "",
        remote: Remote = "origin",
        directory: ModelDir = Path("."),
    ) -> None:
        result = access_actions.decide(directory, request_id, verdict, reason, remote)
        out.print(f"request {result['id']} is {result['state']}")

    command.__doc__ = summary
    # set here, not in the signature: with postponed annotations typer could not see reason_help
    command.__annotations__["reason"] = Annotated[str, typer.Option(help=reason_help)]
    return command


access_app.command("approve")(
    _decision("approve", "Why (optional).", "Approve a pending request (maintainers); logged.")
)
access_app.command("decline")(
    _decision(
        "decline",
        "Why: the requester reads it (required).",
        "Decline a pending request with a reason (maintainers); logged.",
    )
)
access_app.command("revoke")(
    _decision(
        "revoke",
        "Why: the requester reads it (required).",
        "Revoke an approved request (maintainers): downloads stop at once; logged.",
    )
)


def register(app: typer.Typer) -> None:
    """Add the access group."""
    app.add_typer(access_app)
