"""The build environment: what a build ran on and under which numerics, recorded with every build.

`bazaar show` prints it, `bazaar verify` names the entries that differ between a version and its
rebuild, and the part that decides the bits (:func:`numerics_key`) is in the build's cache key.
Example (portable build on an AVX-512 CPU)::

    {"mode": "portable", "precision": "fp32", "threads": 2, "instruction_set": "AVX2",
     "caps": {"ATEN_CPU_CAPABILITY": "avx2", "MKL_CBWR": "COMPATIBLE,STRICT", ...},
     "cpu_model": "Intel(R) Xeon(R) Processor", "cpu_features": ["avx2", "avx512f", ...],
     "torch": "2.13.0+cpu", "mkl": "2024.2", "onednn": "3.12.0", ...}
"""

import importlib.metadata
import os
import platform
import re
from pathlib import Path
from typing import Any

import torch

from modelbazaar.errors import NumericsError
from modelbazaar.train import portable

# CPU flags (as /proc/cpuinfo spells them) that decide which kernels the libraries can pick.
FEATURES = ("avx2", "fma", "avx512f", "avx512_bf16", "avx512_fp16", "amx_tile", "amx_bf16")
LIBRARIES = ("transformers", "tokenizers", "safetensors", "numpy")


def _cpuinfo() -> dict[str, str]:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return {}
    first = text.split("\n\n", 1)[0]  # one logical CPU is enough: all cores of a host agree
    return dict(
        (key.strip(), value.strip())
        for key, _, value in (line.partition(":") for line in first.splitlines())
    )


def cpu_model() -> str:
    return _cpuinfo().get("model name") or platform.processor() or platform.machine()


def cpu_features() -> list[str]:
    flags = set(_cpuinfo().get("flags", "").split())
    return [f for f in FEATURES if f in flags]


def _library_versions() -> dict[str, str | None]:
    versions: dict[str, str | None] = {}
    for name in LIBRARIES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    config = torch.__config__.show()  # "Math Kernel Library Version 2024.2-Product ..."
    mkl = re.search(r"Math Kernel Library Version ([\d.]+)", config)
    onednn = re.search(r"MKL-DNN v([\d.]+)", config)
    versions["mkl"] = mkl.group(1) if mkl else None
    versions["onednn"] = onednn.group(1) if onednn else None
    return versions


def build_environment(mode: str, precision: str) -> dict[str, Any]:
    """Everything a build's bits may depend on, as this process runs it.

    `precision` is the resolved one ("fp32" or "bf16"), never "auto".
    """
    return {
        "mode": mode,  # "portable" (same bits on any x86-64 with AVX2) or "fast" (this CPU only)
        "precision": precision,
        "threads": torch.get_num_threads(),
        "instruction_set": torch.backends.cpu.get_cpu_capability(),  # PyTorch kernels in use
        "caps": portable.env_values(),
        "deterministic_algorithms": torch.are_deterministic_algorithms_enabled(),
        "cpu_model": cpu_model(),
        "cpu_features": cpu_features(),
        "machine": platform.machine(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "torch": torch.__version__,
        **_library_versions(),
        "world_size": int(os.environ.get("WORLD_SIZE", "1")),
    }


def numerics_key(environment: dict[str, Any]) -> dict[str, Any]:
    """The part of the environment that decides the bits: it goes into the build's cache key.

    A portable build's bits do not depend on the CPU, so the CPU is not in its key; a fast
    build's do, so its key names the instruction set and CPU features it ran with.
    """
    keys = ["mode", "precision", "threads", "caps", "torch", "mkl", "onednn", "world_size"]
    if environment["mode"] != "portable":
        keys += ["instruction_set", "cpu_features"]
    return {k: environment.get(k) for k in keys}


# Entries worth naming when two builds differ, in the order a reader should check them.
COMPARED = (
    "mode",
    "precision",
    "threads",
    "instruction_set",
    "caps",
    "cpu_features",
    "cpu_model",
    "torch",
    "mkl",
    "onednn",
    "transformers",
    "world_size",
)


def differences(recorded: dict[str, Any] | None, now: dict[str, Any] | None) -> list[str]:
    """Human-readable lines for the entries that differ between two build environments.

    Example: differences({"threads": 2}, {"threads": 4}) -> ["threads: 2 -> 4"].
    """
    if not recorded or not now:
        return ["the original build recorded no build environment (built before it was kept)"]
    lines = []
    for key in COMPARED:
        a, b = recorded.get(key), now.get(key)
        if a != b:
            lines.append(f"{key}: {_short(a)} -> {_short(b)}")
    return lines


def _short(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items() if v is not None) or "none"
    if isinstance(value, list):
        return " ".join(map(str, value)) or "none"
    return str(value)


def require_portable_process() -> None:
    """Refuse a portable build in a process whose libraries did not start under the CPU caps."""
    found = portable.problems()
    if found:
        raise NumericsError(
            f"this process cannot build with portable numerics: {'; '.join(found)}. Build "
            "with the `bazaar build` command (it sets the caps before torch starts), call "
            "modelbazaar.train.portable.activate() before importing torch, or build with "
            "`bazaar build --fast` (the version is then marked non-portable)"
        )
