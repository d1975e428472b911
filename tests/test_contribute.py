"""`bazaar contribute`: LoRA on own data, held-out measurement, signed bundle; data stays home."""

import hashlib
import json
from pathlib import Path

import pytest
import torch

from modelbazaar.contrib import check_adapter_against_base, generate_keypair, open_bundle
from modelbazaar.errors import BazaarError, DataError
from modelbazaar.evals.compare import paired_difference
from modelbazaar.model import load_version
from modelbazaar.train.lora import (
    IGNORE,
    Example,
    LoraTrainConfig,
    apply_adapter,
    encode,
    held_out_split,
    lora_deltas,
    parse_examples,
)
from modelbazaar.train.overrides import apply_overrides
from modelbazaar.workflows.contribute import contribute

FAST = LoraTrainConfig(steps=4, lr=1e-2, batch_size=4)


@pytest.fixture
def key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    path = tmp_path / "keys" / "me"
    monkeypatch.setenv("BAZAAR_KEYS", str(path))
    return path, generate_keypair(path)


def test_bundle_is_signed_and_data_stays_home(tiny_built, key, tmp_path: Path) -> None:
    model_dir, store = tiny_built
    data = model_dir / "contributions" / "gsm8k" / "train.jsonl"
    out = contribute(
        model_dir,
        data=data,
        task="gsm8k",
        license="MIT",
        out=tmp_path / "g.bazaar",
        train=FAST,
        show_progress=False,
    )
    bundle = open_bundle(out.bundle, trusted_keys={key[1]})
    (card,) = bundle.manifest.data_card.files
    assert bundle.signer == key[1] and bundle.data_files == {}
    assert card.included is False and card.sha256 == hashlib.sha256(data.read_bytes()).hexdigest()
    assert bundle.manifest.base_version == store.version("main").hash
    ev = bundle.manifest.evaluation.reported()
    assert ev["task_loss_delta_ci_low"] <= ev["task_loss_delta"] <= ev["task_loss_delta_ci_high"]
    assert ev["held_out_examples"] == 6  # 60 examples, every 10th held out
    base = load_version(store, "main").model.state_dict()
    shapes = {k: tuple(v.shape) for k, v in base.items()}
    check_adapter_against_base(bundle.adapter, shapes, bundle.manifest.adapter_config)
    assert data.read_bytes() not in out.bundle.read_bytes()


def test_same_seed_same_adapter_and_include_data(tiny_built, key, tmp_path: Path) -> None:
    model_dir, _ = tiny_built
    data = model_dir / "contributions" / "noise" / "train.txt"
    a = contribute(
        model_dir,
        data=data,
        task="noise",
        license="CC0-1.0",
        out=tmp_path / "a.bazaar",
        train=FAST,
        show_progress=False,
    )
    b = contribute(
        model_dir,
        data=data,
        task="noise",
        license="CC0-1.0",
        out=tmp_path / "b.bazaar",
        train=FAST,
        show_progress=False,
        include_data=True,
    )
    ba, bb = open_bundle(a.bundle), open_bundle(b.bundle)
    assert ba.adapter.keys() == bb.adapter.keys()
    assert all(torch.equal(ba.adapter[k], bb.adapter[k]) for k in ba.adapter)
    assert bb.data_files == {"train.txt": data.read_bytes()}


def test_bad_licence_and_synthetic_without_generator_refused_before_training(
    tiny_built, key, tmp_path: Path
) -> None:
    model_dir, _ = tiny_built
    data = model_dir / "contributions" / "noise" / "train.txt"
    with pytest.raises(DataError, match="not an SPDX id"):
        contribute(model_dir, data=data, task="t", license="mit-ish", show_progress=False)
    with pytest.raises(DataError, match="--generator"):
        contribute(
            model_dir,
            data=data,
            task="t",
            license="MIT",
            provenance="synthetic",
            show_progress=False,
        )
    assert not list(tmp_path.glob("*.bazaar"))


class FakeTokenizer:
    eos_token_id = 0

    def __call__(self, text: str, add_special_tokens: bool = False) -> dict:
        return {"input_ids": [ord(c) for c in text]}


def test_encode_puts_loss_on_the_response_only() -> None:
    ((ids, labels),) = encode(FakeTokenizer(), [Example("ab", "cd")], max_len=32)
    assert ids == [97, 98, 10, 99, 100, 0]  # prompt, newline, response, EOS
    assert labels == [IGNORE, IGNORE, IGNORE, 99, 100, 0]
    ((ids, labels),) = encode(FakeTokenizer(), [Example("x" * 50, "yz")], max_len=8)
    assert len(ids) == 8 and labels[-3:] == [121, 122, 0]  # the prompt's start is cut


def test_parse_examples_formats_and_errors() -> None:
    rows = [{"question": "q", "answer": "a"}, {"instruction": "i", "input": "x", "output": "o"}]
    text = "\n".join(json.dumps(r) for r in rows)
    assert parse_examples(text, jsonl=True, where="f") == [Example("q", "a"), Example("i\nx", "o")]
    assert parse_examples("one\n\n\ntwo\n", jsonl=False, where="f") == [
        Example("", "one"),
        Example("", "two"),
    ]
    with pytest.raises(DataError, match="line 1"):
        parse_examples('{"foo": 1}', jsonl=True, where="f")
    assert held_out_split(list(range(10)), 5) == ([0, 1, 2, 3, 5, 6, 7, 8], [4, 9])


def test_paired_difference_brackets_the_mean() -> None:
    mean, low, high = paired_difference([2.0, 2.2, 1.9, 2.1], [1.5, 1.8, 1.6, 1.7])
    assert low <= mean <= high < 0 and mean == pytest.approx(-0.4)
    mean, low, high = paired_difference([1.0, 2.0, 3.0, 4.0], [1.5, 1.0, 3.5, 3.0])
    assert low < 0 < high  # mixed signs: the interval straddles zero


def test_lora_overrides_are_typed_and_checked() -> None:
    cfg = apply_overrides(
        LoraTrainConfig(), ["steps=20", "lr=2e-4", "target_modules=q_proj,v_proj"]
    )
    assert (cfg.steps, cfg.lr, cfg.target_modules) == (20, 2e-4, ("q_proj", "v_proj"))
    assert cfg.adapter_config().alpha == 2.0 * cfg.rank  # alpha follows the rank by default
    with pytest.raises(BazaarError, match="Did you mean 'steps'"):
        apply_overrides(LoraTrainConfig(), ["stpes=3"])
    with pytest.raises(BazaarError, match="expected int"):
        apply_overrides(LoraTrainConfig(), ["steps=many"])


def test_lora_deltas_equal_what_peft_merges(tiny_built) -> None:
    _, store = tiny_built
    torch.manual_seed(0)
    base = load_version(store, "main").model
    cfg = LoraTrainConfig(rank=2, alpha=4).adapter_config()
    adapter = {}
    for name, weight in base.state_dict().items():
        if name.endswith("q_proj.weight"):
            stem = "base_model.model." + name.removesuffix(".weight")
            adapter[stem + ".lora_A.weight"] = torch.randn(2, weight.shape[1])
            adapter[stem + ".lora_B.weight"] = torch.randn(weight.shape[0], 2)
    before = {k: v.clone() for k, v in base.state_dict().items()}
    merged = apply_adapter(base, adapter, cfg).state_dict()
    deltas = lora_deltas(adapter, cfg)
    assert len(deltas) == 2  # two layers
    for key, delta in deltas.items():
        torch.testing.assert_close(merged[key], before[key] + delta)
