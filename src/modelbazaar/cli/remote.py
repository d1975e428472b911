"""Talking to a hub from a model folder: login, remote, push, clone, pull, submit,
contributions, approve, member (and the `--remote` halves of `merge` and `log`).

    bazaar login http://127.0.0.1:8000            # prompts for the token
    bazaar push http://127.0.0.1:8000/models/tiny # first push creates the model (you maintain it)
    bazaar clone http://127.0.0.1:8000/models/tiny && cd tiny && bazaar verify main
    bazaar submit verse.bazaar && bazaar contributions
    bazaar approve 9207910d && bazaar merge --remote origin 9207910d --method ties
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from modelbazaar.errors import ExitCode
from modelbazaar.hub import actions, sync
from modelbazaar.hub.remotes import remotes, set_remote
from modelbazaar.progress import console, out

ModelDir = Annotated[Path, typer.Option("--dir", "-C", help="Model source folder.")]
Remote = Annotated[str, typer.Option("--remote", help="Remote name (or a model URL).")]
Key = Annotated[Path | None, typer.Option(help="Private key (default: bazaar keys).")]

remote_app = typer.Typer(
    name="remote", help="Hubs this model folder talks to.", no_args_is_help=True
)
member_app = typer.Typer(
    name="member", help="Roles on a hub model (maintainers).", no_args_is_help=True
)


def login(
    url: Annotated[str, typer.Argument(help="Hub URL, e.g. http://127.0.0.1:8000.")],
    token: Annotated[str | None, typer.Option(help="Token (prompted for when absent).")] = None,
) -> None:
    """Store a token for a hub (0600, under ~/.config/modelbazaar); BAZAAR_TOKEN overrides it.

    Also registers your public key (`bazaar keys generate`) so the hub knows your signatures.
    """
    token = token or typer.prompt("token", hide_input=True)
    me, path, key = actions.login(url, token.strip())
    out.print(f"logged in to {escape(url)} as [bold]{escape(me['name'])}[/] (token in {path})")
    if key:
        console.print(f"your key {key} is registered with the hub")


@remote_app.command("add")
def remote_add(
    name: Annotated[str, typer.Argument(help="Remote name, e.g. origin.")],
    url: Annotated[str, typer.Argument(help="http://HOST:PORT/models/NAME")],
    directory: ModelDir = Path("."),
) -> None:
    """Remember a hub model under a name (like `git remote add`)."""
    set_remote(directory, name, url)
    out.print(f"remote {name} -> {escape(url)}")


@remote_app.command("list")
def remote_list(directory: ModelDir = Path(".")) -> None:
    for name, entry in sorted(remotes(directory).items()):
        out.print(f"{name}\t{entry['url']}")


def push(
    remote: Annotated[str, typer.Argument(help="Remote name or model URL.")] = "origin",
    ref: Annotated[str, typer.Argument(help="Ref to push.")] = "main",
    private: Annotated[bool, typer.Option("--private", help="Create the model private.")] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Move the hub's branch even if not a fast-forward.")
    ] = False,
    directory: ModelDir = Path("."),
) -> None:
    """Send a ref with its lineage and the model source; only what the hub lacks is sent.

    A first push to URL/models/NAME creates the model with you as maintainer. Data files whose
    licence does not allow redistribution stay here (listed as withheld). Run it again after an
    interruption: it sends the rest.
    """
    result = sync.push(directory, remote, ref, private=private, force=force)
    created = " (created the model)" if result.created else ""
    if not (result.sent or result.versions or result.moved or result.created):
        out.print(f"everything up to date: {ref} is {result.version[:12]} on {escape(result.url)}")
        return
    out.print(
        f"pushed {ref} = {result.version[:12]} to {escape(result.url)}{created}: "
        f"{result.sent} objects ({result.bytes / 1e6:.1f} MB), {result.versions} versions"
    )


def clone(
    url: Annotated[str, typer.Argument(help="http://HOST:PORT/models/NAME")],
    directory: Annotated[Path | None, typer.Argument(help="Folder (default: NAME).")] = None,
) -> None:
    """A new folder with the model's source, versions and refs: `bazaar verify main` works."""
    dest, result = sync.clone(url, directory)
    out.print(
        f"cloned into {escape(str(dest))}: {result.versions} versions, {result.objects} objects"
    )
    for ref, what in sorted(result.refs.items()):
        out.print(f"  {ref}: {what}")
    for note in result.withheld:
        console.print(f"[yellow]{escape(note)}[/]", highlight=False)


def pull(
    remote: Annotated[str, typer.Argument(help="Remote name or model URL.")] = "origin",
    force: Annotated[bool, typer.Option("--force", help="Set local refs to the hub's.")] = False,
    directory: ModelDir = Path("."),
) -> None:
    """Bring new versions and move local refs forward (and unedited source files)."""
    result = sync.pull(directory, remote, force=force)
    out.print(f"pulled {result.versions} versions ({result.objects} objects)")
    for ref, what in sorted(result.refs.items()):
        out.print(f"  {ref}: {escape(what)}")
    for note in result.withheld:
        console.print(f"[yellow]{escape(note)}[/]", highlight=False)


def submit(
    bundle: Annotated[Path, typer.Argument(help="The .bazaar bundle (bazaar contribute).")],
    remote: Remote = "origin",
    key: Key = None,
    directory: ModelDir = Path("."),
) -> None:
    """Upload a bundle; the hub checks it like `bazaar review` and queues a review job."""
    result = actions.submit(directory, bundle, remote, key)
    out.print(
        f"submitted {result['contribution'][:12]} (review job {result['job']} queued); "
        "see `bazaar contributions`"
    )


def contributions(
    remote: Remote = "origin",
    report: Annotated[
        str | None, typer.Option(help="Print this contribution's review report (Markdown).")
    ] = None,
    directory: ModelDir = Path("."),
) -> None:
    """Contributions on the hub with their state and reasons (or one review report)."""
    if report is not None:
        typer.echo(actions.review_report(directory, report, remote))
        return
    table = Table("contribution", "task", "by", "state", "approvals", "reasons")
    for row in actions.contributions(directory, remote):
        table.add_row(
            row["contribution"][:12],
            escape(row["task"]),
            escape(row["submitter"]),
            row["state"],
            ", ".join(row["approvals"]) or "—",
            escape("; ".join(row["reasons"]))[:300] or "—",
        )
    out.print(table)


def approve(
    contribution: Annotated[str, typer.Argument(help="Contribution id (8+ hex digits).")],
    remote: Remote = "origin",
    key: Key = None,
    directory: ModelDir = Path("."),
) -> None:
    """Approve an accepted contribution: your key signs its bundle hash (maintainers)."""
    result = actions.approve(directory, contribution, remote, key)
    out.print(f"approved {result['contribution'][:12]} as {escape(result['approved_by'])}")


@member_app.command("add")
def member_add(
    user: Annotated[str, typer.Argument(help="User name on the hub.")],
    role: Annotated[str, typer.Option(help="maintainer, contributor or reader.")] = "contributor",
    remote: Remote = "origin",
    directory: ModelDir = Path("."),
) -> None:
    """Give a user a role on the model (contributors' keys are trusted by reviews)."""
    actions.set_member(directory, user, role, remote)
    out.print(f"{escape(user)} is now {role}")


@member_app.command("remove")
def member_remove(
    user: Annotated[str, typer.Argument(help="User name on the hub.")],
    remote: Remote = "origin",
    directory: ModelDir = Path("."),
) -> None:
    actions.set_member(directory, user, None, remote)
    out.print(f"{escape(user)} is no longer a member")


def merge_remote(
    directory: Path,
    contributions: list[str],
    remote: str,
    method: str,
    density: float,
    weights: list[float] | None,
    seed: int,
) -> None:
    """`bazaar merge --remote`: ask the hub, wait for its worker, print the outcome."""
    result = actions.request_merge(
        directory,
        contributions,
        remote=remote,
        method=method,
        density=density,
        weights=weights,
        seed=seed,
    )
    state = result["state"]
    if state == "merged":
        out.print(f"[green]merged[/] on the hub: main is now {result['version'][:12]}")
        return
    colour = "yellow" if state in ("queued", "running") else "red"
    out.print(f"[{colour}]{state}[/]: merge #{result['id']}")
    for reason in result["reasons"]:
        out.print(f"  - {escape(reason)}", highlight=False)
    if state not in ("queued", "running"):
        raise typer.Exit(ExitCode.REJECTED if state == "rejected" else ExitCode.REFUSED)


def log_remote(directory: Path, remote: str) -> None:
    """`bazaar log --remote`: every ref move on the hub, newest first."""
    table = Table("when", "ref", "from", "to", "who", "why")
    for row in actions.audit_log(directory, remote):
        table.add_row(
            row["at"],
            row["ref"],
            (row["old"] or "—")[:12],
            row["new"][:12],
            escape(row["actor"]),
            escape(row["why"]),
        )
    out.print(table)


def register(app: typer.Typer) -> None:
    """Add login, remote, push, clone, pull, submit, contributions, approve and member."""
    for command in (login, push, clone, pull, submit, contributions, approve):
        app.command()(command)
    app.add_typer(remote_app)
    app.add_typer(member_app)
