"""More processes on an existing engine: torchrun + DDP reaches the weights one process does."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import torch
from safetensors.torch import load as load_safetensors

from modelbazaar import templates
from modelbazaar.store import Store
from modelbazaar.workflows.build import build
from tests.helpers import edit_recipe


def test_two_processes_match_one_process(tmp_path: Path) -> None:
    one = templates.create(tmp_path / "one", "tiny")
    two = templates.create(tmp_path / "two", "tiny")
    for model_dir in (one, two):  # fp32: bf16 rounding would swamp the comparison
        edit_recipe(model_dir, max_steps="6", precision='"fp32"', eval_every="3")
    build(one, show_progress=False)
    torchrun = shutil.which("torchrun", path=str(Path(sys.executable).parent))
    assert torchrun, "torchrun ships with torch"
    env = os.environ | {"OMP_NUM_THREADS": "1"}
    result = subprocess.run(
        [
            torchrun,
            "--standalone",
            "--nproc-per-node",
            "2",
            "-m",
            "modelbazaar",
            "build",
            "-C",
            str(two),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    a = Store.for_model(one).version("main")
    b = Store.for_model(two).version("main")
    assert a.tokenizer == b.tokenizer
    build_b = Store.for_model(two).catalogue.build(b.info["builds"]["pretrain"])
    assert '"world_size":2' in build_b["machine"]
    weights_a = load_safetensors(Store.for_model(one).objects.get_bytes(a.weights))
    weights_b = load_safetensors(Store.for_model(two).objects.get_bytes(b.weights))
    assert weights_a.keys() == weights_b.keys()
    for name in weights_a:
        assert torch.allclose(weights_a[name], weights_b[name], atol=1e-5, rtol=1e-4), name
    changed = any(not torch.equal(weights_a[n], weights_b[n]) for n in weights_a)
    assert changed or a.weights == b.weights  # either bit-equal or merely float-close
