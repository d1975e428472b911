"""ed25519 identities: file modes, no silent overwrite, signatures, and the `bazaar keys` CLI."""

import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from typer.testing import CliRunner

from modelbazaar.cli.main import app
from modelbazaar.contrib.keys import (
    default_key_path,
    generate_keypair,
    load_private_key,
    public_key_path,
    public_key_text,
    sign,
    verify_signature,
)
from modelbazaar.errors import BundleError


@pytest.fixture(autouse=True)
def _hermetic_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # No test may read or write the real ~/.config/modelbazaar.
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("BAZAAR_KEYS", str(tmp_path / "keys" / "default"))


def test_private_key_is_created_0600_and_public_key_written_beside(tmp_path: Path) -> None:
    path = tmp_path / "id" / "me"
    text = generate_keypair(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert public_key_path(path).read_text().strip() == text
    assert text.startswith("ed25519:") and len(text) == len("ed25519:") + 44  # 32 bytes base64
    assert public_key_text(load_private_key(path)) == text
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_mode_0600_even_with_a_permissive_umask(tmp_path: Path) -> None:
    import os

    old = os.umask(0)  # a umask of 0 would make a plain open() create 0666 files
    try:
        generate_keypair(tmp_path / "k")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "k").stat().st_mode) == 0o600


def test_refuses_to_overwrite_an_existing_key_unless_forced(tmp_path: Path) -> None:
    path = tmp_path / "k"
    first = generate_keypair(path)
    with pytest.raises(BundleError, match="already exists; refusing to overwrite"):
        generate_keypair(path)
    assert public_key_text(load_private_key(path)) == first  # untouched
    second = generate_keypair(path, force=True)
    assert second != first
    assert public_key_text(load_private_key(path)) == second
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_sign_verify_round_trip_and_tampering() -> None:
    priv = Ed25519PrivateKey.generate()
    pub = public_key_text(priv)
    sig = sign(priv, b"manifest bytes")
    assert len(sig) == 64 and sig == sign(priv, b"manifest bytes")  # deterministic
    verify_signature(pub, b"manifest bytes", sig)
    with pytest.raises(BundleError, match="bad signature"):
        verify_signature(pub, b"manifest bytes!", sig)
    other = public_key_text(Ed25519PrivateKey.generate())
    with pytest.raises(BundleError, match="bad signature"):
        verify_signature(other, b"manifest bytes", sig)
    with pytest.raises(BundleError, match="is 63 bytes"):
        verify_signature(pub, b"manifest bytes", sig[:63])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("rsa:AAAA", "does not start with 'ed25519:'"),
        ("ed25519:not base64!", "not valid base64"),
        ("ed25519:AAAA", "has 3 bytes, expected 32"),
    ],
)
def test_malformed_public_key_text(text: str, message: str) -> None:
    with pytest.raises(BundleError, match=message):
        verify_signature(text, b"x", bytes(64))


def test_load_refuses_a_key_readable_by_others(tmp_path: Path) -> None:
    path = tmp_path / "k"
    generate_keypair(path)
    path.chmod(0o644)
    with pytest.raises(BundleError, match="readable by others"):
        load_private_key(path)


def test_load_refuses_missing_and_non_key_files(tmp_path: Path) -> None:
    with pytest.raises(BundleError, match="bazaar keys generate"):
        load_private_key(tmp_path / "nope")
    junk = tmp_path / "junk"
    junk.write_bytes(b"not a key")
    junk.chmod(0o600)
    with pytest.raises(BundleError, match="not an unencrypted PEM private key"):
        load_private_key(junk)


def test_default_key_path_follows_bazaar_keys(tmp_path: Path, monkeypatch) -> None:
    assert default_key_path() == tmp_path / "keys" / "default"
    monkeypatch.delenv("BAZAAR_KEYS")
    assert default_key_path() == tmp_path / "home" / ".config/modelbazaar/keys/default"


def test_cli_generate_then_show(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["keys", "generate"])
    assert result.exit_code == 0, result.output
    pub = result.stdout.strip().splitlines()[-1]
    assert pub.startswith("ed25519:")
    key = tmp_path / "keys" / "default"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    shown = runner.invoke(app, ["keys", "show"])
    assert shown.exit_code == 0 and shown.stdout.strip() == pub
    public_key_path(key).unlink()  # show falls back to deriving it from the private key
    assert runner.invoke(app, ["keys", "show"]).stdout.strip() == pub


def test_cli_refuses_overwrite_and_honours_out_and_force(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "elsewhere" / "k"
    first = runner.invoke(app, ["keys", "generate", "--out", str(out)])
    assert first.exit_code == 0
    again = runner.invoke(app, ["keys", "generate", "--out", str(out)])
    assert isinstance(again.exception, BundleError)
    assert "--force" in str(again.exception)
    forced = runner.invoke(app, ["keys", "generate", "--out", str(out), "--force"])
    assert forced.exit_code == 0 and forced.stdout != first.stdout
    assert not (tmp_path / "keys").exists()  # --out did not touch the default location


def test_cli_show_without_a_key(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["keys", "show"])
    assert isinstance(result.exception, BundleError)
    assert "bazaar keys generate" in str(result.exception)
