"""`bazaar export` writes an HF folder that transformers loads with identical logits."""

from pathlib import Path

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

from modelbazaar.export import export
from modelbazaar.model import load_version
from modelbazaar.store import Store


def test_export_round_trip_gives_the_same_logits(
    tiny_built: tuple[Path, Store], tmp_path: Path
) -> None:
    _, store = tiny_built
    out = tmp_path / "hf"
    export(store, "main", out)
    for name in (
        "config.json",
        "model.safetensors",
        "tokenizer.json",
        "tokenizer_config.json",
        "generation_config.json",
    ):
        assert (out / name).is_file(), name
    hf_model = AutoModelForCausalLM.from_pretrained(out).eval()
    hf_tokenizer = AutoTokenizer.from_pretrained(out)
    ours = load_version(store, "main")
    text = "ROMEO:\nBut soft, what light through yonder window breaks?"
    ids = hf_tokenizer(text, return_tensors="pt").input_ids
    assert ids.tolist() == ours.tokenizer(text, return_tensors="pt").input_ids.tolist()
    with torch.no_grad():
        assert torch.equal(hf_model(ids).logits, ours.model(ids).logits)
