"""`bazaar merge`: only accepted bundles, lineage per contribution, replayable, main moves last."""

import shutil
from pathlib import Path

import pytest
import torch

import modelbazaar.workflows.merge as merging
from modelbazaar.contrib import generate_keypair
from modelbazaar.errors import BazaarError
from modelbazaar.merge import merge_deltas
from modelbazaar.recipe import add_trusted_key
from modelbazaar.store import Store
from modelbazaar.train.lora import LoraTrainConfig
from modelbazaar.workflows.contribute import contribute
from modelbazaar.workflows.review import review
from modelbazaar.workflows.verify import verify


@pytest.fixture(scope="module")
def accepted(tiny_built, tmp_path_factory) -> tuple[Path, Path, Path]:
    """(model dir with an accepted review in its store, the accepted bundle, a rejected one)."""
    root = tmp_path_factory.mktemp("merge")
    model_dir = root / "model"
    shutil.copytree(tiny_built[0], model_dir)
    with (model_dir / "bazaar.toml").open("a") as f:
        f.write("limit = 8\n")  # [policy] is the recipe's last table
    key = root / "key"
    add_trusted_key(model_dir, generate_keypair(key))  # nobody is trusted until listed
    text = (model_dir / "data" / "tinyshakespeare" / "train.txt").read_text()
    (root / "verse.txt").write_text(text[20_000:40_000])
    good = contribute(
        model_dir,
        data=root / "verse.txt",
        task="verse",
        license="CC0-1.0",
        key=key,
        include_data=True,
        out=root / "verse.bazaar",
        show_progress=False,
        train=LoraTrainConfig(steps=30, lr=1e-2),
    ).bundle
    bad = contribute(
        model_dir,
        data=model_dir / "contributions" / "alpaca" / "train.jsonl",
        task="alpaca",
        license="CC-BY-NC-4.0",
        key=key,
        out=root / "alpaca.bazaar",
        show_progress=False,
        train=LoraTrainConfig(steps=2),
    ).bundle
    assert review(model_dir, good, show_progress=False).verdict == "accept"
    assert review(model_dir, bad, show_progress=False).verdict == "reject"
    return model_dir, good, bad


@pytest.fixture
def source(accepted, tmp_path: Path) -> tuple[Path, Store]:
    target = tmp_path / "model"
    shutil.copytree(accepted[0], target)
    return target, Store.for_model(target)


def test_merge_deltas_methods() -> None:
    a, b = {"w": torch.tensor([1.0, -2.0, 3.0])}, {"w": torch.tensor([3.0, 2.0, 1.0])}
    assert torch.equal(
        merge_deltas([a, b], "linear", [1, 1], 1.0, 0)["w"], torch.tensor([2.0, 0.0, 2.0])
    )
    assert torch.equal(
        merge_deltas([a, b], "task_arithmetic", [1, 1], 1.0, 0)["w"],
        torch.tensor([4.0, 0.0, 4.0]),
    )
    ties = merge_deltas([a, b], "ties", [1, 1], 1.0, 0)["w"]
    assert ties[0] == 2.0 and ties[2] == 2.0  # TIES: mean over the deltas that agree in sign
    big = {"w": torch.arange(1.0, 65.0)}  # 64 entries: DARE keeps each with p = density
    kept = merge_deltas([big], "dare_linear", [1], 0.5, seed=3)["w"]
    nonzero = kept != 0
    assert 0 < int(nonzero.sum()) < 64  # some dropped, some kept
    assert torch.allclose(kept[nonzero], big["w"][nonzero] / 0.5)  # survivors rescaled by 1/p
    other = merge_deltas([big], "dare_linear", [1], 0.5, seed=4)["w"]
    assert not torch.equal(kept, other)  # the seed decides which entries survive
    with pytest.raises(BazaarError, match="unknown merge method"):
        merge_deltas([a], "average", [1], 1.0, 0)


def test_merge_refuses_rejected_bundle(accepted, source) -> None:
    model_dir, store = source
    main = store.version("main").hash
    with pytest.raises(BazaarError, match="not accepted"):
        merging.merge(model_dir, [accepted[2]], show_progress=False)
    assert store.version("main").hash == main


def test_merge_moves_main_with_lineage_and_replays(accepted, source) -> None:
    model_dir, store = source
    old = store.version("main")
    outcome = merging.merge(
        model_dir, [accepted[1]], method="dare_ties", density=0.7, seed=5, show_progress=False
    )
    assert outcome.verdict == "accept", outcome.reasons
    record = store.version("main")
    assert record.hash == outcome.version and record.relation == "merged"
    assert [p["relation"] for p in record.parents] == ["base", "merged"]
    assert record.parents[0]["parent"] == old.hash
    assert record.parents[1]["detail"]["task"] == "verse"
    assert record.info["merge"]["method"] == "dare_ties" and record.info["merge"]["seed"] == 5
    assert verify(store, model_dir, "main").identical  # replays the merge bit for bit


def test_interrupted_merge_leaves_main(accepted, source, monkeypatch) -> None:
    model_dir, store = source
    main = store.version("main").hash

    def crash(*args, **kwargs):
        raise KeyboardInterrupt  # after the version is written, before main moves

    monkeypatch.setattr(merging, "judge_candidate", crash)
    with pytest.raises(KeyboardInterrupt):
        merging.merge(model_dir, [accepted[1]], method="linear", show_progress=False)
    assert store.version("main").hash == main
    assert any(v.relation == "merged" for v in [store.version(h) for h in _all_versions(store)])


def test_rejected_merge_leaves_main(accepted, source, monkeypatch) -> None:
    model_dir, store = source
    main = store.version("main").hash
    monkeypatch.setattr(
        merging, "judge_candidate", lambda *a, **k: ("reject", ["validation: loss regressed"], [])
    )
    outcome = merging.merge(model_dir, [accepted[1]], method="ties", show_progress=False)
    assert outcome.verdict == "reject" and store.version("main").hash == main


def _all_versions(store: Store) -> list[str]:
    return store.catalogue.versions_with_prefix("")
