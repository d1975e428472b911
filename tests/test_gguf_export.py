"""GGUF export: transformers' own GGUF loader reads the file back to the same model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer
from typer.testing import CliRunner

from modelbazaar.cli.main import app
from modelbazaar.errors import BazaarError
from modelbazaar.gguf_export import rotary_permute, write_gguf
from modelbazaar.model import load_version
from modelbazaar.store import Store

TEXT = "ROMEO: What say you, my lord?"
TOLERANCE = {"f32": 0.0, "f16": 0.02, "q8_0": 0.2}  # max |logit difference| measured: 0, 2e-3, 2e-2


def test_rotary_permute_interleaves_halves() -> None:
    head = np.arange(4.0).reshape(4, 1)  # rows a, b | c, d: the two halves of one head
    assert rotary_permute(head, n_head=1).ravel().tolist() == [0.0, 2.0, 1.0, 3.0]


@pytest.mark.parametrize("dtype", ["f32", "f16", "q8_0"])
def test_gguf_loads_back_with_the_same_logits(
    tiny_built: tuple[Path, Store], tmp_path: Path, dtype: str
) -> None:
    _, store = tiny_built
    loaded = load_version(store, "main")
    write_gguf(store, "main", tmp_path / "m.gguf", dtype)  # type: ignore[arg-type]
    model = AutoModelForCausalLM.from_pretrained(tmp_path, gguf_file="m.gguf", dtype=torch.float32)
    ids = loaded.tokenizer(TEXT, return_tensors="pt").input_ids
    with torch.no_grad():
        gap = (model(ids).logits - loaded.model(ids).logits).abs().max().item()
    assert gap <= TOLERANCE[dtype]
    if dtype == "f32":
        tokenizer = AutoTokenizer.from_pretrained(tmp_path, gguf_file="m.gguf")
        assert tokenizer(TEXT).input_ids == ids[0].tolist()  # the same BPE, merges and specials
        assert not (tmp_path / "m.gguf.partial").exists()


def test_cli_export_gguf_and_bad_dtype(tiny_built: tuple[Path, Store], tmp_path: Path) -> None:
    model_dir, store = tiny_built
    target = tmp_path / "cli.gguf"
    args = ["export", "main", str(target), "--gguf", "--dtype", "q8_0", "-C", str(model_dir)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert target.stat().st_size > 0
    with pytest.raises(BazaarError, match="choose one of f32, f16, q8_0"):
        write_gguf(store, "main", tmp_path / "x.gguf", "q4")  # type: ignore[arg-type]


@pytest.mark.slow  # imports SmolLM2-135M (~50 s) and loads it back from GGUF
def test_smollm2_round_trips_through_gguf(tmp_path: Path) -> None:
    from modelbazaar.workflows.importer import import_model

    store = Store(tmp_path / "store")
    version = import_model(store, "smollm2", "Apache-2.0")
    loaded = load_version(store, version)
    write_gguf(store, version, tmp_path / "smol.gguf", "f32")
    model = AutoModelForCausalLM.from_pretrained(
        tmp_path, gguf_file="smol.gguf", dtype=torch.float32
    )
    ids = loaded.tokenizer("What is the capital of France?", return_tensors="pt").input_ids
    with torch.no_grad():
        gap = (model(ids).logits - loaded.model(ids).logits).abs().max().item()
    assert gap == 0.0  # tied embeddings: no output tensor written, token_embd reused
