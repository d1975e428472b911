"""Bundles written by write_bundle open to the same content; open_bundle never touches the disk."""

import hashlib
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
import safetensors.torch
import torch
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

import modelbazaar.contrib as contrib
from modelbazaar.contrib import (
    AdapterConfig,
    BundleManifest,
    DataCard,
    DataFile,
    check_adapter_against_base,
    check_base_known,
    open_bundle,
    public_key_text,
    write_bundle,
)
from modelbazaar.errors import BundleError

# A toy base: two linear layers, weight shapes (out_features, in_features).
BASE_SHAPES = {
    "model.layers.0.self_attn.q_proj.weight": (16, 12),
    "model.layers.0.self_attn.v_proj.weight": (8, 12),
    "model.embed_tokens.weight": (50, 12),
}
R = 4  # LoRA rank


def make_adapter(seed: int = 0) -> dict[str, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    out = {}
    for module in ("model.layers.0.self_attn.q_proj", "model.layers.0.self_attn.v_proj"):
        o, i = BASE_SHAPES[module + ".weight"]
        out[f"base_model.model.{module}.lora_A.weight"] = torch.randn(R, i, generator=g)
        out[f"base_model.model.{module}.lora_B.weight"] = torch.randn(o, R, generator=g)
    return out


def make_manifest(priv: Ed25519PrivateKey, **over) -> BundleManifest:
    fields = dict(
        base_version="ab" * 32,
        kind="adapter",
        task="arith",
        author=public_key_text(priv),
        license="MIT",
        adapter_config=AdapterConfig(r=R, alpha=8, target_modules=["q_proj", "v_proj"]),
        evaluation={"task_loss_base": 2.5, "task_loss_adapter": 2.0},
        created=datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC),
    )
    fields.update(over)
    return BundleManifest(**fields)


@pytest.fixture
def priv() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    return {str(p): (p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(root.rglob("*"))}


def test_round_trip_gives_identical_tensors_manifest_and_data(tmp_path: Path, priv) -> None:
    adapter = make_adapter()
    data = b'{"prompt": "2+2", "response": "4"}\n'
    card = DataCard(
        files=[
            DataFile(
                name="train.jsonl",
                bytes=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                provenance="human",
                license="MIT",
                included=True,
            ),
            DataFile(
                name="private.txt",
                bytes=10,
                sha256="cd" * 32,
                provenance="synthetic",
                generator="SmolLM2-135M-Instruct",
                license="Apache-2.0",
                included=False,
            ),
        ]
    )
    manifest = make_manifest(priv, data_card=card)
    files = {"adapter.safetensors": safetensors.torch.save(adapter), "data/train.jsonl": data}
    out = write_bundle(tmp_path / "arith.bazaar", manifest, files, priv)

    bundle = open_bundle(out, trusted_keys={public_key_text(priv)})
    assert bundle.signer == public_key_text(priv)
    assert bundle.manifest.model_dump(exclude={"payload"}) == manifest.model_dump(
        exclude={"payload"}
    )
    assert [p.name for p in bundle.manifest.payload] == ["adapter.safetensors", "data/train.jsonl"]
    assert set(bundle.adapter) == set(adapter)
    for name, t in adapter.items():
        assert torch.equal(bundle.adapter[name], t)
    assert bundle.data_files == {"train.jsonl": data}
    assert bundle.sha256 == hashlib.sha256(out.read_bytes()).hexdigest()
    check_adapter_against_base(bundle.adapter, BASE_SHAPES, bundle.manifest.adapter_config)
    check_base_known(bundle.manifest, lambda h: h == "ab" * 32)


def test_open_bundle_never_writes_to_disk(tmp_path: Path, priv, monkeypatch) -> None:
    files = {"adapter.safetensors": safetensors.torch.save(make_adapter())}
    out = write_bundle(tmp_path / "b.bazaar", make_manifest(priv), files, priv)
    monkeypatch.chdir(tmp_path)  # anything written relative to the cwd would show up here too
    before = snapshot(tmp_path)
    open_bundle(out)
    assert snapshot(tmp_path) == before


def test_write_is_atomic_and_deterministic(tmp_path: Path, priv) -> None:
    files = {"adapter.safetensors": safetensors.torch.save(make_adapter())}
    a = write_bundle(tmp_path / "a.bazaar", make_manifest(priv), files, priv)
    b = write_bundle(tmp_path / "b.bazaar", make_manifest(priv), files, priv)
    assert a.read_bytes() == b.read_bytes()  # fixed zip times, sorted keys, ed25519 deterministic
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.bazaar", "b.bazaar"]  # no temp left
    with zipfile.ZipFile(a) as zf:
        assert zf.namelist() == ["manifest.json", "manifest.sig", "adapter.safetensors"]


def test_write_refuses_a_bundle_open_would_refuse_and_leaves_nothing(tmp_path: Path, priv) -> None:
    other = Ed25519PrivateKey.generate()
    files = {"adapter.safetensors": safetensors.torch.save(make_adapter())}
    with pytest.raises(BundleError, match="is not the public key of the signing key"):
        write_bundle(tmp_path / "x.bazaar", make_manifest(other), files, priv)
    with pytest.raises(BundleError, match="not allowed in a bundle"):
        write_bundle(tmp_path / "x.bazaar", make_manifest(priv), {**files, "run.py": b""}, priv)
    with pytest.raises(BundleError, match="must contain adapter.safetensors"):
        write_bundle(tmp_path / "x.bazaar", make_manifest(priv), {}, priv)
    nan = {"adapter.safetensors": safetensors.torch.save({"a": torch.tensor([float("nan")])})}
    with pytest.raises(BundleError, match="NaN"):
        write_bundle(tmp_path / "x.bazaar", make_manifest(priv), nan, priv)
    assert list(tmp_path.iterdir()) == []


def test_unsigned_bundle_opens_only_when_signatures_are_not_required(tmp_path: Path, priv) -> None:
    files = {"adapter.safetensors": safetensors.torch.save(make_adapter())}
    signed = write_bundle(tmp_path / "s.bazaar", make_manifest(priv), files, priv)
    unsigned = tmp_path / "u.bazaar"
    with zipfile.ZipFile(signed) as src, zipfile.ZipFile(unsigned, "w") as dst:
        for name in src.namelist():
            if name != "manifest.sig":
                dst.writestr(name, src.read(name))
    assert open_bundle(unsigned, require_signature=False).signer is None
    with pytest.raises(BundleError, match="missing signature"):
        open_bundle(unsigned, require_signature=False, trusted_keys={public_key_text(priv)})


def test_adapter_checks_accept_the_matching_base_and_name_the_problem(priv) -> None:
    adapter = make_adapter()
    config = make_manifest(priv).adapter_config
    check_adapter_against_base(adapter, BASE_SHAPES, config)
    half = {k: v for k, v in adapter.items() if "v_proj.lora_B" not in k}
    with pytest.raises(BundleError, match=r"no base_model\.model\..*v_proj\.lora_B\.weight"):
        check_adapter_against_base(half, BASE_SHAPES, config)
    only_q = AdapterConfig(r=R, alpha=8, target_modules=["q_proj"])
    with pytest.raises(BundleError, match="not in the manifest's target_modules"):
        check_adapter_against_base(adapter, BASE_SHAPES, only_q)
    other_r = AdapterConfig(r=R + 1, alpha=8, target_modules=["q_proj", "v_proj"])
    with pytest.raises(BundleError, match="manifest r=5"):
        check_adapter_against_base(adapter, BASE_SHAPES, other_r)
    with pytest.raises(BundleError, match="is not a LoRA weight"):
        check_adapter_against_base(
            {"model.embed_tokens.weight": torch.zeros(50, 12)}, BASE_SHAPES, config
        )
    with pytest.raises(BundleError, match="holds no tensors"):
        check_adapter_against_base({}, BASE_SHAPES, config)


def test_manifest_schema_rules(priv) -> None:
    with pytest.raises(ValueError, match="needs adapter_config"):
        make_manifest(priv, adapter_config=None)
    with pytest.raises(ValueError, match="must name its generator"):
        DataFile(
            name="a.txt",
            bytes=1,
            sha256="00" * 32,
            provenance="synthetic",
            license="MIT",
            included=False,
        )
    with pytest.raises(ValueError, match="unique"):
        f = dict(bytes=1, sha256="00" * 32, provenance="human", license="MIT", included=False)
        DataCard(files=[DataFile(name="A.txt", **f), DataFile(name="a.txt", **f)])


def test_public_surface_is_deliberate() -> None:
    public = {n for n in dir(contrib) if not n.startswith("_")}
    submodules = {
        "basecheck",
        "bundle",
        "data_bundle",  # data donations (contribute --kind data)
        "datacheck",
        "keys",
        "manifest",
        "safetensors_check",
        "stats_check",
        "zipcheck",
    }
    assert public - submodules == set(contrib.__all__)


def test_default_limits_are_sane() -> None:
    limits = contrib.BundleLimits()
    assert limits.max_manifest_bytes == 1 << 20
    assert limits.max_member_bytes <= limits.max_total_bytes <= limits.max_archive_bytes
