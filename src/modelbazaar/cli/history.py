"""Commands on the history of versions: `log`, `show`, `tag` (no model is loaded: no torch)."""

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from modelbazaar.cli.donate import print_revisions, source_of
from modelbazaar.progress import out
from modelbazaar.store import Store, VersionRecord

ModelDir = Annotated[Path, typer.Option("--dir", "-C", help="Model source folder.")]
Ref = Annotated[str, typer.Argument(help="A ref (main, a tag) or a version hash prefix.")]


def _refs_at(store: Store, digest: str) -> str:
    names = [n for n, r in store.catalogue.refs().items() if r["version"] == digest]
    return f" ({', '.join(names)})" if names else ""


def _edge(parent: dict) -> str:
    """'95d0bffd565f (base)' or, for a merged contribution, 'gsm8k 197be68a2753 (merged)'."""
    detail = parent["detail"]
    if "contribution" in detail:
        return f"{detail.get('task', '')} {detail['contribution'][:12]} ({parent['relation']})"
    return f"{parent['parent'][:12]} ({parent['relation']})"


def log(
    ref: Ref = "main",
    directory: ModelDir = Path("."),
    remote: Annotated[
        str | None, typer.Option(help="Show a hub remote's audit log of ref moves instead.")
    ] = None,
) -> None:
    """Show the history of a ref, newest first, with each version's parents.

    With --remote origin: every ref move on the hub, with who, when and why.
    """
    if remote is not None:
        from modelbazaar.cli.remote import log_remote

        log_remote(directory, remote)
        return
    store = Store.existing(directory)
    table = Table("version", "relation", "created", "message", "parents")
    for record in store.history(ref):
        parents = ", ".join(_edge(p) for p in record.parents)
        table.add_row(
            record.short + _refs_at(store, record.hash),
            record.relation,
            record.created_at,
            record.message,
            parents or source_of(record),
        )
    out.print(table)
    print_revisions(store)  # data donations merged into the source (cli/donate.py)


def _metrics(store: Store, record: VersionRecord) -> dict[str, object]:
    key = record.info.get("builds", {}).get("pretrain")
    build = store.catalogue.build(key) if key else None
    if not build:
        return {}
    return {
        "train tokens": build["tokens"],
        "final train loss": round(build["final_train_loss"], 4),
        "final validation loss": round(build["final_val_loss"], 4),
        "training time (s)": round(build["duration_s"], 1),
    }


def _numerics(info: dict) -> str | None:
    """'portable' or 'fast (non-portable: ...)'; None for versions that were not built."""
    environment = info.get("build_environment")
    if environment is None:
        return None if "recipe" not in info else "unknown (built before environments were kept)"
    if info.get("portable"):
        # AVX2 kernels, exact products and math functions: no library picks code by CPU vendor
        # (README: Reproducibility)
        return "portable (the same bits on every x86-64 CPU with AVX2)"
    return f"fast, non-portable (bits depend on this CPU: {environment.get('instruction_set')})"


def show(
    ref: Ref = "main",
    directory: ModelDir = Path("."),
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show one version: hash, lineage, data with licences, config, metrics, build environment."""
    store = Store.existing(directory)
    record = store.version(ref)
    config = json.loads(store.objects.get_bytes(record.config))
    evals = {
        f"{e['suite']}@{e['suite_version']}": e["metrics"]
        for e in store.catalogue.eval_results_for(record.hash)
    }
    summary = {
        "version": record.hash,
        "refs": _refs_at(store, record.hash).strip(" ()"),
        "relation": record.relation,
        "created": record.created_at,
        "message": record.message,
        "licence": record.info.get("license"),
        # imported versions: where from, and the sha256 of each source file (verify checks them)
        **({"imported from": record.info["source"]} if "source" in record.info else {}),
        "parents": [
            {"version": p["parent"], "relation": p["relation"], **p["detail"]}
            for p in record.parents
        ],
        "data": [
            {
                "name": d["name"],
                "license": d["license"],
                "provenance": d["provenance"],
                "train_tokens": d.get("train_tokens"),
            }
            for d in record.info.get("data", [])
        ],
        "synthetic_token_share": record.info.get("synthetic_token_share"),
        "synthetic": record.info.get("synthetic"),  # generators, self-training generation
        "source_revision": record.info.get("source_revision"),
        "config": {
            k: config.get(k)
            for k in (
                "vocab_size",
                "hidden_size",
                "num_hidden_layers",
                "num_attention_heads",
                "intermediate_size",
            )
        },
        "metrics": _metrics(store, record),
        "evals": evals,
        "numerics": _numerics(record.info),
        "build_environment": record.info.get("build_environment"),
    }
    if as_json:
        out.print_json(data=summary)
        return
    table = Table(show_header=False)
    for key, value in summary.items():
        if key == "synthetic_token_share" and value is not None:
            value = f"{value:.1%} of training tokens are synthetic"
        elif isinstance(value, list | dict):
            value = json.dumps(value, indent=1) if value else "—"
        table.add_row(key, str(value))
    out.print(table)


def tag(
    ref: Ref,
    name: Annotated[str, typer.Argument(help="The new tag (letters, digits, . _ + @ -).")],
    force: Annotated[
        bool, typer.Option("--force", help="Move the tag if it already names another version.")
    ] = False,
    directory: ModelDir = Path("."),
) -> None:
    """Give a version a name: a tag that never moves unless --force is given.

    Tag names follow a subset of git's ref-name rules (see `store/refs.py`) and may not be hex
    strings that could be read as a version hash. Example: bazaar tag main v0.1
    """
    digest = Store.existing(directory).tag(name, ref, force=force)
    out.print(f"tagged {digest[:12]} as {name}")


def register(app: typer.Typer) -> None:
    for command in (log, show, tag):
        app.command()(command)
