"""Text in and out of `bazaar serve` (detokenising streams, stop strings, the plain chat
template), its API-key file and `bazaar api-key`; and SmolLM2 served through its own chat
template (slow)."""

from __future__ import annotations

import stat
from pathlib import Path

import openai
import pytest

from modelbazaar.model import LoadedModel, load_version
from modelbazaar.serve.app import create_app
from modelbazaar.serve.keys import KeyFileError, KeyRing, LiveKeyRing, add_key, revoke_key
from modelbazaar.serve.text import PLAIN_CHAT_STOP, Detokenizer, StopMatcher, chat_prompt
from modelbazaar.store import Store
from modelbazaar.workflows.importer import import_model
from tests.helpers import bazaar_exit_code
from tests.serving import running


@pytest.fixture(scope="module")
def loaded(tiny_built: tuple[Path, Store]) -> LoadedModel:
    return load_version(tiny_built[1], "main")


def test_detokenizer_never_splits_a_character(loaded: LoadedModel) -> None:
    """Byte-level tokens of 'é' and '🎭' arrive one at a time: no U+FFFD is ever released and the
    pieces join to the whole text."""
    text = "Oh é! 🎭 to be"
    ids = loaded.tokenizer(text, add_special_tokens=False).input_ids
    assert len(ids) > len(text.split())  # some characters take several tokens
    detokenizer = Detokenizer(loaded.tokenizer)
    pieces = [detokenizer.add(token) for token in ids]
    assert "".join(pieces) == text
    assert not any("\ufffd" in piece for piece in pieces)


def test_stop_matcher_holds_back_a_partial_stop() -> None:
    matcher = StopMatcher(["\nUser:", "END"])
    assert matcher.feed("Hello\nUs") == "Hello"  # "\nUs" might become "\nUser:"
    assert matcher.feed("ual") == "\nUsual"
    assert matcher.feed(" text EN") == " text "
    assert matcher.feed("D and more") == "" and matcher.stopped
    assert matcher.flush() == ""
    open_ended = StopMatcher(["xyz"])
    assert open_ended.feed("abcx") == "abc" and open_ended.flush() == "x"


def test_plain_chat_template(loaded: LoadedModel) -> None:
    assert not loaded.tokenizer.chat_template  # built models have none
    messages = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}]
    assert chat_prompt(loaded.tokenizer, messages) == "System: Be brief.\nUser: Hi\nAssistant:"
    assert PLAIN_CHAT_STOP == "\nUser:"


def test_key_file(tmp_path: Path) -> None:
    path = tmp_path / "keys.txt"
    alice = add_key(path, "alice")
    bob = add_key(path, "bob")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert alice not in path.read_text()  # only the hash is stored
    ring = KeyRing.read(path)
    assert ring.name_of(alice) == "alice" and ring.name_of(bob) == "bob"
    assert ring.name_of(alice + "x") is None
    with pytest.raises(KeyFileError, match="already has a key named 'alice'"):
        add_key(path, "alice")
    revoke_key(path, "alice")
    assert KeyRing.read(path).name_of(alice) is None
    path.write_text(path.read_text() + "carol sha256:1234\n")
    with pytest.raises(KeyFileError, match=r"keys.txt:3: expected `NAME sha256:HEX`"):
        KeyRing.read(path)
    with pytest.raises(KeyFileError, match="key name"):
        add_key(tmp_path / "other.txt", "bad name")


def test_api_key_commands(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path = tmp_path / "keys.txt"
    assert bazaar_exit_code(["api-key", "add", str(path), "--name", "ci"]) == 0
    key = capsys.readouterr().out.strip()
    assert key.startswith("sk-bazaar-") and KeyRing.read(path).name_of(key) == "ci"
    assert bazaar_exit_code(["api-key", "list", str(path)]) == 0
    assert capsys.readouterr().out.split() == ["ci"]
    assert bazaar_exit_code(["api-key", "revoke", str(path), "cj"]) == 2
    assert "unknown key 'cj'. Known: ci." in capsys.readouterr().err
    assert bazaar_exit_code(["serve", "main", "--api-keys", str(tmp_path / "none.txt")]) == 2
    assert "not found" in capsys.readouterr().err


@pytest.mark.slow
def test_smollm2_chat_through_its_template(tmp_path: Path) -> None:
    """The imported SmolLM2-135M-Instruct answers through its own chat template and stops at its
    end-of-turn token."""
    store = Store.for_model(tmp_path)
    import_model(store, "smollm2", "Apache-2.0", "smollm2")
    loaded = load_version(store, "smollm2")
    with running(create_app(loaded, name="smollm2")) as (url, _):
        client = openai.OpenAI(base_url=url, api_key="unused", max_retries=0)
        answer = client.chat.completions.create(
            model="smollm2",
            messages=[{"role": "user", "content": "What is the capital of France?"}],
            temperature=0,
            max_tokens=30,
        )
        assert "Paris" in (answer.choices[0].message.content or "")
        assert answer.choices[0].finish_reason == "stop"


def test_a_running_server_sees_revocations_without_a_restart(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The server's LiveKeyRing re-reads the file on change; a broken file refuses everyone."""
    path = tmp_path / "keys.txt"
    alice, bob = add_key(path, "alice"), add_key(path, "bob")
    ring = LiveKeyRing(path)
    assert ring.name_of(alice) == "alice"
    revoke_key(path, "alice")
    assert ring.name_of(alice) is None and ring.name_of(bob) == "bob"
    carol = add_key(path, "carol")
    assert ring.name_of(carol) == "carol"
    revoke_key(path, "bob")
    revoke_key(path, "carol")  # the last key: an empty file means nobody
    assert ring.name_of(carol) is None
    dave = add_key(path, "dave")
    path.write_text(path.read_text() + "eve sha256:12\n")  # a typo while editing by hand
    assert ring.name_of(dave) is None  # fails closed, not on the last good file
    assert "refusing every API key" in caplog.text
    fixed = [line for line in path.read_text().splitlines(True) if "eve" not in line]
    path.write_text("".join(fixed))  # the fixed file is read again
    assert ring.name_of(dave) == "dave"
    path.unlink()
    assert ring.name_of(dave) is None
    with pytest.raises(KeyFileError, match="not found"):
        LiveKeyRing(path)  # at start a missing file refuses to start
