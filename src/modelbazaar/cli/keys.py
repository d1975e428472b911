"""`bazaar keys`: create and show the ed25519 identity that signs your contributions."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from modelbazaar.contrib.keys import (
    default_key_path,
    generate_keypair,
    load_private_key,
    parse_public_key,
    public_key_path,
    public_key_text,
)
from modelbazaar.errors import BundleError
from modelbazaar.recipe import add_trusted_key

keys_app = typer.Typer(
    name="keys", help="Create and show your signing identity.", no_args_is_help=True
)

OutOption = Annotated[
    Path | None,
    typer.Option(
        "--out",
        help="Private key file (default: $BAZAAR_KEYS or ~/.config/modelbazaar/keys/default).",
    ),
]


@keys_app.command("generate")
def generate(
    out: OutOption = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing key.")] = False,
) -> None:
    """Create an ed25519 key pair: the private key (mode 0600) and PATH.pub beside it.

    Prints the public key; share it with the maintainers so they can trust your bundles.
    """
    path = out or default_key_path()
    text = generate_keypair(path, force=force)
    typer.echo(f"private key: {path}", err=True)
    typer.echo(f"public key:  {public_key_path(path)}", err=True)
    typer.echo(text)


@keys_app.command("show")
def show(out: OutOption = None) -> None:
    """Print the public key of your identity (from PATH.pub, or derived from the private key)."""
    typer.echo(_own_public_key(out or default_key_path()))


def _own_public_key(path: Path) -> str:
    pub = public_key_path(path)
    if pub.is_file():
        text = pub.read_text(encoding="utf-8").strip()
        parse_public_key(text)  # refuse to use garbage as if it were a key
        return text
    if path.is_file():
        return public_key_text(load_private_key(path))
    raise BundleError(f"no key at {path}; create one with `bazaar keys generate`")


@keys_app.command("trust")
def trust(
    key: Annotated[
        str | None, typer.Argument(help="Public key (ed25519:…); default: your own.")
    ] = None,
    maintainer: Annotated[
        bool, typer.Option("--maintainer", help="Add to maintainers, not trusted_contributors.")
    ] = False,
    directory: Annotated[Path, typer.Option("--dir", "-C", help="Model source folder.")] = Path(
        "."
    ),
    out: OutOption = None,
) -> None:
    """Trust a key: `bazaar review` and `merge` accept bundles it signed (bazaar.toml is edited).

    Nobody is trusted until listed. Example: bazaar keys trust ed25519:Q6sW…= -C my-model
    """
    key = key or _own_public_key(out or default_key_path())
    parse_public_key(key)  # a real ed25519 key, not just the right shape
    added = add_trusted_key(directory, key, maintainer=maintainer)
    role = "maintainers" if maintainer else "trusted_contributors"
    typer.echo(f"{key} {'added to ' + role if added else 'was already trusted'} in bazaar.toml")


def register(app: typer.Typer) -> None:
    """Add the `keys` command group to the `bazaar` app."""
    app.add_typer(keys_app)
