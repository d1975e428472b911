"""Commands on versions: `log`, `show`, `tag`, `generate`, `export`, `import`."""

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from modelbazaar.errors import StoreError
from modelbazaar.export import export as run_export
from modelbazaar.generate import generate_text
from modelbazaar.model import load_version
from modelbazaar.progress import console, out
from modelbazaar.store import Store, VersionRecord
from modelbazaar.workflows.importer import import_model

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
    store = Store.for_model(directory)
    table = Table("version", "relation", "created", "message", "parents")
    for record in store.history(ref):
        parents = ", ".join(_edge(p) for p in record.parents)
        table.add_row(
            record.short + _refs_at(store, record.hash),
            record.relation,
            record.created_at,
            record.message,
            parents or "—",
        )
    out.print(table)


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
        return "portable (the same bits on every x86-64 CPU with AVX2)"
    return f"fast, non-portable (bits depend on this CPU: {environment.get('instruction_set')})"


def show(
    ref: Ref = "main",
    directory: ModelDir = Path("."),
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show one version: hash, lineage, data with licences, config, metrics, build environment."""
    store = Store.for_model(directory)
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
    digest = Store.for_model(directory).tag(name, ref, force=force)
    out.print(f"tagged {digest[:12]} as {name}")


def generate(
    ref: Ref,
    prompt: Annotated[str, typer.Argument(help="Text to continue (or a chat message).")] = "",
    max_new_tokens: Annotated[int, typer.Option(min=1)] = 200,
    temperature: Annotated[float, typer.Option(min=0.0)] = 0.8,
    top_p: Annotated[float, typer.Option(min=0.0, max=1.0)] = 0.95,
    seed: int = 0,
    directory: ModelDir = Path("."),
) -> None:
    """Sample a continuation; instruct models answer through their chat template."""
    loaded = load_version(Store.for_model(directory), ref)
    text = generate_text(
        loaded,
        prompt,
        max_new_tokens=max_new_tokens,
        temperature=temperature,
        top_p=top_p,
        seed=seed,
    )
    out.print(
        prompt + text if not loaded.tokenizer.chat_template else text, highlight=False, markup=False
    )


def export(
    ref: Ref,
    out_dir: Annotated[Path, typer.Argument(help="Folder to write (with --gguf: the .gguf file).")],
    gguf: Annotated[
        bool, typer.Option("--gguf", help="One GGUF file for llama.cpp / Ollama.")
    ] = False,
    dtype: Annotated[str, typer.Option(help="GGUF tensor type: f32, f16 or q8_0.")] = "f32",
    directory: ModelDir = Path("."),
) -> None:
    """Write a version as a Hugging Face folder (config, safetensors, tokenizer), or as GGUF.

    Example: bazaar export main model.gguf --gguf --dtype q8_0   (then: llama-cli -m model.gguf)
    """
    store = Store.for_model(directory)
    if gguf:
        from modelbazaar.gguf_export import write_gguf  # gguf + numpy only when asked for

        record = write_gguf(store, ref, out_dir, dtype)  # type: ignore[arg-type]
        out.print(
            f"exported {record.short} to {out_dir} ({dtype}); run it with llama.cpp or Ollama"
        )
        return
    record = run_export(store, ref, out_dir)
    out.print(
        f"exported {record.short} to {out_dir}; load it with "
        f"AutoModelForCausalLM.from_pretrained('{out_dir}')"
    )


def import_(
    source: Annotated[str, typer.Argument(help="HF folder, .gguf file, or `smollm2`.")],
    license: Annotated[str, typer.Option("--license", help="SPDX id of the weights.")] = "",
    ref: Annotated[str | None, typer.Option(help="Tag to give the imported version.")] = None,
    directory: ModelDir = Path("."),
) -> None:
    """Import an existing open model as a new version (relation `imported`)."""
    license_id = license or ("Apache-2.0" if source == "smollm2" else "")
    if not license_id:
        raise StoreError("say under which licence the weights are published: --license SPDX-ID")
    digest = import_model(Store.for_model(directory), source, license_id, ref)
    console.print(f"imported {source} as {digest[:12]}")


def register(app: typer.Typer) -> None:
    for command in (log, show, tag, generate, export):
        app.command()(command)
    app.command("import")(import_)
