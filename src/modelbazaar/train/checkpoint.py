"""Resumable training checkpoints in safetensors (model, AdamW moments, step, metrics).

Written atomically (temp file + rename), so a kill -9 at any moment leaves either the previous
checkpoint or the new one, never a torn file. Optimizer state is flattened to tensors named
`optim.<param index>.<field>`; the param groups and metrics ride in the safetensors metadata.
"""

import json
from pathlib import Path
from typing import Any

import torch
from safetensors.torch import load_file, save

from modelbazaar.store.objects import atomic_write


def save_checkpoint(
    path: Path,
    model: torch.nn.Module,
    optimizer: torch.optim.Optimizer,
    step: int,
    metrics: list[dict[str, Any]],
) -> None:
    tensors = {f"model.{k}": v.detach().contiguous() for k, v in model.state_dict().items()}
    state = optimizer.state_dict()
    for index, fields in state["state"].items():
        for field, value in fields.items():
            tensors[f"optim.{index}.{field}"] = value.detach().contiguous()
    metadata = {
        "step": str(step),
        "param_groups": json.dumps(state["param_groups"]),
        "metrics": json.dumps(metrics),
    }
    # state_dict() shares storage for tied weights; safetensors refuses shared tensors
    tensors = {k: v.clone() for k, v in tensors.items()}
    atomic_write(path, save(tensors, metadata=metadata))


def load_checkpoint(
    path: Path, model: torch.nn.Module, optimizer: torch.optim.Optimizer
) -> tuple[int, list[dict[str, Any]]]:
    """Restore model and optimizer in place; return (next step, metrics so far)."""
    tensors = load_file(path)
    with open(path, "rb") as handle:  # metadata lives in the JSON header
        header_len = int.from_bytes(handle.read(8), "little")
        metadata = json.loads(handle.read(header_len))["__metadata__"]
    model.load_state_dict(
        {k.removeprefix("model."): v for k, v in tensors.items() if k.startswith("model.")},
        strict=False,
    )
    optim_state: dict[int, dict[str, torch.Tensor]] = {}
    for name, value in tensors.items():
        if name.startswith("optim."):
            _, index, field = name.split(".", 2)
            optim_state.setdefault(int(index), {})[field] = value
    optimizer.load_state_dict(
        {"state": optim_state, "param_groups": json.loads(metadata["param_groups"])}
    )
    return int(metadata["step"]), json.loads(metadata["metrics"])
