"""Commands that load or move model weights: `generate`, `export`, `import`."""

from pathlib import Path
from typing import Annotated

import typer

from modelbazaar.errors import StoreError
from modelbazaar.export import export as run_export
from modelbazaar.generate import generate_text
from modelbazaar.model import load_version
from modelbazaar.progress import console, out
from modelbazaar.store import Store
from modelbazaar.workflows.importer import import_model

ModelDir = Annotated[Path, typer.Option("--dir", "-C", help="Model source folder.")]
Ref = Annotated[str, typer.Argument(help="A ref (main, a tag) or a version hash prefix.")]


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
    loaded = load_version(Store.existing(directory), ref)
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
    store = Store.existing(directory)
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
    app.command()(generate)
    app.command()(export)
    app.command("import")(import_)
