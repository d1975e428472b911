"""Per-release access levels (`hub/releases.py`, enforced in `hub/access.py`): a release may be
public, gated or private on its own, whatever its model is.

Three models, each with two versions (v1's, then a child) sharing a tokenizer and config:
- `open`: public, release v2 gated (main is v2's version);
- `closed`: gated, release v1 public;
- `hidden`: public, release v3 private.
Actors: anonymous, an outsider, `gina` (an approved request for v2 of `open`), `rita` (approved,
then revoked), `mona` (an approved request for the whole `closed`), a reader, the maintainer,
an admin and a worker. Every download path: an object by hash (what clone, pull and release
files fetch), the versions list clone reads, clone and pull themselves, and the chat (which runs
a version's weights on the hub).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from modelbazaar.hub import chat, sync
from modelbazaar.hub.access import access_log, decide, request_access
from modelbazaar.hub.accounts import find_user
from modelbazaar.hub.app import create_app
from modelbazaar.hub.client import RemoteError
from modelbazaar.hub.releases import set_release_level
from modelbazaar.hub.repos import create_model, move_ref, register_object, set_member
from modelbazaar.hub.versions import add_versions
from modelbazaar.store import Store
from modelbazaar.store.store import version_hash
from tests.helpers import bazaar_exit_code
from tests.hubkit import LiveHub, give_source, hub_with_users
from tests.test_hub_feedback import fake_stream
from tests.test_hub_pages import csrf_of, log_in

ACTORS = {
    "anonymous": None,
    "outsider": "carol",
    "granted": "gina",
    "revoked": "rita",
    "model grant": "mona",
    "reader": "dave",
    "maintainer": "alice",
    "admin": "root",
    "worker": "ci",
}
INSIDE = {"reader", "maintainer", "admin", "worker"}


def _version(
    db, model, label: str, shared: tuple[str, str], parents: list[str], merge: dict | None = None
) -> dict:
    weights = db.store.objects.put_bytes(f"{model.name} {label} weights".encode())
    register_object(db, model, weights)
    row = {"hash": version_hash(weights, *shared), "relation": "tuned" if parents else "built"}
    info = {"merge": merge} if merge else {}
    row |= {"weights": weights, "tokenizer": shared[0], "config": shared[1], "info": info}
    row["parents"] = [{"parent": p, "relation": "tuned", "detail": {}} for p in parents]
    add_versions(db, model, [row])
    return row


@pytest.fixture(scope="module")
def levels_hub(tmp_path_factory) -> Iterator[tuple[LiveHub, dict[str, dict[str, str]]]]:
    hub, user = hub_with_users(tmp_path_factory.mktemp("levels"), "dave", "gina", "rita", "mona")
    db = hub.db
    facts: dict[str, dict[str, str]] = {}
    plan = {"open": ("public", "v2", "gated"), "closed": ("gated", "v1", "public")}
    plan["hidden"] = ("public", "v2", "private")
    for name, (visibility, tag, level) in plan.items():
        model = create_model(db, name, user["alice"], visibility)
        set_member(db, model, user["dave"], "reader")
        shared = tuple(db.store.objects.put_bytes(f"{name} {p}".encode()) for p in ("tok", "cfg"))
        for digest in shared:
            register_object(db, model, digest)
        tree_digest = give_source(db, model)
        first = _version(db, model, "one", shared, [])
        second = _version(db, model, "two", shared, [first["hash"]])
        for ref, row, kind in (
            ("v1", first, "tag"),
            ("v2", second, "tag"),
            ("main", second, "branch"),
        ):
            move_ref(db, model, ref, row["hash"], expected=None, kind=kind, actor="a", why="setup")
        set_release_level(db, model, user["alice"], tag, level)
        facts[name] = {
            "one": first["weights"],
            "two": second["weights"],
            "shared": shared[0],
            "cfg": shared[1],
            "tree": tree_digest,
            "v1": first["hash"],
            "v2": second["hash"],
        }
    open_, closed = (hub_model(db, n) for n in ("open", "closed"))
    for who, model, release, revoke in (
        ("gina", open_, "v2", False),
        ("rita", open_, "v2", True),
        ("mona", closed, None, False),
    ):
        asked = request_access(db, model, user[who], "me", "research", release=release)
        decide(db, model, user["alice"], asked["id"], approve=True, reason="ok")
        if revoke:
            decide(db, model, user["alice"], asked["id"], approve=False, reason="misuse")
    yield hub, facts
    hub.stop()


def hub_model(db, name: str):
    from modelbazaar.hub.repos import get_model

    return get_model(db, name)


def want(model: str, what: str, actor: str) -> str:
    """What each actor gets for each object: the rule of `hub/releases.py` spelled out."""
    if actor in INSIDE:
        return "ok"
    refused = "401" if actor == "anonymous" else "403"
    if model == "open":  # public model, v2 gated: only v2's own weights are gated
        if what == "two":
            return "ok" if actor == "granted" else refused
        return "ok"
    if model == "closed":  # gated model, v1 public: v1's weights and the shared tokenizer
        if what in ("one", "shared"):
            return "ok"
        return "ok" if actor == "model grant" else refused
    return "404" if what == "two" else "ok"  # hidden: v2 private, invisible to outsiders


def fetched(hub: LiveHub, user: str | None, model: str, facts: dict) -> dict[str, str]:
    """Each object of `model` as `user` gets it: "ok", or the refusal's status."""
    got = {}
    with hub.http(user) as http:
        for what in ("one", "two", "shared", "tree"):
            response = http.get(f"/models/{model}/objects/{facts[model][what]}")
            assert response.status_code == 200 or "detail" in response.json()  # says why
            got[what] = "ok" if response.status_code == 200 else str(response.status_code)
    return got


@pytest.mark.parametrize("model", ["open", "closed", "hidden"])
def test_every_object_for_every_actor(levels_hub, model: str) -> None:
    hub, facts = levels_hub
    seen = {actor: fetched(hub, user, model, facts) for actor, user in ACTORS.items()}
    wrong = [
        f"{model} {what} {actor}: want {want(model, what, actor)}, got {got}"
        for actor, results in seen.items()
        for what, got in results.items()
        if got != want(model, what, actor)
    ]
    assert not wrong, "\n" + "\n".join(wrong)


def test_lists_say_what_you_may_download_and_hide_private_releases(levels_hub) -> None:
    hub, facts = levels_hub
    for actor, user in ACTORS.items():
        with hub.http(user) as http:
            rows = {r["hash"]: r for r in http.get("/models/open/versions").json()}
            releases = {r["release"]: r for r in http.get("/models/open/releases").json()}
            hidden = http.get("/models/hidden").json()
            hidden_versions = {r["hash"] for r in http.get("/models/hidden/versions").json()}
            hidden_audit = {r["ref"] for r in http.get("/models/hidden/audit").json()}
        expected = want("open", "two", actor) == "ok"
        assert rows[facts["open"]["v2"]]["download"] is expected, actor
        assert rows[facts["open"]["v2"]]["access"] == "gated"
        assert releases["v2"]["download"] is expected and releases["v2"]["level"] == "gated"
        assert releases["v1"] == releases["v1"] | {"level": "public", "own": False}
        sees = actor in INSIDE
        assert ("v2" in hidden["refs"]) is sees and ("v2" in hidden["releases"]) is sees, actor
        assert (facts["hidden"]["v2"] in hidden_versions) is sees, actor
        assert ("v2" in hidden_audit) is sees, actor


def test_release_requests_are_decided_logged_and_revocable(levels_hub) -> None:
    """carol asks for v2 (not for the public model: 409), is approved, downloads, is revoked;
    each step is in the access log with the release it was about."""
    hub, facts = levels_hub
    path = f"/models/open/objects/{facts['open']['two']}"
    with hub.http("carol") as carol, hub.http("alice") as alice:
        whole = carol.post("/models/open/access", json={"who": "Carol", "intended_use": "x"})
        assert whole.status_code == 409 and "v2" in whole.json()["detail"]
        public = {"who": "Carol", "intended_use": "x", "release": "v1"}
        assert carol.post("/models/open/access", json=public).status_code == 409
        unknown = {"who": "Carol", "intended_use": "x", "release": "v9"}
        refused = carol.post("/models/open/access", json=unknown)
        assert refused.status_code == 404 and "v1, v2" in refused.json()["detail"]
        asked = carol.post("/models/open/access", json=public | {"release": "v2"}).json()
        assert carol.get(path).status_code == 403
        listed = {r["id"]: r for r in alice.get("/models/open/access").json()}
        assert listed[asked["id"]]["release"] == "v2"
        alice.post(f"/models/open/access/{asked['id']}", json={"approve": True, "reason": ""})
        assert carol.get(path).status_code == 200
        alice.post(f"/models/open/access/{asked['id']}", json={"approve": False, "reason": "no"})
        assert carol.get(path).status_code == 403
    log = access_log(hub.db, hub_model(hub.db, "open"))
    mine = [(e["action"], e["release_tag"]) for e in log if e["request_id"] == asked["id"]]
    assert mine == [("revoked", "v2"), ("approved", "v2"), ("requested", "v2")]
    assert ("level", "v2") in [(e["action"], e["release_tag"]) for e in log]


def test_clone_and_pull_fetch_what_you_may_and_say_how_to_get_the_rest(
    levels_hub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hub, facts = levels_hub
    url = hub.model_url("open")
    for name in ("rita", "gina"):
        hub.act_as(name, monkeypatch)
        dest, outcome = sync.clone(url, tmp_path / name, show_progress=False)
        store = Store.for_model(dest)
        has_v2 = store.catalogue.version(facts["open"]["v2"]) is not None
        assert has_v2 is (name == "gina") and store.resolve("v1") == facts["open"]["v1"]
        assert ("main" in store.catalogue.refs()) is (name == "gina")
        notes = " ".join(outcome.withheld)
        assert ("release v2" in notes and "--release v2" in notes) is (name == "rita"), notes
    # the model's own level (gated) keeps its source back; the public v1 still comes
    hub.act_as("carol", monkeypatch)
    dest, outcome = sync.clone(hub.model_url("closed"), tmp_path / "closed", show_progress=False)
    store = Store.for_model(dest)
    assert store.resolve("v1") == facts["closed"]["v1"] and "v2" not in store.catalogue.refs()
    assert not (dest / "bazaar.toml").exists()
    assert any("source files were not fetched" in n for n in outcome.withheld)
    # once the whole model is granted, pull brings the rest and the source
    db = hub.db
    closed, carol = hub_model(db, "closed"), find_user(db, "carol")
    asked = request_access(db, closed, carol, "Carol", "a class")
    decide(db, closed, find_user(db, "alice"), asked["id"], approve=True, reason="")
    pulled = sync.pull(dest, show_progress=False)
    assert pulled.versions == 1 and store.resolve("main") == facts["closed"]["v2"]
    assert (dest / "bazaar.toml").is_file() and not pulled.withheld


def test_chat_runs_a_gated_release_only_for_those_allowed(
    levels_hub, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The chat runs main, which is v2's version on `open`: the grant decides, as for bytes."""
    hub, _ = levels_hub
    monkeypatch.setattr(chat, "stream_answer", fake_stream)
    for name, status in (("carol", 403), ("rita", 403), ("gina", 200), ("dave", 200)):
        client = TestClient(create_app(hub.db))
        csrf = log_in(client, hub.tokens[name])
        answer = client.post("/models/open/chat", data={"prompt": "hi", "csrf": csrf})
        assert answer.status_code == status, (name, answer.text[:300])
        if status == 403:
            assert "release v2 of open is gated" in answer.text


def test_pages_show_levels_and_take_release_requests(levels_hub) -> None:
    hub, _ = levels_hub
    maintainer = TestClient(create_app(hub.db))
    log_in(maintainer, hub.tokens["alice"])
    page = maintainer.get("/models/open").text
    assert "Releases" in page and '<input type="hidden" name="release" value="v2">' in page
    frank = TestClient(create_app(hub.db))
    hub.add_user("frank")
    log_in(frank, hub.tokens["frank"])
    form = frank.get("/models/open/access").text
    assert '<option value="v2">release v2</option>' in form and "whole model" not in form
    sent = frank.post(
        "/models/open/access",
        data={"who": "<b>Frank</b>", "intended_use": "tests", "release": "v2"},
    )
    assert sent.status_code == 403  # no CSRF token: refused before anything is stored
    data = {"who": "<b>Frank</b>", "intended_use": "tests", "release": "v2", "csrf": csrf_of(form)}
    assert frank.post("/models/open/access", data=data, follow_redirects=False).status_code == 303
    listing = maintainer.get("/models/open/access").text
    assert "&lt;b&gt;Frank&lt;/b&gt;" in listing and "<td>v2</td>" in listing
    csrf = csrf_of(page)
    changed = maintainer.post(
        "/models/open/visibility",
        data={"visibility": "gated", "release": "v1", "csrf": csrf},
        follow_redirects=False,
    )
    assert changed.status_code == 303
    assert "v1" in maintainer.get("/models/open").text.split("is gated")[0]
    reset = {"visibility": "inherit", "release": "v1", "csrf": csrf}
    assert maintainer.post("/models/open/visibility", data=reset).is_success


def test_the_cli_sets_levels_and_decides_requests(
    levels_hub, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    hub, facts = levels_hub
    url = hub.model_url("open")

    def bazaar(*args: str) -> tuple[int, str]:
        code = bazaar_exit_code(["access", *args, "--remote", url])
        captured = capsys.readouterr()
        return code, captured.out + captured.err

    hub.act_as("dave", monkeypatch)  # a reader may not set levels: the error names the role
    code, said = bazaar("set", "gated", "--release", "v1")
    assert code == 2 and "maintainer" in said
    hub.act_as("alice", monkeypatch)
    code, said = bazaar("set", "secret", "--release", "v1")
    assert code == 2 and "public, gated, private" in said
    code, said = bazaar("set", "gated", "--release", "v7")
    assert code == 2 and "no release 'v7'" in said and "v1, v2" in said
    code, said = bazaar("set", "gated", "--release", "main")
    assert code == 2 and "branch" in said
    assert bazaar_exit_code(["access", "show", "--remote", hub.model_url("nope")]) == 2
    assert "model nope not found" in capsys.readouterr().err
    code, said = bazaar("set", "gated", "--release", "v1")
    assert code == 0 and "release v1 is now gated" in said
    hub.act_as("carol", monkeypatch)
    with hub.http("carol") as http:
        assert http.get(f"/models/open/objects/{facts['open']['one']}").status_code == 403
    code, said = bazaar("request", "--release", "v1", "--who", "Carol", "--use", "a course")
    assert code == 0 and "pending" in said
    request_id = said.split("request ")[1].split(" ")[0]
    hub.act_as("alice", monkeypatch)
    code, said = bazaar("requests")
    assert code == 0 and "v1" in said and "a course" in said
    assert bazaar("revoke", request_id, "--reason", "x")[1].count("pending") == 1
    code, said = bazaar("approve", request_id)
    assert code == 0 and "approved" in said
    with hub.http("carol") as http:
        assert http.get(f"/models/open/objects/{facts['open']['one']}").status_code == 200
    code, said = bazaar("revoke", request_id, "--reason", "course over")
    assert code == 0 and "revoked" in said
    with hub.http("carol") as http:
        assert http.get(f"/models/open/objects/{facts['open']['one']}").status_code == 403
    code, said = bazaar("set", "inherit", "--release", "v1")
    assert code == 0 and "public" in said
    code, said = bazaar("show")
    assert code == 0 and "gated" in said and "follows the model" in said


def test_a_public_merged_release_on_a_gated_model_keeps_its_bundles_gated(levels_hub) -> None:
    """Contribution bundles follow the model: a merged release made public serves its weights,
    but clone (which replays merges from bundles) is told it cannot take the version whole."""
    hub, facts = levels_hub
    db, closed = hub.db, hub_model(hub.db, "closed")
    bundle = db.store.objects.put_bytes(b"a contribution bundle")
    register_object(db, closed, bundle)
    shared = (facts["closed"]["shared"], facts["closed"]["cfg"])
    merged = _version(db, closed, "merged", shared, [facts["closed"]["v1"]], {"bundles": [bundle]})
    move_ref(db, closed, "v3", merged["hash"], expected=None, kind="tag", actor="a", why="t")
    set_release_level(db, closed, find_user(db, "alice"), "v3", "public")
    for name, whole in (("gina", False), ("mona", True)):  # carol holds a grant by now
        with hub.http(name) as http:
            rows = {r["hash"]: r for r in http.get("/models/closed/versions").json()}
            assert rows[merged["hash"]]["download"] is whole, name
            weights = http.get(f"/models/closed/objects/{merged['weights']}")
            assert weights.status_code == 200
            got = http.get(f"/models/closed/objects/{bundle}").status_code
            assert got == (200 if whole else 403), name
    # gating v1 now: v3, trained from it and public, is named so the maintainer decides on it
    alice = find_user(db, "alice")
    notes = set_release_level(db, closed, alice, "v1", "gated")["notes"]
    assert len(notes) == 1 and "(v3) descends from v1 and is public" in notes[0]
    set_release_level(db, closed, alice, "v1", "public")


def test_a_gated_model_with_nothing_public_refuses_a_clone(
    levels_hub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hub, _ = levels_hub
    db, alice = hub.db, find_user(hub.db, "alice")
    locked = create_model(db, "locked", alice, "gated")
    give_source(db, locked)
    hub.act_as("gina", monkeypatch)
    with pytest.raises(RemoteError, match="locked is gated"):
        sync.clone(hub.model_url("locked"), tmp_path / "locked", show_progress=False)
