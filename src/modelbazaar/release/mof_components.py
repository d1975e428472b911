"""The MOF components a release folder holds: name, description, licence and files of each.

One table for both kinds of model, a Llama and a guard (mof_components.toml, as data): which
of the release's three licences covers each component, in MOF order, and what each kind says
about it; the folder itself decides the intermediate checkpoints and the paper's file. The
data components are added last, and only where their files exist (``with_data``).

Example: model_components(out, ctx, ids, "llama")[1]
-> ("Model parameters (Final)", "final weights", "Apache-2.0", "model.safetensors")
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from modelbazaar.store.lineage import mof_license

CODE = "source/code/modelbazaar"  # where a release ships the code that made it
GUARD_CODE = f"{CODE}/safety/guard"


@cache
def component_table() -> dict[str, dict[str, Any]]:
    """mof_components.toml: component -> {licence, llama / guard / all: [description, files]}."""
    text = resources.files("modelbazaar.release").joinpath("mof_components.toml").read_text()
    return tomllib.loads(text)


def model_components(
    out: Path, ctx: dict[str, Any], ids: dict[str, str], kind: str
) -> list[tuple[str, str, str | None, str]]:
    """MOF components of a release of ``kind`` ("llama" or "guard"): (name, description,
    licence, files), data aside."""
    steps = sorted(p.parent.name for p in out.glob("checkpoints/*/model.safetensors"))
    of_this_folder = {  # what the folder itself decides
        "Model parameters (Intermediate)": (
            ctx["intermediate_note"],
            ", ".join(f"checkpoints/{s}/model.safetensors" for s in steps),
        ),
        "Research paper": (
            "generated write-up unless --paper was given",
            next((p.name for p in sorted(out.glob("PAPER*"))), ""),
        ),
    }
    rows = []
    for name, entry in component_table().items():
        if said := entry.get(kind) or entry.get("all"):
            description, files = said[0], said[1].format(code=CODE, guard=GUARD_CODE)
        else:
            description, files = of_this_folder[name]
        rows.append((name, description, mof_license(ids[entry["licence"]]), files))
    return rows


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
