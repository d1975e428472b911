"""Portable numerics: the committed reference hashes, and refusals of hardware-dependent recipes."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from modelbazaar import templates
from modelbazaar.errors import NumericsError
from modelbazaar.store import Store
from modelbazaar.train import portable
from modelbazaar.workflows.build import build
from tests.helpers import edit_recipe, tree_digest

REFERENCE = json.loads((Path(__file__).parent / "reference_hashes.json").read_text())


def test_tiny_portable_build_gives_the_reference_hash(tiny_built: tuple[Path, Store]) -> None:
    _, store = tiny_built
    record = store.version("main")
    assert record.info["portable"] and record.info["build_environment"]["mode"] == "portable"
    assert record.hash == REFERENCE["tiny"]


def test_portable_build_refuses_auto_precision(fresh_tiny: tuple[Path, Store]) -> None:
    model_dir, _ = fresh_tiny
    edit_recipe(model_dir, precision='"auto"')
    before = tree_digest(model_dir / ".bazaar")
    with pytest.raises(NumericsError, match="--fast"):
        build(model_dir, show_progress=False)
    assert tree_digest(model_dir / ".bazaar") == before


@pytest.mark.slow
def test_shakespeare_portable_build_gives_the_reference_hash(tmp_path: Path) -> None:
    model_dir = templates.create(tmp_path / "shakespeare", "shakespeare")
    assert build(model_dir, show_progress=False).version == REFERENCE["shakespeare"]


@pytest.mark.parametrize(
    ("argv", "wanted"),
    [
        (["build"], True),
        (["build", "--fast"], False),
        (["review", "bundle.tar"], True),
        (["generate", "main", "hello"], True),  # examples should match the README on any CPU
        (["serve", "main", "-C", "m"], False),
        (["serve", "main", "--portable"], True),
        (["guard", "check", "How do I kill a process?"], False),
        (["guard", "check", "hi", "--portable"], True),
        (["guard", "build"], True),
    ],
)
def test_caps_cover_every_command_that_builds_or_measures(argv: list[str], wanted: bool) -> None:
    assert portable.caps_wanted(argv) is wanted


@pytest.mark.parametrize(("argv", "caps"), [(["build", "--help"], "avx2"), (["serve"], None)])
def test_the_entry_point_sets_the_caps_before_torch(argv: list[str], caps: str | None) -> None:
    """The decision is taken in cli/main.py at import, from sys.argv, in a fresh process."""
    env = {k: v for k, v in os.environ.items() if k not in portable.CAPS}
    probe = (
        f"import sys; sys.argv = ['bazaar', *{argv!r}]; import modelbazaar.cli.main; "
        "import os; print(os.environ.get('ATEN_CPU_CAPABILITY')); import torch; "
        "from modelbazaar.train import portable; print(portable.exact_numerics())"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    )
    cap, exact = done.stdout.split()
    assert cap == str(caps)
    # The exact products and math functions come with the caps, installed by `import torch`.
    assert (exact != "None") == (caps is not None)


# Built in a fresh process with every library that used to decide the bits set otherwise: MKL's
# AUTO branch (this CPU's fastest code) and numpy's OpenBLAS forced to its Sandybridge kernels
# (AVX without FMA). Neither may matter any more: every product is exact, no VML function runs.
BUILD_ELSEWHERE = """
import sys, tempfile
from pathlib import Path
from modelbazaar.train import portable
portable.CAPS["MKL_CBWR"] = "AUTO"
portable.activate()
from modelbazaar import templates
from modelbazaar.workflows.build import build
model_dir = templates.create(Path(tempfile.mkdtemp()) / "tiny", "tiny")
print(build(model_dir, show_progress=False).version)
"""


def test_the_tiny_build_does_not_depend_on_mkl_or_openblas_kernels(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in portable.CAPS}
    env |= {"OPENBLAS_CORETYPE": "Sandybridge", "TMPDIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", BUILD_ELSEWHERE], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split()[-1] == REFERENCE["tiny"]


def _perf_works(tmp_path: Path) -> bool:
    if shutil.which("perf") is None:
        return False
    probe = ["perf", "record", "-q", "-o", str(tmp_path / "probe.data"), "true"]
    return subprocess.run(probe, capture_output=True).returncode == 0


# MKL's matrix (BLAS, LAPACK) and vector-math (VML) kernels, and oneDNN's CPU primitives: the
# code that picks its instructions by CPU. Start-up and tear-down helpers (mkl_serv_*, oneDNN's
# graph registry) run no arithmetic and are not matched.
CPU_PICKED = re.compile(r"mkl_(blas|lapack|vml|sparse|dft)|mkl_.*gemm|dnnl::impl::cpu::")


def test_a_portable_build_runs_no_mkl_or_onednn_arithmetic(tmp_path: Path) -> None:
    """Sampled with `perf` (skipped where it is missing or not allowed): not one sample of the
    build lands in a kernel whose code the CPU picks."""
    if not _perf_works(tmp_path):
        pytest.skip("perf is not installed or not allowed here (kernel.perf_event_paranoid)")
    env = {k: v for k, v in os.environ.items() if k not in portable.CAPS}
    env["TMPDIR"] = str(tmp_path)
    data = tmp_path / "build.data"
    build_command = [sys.executable, "-c", BUILD_ELSEWHERE]
    done = subprocess.run(
        ["perf", "record", "-q", "-F", "2000", "-o", str(data), *build_command],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report = subprocess.run(
        ["perf", "report", "-i", str(data), "--stdio", "--sort", "symbol"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Sleef_" in report or "at::native" in report  # the report does name torch's kernels
    assert not [line for line in report.splitlines() if CPU_PICKED.search(line)]
