"""The MOF components a release folder holds: name, description, licence and files of each.

One table for both kinds of model (a Llama and a guard): which of the release's three licences
covers each component (``LICENCE_OF``, in MOF order), what each kind says about the components
it builds differently (``LLAMA`` / ``GUARD``) and what every release says the same way. The
data components are added last, and only where their files exist (``with_data``).

Example: model_components(out, ctx, ids, "llama")[1]
-> ("Model parameters (Final)", "final weights", "Apache-2.0", "model.safetensors")
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from modelbazaar.store.lineage import mof_license

CODE = "source/code/modelbazaar"  # where a release ships the code that made it
GUARD_CODE = f"{CODE}/safety/guard"

# component -> which licence of the release covers it ("weights", "code" or "documentation")
LICENCE_OF = {
    "Model architecture": "code",
    "Model parameters (Final)": "weights",
    "Model parameters (Intermediate)": "weights",
    "Model metadata": "weights",
    "Training code": "code",
    "Inference code": "code",
    "Evaluation code": "code",
    "Data preprocessing code": "code",
    "Supporting libraries and tools": "code",
    "Evaluation results": "documentation",
    "Model card": "documentation",
    "Data card": "documentation",
    "Technical report": "documentation",
    "Research paper": "documentation",
    "Sample model outputs": "documentation",
}
METADATA_FILES = "config.json, source/bazaar.toml, metrics/train_metrics.csv"

# component -> (description, files) where a Llama release and a guard release differ
LLAMA = {
    "Model architecture": ("Llama decoder: config + model code", f"config.json, {CODE}/model.py"),
    "Model parameters (Final)": ("final weights", "model.safetensors"),
    "Model metadata": ("config, recipe, per-step metrics, optimizer state", METADATA_FILES),
    "Training code": (
        "modelbazaar build + pretraining loop",
        f"{CODE}/workflows/build.py, {CODE}/train/pretrain.py",
    ),
    "Inference code": ("sampling", f"{CODE}/generate.py"),
    "Evaluation code": ("validation loss + eval suites", f"{CODE}/evals"),
    "Data preprocessing code": (
        "tokenizer training and packing",
        f"{CODE}/data/tokenizer.py, {CODE}/data/packing.py",
    ),
    "Evaluation results": ("stored evals + build validation loss", "eval_results.json"),
    "Sample model outputs": ("", "samples.md"),
}
GUARD = {
    "Model architecture": (
        "BERT encoder (all-MiniLM-L6-v2 shape) + linear heads",
        f"config.json, {GUARD_CODE}/network.py",
    ),
    "Model parameters (Final)": ("final weights (encoder + heads)", "model.safetensors"),
    "Model metadata": ("config (threshold), recipe, per-step metrics", METADATA_FILES),
    "Training code": (
        "modelbazaar build + guard fine-tuning",
        f"{CODE}/workflows/build.py, {CODE}/train/guard.py",
    ),
    "Inference code": ("Guard.check (windows, verdicts)", f"{GUARD_CODE}/model.py"),
    "Evaluation code": ("guard quality measures", f"{GUARD_CODE}/quality.py"),
    "Data preprocessing code": (
        "label mapping to S1-S14 and fixed splits",
        f"{GUARD_CODE}/make_data.py, {GUARD_CODE}/rows.py",
    ),
    "Evaluation results": ("quality on the shipped test split", "eval_results.json"),
    "Sample model outputs": ("verdicts on a few prompts", "samples.md"),
}


def model_components(
    out: Path, ctx: dict[str, Any], ids: dict[str, str], kind: str
) -> list[tuple[str, str, str | None, str]]:
    """MOF components of a release of ``kind`` ("llama" or "guard"): (name, description,
    licence, files), data aside."""
    steps = sorted(p.parent.name for p in out.glob("checkpoints/*/model.safetensors"))
    shared = {
        "Model parameters (Intermediate)": (
            ctx["intermediate_note"],
            ", ".join(f"checkpoints/{s}/model.safetensors" for s in steps),
        ),
        "Supporting libraries and tools": (
            "modelbazaar; dependency licences in CODE_VERSION.json",
            "source/CODE_VERSION.json, source/code",
        ),
        "Model card": ("", "README.md"),
        "Data card": ("", "DATASHEET.md"),
        "Technical report": ("generated from the recorded build", "TECHNICAL_REPORT.md"),
        "Research paper": (
            "generated write-up unless --paper was given",
            next((p.name for p in sorted(out.glob("PAPER*"))), ""),
        ),
    }
    said = (GUARD if kind == "guard" else LLAMA) | shared
    return [
        (name, said[name][0], mof_license(ids[licence]), said[name][1])
        for name, licence in LICENCE_OF.items()
    ]


def with_data(
    parts: list[tuple[str, str, str | None, str]], out: Path, ctx: dict[str, Any], datasets: bool
) -> list[dict[str, str]]:
    """The components with the data ones added, kept only where their files exist."""
    data = ctx["mof_data_license"]
    val = [f"source/data/{f['path']}" for d in ctx["data"] for f in d["files"]]
    val = [p for p in val if "valid" in p or "test" in p]
    wanted = [
        *parts,
        ("Datasets", "training data with manifests", data, "source/data" if datasets else ""),
        ("Evaluation data", "validation and test splits", data, ", ".join(val) if datasets else ""),
    ]
    return [
        {"name": n, "description": d, "license": lic or "unlicensed", "component_path": p}
        for n, d, lic, p in wanted
        if p
        and all((out / x.strip()).exists() for x in p.split(",") if x.strip())
        or n == "Model card"
    ]
