"""Push, clone, pull against a real hub (uvicorn on a free port): bit-for-bit clones, no-op
re-pushes, resumed pushes, withheld data, and the refusals a user meets (401/403/404/422)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from modelbazaar.errors import DataError
from modelbazaar.hub import sync
from modelbazaar.hub.client import HubClient, RemoteError
from modelbazaar.store import Store
from modelbazaar.workflows.build import build
from modelbazaar.workflows.verify import verify
from tests.helpers import bazaar_exit_code, edit_recipe
from tests.hubkit import LiveHub


def test_push_then_clone_verifies_bit_for_bit(
    live_hub: LiveHub, hub_model: Path, tmp_path, monkeypatch
) -> None:
    live_hub.act_as("alice", monkeypatch)
    url = live_hub.model_url("tiny")
    first = sync.push(hub_model, url, show_progress=False)
    main = Store.for_model(hub_model).resolve("main")
    assert first.created and first.moved and first.version == main
    assert first.sent >= 4 and first.versions == 1  # weights, tokenizer, config, source files
    again = sync.push(hub_model, "origin", show_progress=False)  # origin was remembered
    assert (again.sent, again.versions, again.moved, again.created) == (0, 0, False, False)

    live_hub.act_as("carol", monkeypatch)  # anyone may clone a public model
    dest, fetched = sync.clone(url, tmp_path / "copy", show_progress=False)
    assert fetched.refs == {"main": f"new at {main[:12]}"} and not fetched.withheld
    for name in ("bazaar.toml", "data/tinyshakespeare.toml", "data/tinyshakespeare/train.txt"):
        assert (dest / name).read_bytes() == (hub_model / name).read_bytes()
    store = Store.for_model(dest)
    assert store.resolve("main") == main
    assert verify(store, dest, "main").verdict == "identical"
    log = live_hub.get("/models/tiny/audit")
    assert [(e["ref"], e["old"], e["new"], e["actor"]) for e in log] == [
        ("main", None, main, "alice")
    ]


def test_an_interrupted_push_sends_the_rest(
    live_hub: LiveHub, hub_model: Path, monkeypatch
) -> None:
    live_hub.act_as("alice", monkeypatch)
    real = HubClient.upload
    calls = []

    def flaky(self, path, source, progress=None):  # the network dies after two objects
        if len(calls) == 2:
            raise RemoteError(0, "connection reset")
        calls.append(path)
        return real(self, path, source, progress)

    monkeypatch.setattr(HubClient, "upload", flaky)
    with pytest.raises(RemoteError):
        sync.push(hub_model, live_hub.model_url("tiny"), show_progress=False)
    monkeypatch.setattr(HubClient, "upload", real)
    resumed = sync.push(hub_model, live_hub.model_url("tiny"), show_progress=False)
    fresh = sync.push(hub_model, live_hub.model_url("tiny"), show_progress=False)
    assert resumed.moved and resumed.sent > 0 and fresh.sent == 0
    total = len(Store.for_model(hub_model).history("main")) * 3  # 1 version: 3 objects
    assert resumed.sent + 2 >= total  # nothing sent twice beyond the two that arrived


def test_pull_fast_forwards_and_reports_a_diverged_main(
    live_hub: LiveHub, hub_model: Path, tmp_path, monkeypatch
) -> None:
    live_hub.act_as("alice", monkeypatch)
    url = live_hub.model_url("tiny")
    sync.push(hub_model, url, show_progress=False)
    clone_dir, _ = sync.clone(url, tmp_path / "bob", show_progress=False)
    edit_recipe(hub_model, max_steps="31")  # a new build: a new root version, not a descendant
    build(hub_model, show_progress=False)
    with pytest.raises(RemoteError) as refused:
        sync.push(hub_model, "origin", show_progress=False)
    assert refused.value.status == 409 and "bazaar pull" in str(refused.value)
    forced = sync.push(hub_model, "origin", force=True, show_progress=False)
    assert forced.moved
    pulled = sync.pull(clone_dir, show_progress=False)
    assert pulled.versions == 1 and "diverged" in pulled.refs["main"]
    assert (clone_dir / "bazaar.toml").read_text() == (hub_model / "bazaar.toml").read_text()
    sync.pull(clone_dir, force=True, show_progress=False)
    assert Store.for_model(clone_dir).resolve("main") == forced.version
    whys = [e["why"] for e in live_hub.get("/models/tiny/audit")]
    assert whys == ["push by alice (forced)", "push by alice"]


def test_data_that_may_not_be_redistributed_stays_home(
    live_hub: LiveHub, hub_model: Path, tmp_path, monkeypatch, capsys
) -> None:
    manifest = hub_model / "data" / "tinyshakespeare.toml"
    text = manifest.read_text().replace('"LicenseRef-Public-Domain"', '"LicenseRef-Proprietary"')
    manifest.write_text(text)
    live_hub.act_as("alice", monkeypatch)
    url = live_hub.model_url("tiny")
    sync.push(hub_model, url, show_progress=False)
    objects = live_hub.db.store.objects
    train = hub_model / "data" / "tinyshakespeare" / "train.txt"
    assert not objects.has(hashlib.sha256(train.read_bytes()).hexdigest())  # never sent

    assert bazaar_exit_code(["clone", url, str(tmp_path / "copy")]) == 0
    err = capsys.readouterr().err
    assert "tinyshakespeare/train.txt" in err and "char-rnn" in err  # where to get it
    dest = tmp_path / "copy"
    assert not (dest / "data/tinyshakespeare/train.txt").exists()
    assert "LicenseRef-Proprietary" in (dest / "data/tinyshakespeare/train.txt.missing").read_text()
    with pytest.raises(DataError, match="train.txt' is missing"):
        verify(Store.for_model(dest), dest, "main")
    shutil.copyfile(train, dest / "data/tinyshakespeare/train.txt")
    shutil.copyfile(train.with_name("validation.txt"), dest / "data/tinyshakespeare/validation.txt")
    assert verify(Store.for_model(dest), dest, "main").verdict == "identical"


def test_refusals_say_what_to_do(live_hub: LiveHub, hub_model: Path, monkeypatch, capsys) -> None:
    url = live_hub.model_url("tiny")
    monkeypatch.setenv("BAZAAR_TOKEN", "bzr_not-a-token")
    assert bazaar_exit_code(["push", url, "-C", str(hub_model)]) == 2
    assert "bazaar login" in capsys.readouterr().err  # 401 -> how to log in

    live_hub.act_as("alice", monkeypatch)
    sync.push(hub_model, url, show_progress=False)
    live_hub.act_as("carol", monkeypatch)
    with pytest.raises(RemoteError) as refused:
        sync.push(hub_model, url, show_progress=False)
    assert refused.value.status == 403 and "role maintainer" in str(refused.value)

    digest = "0" * 64
    with live_hub.http("alice") as http:
        response = http.put(f"/models/tiny/objects/{digest}", content=b"not those bytes")
    assert response.status_code == 422 and "nothing stored" in response.json()["detail"]
    assert not live_hub.db.store.objects.has(digest)
    assert not [p for p in live_hub.db.store.objects.incoming.iterdir()]  # no temp file left


def test_private_models_are_invisible_to_outsiders(
    live_hub: LiveHub, hub_model: Path, monkeypatch
) -> None:
    live_hub.act_as("alice", monkeypatch)
    sync.push(hub_model, live_hub.model_url("secret"), private=True, show_progress=False)
    for who in (None, "carol", "bob"):
        with live_hub.http(who) as http:
            assert http.get("/models/secret").status_code == 404
            assert "secret" not in [m["name"] for m in http.get("/models").json()]
    with live_hub.http("alice") as http:
        assert http.put("/models/secret/members/bob", json={"role": "reader"}).status_code == 200
    with live_hub.http("bob") as http:
        shown = http.get("/models/secret").json()
    assert shown["visibility"] == "private" and shown["your_role"] == "reader"


def test_the_cli_round_trip(
    live_hub: LiveHub, hub_model: Path, tmp_path, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("BAZAAR_KEYS", str(live_hub.keys["alice"]))
    token = live_hub.tokens["alice"]
    assert bazaar_exit_code(["login", live_hub.url, "--token", token]) == 0
    saved = tmp_path / "config" / "modelbazaar" / "hub.json"
    assert saved.stat().st_mode & 0o777 == 0o600 and token in saved.read_text()
    url = live_hub.model_url("tiny")
    assert bazaar_exit_code(["remote", "add", "origin", url, "-C", str(hub_model)]) == 0
    assert bazaar_exit_code(["push", "-C", str(hub_model)]) == 0
    assert bazaar_exit_code(["push", "-C", str(hub_model)]) == 0
    assert "everything up to date" in capsys.readouterr().out
    assert bazaar_exit_code(["clone", url, str(tmp_path / "c")]) == 0
    assert bazaar_exit_code(["pull", "-C", str(tmp_path / "c")]) == 0
    assert bazaar_exit_code(["log", "--remote", "origin", "-C", str(hub_model)]) == 0
    assert "push by alice" in capsys.readouterr().out
    with live_hub.http("alice") as http:
        assert http.get("/user").json()["keys"]  # login registered alice's key
