"""Checks of a verified bundle against the base model it claims to extend.

These need the store (which versions exist, which modules a version has), so they are separate
from :func:`modelbazaar.contrib.bundle.open_bundle`, which needs only the file.

Example: base module ``model.layers.0.self_attn.q_proj.weight`` of shape (576, 576) with r=8
accepts ``base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight`` (8, 576) and
``...q_proj.lora_B.weight`` (576, 8).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

import torch

from modelbazaar.contrib.manifest import AdapterConfig, BundleManifest
from modelbazaar.errors import BundleError

# peft's saved names: base_model.model.<module path>.lora_A.weight / lora_B.weight
LORA_NAME_RE = re.compile(
    r"^base_model\.model\.(?P<module>[A-Za-z0-9_.]+)\.lora_(?P<ab>[AB])\.weight$"
)


def _targeted(module: str, target_modules: list[str]) -> bool:
    # peft's rule: a module is targeted if its path equals a target or ends with "." + target.
    if "all-linear" in target_modules:
        return True
    return any(module == t or module.endswith("." + t) for t in target_modules)


def check_adapter_against_base(
    adapter: Mapping[str, torch.Tensor],
    base_shapes: Mapping[str, tuple[int, ...]],
    lora_config: AdapterConfig,
) -> None:
    """Refuse an adapter whose tensors do not fit the base; name the first offending tensor.

    ``base_shapes`` maps the base state-dict keys to shapes, e.g.
    {"model.layers.0.self_attn.q_proj.weight": (576, 576), ...}. Each LoRA pair must target an
    existing 2-D weight (out, in) listed in ``lora_config.target_modules``, with lora_A (r, in),
    lora_B (out, r) and r equal to the manifest's; both halves of each pair must be present.
    """
    if not adapter:
        raise BundleError("adapter.safetensors holds no tensors; there is nothing to review")
    r = lora_config.r
    halves: dict[str, set[str]] = {}
    for name in sorted(adapter):
        m = LORA_NAME_RE.match(name)
        if m is None:
            raise BundleError(
                f"adapter tensor {name!r} is not a LoRA weight "
                "(expected base_model.model.<module>.lora_A.weight or .lora_B.weight)"
            )
        module, ab = m["module"], m["ab"]
        base_key = module + ".weight"
        if base_key not in base_shapes:
            raise BundleError(
                f"adapter tensor {name!r} targets module {module!r}, which the base model does "
                "not have; was the adapter trained on a different base?"
            )
        if not _targeted(module, lora_config.target_modules):
            raise BundleError(
                f"adapter tensor {name!r} targets {module!r}, which is not in the manifest's "
                f"target_modules {lora_config.target_modules}"
            )
        base = tuple(base_shapes[base_key])
        if len(base) != 2:
            raise BundleError(
                f"adapter tensor {name!r} targets {base_key!r} of shape {base}; "
                "LoRA is supported on 2-D (linear) weights only"
            )
        out_features, in_features = base  # nn.Linear stores weight as (out, in)
        want = (r, in_features) if ab == "A" else (out_features, r)
        got = tuple(adapter[name].shape)
        if got != want:
            raise BundleError(
                f"adapter tensor {name!r} has shape {got}, expected {want} "
                f"(base {base_key} is {base}, manifest r={r})"
            )
        halves.setdefault(module, set()).add(ab)
    for module, seen in sorted(halves.items()):
        if seen != {"A", "B"}:
            missing = ({"A", "B"} - seen).pop()
            raise BundleError(
                f"adapter has no base_model.model.{module}.lora_{missing}.weight; "
                "every LoRA module needs both lora_A and lora_B"
            )


def check_base_known(manifest: BundleManifest, known: Callable[[str], bool]) -> None:
    """Refuse a bundle whose base version is not in this store.

    Example: check_base_known(bundle.manifest, store.has_version)
    """
    if not known(manifest.base_version):
        raise BundleError(
            f"base version {manifest.base_version} is not in this store; the contribution was "
            "trained on a model we do not have (pull or import that version, or ask the "
            "contributor to retrain on main)"
        )
