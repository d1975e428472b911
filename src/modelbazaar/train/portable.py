"""Portable numerics: what makes a build give the same bits on every x86-64 CPU with AVX2.

A float sum depends on the order of its terms, and the numerical libraries under PyTorch pick
their summation order, and even their formulas, by CPU. Measured (torch 2.13, fp32; README
"Reproducibility" has the tables), each of these changed the weights:

- PyTorch's own vectorised kernels (norms, softmax, AdamW, SLEEF's exp/log1p/...): the
  ``ATEN_CPU_CAPABILITY=avx2`` cap runs their AVX2 build, the same instructions on every
  x86-64 CPU since 2013.
- MKL's matrix products (BLAS) and vector math (VML: sqrt, exp, log, tanh, sin, cos, ...):
  no setting makes them vendor-neutral. Its ``COMPATIBLE`` branch, documented as the one every
  vendor's CPU runs alike, gave one ``tiny`` build on AMD CPUs and another on an Intel Xeon; and
  VML's square root under ``COMPATIBLE`` is not even correctly rounded. So a portable process
  computes them without MKL: exact products (``exact_matmul.py``) and float64 math functions
  (``exact_math.py``), installed the moment torch is imported (:func:`activate`).
- ``MKL_CBWR=COMPATIBLE,STRICT`` and ``ONEDNN_MAX_CPU_ISA=AVX2`` stay set as a second line for
  any MKL or oneDNN call a future PyTorch might add (a test checks, with `perf`, that a build
  runs none).

The caps are read once, when each library starts, so they must be in the environment before
torch is imported: the ``bazaar`` entry point calls :func:`activate` first thing. This module
imports torch only inside functions, so importing it does not start torch.

    >>> activate()          # before `import torch`
    >>> problems()          # after: [] when the caps are in force
    []
"""

import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

# The caps every portable build runs under; recorded with each build (its "caps").
CAPS: dict[str, str] = {
    "ATEN_CPU_CAPABILITY": "avx2",  # PyTorch kernels: the AVX2 build of each
    "MKL_CBWR": "COMPATIBLE,STRICT",  # MKL, if anything still reaches it: its most neutral path
    "ONEDNN_MAX_CPU_ISA": "AVX2",  # oneDNN (bf16 matmuls, convolutions): AVX2 at most
}

_activated_before_torch = False  # True once activate() ran in a process without torch loaded


# Commands that only answer: nothing they compute is hashed, stored or replayed, so the caps buy
# nothing there and cost speed (a SmolLM2 forward 2.2x, a guard check 1.7x; README
# "Reproducibility"). They run this CPU's fastest kernels unless `--portable` asks for the caps.
# `generate` is not one of them: a person trying an example should see the README's text.
ANSWER_ONLY: tuple[tuple[str, ...], ...] = (("serve",), ("guard", "check"))


def fast_requested(argv: list[str]) -> bool:
    """True when the command line asks for a non-portable build or verify (``--fast``).

    Example: fast_requested(["build", "--fast"]) -> True; fast_requested(["build"]) -> False.
    """
    return "--fast" in argv


def caps_wanted(argv: list[str]) -> bool:
    """Should this command line run under the portable caps? (read before torch starts)

    Every command that builds, replays, trains, merges or measures does, unless ``--fast``;
    the answer-only commands (``ANSWER_ONLY``) do only with ``--portable``.
    Example: caps_wanted(["build"]) -> True; caps_wanted(["serve", "main"]) -> False;
    caps_wanted(["guard", "check", "hi", "--portable"]) -> True.
    """
    if fast_requested(argv):
        return False
    words = [a for a in argv if not a.startswith("-")]
    if any(tuple(words[: len(command)]) == command for command in ANSWER_ONLY):
        return "--portable" in argv
    return True


def activate() -> None:
    """Put the portable caps in this process's environment (before torch starts, to take effect).

    A cap the user set to another value is overridden: a portable build ignores the host. The
    exact matrix products (`train/exact_matmul.py`) are installed the moment torch is imported,
    or now if it already is.
    """
    global _activated_before_torch
    os.environ.update(CAPS)
    if "torch" in sys.modules:
        _install_exact_numerics()
        return
    _activated_before_torch = True
    if not any(isinstance(finder, _AfterTorchImport) for finder in sys.meta_path):
        sys.meta_path.insert(0, _AfterTorchImport())


def _install_exact_numerics() -> None:
    from modelbazaar.train import exact_kernels, exact_math  # noqa: PLC0415 (imports torch)

    exact_kernels.install()
    exact_math.install()


class _AfterTorchImport(importlib.abc.MetaPathFinder):
    """Installs the exact kernels right after `import torch` has run, once.

    Commands import torch lazily, deep inside whatever they run; hooking the import itself is
    the one place every portable computation passes through first. The hook stays until torch
    has actually run: transformers, peft and accelerate look torch's spec up
    (``importlib.util.find_spec("torch")``) without importing it.
    """

    def find_spec(
        self, fullname: str, path: object = None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != "torch":
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, None)  # torch: on sys.path
        if spec is None or spec.loader is None:
            return spec
        run_module = spec.loader.exec_module
        finder = self

        def exec_then_install(module: ModuleType) -> None:
            run_module(module)
            if finder in sys.meta_path:
                sys.meta_path.remove(finder)
            _install_exact_numerics()

        spec.loader.exec_module = exec_then_install  # type: ignore[method-assign]
        return spec


def _in_initial_environment() -> bool:
    """Were the caps in the environment this process started with? (Linux: /proc/self/environ)."""
    try:
        start = Path("/proc/self/environ").read_bytes().split(b"\0")
    except OSError:
        return False
    return all(f"{name}={value}".encode() in start for name, value in CAPS.items())


def problems() -> list[str]:
    """What keeps this process from portable numerics; empty when the caps are in force."""
    import torch  # noqa: PLC0415 (deliberately late: importing this module must not start torch)

    found = []
    wrong = [f"{n}={os.environ.get(n)!r}" for n, v in CAPS.items() if os.environ.get(n) != v]
    if wrong:
        found.append(f"the CPU caps are not set ({', '.join(wrong)})")
    elif not (_activated_before_torch or _in_initial_environment()):
        found.append("the CPU caps were set after torch started, so its libraries ignore them")
    if not exact_numerics():
        found.append(
            "the exact matrix products and math functions are not installed "
            "(train/exact_matmul.py, train/exact_math.py)"
        )
    capability = torch.backends.cpu.get_cpu_capability()
    if not wrong and capability != "AVX2":
        found.append(
            f"PyTorch runs its {capability} kernels, not AVX2: this CPU lacks AVX2 or torch "
            "started before the caps were set"
        )
    return found


def env_values() -> dict[str, str | None]:
    """The caps as this process sees them (recorded with every build, portable or not).

    "exact" names the exact products and math functions when they are installed (their
    versions decide the bits), else None: the CPU's MKL computes them.
    """
    values = {name: os.environ.get(name) for name in (*CAPS, "MKL_ENABLE_INSTRUCTIONS")}
    values["exact"] = exact_numerics()
    return values


def exact_numerics() -> str | None:
    """The versions of the exact products and math functions in force, or None (the CPU's)."""
    from modelbazaar.train import exact_kernels, exact_math, exact_matmul  # noqa: PLC0415

    if exact_kernels.installed() and exact_math.installed():
        return f"{exact_matmul.VERSION}+{exact_math.VERSION}"
    return None
