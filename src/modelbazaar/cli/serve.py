"""`bazaar serve` (a version behind an OpenAI-compatible API) and `bazaar api-key` (its keys)."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from click import BadParameter

from modelbazaar.progress import console, out

if TYPE_CHECKING:  # the command's modules load only when it runs (cli/lazy.py)
    from modelbazaar.model import LoadedModel
    from modelbazaar.serve.guarding import GuardLike
    from modelbazaar.serve.keys import KeyLookup

ModelDir = Annotated[Path, typer.Option("--dir", "-C", help="Model source folder.")]
KeyFile = Annotated[Path, typer.Argument(help="The API-key file (hashed keys, one per line).")]

# `bazaar serve`'s options, declared once here so that the command's signature reads as a list
Ref = Annotated[str, typer.Argument(help="A ref (main, a tag) or a version hash prefix.")]
Host = Annotated[str, typer.Option(help="Address to listen on.")]
Port = Annotated[int, typer.Option(min=0, max=65535)]
ServedName = Annotated[
    str | None, typer.Option(help="Model name clients send (default: REF as given).")
]
ApiKeys = Annotated[
    Path | None,
    typer.Option("--api-keys", help="Require a key from this file (bazaar api-key add)."),
]
GuardFlag = Annotated[
    bool, typer.Option("--guard", help="Check prompts and answers with the safety guard.")
]
GuardSource = Annotated[
    str | None, typer.Option(help="Where the guard comes from (default: the shipped one).")
]
GuardInt8 = Annotated[
    bool,
    typer.Option(
        "--guard-int8",
        help="The guard's linear layers in int8: ~3x faster checks, slightly different scores "
        '(README "The guard").',
    ),
]
MaxTokens = Annotated[int, typer.Option(min=1, help="Largest max_tokens a request may ask.")]
MaxBodyBytes = Annotated[int, typer.Option(min=1024, help="Largest request body.")]
MaxStreamsPerKey = Annotated[int, typer.Option(min=1, help="Requests in flight per API key.")]
MaxConcurrent = Annotated[int, typer.Option(min=1, help="Requests in flight in all.")]
MaxBatch = Annotated[int, typer.Option(min=1, help="Sequences per forward pass.")]
KvCacheMb = Annotated[
    int, typer.Option(min=1, help="KV-cache budget; requests beyond it wait their turn.")
]
DrainTimeout = Annotated[float, typer.Option(min=0, help="Seconds Ctrl-C waits for open streams.")]
Threads = Annotated[
    int, typer.Option(min=1, help="Torch threads for the model (1 leaves a core for HTTP).")
]
EngineKind = Annotated[
    str,
    typer.Option(help="process: the model in a child process (no GIL shared with HTTP); thread."),
]
Portable = Annotated[
    bool,
    typer.Option(
        "--portable/--fast",
        help="Portable numerics (the AVX2 caps builds use: the same answers on every x86-64 CPU, "
        "slower) instead of this CPU's fastest kernels (the default).",
    ),
]


def serve(
    ref: Ref,
    directory: ModelDir = Path("."),
    host: Host = "127.0.0.1",
    port: Port = 8000,
    name: ServedName = None,
    api_keys: ApiKeys = None,
    guard: GuardFlag = False,
    guard_source: GuardSource = None,
    guard_int8: GuardInt8 = False,
    max_tokens: MaxTokens = 1024,
    max_body_bytes: MaxBodyBytes = 1 << 20,
    max_streams_per_key: MaxStreamsPerKey = 8,
    max_concurrent: MaxConcurrent = 256,
    max_batch: MaxBatch = 32,
    kv_cache_mb: KvCacheMb = 2048,
    drain_timeout: DrainTimeout = 60.0,
    threads: Threads = 1,
    engine: EngineKind = "process",
    portable: Portable = False,
) -> None:
    """Serve a version (built or imported) behind an OpenAI-compatible API.

    Endpoints: GET /v1/models, POST /v1/completions and /v1/chat/completions (stream: true
    for server-sent events), POST /v1/moderations (with --guard).

    Requests are batched: every running stream advances one token per forward pass.

    Ctrl-C stops accepting connections, lets open streams finish, and exits.

    Example: bazaar serve main --api-keys keys.txt
    """
    from modelbazaar.serve.app import create_app, run
    from modelbazaar.serve.served import Limits

    del portable  # read by cli/main.py before torch starts
    if engine not in ("process", "thread"):
        raise BadParameter("--engine must be `process` or `thread`")
    guard_from = (guard_source, guard_int8) if guard else None
    loaded, keys, checker = _load(ref, directory, threads, api_keys, guard_from)
    limits = Limits(
        max_tokens=max_tokens,
        max_body_bytes=max_body_bytes,
        max_streams_per_key=max_streams_per_key,
        max_concurrent=max_concurrent,
        max_batch=max_batch,
        kv_cache_bytes=kv_cache_mb << 20,
    )
    app = create_app(
        loaded,
        name=name or ref,
        limits=limits,
        keys=keys,
        guard=checker,
        engine=engine,
        threads=threads,
    )
    _announce(host, port, name or ref, loaded.record.short, keys is None, guard)
    run(app, host, port, drain_timeout)


def _load(
    ref: str,
    directory: Path,
    threads: int,
    api_keys: Path | None,
    guard_from: tuple[str | None, bool] | None,
) -> tuple[LoadedModel, KeyLookup | None, GuardLike | None]:
    """Torch's thread count, the API keys, the guard (refusing to start, saying why, when it
    is not there), then the version itself: the checks that fail fast come before the load.
    `guard_from`: (guard source, int8) with --guard, else None."""
    import torch

    from modelbazaar.model import load_version
    from modelbazaar.serve.guarding import load_guard
    from modelbazaar.serve.keys import LiveKeyRing
    from modelbazaar.store import Store

    torch.set_num_threads(threads)
    keys = LiveKeyRing(api_keys) if api_keys is not None else None  # revocations apply live
    checker = load_guard(*guard_from) if guard_from else None  # refuses to start, saying why
    store = Store.existing(directory)
    console.print(f"loading {ref} ...")
    return load_version(store, ref), keys, checker


def _announce(host: str, port: int, name: str, short: str, without_keys: bool, guard: bool) -> None:
    """Where the model is served, with a warning when anyone on the network could use it."""
    if without_keys and not _loopback(host):
        console.print(
            f"[bold yellow]warning:[/] listening on {host} without --api-keys: anyone who can "
            "reach this address can use the model"
        )
    console.print(
        f"serving {name} (version {short}) at http://{host}:{port}/v1"
        f"{' with the guard' if guard else ''}; Ctrl-C drains open streams and stops"
    )


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


api_key = typer.Typer(help="API keys for `bazaar serve --api-keys FILE`.", no_args_is_help=True)


@api_key.command("add")
def add(
    path: KeyFile,
    name: Annotated[str, typer.Option(help="Who the key is for (letters, digits, . _ @ -).")],
) -> None:
    """Create a key, store its sha256 in FILE (created 0600) and print the key, once."""
    from modelbazaar.serve.keys import add_key

    key = add_key(path, name)
    console.print(f"added key {name!r} to {path}; it is shown only now:")
    out.print(key, highlight=False, markup=False)


@api_key.command("list")
def list_keys(path: KeyFile) -> None:
    """The names of the keys in FILE."""
    from modelbazaar.serve.keys import KeyRing

    for key_name in sorted(KeyRing.read(path).names.values()):
        out.print(key_name, highlight=False, markup=False)


@api_key.command("revoke")
def revoke(path: KeyFile, name: Annotated[str, typer.Argument(help="The key's name.")]) -> None:
    """Remove a key from FILE (a running server refuses it from its next request on)."""
    from modelbazaar.serve.keys import revoke_key

    revoke_key(path, name)
    console.print(f"revoked {name!r}; restart running servers to apply")


def register(app: typer.Typer) -> None:
    app.command()(serve)
    app.add_typer(api_key, name="api-key")
