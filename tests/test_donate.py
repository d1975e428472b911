"""`bazaar contribute --kind data`: signed data bundles, and every bad file refused by name."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest

from modelbazaar.contrib import generate_keypair, open_bundle
from modelbazaar.contrib.data_bundle import parse_provenance, read_donation_files
from modelbazaar.contrib.zipcheck import BundleLimits
from modelbazaar.errors import DataError, ExitCode
from modelbazaar.recipe import add_trusted_key, parse_recipe
from modelbazaar.workflows.donate import donate
from tests.helpers import bazaar_exit_code, tree_digest

VERSE = "Now is the winter of our discontent\nMade glorious summer by this sun of York;\n"


@pytest.fixture
def donor(fresh_tiny, tmp_path, monkeypatch) -> tuple[Path, str]:
    """A built tiny source whose recipe trusts a fresh key (the donor's)."""
    model_dir, _ = fresh_tiny
    monkeypatch.setenv("BAZAAR_KEYS", str(tmp_path / "keys" / "me"))
    key = generate_keypair(tmp_path / "keys" / "me")
    add_trusted_key(model_dir, key)
    return model_dir, key


def test_donation_bundle_holds_the_files_and_a_data_card(donor, tmp_path) -> None:
    model_dir, key = donor
    text = tmp_path / "richard.txt"
    text.write_text(VERSE + "\n" + VERSE.upper())
    rows = tmp_path / "qa.jsonl"
    rows.write_text(json.dumps({"prompt": "Who?", "response": "Gloucester"}) + "\n")
    outcome = donate(
        model_dir,
        data=[text, rows],
        license="CC0-1.0",
        provenance="human",
        consent="I typed these myself and give them away.",
        source="Richard III, act 1",
        out=tmp_path / "richard.bazaar",
    )
    bundle = open_bundle(outcome.bundle, trusted_keys={key})
    card = bundle.manifest.data_card
    assert bundle.manifest.kind == "data" and bundle.signer == key and not bundle.adapter
    assert bundle.data_files == {"richard.txt": text.read_bytes(), "qa.jsonl": rows.read_bytes()}
    assert [(f.name, f.bytes, f.provenance, f.license, f.included) for f in card.files] == [
        ("richard.txt", text.stat().st_size, "human", "CC0-1.0", True),
        ("qa.jsonl", rows.stat().st_size, "human", "CC0-1.0", True),
    ]
    assert card.consent.startswith("I typed") and card.source == "Richard III, act 1"
    assert outcome.documents == 3 and outcome.base == bundle.manifest.base_version
    with zipfile.ZipFile(outcome.bundle) as zf:  # nothing but the manifest, signature and data
        assert sorted(zf.namelist()) == [
            "data/qa.jsonl",
            "data/richard.txt",
            "manifest.json",
            "manifest.sig",
        ]


def test_synthetic_ref_is_resolved_against_the_store(donor, tmp_path) -> None:
    model_dir, _ = donor
    (tmp_path / "s.txt").write_text(VERSE)
    main = open_bundle(
        donate(
            model_dir,
            data=[tmp_path / "s.txt"],
            license="MIT",
            provenance="synthetic:main",
            out=tmp_path / "a.bazaar",
        ).bundle
    ).manifest.data_card.files[0]
    other = open_bundle(
        donate(
            model_dir,
            data=[tmp_path / "s.txt"],
            license="MIT",
            provenance="synthetic:gpt-4o-2024-08-06",
            out=tmp_path / "b.bazaar",
        ).bundle
    ).manifest.data_card.files[0]
    from modelbazaar.store import Store

    assert main.generator == "main"
    assert main.generator_version == Store.for_model(model_dir).resolve("main")
    assert (other.generator, other.generator_version) == ("gpt-4o-2024-08-06", None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("human", ("human", None)), ("synthetic:Qwen/Qwen2.5-7B", ("synthetic", "Qwen/Qwen2.5-7B"))],
)
def test_parse_provenance(text: str, expected: tuple) -> None:
    assert parse_provenance(text) == expected


@pytest.mark.parametrize("text", ["synthetic", "synthetic:", "robot", "human:me"])
def test_parse_provenance_refuses(text: str) -> None:
    with pytest.raises(DataError, match="provenance"):
        parse_provenance(text)


@pytest.mark.parametrize(
    ("name", "raw", "message"),
    [
        ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00", "photo.txt is binary"),
        ("latin.txt", "café crème".encode("latin-1"), "latin.txt is not UTF-8"),
        ("rows.jsonl", b'{"a": "1"}\n{"a": \n', "rows.jsonl line 2 is not JSON"),
        ("rows.jsonl", b'{"a": "1"}\n"just a string"\n', "rows.jsonl line 2: expected a JSON"),
        ("model.pt", b"\x80\x04K\x01.", "model.pt: donate UTF-8 text"),
        ("a b.txt", b"hello", "cannot travel in a bundle"),
    ],
)
def test_bad_files_refused_naming_file_and_line(tmp_path, name: str, raw: bytes, message: str):
    path = tmp_path / name
    path.write_bytes(raw)
    with pytest.raises(DataError, match=message):
        read_donation_files([path])


def test_limits_refuse_devices_sizes_counts_and_bombs(tmp_path) -> None:
    small = BundleLimits(max_files=4, max_member_bytes=2 << 20, max_total_bytes=3 << 20)
    os.mkfifo(tmp_path / "pipe.txt")  # decided by stat: reading it would hang
    (tmp_path / "folder.txt").mkdir()
    for special in ("pipe.txt", "folder.txt"):
        with pytest.raises(DataError, match=f"{special} is not a regular file"):
            read_donation_files([tmp_path / special], small)
    files = []
    for i in range(3):
        files.append(tmp_path / f"f{i}.txt")
        files[-1].write_text(VERSE)
    with pytest.raises(DataError, match="at most 2 data files"):
        read_donation_files(files, small)
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * ((2 << 20) + 1))
    with pytest.raises(DataError, match="big.txt is 2,097,153 bytes"):
        read_donation_files([big], small)
    bomb = tmp_path / "bomb.txt"
    bomb.write_bytes(b"spam spam spam\n" * 100_000)  # 1.5 MB that deflates ~300:1
    with pytest.raises(DataError, match=r"bomb.txt compresses \d+:1"):
        read_donation_files([bomb], small)
    twin = tmp_path / "sub" / "F0.txt"
    twin.parent.mkdir()
    twin.write_text(VERSE)
    with pytest.raises(DataError, match="also called 'F0.txt'"):
        read_donation_files([files[0], twin], small)


def test_cli_refuses_a_bad_file_and_writes_nothing(donor, tmp_path, capsys) -> None:
    model_dir, _ = donor
    (tmp_path / "ok.txt").write_text(VERSE)
    (tmp_path / "bad.jsonl").write_bytes(b'{"prompt": "x"}\n\n{broken\n')
    before = tree_digest(model_dir)
    args = [
        "contribute",
        "--kind",
        "data",
        "--data",
        str(tmp_path / "ok.txt"),
        "--data",
        str(tmp_path / "bad.jsonl"),
        "--license",
        "CC0-1.0",
        "--out",
        str(tmp_path / "x.bazaar"),
        "-C",
        str(model_dir),
    ]
    assert bazaar_exit_code(args) == ExitCode.REFUSED
    assert "bad.jsonl line 3 is not JSON" in " ".join(capsys.readouterr().err.split())
    assert not (tmp_path / "x.bazaar").exists() and tree_digest(model_dir) == before
    good = args[:5] + args[7:]  # without `--data bad.jsonl`, the good file goes through
    assert bazaar_exit_code(good) == ExitCode.OK
    assert "1 files, 1 documents" in " ".join(capsys.readouterr().err.split())


def test_donation_policy_keys_parse_with_bounds() -> None:
    base = '[model]\nname = "m"\n[policy]\n'
    policy = parse_recipe(base + 'max_synthetic_share = 0.2\nlanguages = ["en"]\n').policy
    assert (policy.max_synthetic_share, policy.languages, policy.trial_steps) == (0.2, ["en"], 50)
    with pytest.raises(Exception, match="max_synthetic_share"):
        parse_recipe(base + "max_synthetic_share = 1.5\n")
    with pytest.raises(Exception, match="trial_step: unknown key"):
        parse_recipe(base + "trial_step = 5\n")
