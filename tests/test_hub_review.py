"""Contributions through a hub: submit (hostile checks first), a worker reviews with the CLI's
own review, maintainers approve with signatures, the hub merges by compare-and-swap."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from modelbazaar.hub import actions, sync
from modelbazaar.hub.client import RemoteError
from modelbazaar.hub.worker import run_worker
from modelbazaar.store import Store
from modelbazaar.workflows.verify import verify
from tests.helpers import bazaar_exit_code
from tests.hubkit import Bundles, LiveHub, use_key


def _published(hub: LiveHub, model: Path, bundles: Bundles, monkeypatch) -> None:
    """alice pushes the model and makes bob (who signs with the bundles' key) a contributor."""
    use_key(hub, "bob", bundles.key)
    hub.act_as("alice", monkeypatch)
    sync.push(model, hub.model_url("tiny"), show_progress=False)
    actions.set_member(model, "bob", "contributor")


def _work(hub: LiveHub, tmp_path: Path) -> int:
    return run_worker(hub.url, hub.tokens["ci"], tmp_path / "work", once=True)


def test_submit_review_approve_merge(
    live_hub: LiveHub, hub_model: Path, hub_bundles: Bundles, tmp_path, monkeypatch, capsys
) -> None:
    _published(live_hub, hub_model, hub_bundles, monkeypatch)
    live_hub.act_as("bob", monkeypatch)
    assert bazaar_exit_code(["submit", str(hub_bundles.verse), "-C", str(hub_model)]) == 0
    listed = actions.contributions(hub_model)
    assert [c["state"] for c in listed] == ["queued"]
    cid = listed[0]["contribution"]

    assert _work(live_hub, tmp_path) == 1
    (done,) = actions.contributions(hub_model)
    assert done["state"] == "accepted" and not done["reasons"]
    report = live_hub.db.store.objects.get_bytes(done["reports"]["md"]).decode()
    assert "accept" in report.lower()  # the report the CLI's review writes
    assert live_hub.db.store.catalogue.reviews_for(cid)[-1]["verdict"] == "accept"

    live_hub.act_as("alice", monkeypatch)
    with pytest.raises(RemoteError, match="0 of the 1 approvals"):
        actions.request_merge(hub_model, [cid[:12]], wait=0)
    assert bazaar_exit_code(["approve", cid[:12], "-C", str(hub_model)]) == 0
    merge = actions.request_merge(hub_model, [cid[:12]], wait=0)
    assert merge["state"] == "queued"
    before = live_hub.get("/models/tiny")["refs"]["main"]["version"]
    assert _work(live_hub, tmp_path) == 1
    merged = live_hub.get(f"/models/tiny/merges/{merge['id']}")
    assert merged["state"] == "merged"
    after = live_hub.get("/models/tiny")["refs"]["main"]["version"]
    assert after == merged["version"] != before
    assert [c["state"] for c in actions.contributions(hub_model)] == ["merged"]
    log = actions.audit_log(hub_model)
    assert log[0]["old"] == before and log[0]["new"] == after and "merge #" in log[0]["why"]

    sync.pull(hub_model, show_progress=False)  # the merged version replays bit for bit
    store = Store.for_model(hub_model)
    assert store.resolve("main") == after
    assert verify(store, hub_model, "main").verdict == "identical"
    assert bazaar_exit_code(["contributions", "-C", str(hub_model)]) == 0
    assert "merged" in capsys.readouterr().out
    assert bazaar_exit_code(["contributions", "--report", cid[:12], "-C", str(hub_model)]) == 0
    assert report in capsys.readouterr().out  # the worker's Markdown report, as posted


def test_a_hostile_bundle_is_refused_before_a_byte_is_stored(
    live_hub: LiveHub, hub_model: Path, hub_bundles: Bundles, tmp_path, monkeypatch
) -> None:
    _published(live_hub, hub_model, hub_bundles, monkeypatch)
    live_hub.act_as("bob", monkeypatch)
    blob = hub_bundles.verse.read_bytes()
    evil = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(blob)) as src, zipfile.ZipFile(evil, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr("../../escape.txt", b"boo")  # path traversal
    (tmp_path / "evil.bazaar").write_bytes(evil.getvalue())
    objects = set(live_hub.db.store.objects.digests())
    with pytest.raises(RemoteError) as refused:
        actions.submit(hub_model, tmp_path / "evil.bazaar")
    assert refused.value.status == 422 and "nothing stored" in str(refused.value)
    assert set(live_hub.db.store.objects.digests()) == objects
    assert actions.contributions(hub_model) == []

    live_hub.act_as("carol", monkeypatch)  # no role: 403 naming the role
    with pytest.raises(RemoteError, match="role contributor") as refused:
        actions.submit(hub_model, hub_bundles.verse)
    assert refused.value.status == 403


def test_two_merges_racing_for_main_one_wins(
    live_hub: LiveHub, hub_model: Path, hub_bundles: Bundles, tmp_path, monkeypatch
) -> None:
    _published(live_hub, hub_model, hub_bundles, monkeypatch)
    live_hub.act_as("bob", monkeypatch)
    ids = [
        actions.submit(hub_model, b)["contribution"] for b in (hub_bundles.verse, hub_bundles.prose)
    ]
    assert _work(live_hub, tmp_path) == 2
    live_hub.act_as("alice", monkeypatch)
    for cid in ids:
        actions.approve(hub_model, cid)
    first = actions.request_merge(hub_model, [ids[0]], wait=0)
    second = actions.request_merge(hub_model, [ids[1]], wait=0)  # both from the same main
    assert first["expected_main"] == second["expected_main"]
    assert _work(live_hub, tmp_path) == 2
    states = [live_hub.get(f"/models/tiny/merges/{m['id']}") for m in (first, second)]
    assert [s["state"] for s in states] == ["merged", "conflict"]
    assert "run `bazaar merge --remote` again" in states[1]["reasons"][0]
    main = live_hub.get("/models/tiny")["refs"]["main"]["version"]
    assert main == states[0]["version"]  # nothing half done: main is the winner's
    states_by_id = {c["contribution"]: c["state"] for c in actions.contributions(hub_model)}
    assert states_by_id == {ids[0]: "merged", ids[1]: "accepted"}

    again = actions.request_merge(hub_model, [ids[1]], wait=0)  # re-run: merges on top
    assert _work(live_hub, tmp_path) == 1
    landed = live_hub.get(f"/models/tiny/merges/{again['id']}")
    assert landed["state"] == "merged" and landed["expected_main"] == main
