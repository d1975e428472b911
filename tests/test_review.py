"""`bazaar review`: licence gate, policy suites on paired CIs, records, reports, hostile bundles."""

import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from modelbazaar.cli.main import app
from modelbazaar.contrib import generate_keypair, open_bundle
from modelbazaar.errors import BundleError, ExitCode
from modelbazaar.licenses.gate import check_inflow, family, license_gate
from modelbazaar.recipe import add_trusted_key
from modelbazaar.train.lora import LoraTrainConfig
from modelbazaar.workflows.contribute import contribute
from modelbazaar.workflows.review import review
from tests.helpers import bazaar_exit_code

FAST = LoraTrainConfig(steps=4, lr=1e-2, batch_size=4)


def prepare(
    model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, trust: bool = True
) -> str:
    """Key in tmp, a short review (8 examples per suite), Shakespeare text as a helpful task."""
    monkeypatch.setenv("BAZAAR_KEYS", str(tmp_path / "keys" / "me"))
    with (model_dir / "bazaar.toml").open("a") as f:
        f.write("limit = 8\n")  # [policy] is the recipe's last table
    text = (model_dir / "data" / "tinyshakespeare" / "train.txt").read_text()
    (tmp_path / "verse.txt").write_text(text[20_000:40_000])
    key = generate_keypair(tmp_path / "keys" / "me")
    if trust:
        add_trusted_key(model_dir, key)  # nobody is trusted until listed
    return key


def tree_digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize(
    ("source", "model", "ok"),
    [
        ("MIT", "Apache-2.0", True),
        ("CC0-1.0", "Apache-2.0", True),
        ("CC-BY-NC-4.0", "Apache-2.0", False),
        ("CC-BY-SA-4.0", "Apache-2.0", False),
        ("GPL-3.0-only", "Apache-2.0", False),
        ("LicenseRef-Mine", "Apache-2.0", False),
        ("CC-BY-SA-4.0", "CC-BY-SA-4.0", True),
        ("GPL-3.0-only", "CC-BY-SA-4.0", False),
        ("CC-BY-ND-4.0", "MIT", False),
        ("MIT", "CC-BY-NC-4.0", True),
    ],
)
def test_licence_table(source: str, model: str, ok: bool) -> None:
    assert (check_inflow(source, model) is None) is ok


def test_licence_gate_names_every_problem() -> None:
    reasons, rows = license_gate(
        {"adapter": "MIT", "data a": "CC-BY-NC-4.0", "data b": "Zlib"},
        "Apache-2.0",
        ["MIT", "Apache-2.0"],
    )
    assert family("CC-BY-NC-SA-4.0") == "non-commercial"
    assert [r["verdict"] for r in rows] == ["ok", "refused", "refused"]
    assert "non-commercial" in reasons[0] and "allowed_licenses" in reasons[1]


def test_non_commercial_data_rejected_with_report(fresh_tiny, tmp_path, monkeypatch) -> None:
    model_dir, store = fresh_tiny
    prepare(model_dir, tmp_path, monkeypatch)
    data = model_dir / "contributions" / "alpaca" / "train.jsonl"
    bundle = contribute(
        model_dir,
        data=data,
        task="alpaca",
        license="CC-BY-NC-4.0",
        out=tmp_path / "alpaca.bazaar",
        train=FAST,
        show_progress=False,
    ).bundle
    result = CliRunner().invoke(
        app, ["review", str(bundle), "-C", str(model_dir), "--report", str(tmp_path / "report")]
    )
    assert result.exit_code == 1, result.output
    assert "non-commercial" in result.output
    (row,) = store.catalogue.reviews_for(open_bundle(bundle).id)  # its signed manifest
    assert row["verdict"] == "reject" and any("CC-BY-NC-4.0" in r for r in row["reasons"])
    contribution = store.catalogue.contribution(row["contribution"])
    assert store.objects.get_bytes(contribution["bundle"]) == bundle.read_bytes()
    for name in ("review.json", "review.md", "review.html"):
        assert "CC-BY-NC-4.0" in (tmp_path / "report" / name).read_text()
    # Issue 9, 3.8: the licence decides before any eval runs (they took 48-108 s before)
    checks = json.loads((tmp_path / "report" / "review.json").read_text())["checks"]
    assert [c["status"] for c in checks] == ["skipped", "unverified"]
    assert "before any eval" in checks[0]["detail"]


def test_helpful_contribution_accepted(fresh_tiny, tmp_path, monkeypatch) -> None:
    model_dir, store = fresh_tiny
    prepare(model_dir, tmp_path, monkeypatch)
    bundle = contribute(
        model_dir,
        data=tmp_path / "verse.txt",
        task="verse",
        license="CC0-1.0",
        include_data=True,
        out=tmp_path / "verse.bazaar",
        show_progress=False,
        train=LoraTrainConfig(steps=30, lr=1e-2),
    ).bundle
    outcome = review(model_dir, bundle, show_progress=False)
    assert outcome.verdict == "accept", outcome.reasons
    own = [c for c in outcome.report["checks"] if c["check"].startswith("own task")]
    assert own and own[0]["status"] == "pass" and own[0]["ci_high"] < 0
    suites = {c["check"].split(":")[0] for c in outcome.report["checks"]}
    assert {"validation", "safety_smoke"} <= suites
    assert (outcome.report_dir / "review.html").is_file()


def test_hostile_bundle_leaves_store_byte_identical(fresh_tiny, tmp_path, monkeypatch) -> None:
    model_dir, store = fresh_tiny
    prepare(model_dir, tmp_path, monkeypatch)
    data = model_dir / "contributions" / "noise" / "train.txt"
    good = contribute(
        model_dir,
        data=data,
        task="noise",
        license="CC0-1.0",
        train=FAST,
        out=tmp_path / "good.bazaar",
        show_progress=False,
    ).bundle
    tampered = tmp_path / "tampered.bazaar"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(tampered, "w") as dst:
        for info in src.infolist():
            data_bytes = src.read(info)
            if info.filename == "adapter.safetensors":
                data_bytes = data_bytes[:-4] + b"\0\0\0\0"  # flip the last weights
            dst.writestr(info, data_bytes)
    before = tree_digest(store.root)
    with pytest.raises(BundleError, match="hash mismatch"):
        review(model_dir, tampered, show_progress=False)
    result = CliRunner().invoke(app, ["review", str(tampered), "-C", str(model_dir)])
    assert result.exit_code != 0 and isinstance(result.exception, BundleError | SystemExit)
    assert tree_digest(store.root) == before


@pytest.mark.parametrize("listed", ["nobody", "another maintainer"])
def test_untrusted_signer_refused_before_anything(
    fresh_tiny, tmp_path, monkeypatch, capsys, listed: str
) -> None:
    # Issue 9, 3.8: a stranger's self-signed bundle was accepted when no maintainers were listed.
    model_dir, store = fresh_tiny
    me = prepare(model_dir, tmp_path, monkeypatch, trust=False)
    if listed == "another maintainer":
        add_trusted_key(model_dir, generate_keypair(tmp_path / "maintainer"), maintainer=True)
    data = model_dir / "contributions" / "noise" / "train.txt"
    bundle = contribute(
        model_dir,
        data=data,
        task="noise",
        license="CC0-1.0",
        train=FAST,
        out=tmp_path / "n.bazaar",
        show_progress=False,
    ).bundle
    before = tree_digest(store.root)
    assert bazaar_exit_code(["review", str(bundle), "-C", str(model_dir)]) == ExitCode.REFUSED
    err = " ".join(capsys.readouterr().err.split())
    assert f"foreign signature: the bundle is signed by {me}" in err
    assert ("trusts no key yet" in err) is (listed == "nobody")
    assert f'trusted_contributors = ["{me}"]' in err  # what to do about it
    assert tree_digest(store.root) == before
