"""Hostile review of per-release access (`hub/releases.py`, `hub/downloads.py`): ways an
outsider could reach a gated or private release's bytes or metadata other than the front door.

Two public models, each with a tokenizer and config shared by all their versions:
- `mix`: v1 public; v3 gated, a *merge* of v1 with a contribution bundle (the bundle and v1
  replay v3's weights exactly, so the bundle must be as closed as v3); v4 private, another
  merge with its own bundle. Then merges made *from* them: main (untagged) from v3, an
  untagged one from v4, and v6 from v3 with its own level public. `gina` holds a grant for v3.
- `quiet`: v1 public; v2 private, and main at v2's version (so main's version is private too).
Actors: anonymous, `carol` (no role), `gina` (grant for v3 of mix), `dave` (a reader).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from modelbazaar.hub.access import access_log, decide, request_access
from modelbazaar.hub.app import create_app
from modelbazaar.hub.releases import Levels, set_release_level
from modelbazaar.hub.repos import create_model, move_ref, register_object, set_member
from tests.hubkit import LiveHub, give_source, hub_with_users
from tests.test_hub_pages import log_in
from tests.test_hub_release_access import _version, hub_model


def _tag(db, model, ref: str, row: dict, kind: str = "tag") -> None:
    move_ref(db, model, ref, row["hash"], expected=None, kind=kind, actor="a", why="setup")


@pytest.fixture(scope="module")
def hostile_hub(tmp_path_factory) -> Iterator[tuple[LiveHub, dict[str, dict[str, str]]]]:
    hub, user = hub_with_users(tmp_path_factory.mktemp("hostile"), "dave", "gina")
    db, alice, facts = hub.db, user["alice"], {}
    for name in ("mix", "quiet"):
        model = create_model(db, name, alice, "public")
        set_member(db, model, user["dave"], "reader")
        shared = tuple(db.store.objects.put_bytes(f"{name} {p}".encode()) for p in ("tok", "cfg"))
        for digest in shared:
            register_object(db, model, digest)
        give_source(db, model)
        first = _version(db, model, "one", shared, [])
        _tag(db, model, "v1", first)
        facts[name] = {"v1": first["hash"]}
        if name == "mix":
            for tag, level in (("v3", "gated"), ("v4", "private")):
                bundle = db.store.objects.put_bytes(f"{tag} adapter bundle".encode())
                register_object(db, model, bundle)
                merge = {"bundles": [bundle], "method": "ties"}
                merged = _version(db, model, tag, shared, [first["hash"]], merge)
                _tag(db, model, tag, merged)
                set_release_level(db, model, alice, tag, level)
                facts[name] |= {tag: merged["hash"], f"{tag} bundle": bundle}
            # after the releases: merges made from them. main (untagged) from gated v3 and
            # from private v4; v6 from v3, published on purpose with its own level
            for label, parent, tag in (
                ("m3", "v3", "main"),
                ("m4", "v4", None),
                ("v6", "v3", "v6"),
            ):
                bundle = db.store.objects.put_bytes(f"{label} adapter bundle".encode())
                register_object(db, model, bundle)
                merge = {"bundles": [bundle], "method": "ties"}
                merged = _version(db, model, label, shared, [facts[name][parent]], merge)
                if tag:
                    _tag(db, model, tag, merged, "branch" if tag == "main" else "tag")
                facts[name] |= {label: merged["hash"], f"{label} weights": merged["weights"]}
            set_release_level(db, model, alice, "v6", "public")
            # a gated release at the private v4's version: the version is private all the same
            _tag(db, model, "v4b", {"hash": facts[name]["v4"]})
            set_release_level(db, model, alice, "v4b", "gated")
        else:
            second = _version(db, model, "two", shared, [first["hash"]])
            _tag(db, model, "v2", second)
            _tag(db, model, "main", second, "branch")
            set_release_level(db, model, alice, "v2", "private")
            facts[name] |= {"v2": second["hash"], "two": second["weights"]}
    mix = hub_model(db, "mix")
    asked = request_access(db, mix, user["gina"], "Gina", "research", release="v3")
    decide(db, mix, alice, asked["id"], approve=True, reason="ok")
    yield hub, facts
    hub.stop()


def _status(hub: LiveHub, user: str | None, path: str) -> int:
    with hub.http(user) as http:
        return http.get(path).status_code


def test_a_gated_merged_releases_bundle_is_as_closed_as_the_release(hostile_hub) -> None:
    """v3 = merge(v1, bundle): with v1 public, a public bundle would hand out v3's weights to
    anyone who replays the merge (`bazaar verify` does). The bundle takes v3's level."""
    hub, facts = hostile_hub
    gated = f"/models/mix/objects/{facts['mix']['v3 bundle']}"
    private = f"/models/mix/objects/{facts['mix']['v4 bundle']}"
    for user, want_gated, want_private in (
        (None, 401, 404),
        ("carol", 403, 404),
        ("gina", 200, 404),
        ("dave", 200, 200),
        ("alice", 200, 200),
    ):
        assert _status(hub, user, gated) == want_gated, user
        assert _status(hub, user, private) == want_private, user
    with hub.http("gina") as http:  # the grant for v3 opens all a clone needs to replay it
        rows = {r["hash"]: r for r in http.get("/models/mix/versions").json()}
    assert rows[facts["mix"]["v3"]]["download"] is True
    assert facts["mix"]["v4"] not in rows


def test_head_requests_are_refused_like_gets(hostile_hub) -> None:
    hub, facts = hostile_hub
    with hub.http("carol") as http:
        head = http.head(f"/models/mix/objects/{facts['mix']['v3 bundle']}")
    assert head.status_code != 200 and not head.content


def _page_client(hub: LiveHub, user: str | None) -> TestClient:
    client = TestClient(create_app(hub.db))
    if user:
        log_in(client, hub.tokens[user])
    return client


API_PATHS = ("/models", "/models/quiet", "/models/quiet/audit", "/models/quiet/evals")
API_PATHS += ("/models/quiet/versions", "/models/quiet/releases", "/models/quiet/feedback")
PAGES = ("/", "/models/quiet", "/models/quiet/history", "/models/quiet/evals")
PAGES += ("/models/quiet/chat", "/models/quiet/access")


@pytest.mark.parametrize("user", [None, "carol", "gina"])
def test_a_private_releases_version_is_named_nowhere(hostile_hub, user: str | None) -> None:
    """main sits at the private v2's version: its hash must not reach outsiders through the
    refs, the audit log, the evals, the lineage graph or the chat's version list, and its page
    answers 404 (by full hash and by prefix), as an absent version does."""
    hub, facts = hostile_hub
    secret = facts["quiet"]["v2"]
    with hub.http(user) as http:
        for path in API_PATHS:
            response = http.get(path)
            assert response.status_code == 200, path
            assert secret[:12] not in response.text, path
    client = _page_client(hub, user)
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        assert secret[:12] not in response.text, path
    for shown in (secret, secret[:8]):
        assert client.get(f"/models/quiet/versions/{shown}").status_code == 404, shown
    assert client.get(f"/models/quiet/versions/{facts['quiet']['v1']}").status_code == 200


def test_insiders_still_see_the_private_release(hostile_hub) -> None:
    hub, facts = hostile_hub
    secret = facts["quiet"]["v2"]
    with hub.http("dave") as http:
        assert http.get("/models/quiet").json()["refs"]["main"]["version"] == secret
        assert secret in {row["new"] for row in http.get("/models/quiet/audit").json()}
    client = _page_client(hub, "dave")
    assert secret[:12] in client.get("/models/quiet").text
    assert client.get(f"/models/quiet/versions/{secret}").status_code == 200


def test_requests_do_not_reveal_private_release_names(hostile_hub) -> None:
    """Asking for an unknown release lists the releases there are: not the private ones; and
    asking for a private release answers as for one that does not exist."""
    hub, _ = hostile_hub
    body = {"who": "Carol", "intended_use": "probing"}
    with hub.http("carol") as http:
        unknown = http.post("/models/mix/access", json=body | {"release": "v9"})
        private = http.post("/models/mix/access", json=body | {"release": "v4"})
    assert unknown.status_code == 404 and "v3" in unknown.json()["detail"]
    assert "v4" not in unknown.json()["detail"]
    assert private.status_code == 404, private.text
    assert private.json()["detail"].replace("v4", "v9") == unknown.json()["detail"]
    secret = hostile_hub[1]["mix"]["v4"]
    page = _page_client(hub, "carol").get("/models/mix/access").text
    with hub.http("carol") as http:
        listed = http.get("/models/mix/releases").text
        also = http.post("/models/mix/access", json=body | {"release": "v4b"})
        whole = http.post("/models/mix/access", json=body)  # 409: ask for a gated release
    assert whole.status_code == 409 and "v3" in whole.json()["detail"]
    for text in (page, listed, unknown.text, whole.text):
        assert "v4b" not in text and secret[:12] not in text
    assert also.status_code == 404


def test_membership_changes_are_in_the_access_log(hostile_hub) -> None:
    """A role (even reader) opens every gated and private release: granting or taking one
    away is an access decision, so it is logged with who made it."""
    hub, facts = hostile_hub
    hub.add_user("erin")
    gated = f"/models/mix/objects/{facts['mix']['v3 bundle']}"
    with hub.http("alice") as alice:
        assert alice.put("/models/mix/members/erin", json={"role": "reader"}).is_success
        assert _status(hub, "erin", gated) == 200
        assert alice.delete("/models/mix/members/erin").is_success
    assert _status(hub, "erin", gated) == 403
    log = [e for e in access_log(hub.db, hub_model(hub.db, "mix")) if "erin" in e["reason"]]
    assert [(e["action"], e["actor"]) for e in log] == [("member", "alice"), ("member", "alice")]
    assert "reader" in log[1]["reason"] and "removed" in log[0]["reason"]
    page = _page_client(hub, "alice").get("/models/mix/access").text
    assert "request 0" not in page and "erin" in page


def test_versions_made_from_a_gated_release_are_not_public_by_default(hostile_hub) -> None:
    """A merge is base + deltas of its bundles: every tensor no adapter touches is the base's,
    byte for byte, and the rest is the base plus public deltas. So main merged on top of the
    gated v3 carries v3's weights: untagged, it is as closed as v3 (and a grant for v3 opens
    it); made from the private v4, it is hidden. A maintainer publishes one by giving it a
    release with its own level (v6)."""
    hub, facts = hostile_hub
    mix = facts["mix"]
    for user, on_gated, on_private, published in (
        (None, 401, 404, 200),
        ("carol", 403, 404, 200),
        ("gina", 200, 404, 200),
        ("dave", 200, 200, 200),
    ):
        for what, want in (("m3 weights", on_gated), ("m4 weights", on_private)):
            assert _status(hub, user, f"/models/mix/objects/{mix[what]}") == want, (user, what)
        assert _status(hub, user, f"/models/mix/objects/{mix['v6 weights']}") == published
    with hub.http("carol") as http:
        rows = {r["hash"]: r for r in http.get("/models/mix/versions").json()}
        refs = http.get("/models/mix").json()["refs"]
        refused = http.get(f"/models/mix/objects/{mix['m3 weights']}").json()["detail"]
    assert "release v3 of mix is gated" in refused and "--release v3" in refused
    assert rows[mix["m3"]]["access"] == "gated" and rows[mix["m3"]]["download"] is False
    assert mix["m4"] not in rows and rows[mix["v6"]]["access"] == "public"
    assert refs["main"]["version"] == mix["m3"]


def test_levels_flow_down_the_lineage_not_up() -> None:
    """a <- b (v2 gated) <- c <- d (v4 public: published) <- e; f merges c and a private g.
    Ancestors keep their level, descendants take the strictest of what they were made from
    until a release of their own says otherwise; a (bad) cycle stays finite."""
    parents = {"a": [], "b": ["a"], "c": ["b"], "d": ["c"], "e": ["d"], "g": ["a"]}
    parents |= {"f": ["c", "g"], "x": ["y"], "y": ["x"]}
    own = {"v2": "gated", "v4": "public", "v7": "private"}
    levels = Levels("public", own, {"v2": "b", "v4": "d", "v7": "g"}, parents)
    got = {v: levels.version(v) for v in parents}
    assert got == {"a": "public", "b": "gated", "c": "gated", "d": "public", "e": "public"} | {
        "g": "private",
        "f": "private",
        "x": "public",
        "y": "public",
    }
    assert levels.sources("f") == {"b": "gated", "g": "private"}
    assert Levels("gated", own, {"v2": "b", "v4": "d", "v7": "g"}, parents).version("e") == "gated"


def test_merge_requests_do_not_name_a_private_version(hostile_hub) -> None:
    """A merge that landed on main where main is now a private release's version."""
    from sqlalchemy import insert

    from modelbazaar.hub import tables as t

    hub, facts = hostile_hub
    quiet, secret = hub_model(hub.db, "quiet"), facts["quiet"]["v2"]
    row = {"model_id": quiet.id, "requested_by": 1, "request": "{}", "reasons": "[]"}
    row |= {"expected_main": facts["quiet"]["v1"], "state": "merged", "version": secret}
    with hub.db.writing() as conn:
        merge_id = conn.execute(
            insert(t.merges).values(**row, created_at="t", updated_at="t")
        ).inserted_primary_key[0]
    path = f"/models/quiet/merges/{merge_id}"
    for user in (None, "carol"):
        with hub.http(user) as http:
            shown = http.get(path)
        assert shown.status_code == 200 and secret[:12] not in shown.text, user
        assert shown.json()["expected_main"] == facts["quiet"]["v1"]
    assert hub.get(path, "dave")["version"] == secret
