"""RegMean: the closed form, Gram statistics in bundles, their hostile-input checks, the merge."""

import hashlib
import json
import shutil
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
import torch
from safetensors.torch import load as load_safetensors
from safetensors.torch import save as save_safetensors

import modelbazaar.contrib.stats_check as stats_check
import modelbazaar.workflows.merge as merging
from modelbazaar.contrib import BundleLimits, BundleManifest, generate_keypair, open_bundle
from modelbazaar.contrib.keys import load_private_key
from modelbazaar.contrib.stats_check import check_statistics_against_base, load_statistics
from modelbazaar.errors import BazaarError, BundleError, DataError, ExitCode
from modelbazaar.merge import merge_deltas
from modelbazaar.merge.regmean import regmean_layer
from modelbazaar.model import load_version
from modelbazaar.recipe import add_trusted_key
from modelbazaar.store import Store
from modelbazaar.train.gram import GramConfig, add_noise
from modelbazaar.train.lora import LoraTrainConfig, encode, held_out_split, load_examples
from modelbazaar.workflows.contribute import contribute
from modelbazaar.workflows.review import review
from modelbazaar.workflows.verify import verify
from tests.helpers import bazaar_exit_code, tree_digest

# --- the closed form ------------------------------------------------------------------------


def test_closed_form_matches_a_hand_computation() -> None:
    g1, g2 = torch.tensor([[2.0, 1.0], [1.0, 1.0]]), torch.tensor([[1.0, 0.0], [0.0, 3.0]])
    d1, d2 = torch.tensor([[1.0, 0.0]]), torch.tensor([[0.0, 1.0]])  # (out 1, in 2)
    # α = 1: A = G1 + G2 = [[3, 1], [1, 4]], b = G1 d1ᵀ + G2 d2ᵀ = [2, 4] -> A⁻¹b = [4, 10] / 11
    full = regmean_layer([d1, d2], [g1, g2], [1.0, 1.0], alpha=1.0)
    assert torch.allclose(full, torch.tensor([[4 / 11, 10 / 11]]), atol=1e-7)
    # α = 0.5 halves G1's off-diagonal: A = [[3, .5], [.5, 4]], b = [2, 3.5] -> [6.25, 9.5] / 11.75
    half = regmean_layer([d1, d2], [g1, g2], [1.0, 1.0], alpha=0.5)
    assert torch.allclose(half, torch.tensor([[6.25 / 11.75, 9.5 / 11.75]]), atol=1e-7)
    # weights scale each contributor's Gram: w = (3, 1) is G1 counted three times
    weighted = regmean_layer([d1, d2], [g1, g2], [3.0, 1.0], alpha=1.0)
    assert torch.allclose(weighted, regmean_layer([d1, d1, d1, d2], [g1, g1, g1, g2], [1.0] * 4, 1))


def test_equal_grams_give_the_simple_average() -> None:
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(200, 8, generator=gen)
    gram = x.T @ x / 200
    deltas = [{"l.weight": torch.randn(5, 8, generator=gen)} for _ in range(3)]
    stats = [{"l": gram}] * 3
    for alpha in (0.0, 0.9, 1.0):
        merged = merge_deltas(deltas, "regmean", [1.0] * 3, 1.0, 0, statistics=stats, alpha=alpha)
        linear = merge_deltas(deltas, "linear", [1.0] * 3, 1.0, 0)
        assert torch.allclose(merged["l.weight"], linear["l.weight"], atol=1e-6)


def test_distinct_inputs_keep_each_delta_where_averaging_halves_it() -> None:
    # Two contributors whose inputs live in different coordinates: RegMean keeps both changes
    # whole (each on its own inputs), where the mean keeps half of each.
    g1, g2 = torch.diag(torch.tensor([1.0, 0.0])), torch.diag(torch.tensor([0.0, 1.0]))
    d1, d2 = torch.tensor([[2.0, 0.0]]), torch.tensor([[0.0, -3.0]])
    merged = regmean_layer([d1, d2], [g1, g2], [1.0, 1.0], alpha=0.9)
    assert torch.allclose(merged, torch.tensor([[2.0, -3.0]]))


def test_singular_sum_is_solved_with_a_ridge_deterministically() -> None:
    g = torch.diag(torch.tensor([1.0, 2.0, 0.0]))  # feature 3 never occurs in anyone's data
    d = torch.ones(2, 3)
    first = regmean_layer([d, d], [g, g], [1.0, 1.0], alpha=1.0)
    assert torch.isfinite(first).all()
    assert torch.allclose(first[:, :2], d[:, :2], atol=1e-5)  # the used inputs keep their delta
    assert torch.equal(first, regmean_layer([d, d], [g, g], [1.0, 1.0], alpha=1.0))


def test_missing_statistics_are_refused_or_fall_back() -> None:
    deltas = [{"a.weight": torch.ones(2, 2), "b.weight": torch.ones(2, 2)}] * 2
    stats = [{"a": torch.eye(2), "b": torch.eye(2)}, {"a": torch.eye(2)}]
    with pytest.raises(
        BazaarError, match="two.bazaar has no Gram statistics for layer b.*--regmean-fallback"
    ):
        merge_deltas(
            deltas, "regmean", [1, 1], 1.0, 0, statistics=stats, names=["one.bazaar", "two.bazaar"]
        )
    with pytest.raises(BazaarError, match=r"one.bazaar has no Gram statistics \(contributed"):
        merge_deltas(
            deltas, "regmean", [1, 1], 1.0, 0, statistics=[{}, {}], names=["one.bazaar", "x"]
        )
    mixed = merge_deltas(
        [
            {"a.weight": torch.ones(2, 2), "b.weight": torch.ones(2, 2)},
            {"a.weight": torch.zeros(2, 2), "b.weight": 3 * torch.ones(2, 2)},
        ],
        "regmean",
        [1, 1],
        1.0,
        0,
        statistics=stats,
        fallback="task_arithmetic",
    )
    assert torch.allclose(mixed["a.weight"], 0.5 * torch.ones(2, 2))  # regmean: equal Grams
    assert torch.equal(mixed["b.weight"], 4 * torch.ones(2, 2))  # the fallback: a plain sum
    with pytest.raises(BazaarError, match="needs statistics itself"):
        merge_deltas(deltas, "regmean", [1, 1], 1.0, 0, statistics=stats, fallback="regmean")


def test_noise_keeps_a_gram_symmetric_and_psd() -> None:
    gen = torch.Generator().manual_seed(1)
    x = torch.randn(40, 6, generator=gen, dtype=torch.float64)
    gram = x.T @ x / 40
    noisy = add_noise(gram, 0.5, gen)
    assert not torch.allclose(noisy, gram) and torch.equal(noisy, noisy.T)
    assert float(torch.linalg.eigvalsh(noisy)[0]) >= -1e-9
    assert torch.equal(add_noise(gram, 0.0, gen), gram)


# --- hostile statistics, without a store ------------------------------------------------------

MODULE = "model.layers.0.self_attn.q_proj"
ADAPTER = {
    f"base_model.model.{MODULE}.lora_A.weight": torch.zeros(2, 4),
    f"base_model.model.{MODULE}.lora_B.weight": torch.zeros(4, 2),
}
SHAPES = {f"{MODULE}.weight": (4, 4)}


def manifest(tokens: int = 1000, dtype: str = "float32", shared: dict | None = None):
    return BundleManifest.model_validate(
        {
            "base_version": "ab" * 32,
            "kind": "adapter",
            "task": "t",
            "author": "ed25519:" + "A" * 43 + "=",
            "license": "MIT",
            "adapter_config": {"r": 2, "alpha": 4.0, "target_modules": ["q_proj"]},
            "statistics": {"tokens": tokens, "dtype": dtype, "shared": shared or {}},
            "created": datetime(2025, 1, 1, tzinfo=UTC),
        }
    )


def psd(width: int = 4) -> torch.Tensor:
    x = torch.randn(50, width, generator=torch.Generator().manual_seed(2))
    return x.T @ x / 50


HOSTILE_STATS: dict[str, tuple[dict, dict, str]] = {
    "asymmetric": ({MODULE: psd() + torch.triu(torch.ones(4, 4), 1)}, {}, "not symmetric"),
    "indefinite": ({MODULE: psd() - 3 * torch.eye(4)}, {}, "not positive semi-definite"),
    "nan": ({MODULE: psd() * torch.tensor(float("nan"))}, {}, "contains NaN"),
    "not square": ({MODULE: torch.ones(4, 3)}, {}, "a Gram matrix is square"),
    "zero": ({MODULE: torch.zeros(4, 4)}, {}, "is all zeros"),
    "float16 claimed": ({MODULE: psd()}, {"dtype": "float16"}, "the signed manifest says float16"),
    "weight name": ({MODULE + ".weight": psd()}, {}, "expected a module path"),
    "integer": ({MODULE: torch.ones(4, 4, dtype=torch.int32)}, {}, "dtype 'I32'"),
    "dangling alias": ({MODULE: psd()}, {"shared": {"x.k_proj": "x.q_proj"}}, "no such matrix"),
}


@pytest.mark.parametrize("case", list(HOSTILE_STATS))
def test_hostile_statistics_are_refused(case: str) -> None:
    tensors, over, message = HOSTILE_STATS[case]
    with pytest.raises(BundleError, match=message):
        load_statistics(save_safetensors(tensors), manifest(**over), BundleLimits())


def test_too_wide_statistics_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stats_check, "MAX_GRAM_WIDTH", 3)
    with pytest.raises(BundleError, match="4 wide, the limit is 3"):
        load_statistics(save_safetensors({MODULE: psd()}), manifest(), BundleLimits())


def test_statistics_must_fit_the_base() -> None:
    good = load_statistics(save_safetensors({MODULE: psd()}), manifest(), BundleLimits())
    check_statistics_against_base(good, manifest(), ADAPTER, SHAPES)  # the baseline passes
    wide = {MODULE: psd(5)}
    with pytest.raises(BundleError, match="are 5×5, but its base weight"):
        check_statistics_against_base(wide, manifest(), ADAPTER, SHAPES)
    other = {"model.layers.0.mlp.up_proj": psd()}
    with pytest.raises(BundleError, match="a layer the adapter does not touch"):
        check_statistics_against_base(other, manifest(), ADAPTER, SHAPES)
    with pytest.raises(BundleError, match="from 39 tokens, but a 4-wide Gram needs at least"):
        check_statistics_against_base(good, manifest(tokens=39), ADAPTER, SHAPES)


# --- contribute, review, merge, verify on the tiny model ------------------------------------


@pytest.fixture(scope="module")
def tiny(tiny_built, tmp_path_factory) -> dict:
    """A tiny source trusting a key, with two reviewed-and-accepted bundles (data included)."""
    root = tmp_path_factory.mktemp("regmean")
    model_dir = root / "model"
    shutil.copytree(tiny_built[0], model_dir)
    with (model_dir / "bazaar.toml").open("a") as f:
        f.write("limit = 8\n")  # [policy] is the recipe's last table
    key = root / "key"
    add_trusted_key(model_dir, generate_keypair(key))
    text = (model_dir / "data" / "tinyshakespeare" / "train.txt").read_text()
    (root / "verse.txt").write_text(text[20_000:40_000])
    bundles = {}
    for task, data, lic in (
        ("verse", root / "verse.txt", "CC0-1.0"),
        ("gsm8k", model_dir / "contributions" / "gsm8k" / "train.jsonl", "MIT"),
    ):
        bundles[task] = contribute(
            model_dir,
            data=data,
            task=task,
            license=lic,
            key=key,
            include_data=True,
            out=root / f"{task}.bazaar",
            show_progress=False,
            train=LoraTrainConfig(steps=30, lr=1e-2),
        ).bundle
        assert review(model_dir, bundles[task], show_progress=False).verdict == "accept"
    return {"dir": model_dir, "key": key, "root": root, **bundles}


@pytest.fixture
def source(tiny, tmp_path: Path) -> tuple[Path, Store]:
    target = tmp_path / "model"
    shutil.copytree(tiny["dir"], target)
    return target, Store.for_model(target)


def test_contribute_stores_the_grams_of_the_touched_layers(tiny) -> None:
    bundle = open_bundle(tiny["verse"], require_signature=False)
    stats = bundle.manifest.statistics
    assert stats is not None and stats.dtype == "float32" and stats.noise == 0
    layers = [f"model.layers.{i}.self_attn" for i in (0, 1)]
    assert set(bundle.statistics) == {f"{x}.{p}" for x in layers for p in ("q_proj", "o_proj")}
    assert stats.shared == {f"{x}.{p}": f"{x}.q_proj" for x in layers for p in ("k_proj", "v_proj")}
    # the token count is every non-padding token of the training rows (the held-out tenth excluded)
    loaded = load_version(Store.for_model(tiny["dir"]), "main")
    examples = held_out_split(load_examples(tiny["root"] / "verse.txt"), 10)[0]
    rows = encode(loaded.tokenizer, examples, 64)  # max_position_embeddings caps max_len 128
    assert stats.tokens == sum(len(ids) for ids, _ in rows)
    # layer 0's q/k/v read RMSNorm(embedding): recompute its Gram independently of the hooks
    model = loaded.model
    with torch.no_grad():
        x = torch.cat(
            [
                model.model.layers[0].input_layernorm(model.model.embed_tokens(torch.tensor(ids)))
                for ids, _ in rows
            ]
        )
    expected = (x.double().T @ x.double()) / len(x)
    assert torch.allclose(
        bundle.statistics[f"{layers[0]}.q_proj"].double(), expected, rtol=1e-5, atol=1e-6
    )


def test_no_gram_float16_and_too_few_tokens(tiny, tmp_path: Path) -> None:
    data = tiny["dir"] / "contributions" / "gsm8k" / "train.jsonl"
    fast = LoraTrainConfig(steps=1, batch_size=2)
    common = dict(task="g", license="MIT", key=tiny["key"], train=fast, show_progress=False)
    none = contribute(
        tiny["dir"], data=data, out=tmp_path / "n.bazaar", gram=GramConfig(enabled=False), **common
    )
    opened = open_bundle(none.bundle, require_signature=False)
    assert opened.statistics == {} and opened.manifest.statistics is None
    assert "statistics.safetensors" not in zipfile.ZipFile(none.bundle).namelist()
    half = contribute(
        tiny["dir"],
        data=data,
        out=tmp_path / "h.bazaar",
        gram=GramConfig(dtype="float16", noise=0.01),
        **common,
    )
    opened = open_bundle(half.bundle, require_signature=False)
    assert {t.dtype for t in opened.statistics.values()} == {torch.float16}
    assert opened.manifest.statistics.noise == 0.01
    small = tmp_path / "small.txt"
    small.write_text("\n\n".join(f"line {i} of verse" for i in range(20)))  # ~100 tokens < 320
    with pytest.raises(DataError, match=r"needs at least 10 × 32 = 320.*--no-gram"):
        contribute(tiny["dir"], data=small, out=tmp_path / "s.bazaar", **common)
    assert not (tmp_path / "s.bazaar").exists()


def resign(bundle: Path, key: Path, out: Path, mutate: Callable[[dict, dict], None]) -> Path:
    """``bundle`` with its manifest and members changed by ``mutate(manifest, members)``, signed
    again with ``key``: hostile, yet every hash and the signature check out."""
    with zipfile.ZipFile(bundle) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    manifest_doc = json.loads(members.pop("manifest.json"))
    members.pop("manifest.sig")
    mutate(manifest_doc, members)
    manifest_doc["payload"] = [
        {"name": n, "sha256": hashlib.sha256(b).hexdigest(), "bytes": len(b)}
        for n, b in sorted(members.items())
    ]
    signed = json.dumps(manifest_doc, sort_keys=True, indent=2).encode()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", signed)
        zf.writestr("manifest.sig", load_private_key(key).sign(signed))
        for name, blob in sorted(members.items()):
            zf.writestr(name, blob)
    return out


def _narrow_grams(manifest_doc: dict, members: dict) -> None:
    stats = load_safetensors(members["statistics.safetensors"])
    members["statistics.safetensors"] = save_safetensors(
        {k: v[:16, :16].contiguous() for k, v in stats.items()}
    )


def _indefinite_grams(manifest_doc: dict, members: dict) -> None:
    stats = load_safetensors(members["statistics.safetensors"])
    members["statistics.safetensors"] = save_safetensors(
        {k: v - 10 * torch.eye(len(v)) for k, v in stats.items()}
    )


def _undeclared_grams(manifest_doc: dict, members: dict) -> None:
    del manifest_doc["statistics"]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (_narrow_grams, "are 16×16, but its base weight (32, 32) reads 32-wide inputs"),
        (_indefinite_grams, "is not positive semi-definite"),
        (_undeclared_grams, "does not declare Gram statistics but the bundle has a"),
    ],
)
def test_review_refuses_statistics_that_do_not_fit(
    tiny, tmp_path: Path, capsys, mutate, message
) -> None:
    hostile = resign(tiny["verse"], tiny["key"], tmp_path / "h.bazaar", mutate)
    before = tree_digest(tiny["dir"] / ".bazaar")
    code = bazaar_exit_code(["review", str(hostile), "-C", str(tiny["dir"])])
    err = " ".join(capsys.readouterr().err.split())
    assert code == ExitCode.REFUSED and message in err and "Traceback" not in err
    assert tree_digest(tiny["dir"] / ".bazaar") == before  # nothing stored


def test_regmean_merge_reports_kept_shares_and_verify_replays_it(tiny, source) -> None:
    model_dir, store = source
    outcome = merging.merge(
        model_dir, [tiny["verse"], tiny["gsm8k"]], method="regmean", show_progress=False
    )
    assert outcome.verdict == "accept", outcome.reasons
    record = store.version("main")
    assert record.hash == outcome.version
    assert record.info["merge"]["alpha"] == 1.0  # DEFAULT_ALPHA, recorded for the replay
    assert record.info["merge"]["method"] == "regmean" and record.info["merge"]["fallback"] is None
    assert [r["task"] for r in outcome.kept] == ["verse", "gsm8k"]
    for row in outcome.kept:
        assert row["status"] == "ok" and row["ci_low"] <= row["kept_share"] <= row["ci_high"]
        assert row["gain"] > 0 and row["merged"] < row["base"]  # the merge keeps some of each gain
    assert verify(store, model_dir, "main").identical  # replays the RegMean solve bit for bit


def test_regmean_without_statistics_names_the_bundle_and_the_flag(tiny, source, capsys) -> None:
    model_dir, store = source
    data = tiny["dir"] / "contributions" / "gsm8k" / "train.jsonl"
    bare = contribute(
        model_dir,
        data=data,
        task="gsm8k",
        license="MIT",
        key=tiny["key"],
        include_data=True,
        out=tiny["root"] / "bare.bazaar",
        gram=GramConfig(enabled=False),
        show_progress=False,
        train=LoraTrainConfig(steps=30, lr=1e-2),
    ).bundle
    assert review(model_dir, bare, show_progress=False).verdict == "accept"
    main = store.version("main").hash
    args = ["merge", str(tiny["verse"]), str(bare), "--method", "regmean", "-C", str(model_dir)]
    assert bazaar_exit_code(args) == ExitCode.REFUSED
    err = " ".join(capsys.readouterr().err.split())
    assert f"{bare} has no Gram statistics" in err and "--regmean-fallback linear" in err
    assert store.version("main").hash == main
    assert bazaar_exit_code([*args, "--regmean-fallback", "linear"]) == ExitCode.OK
    assert store.version("main").info["merge"]["fallback"] == "linear"


def test_min_kept_share_policy_rejects_a_merge_that_loses_gain(tiny, source) -> None:
    model_dir, store = source
    with (model_dir / "bazaar.toml").open("a") as f:
        f.write("min_kept_share = 1.0\n")  # nothing short of the whole gain, CI included
    main = store.version("main").hash
    outcome = merging.merge(
        model_dir, [tiny["verse"], tiny["gsm8k"]], method="linear", show_progress=False
    )
    assert outcome.verdict == "reject" and store.version("main").hash == main
    assert any("below the policy's min_kept_share 100%" in r for r in outcome.reasons)
