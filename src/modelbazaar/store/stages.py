"""Stage cache of `bazaar build`: each stage's result is stored under the hash of its inputs.

A key covers the data hashes, the stage's config, the code that computes it (the source of the
modules it runs plus library versions), the parent stage and the seed. Example:
stage_key("tokenizer", {"data": ["86c4…"], "config": {...}, "code": "…"}) -> "3f1a…" (sha256).
"""

import hashlib
import importlib.metadata
import json
import time
from importlib import resources
from typing import Any

import torch
import transformers

from modelbazaar import __version__
from modelbazaar.store import Store
from modelbazaar.store.catalogue import canonical_json
from modelbazaar.train.determinism import machine
from modelbazaar.train.distributed import World

# Source files whose code decides each stage's output; editing one invalidates that stage only.
STAGE_CODE = {
    "tokenizer": ("data/tokenizer.py",),
    "pack": ("data/tokenizer.py", "data/packing.py"),
    "pretrain": (
        "model.py",
        "data/packing.py",
        "train/pretrain.py",
        "train/schedule.py",
        "train/checkpoint.py",
        "train/determinism.py",
    ),
    "guard": (
        "safety/guard/backbones.py",
        "safety/guard/framing.py",
        "safety/guard/lexical.py",
        "safety/guard/llama_net.py",
        "safety/guard/network.py",
        "safety/guard/rows.py",
        "safety/guard/taxonomy.py",
        "train/guard.py",
        "train/guard_loop.py",
        "train/guard_head.py",
        "train/guard_lexical.py",
        "train/schedule.py",
        "train/determinism.py",
    ),
}


def code_version(stage: str) -> str:
    """sha256 over the source of the modules a stage runs, plus the library versions."""
    digest = hashlib.sha256(f"{__version__} torch {torch.__version__}".encode())
    digest.update(f" transformers {transformers.__version__}".encode())
    if stage == "guard":  # the lexical half is fitted by scikit-learn's liblinear
        digest.update(f" scikit-learn {importlib.metadata.version('scikit-learn')}".encode())
    package = resources.files("modelbazaar")
    for relative in STAGE_CODE[stage]:
        digest.update(package.joinpath(relative).read_bytes())
    return digest.hexdigest()


def stage_key(stage: str, inputs: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json({"stage": stage, **inputs}).encode()).hexdigest()


def cached_outputs(store: Store, key: str) -> tuple[bool, dict[str, Any] | None]:
    row = store.catalogue.build(key)
    if row and all(store.objects.has(v) for v in row["outputs"].values() if isinstance(v, str)):
        return True, row["outputs"]
    return False, None


def recorded_environment(build_row: dict[str, Any]) -> dict[str, Any]:
    """The build environment a stage was computed in, as its catalogue row keeps it (a JSON
    text on some backends, already a dict on others)."""
    recorded = build_row["machine"]
    return json.loads(recorded) if isinstance(recorded, str) else recorded


def record_stage(
    store: Store,
    world: World,
    key: str,
    stage: str,
    inputs: dict,
    outputs: dict,
    started: float,
    tokens: int = 0,
) -> None:
    if world.is_main:
        store.catalogue.add_build(
            {
                "key": key,
                "stage": stage,
                "inputs": inputs,
                "outputs": outputs,
                "duration_s": time.perf_counter() - started,
                "tokens": tokens,
                "final_train_loss": None,
                "final_val_loss": None,
                "machine": machine(),
            }
        )
