"""`bazaar hub`: run a hub and administer it on the server machine.

bazaar hub serve --data hub/ --port 8000          # SQLite + local objects under hub/
bazaar hub serve --database-url postgresql+psycopg://… --objects s3://bucket/prefix
bazaar hub user add alice --admin --data hub/
bazaar hub token create alice --data hub/          # the token is the last line printed
bazaar hub worker --hub http://127.0.0.1:8000 --token bzr_…
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from modelbazaar.errors import BazaarError
from modelbazaar.progress import console, out

hub_app = typer.Typer(
    name="hub", help="Run a hub, manage its users and tokens, run CI workers.", no_args_is_help=True
)
user_app = typer.Typer(
    name="user", help="Accounts on this hub (server machine).", no_args_is_help=True
)
token_app = typer.Typer(name="token", help="API tokens (server machine).", no_args_is_help=True)
hub_app.add_typer(user_app)
hub_app.add_typer(token_app)

Data = Annotated[Path, typer.Option("--data", help="The hub's data folder (database, objects).")]
DatabaseUrl = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        help="SQLAlchemy URL, e.g. postgresql+psycopg://user@host/db (default: SQLite in --data).",
    ),
]
DEFAULT_DATA = Path("hub-data")


def _db(data: Path, database_url: str | None):  # noqa: ANN202 (HubDB; imported lazily)
    from modelbazaar.hub.db import HubConfig, HubDB

    return HubDB.open(HubConfig(data=data, database_url=database_url))


@hub_app.command("serve")
def serve(
    data: Data = DEFAULT_DATA,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    database_url: DatabaseUrl = None,
    objects: Annotated[
        str | None, typer.Option(help="Object store: a folder or s3://bucket/prefix.")
    ] = None,
    s3_endpoint: Annotated[
        str | None, typer.Option(help="S3-compatible endpoint URL (MinIO, R2, Ceph).")
    ] = None,
    lease_seconds: Annotated[float, typer.Option(help="Job lease of a worker.")] = 120.0,
    max_object_mb: Annotated[int, typer.Option(help="Largest object upload (MiB).")] = 8192,
    max_bundle_mb: Annotated[int, typer.Option(help="Largest bundle submitted (MiB).")] = 1024,
    submissions_per_hour: Annotated[int, typer.Option(help="Per user.")] = 30,
) -> None:
    """Start a hub (FastAPI + uvicorn). API under /api/v1, OpenAPI page at /docs.

    A database written by a newer modelbazaar is refused before the port opens.
    """
    from modelbazaar.hub.db import HubConfig, Limits, MiB
    from modelbazaar.hub.server import serve as run

    limits = Limits(
        max_object_bytes=max_object_mb * MiB,
        max_bundle_bytes=max_bundle_mb * MiB,
        submissions_per_hour=submissions_per_hour,
    )
    config = HubConfig(
        data=data,
        database_url=database_url,
        objects=objects,
        s3_endpoint=s3_endpoint,
        lease_seconds=lease_seconds,
        limits=limits,
    )
    console.print(f"hub on http://{host}:{port} (data {data}; API docs at /docs)")
    run(config, host, port)


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="User name (a-z, 0-9, _ -).")],
    admin: Annotated[bool, typer.Option("--admin", help="May do anything but approve.")] = False,
    worker: Annotated[bool, typer.Option("--worker", help="A CI worker account.")] = False,
    data: Data = DEFAULT_DATA,
    database_url: DatabaseUrl = None,
) -> None:
    """Create an account; then `bazaar hub token create NAME` gives it a token."""
    if admin and worker:
        raise BazaarError("an account is an admin or a worker, not both")
    from modelbazaar.hub.accounts import add_user

    user = add_user(_db(data, database_url), name, admin=admin, worker=worker)
    kind = "admin" if user.is_admin else "worker" if user.is_worker else "user"
    out.print(f"added {kind} {user.name}; next: bazaar hub token create {user.name}")


@user_app.command("list")
def user_list(data: Data = DEFAULT_DATA, database_url: DatabaseUrl = None) -> None:
    """Every account."""
    from sqlalchemy import select

    from modelbazaar.hub import tables

    db = _db(data, database_url)
    table = Table("user", "kind", "created")
    with db.reading() as conn:
        for row in conn.execute(select(tables.users).order_by(tables.users.c.name)):
            kind = "admin" if row.is_admin else "worker" if row.is_worker else "user"
            table.add_row(row.name, kind, row.created_at)
    out.print(table)


@token_app.command("create")
def token_create(
    name: Annotated[str, typer.Argument(help="The user the token is for.")],
    days: Annotated[float, typer.Option(help="Valid for this many days.")] = 90,
    label: Annotated[str, typer.Option(help="A note: what the token is for.")] = "",
    data: Data = DEFAULT_DATA,
    database_url: DatabaseUrl = None,
) -> None:
    """Create a token. It is printed once, as the last line, and stored only hashed."""
    from modelbazaar.hub.accounts import create_token

    token = create_token(_db(data, database_url), name, days=days, label=label)
    console.print(f"token for {name}, valid {days:g} days; it is shown only now:")
    typer.echo(token)


@token_app.command("list")
def token_list(
    name: Annotated[str, typer.Argument(help="User.")],
    data: Data = DEFAULT_DATA,
    database_url: DatabaseUrl = None,
) -> None:
    """A user's tokens (never the tokens themselves): id, label, expiry, state."""
    from datetime import UTC, datetime

    from modelbazaar.hub.accounts import list_tokens

    table = Table("id", "label", "created", "expires", "state")
    for row in list_tokens(_db(data, database_url), name):
        state = "revoked" if row["revoked"] else "expired" if row["expired"] else "active"
        expires = datetime.fromtimestamp(row["expires_at"], UTC).isoformat(timespec="seconds")
        table.add_row(str(row["id"]), row["label"], row["created_at"], expires, state)
    out.print(table)


@token_app.command("revoke")
def token_revoke(
    token_id: Annotated[int, typer.Argument(help="Token id (see `bazaar hub token list`).")],
    data: Data = DEFAULT_DATA,
    database_url: DatabaseUrl = None,
) -> None:
    """Revoke a token: requests with it get 401 from now on."""
    from modelbazaar.hub.accounts import revoke_token

    revoke_token(_db(data, database_url), token_id)
    out.print(f"revoked token {token_id}")


@hub_app.command("worker")
def worker(
    hub: Annotated[str, typer.Option("--hub", help="Hub URL, e.g. http://127.0.0.1:8000.")],
    token: Annotated[
        str | None, typer.Option(help="A worker account's token (default: BAZAAR_TOKEN, login).")
    ] = None,
    work: Annotated[
        Path, typer.Option(help="Scratch folder: model mirrors and job folders.")
    ] = Path("bazaar-worker"),
    once: Annotated[bool, typer.Option("--once", help="Stop when the queue is empty.")] = False,
    poll: Annotated[float, typer.Option(help="Seconds between polls of an empty queue.")] = 2.0,
) -> None:
    """Claim review and merge jobs (with a lease) and run them with the CLI's own workflows.

    Run any number, on any machine. A worker never moves refs: it posts verdicts; the hub moves
    main. Killed mid-job, its lease expires and another worker takes the job.
    """
    from modelbazaar.hub.remotes import base_url, token_for
    from modelbazaar.hub.worker import run_worker

    base = base_url(hub)
    secret = token or os.environ.get("BAZAAR_TOKEN") or token_for(base)
    if not secret:
        raise BazaarError("give --token (a worker account's token) or run `bazaar login URL`")
    done = run_worker(base, secret, work, once=once, poll=poll, show_progress=False)
    console.print(f"worker stopped after {done} job(s)")


def register(app: typer.Typer) -> None:
    """Add the `hub` command group to the `bazaar` app."""
    app.add_typer(hub_app)
