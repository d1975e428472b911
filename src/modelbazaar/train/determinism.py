"""Settings that make a training run bit-identical: seed, deterministic kernels, precision, threads.

Measured on 2-core CPUs with torch 2.13: eager fp32 and bf16 autocast are bit-identical run to
run; `torch.compile` is not unless deterministic algorithms are on. We never compile, and turn
deterministic algorithms on anyway so a future kernel choice that is non-deterministic fails
loudly instead of silently breaking `bazaar verify`. Across machines the CPU caps of
`train/portable.py` are needed as well; the thread count is fixed by the recipe.
"""

import os
import platform
from typing import Any

import torch

from modelbazaar.errors import NumericsError


def make_deterministic(seed: int) -> None:
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)
    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")  # required on CUDA for the above


def resolve_precision(precision: str, mode: str) -> str:
    """The precision a build trains in: "fp32" or "bf16", never the hardware-dependent "auto".

    A portable build takes fp32 only: "auto" picks bf16 or fp32 by CPU, and bf16 matmuls run in
    oneDNN, whose AVX2 and AVX512-BF16 paths gave different weights (and AVX2 emulates bf16
    with no speed gain). Example: resolve_precision("fp32", "portable") -> "fp32".
    """
    if mode == "portable" and precision != "fp32":
        raise NumericsError(
            f'[train] precision = "{precision}" gives different weights on different CPUs, so a '
            'portable build refuses it; set precision = "fp32" in bazaar.toml for the same '
            "version on every machine, or build with `bazaar build --fast` (marked non-portable)"
        )
    return "bf16" if autocast_dtype(precision) is torch.bfloat16 else "fp32"


def set_threads(threads: int | None) -> None:
    """Pin the intra-op thread count (None: leave PyTorch's default, one per core)."""
    if threads is not None:
        torch.set_num_threads(threads)


def autocast_dtype(precision: str) -> torch.dtype | None:
    """bf16 autocast when asked, or on 'auto' when the CPU has native bf16 units.

    Measured here: on an AVX2-only CPU a bf16 matmul ran at ~1 GFLOP/s against ~30-150 fp32
    (it is emulated), while CPUs with AVX512-BF16 or AMX run bf16 autocast ~1.5x faster than
    fp32. The choice depends only on CPU flags, so it is the same on every run of a machine.
    """
    if precision == "fp32":
        return None
    if precision == "bf16":
        return torch.bfloat16
    native = torch.cpu._is_avx512_bf16_supported() or torch.cpu._is_amx_tile_supported()
    return torch.bfloat16 if native else None


def machine() -> dict[str, Any]:
    """What a build ran on; stored with every build so a mismatch in `verify` can be explained."""
    return {
        "platform": platform.platform(),
        "processor": platform.machine(),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "cpu_capability": torch.backends.cpu.get_cpu_capability(),
        "native_bf16": torch.cpu._is_avx512_bf16_supported() or torch.cpu._is_amx_tile_supported(),
        "world_size": int(os.environ.get("WORLD_SIZE", "1")),
    }
