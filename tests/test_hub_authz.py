"""The authorization matrix: every endpoint x {anonymous, reader, contributor, maintainer of
another model, maintainer, admin, worker, granted outsider} x {public, private, gated model}.
Nothing readable or writable that should not be; private models are invisible (404, not 403)
to outsiders; a gated model's objects (every download path: clone and pull fetch objects)
need membership or an approved access request."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from importlib import resources

import pytest
from sqlalchemy import insert

from modelbazaar.hub import tables as t
from modelbazaar.hub.access import decide, request_access
from modelbazaar.hub.app import API, create_app
from modelbazaar.hub.db import stamp
from modelbazaar.hub.repos import (
    create_model,
    get_model,
    move_ref,
    register_object,
    set_member,
    set_source,
)
from modelbazaar.hub.source import SourceTree, TreeFile
from modelbazaar.hub.versions import add_versions
from modelbazaar.store.store import version_hash
from tests.hubkit import LiveHub, hub_with_users

ACTORS = {  # actor -> (user, role on the two models)
    "anonymous": None,
    "reader": "dave",
    "contributor": "bob",
    "other maintainer": "erin",
    "maintainer": "alice",
    "admin": "root",
    "worker": "ci",
    "granted": "gina",  # no role anywhere; an approved access request on the gated model
}
CONTRIBUTION = "c0" * 32


@pytest.fixture(scope="module")
def matrix_hub(tmp_path_factory) -> Iterator[tuple[LiveHub, dict[str, dict[str, str]]]]:
    hub, user = hub_with_users(tmp_path_factory.mktemp("authz"), "dave", "erin", "frank", "gina")
    db = hub.db
    recipe = resources.files("modelbazaar.templates").joinpath("tiny/bazaar.toml").read_bytes()
    facts: dict[str, dict[str, str]] = {}
    create_model(db, "other", user["erin"], "public")
    for name, visibility in (("pub", "public"), ("priv", "private"), ("gated", "gated")):
        model = create_model(db, name, user["alice"], visibility)
        set_member(db, model, user["bob"], "contributor")
        set_member(db, model, user["dave"], "reader")
        blobs = [f"{name} {part}".encode() for part in ("weights", "tokenizer", "config")]
        w, tk, c = (db.store.objects.put_bytes(b) for b in blobs)
        toml = db.store.objects.put_bytes(recipe)
        tree = SourceTree(files=[TreeFile(path="bazaar.toml", sha256=toml, bytes=len(recipe))])
        tree_digest = db.store.objects.put_bytes(tree.to_bytes())
        for digest in (w, tk, c, toml, tree_digest):
            register_object(db, model, digest)
        version = version_hash(w, tk, c)
        row = {
            "hash": version,
            "relation": "built",
            "weights": w,
            "tokenizer": tk,
            "config": c,
            "info": {},
        }
        add_versions(db, model, [row])
        move_ref(
            db, model, "main", version, expected=None, kind="branch", actor="alice", why="setup"
        )
        move_ref(db, model, "v1", version, expected=None, kind="tag", actor="alice", why="setup")
        set_source(db, model, tree_digest)
        at, ts = stamp()
        with db.writing() as conn:
            sub = {
                "model_id": model.id,
                "contribution": CONTRIBUTION,
                "bundle": w,
                "submitter": user["bob"].id,
            }
            conn.execute(
                insert(t.submissions).values(
                    **sub,
                    task="x",
                    author="ed25519:x",
                    state="accepted",
                    reasons="[]",
                    reports="{}",
                    created_at=at,
                    created_ts=ts,
                    updated_at=at,
                )
            )
            merge = conn.execute(
                insert(t.merges).values(
                    model_id=model.id,
                    requested_by=user["alice"].id,
                    request=json.dumps({"contributions": [], "submissions": []}),
                    expected_main=version,
                    state="merged",
                    reasons="[]",
                    created_at=at,
                    updated_at=at,
                )
            )
        facts[name] = {
            "object": w,
            "version": version,
            "tree": tree_digest,
            "merge": str(merge.inserted_primary_key[0]),
            "bytes": blobs[0].decode(),
        }
    gated = get_model(db, "gated")
    asked = request_access(db, gated, user["gina"], who="Gina, a researcher", use="evals")
    decide(db, gated, user["alice"], asked["id"], approve=True, reason="fine")
    facts["gated"]["request"] = str(asked["id"])
    yield hub, facts
    hub.stop()


def endpoints(m: str, f: dict[str, str]) -> list[tuple[str, str, str, dict]]:
    """(need, method, path, request kwargs): every /api/v1 route under a model, and jobs."""
    obj, version = f["object"], f["version"]
    decide = {"json": {"approve": True, "reason": "fine"}}  # a request exists on `gated` only
    deciding = [("maintain", "POST", f"/models/{m}/access/{f.get('request')}", decide)]
    return [
        *(deciding if "request" in f else []),
        ("read", "GET", f"/models/{m}", {}),
        ("read", "GET", f"/models/{m}/versions", {}),
        ("download", "GET", f"/models/{m}/objects/{obj}", {}),
        ("download", "GET", f"/models/{m}/objects/{f['tree']}", {}),  # the source clone reads
        ("read", "GET", f"/models/{m}/audit", {}),
        ("read", "GET", f"/models/{m}/members", {}),
        ("read", "GET", f"/models/{m}/contributions", {}),
        ("read", "GET", f"/models/{m}/contributions/{CONTRIBUTION}", {}),
        ("read", "GET", f"/models/{m}/merges/{f['merge']}", {}),
        ("read", "GET", f"/models/{m}/evals", {}),
        ("read", "GET", f"/models/{m}/feedback", {}),
        ("read", "GET", f"/models/{m}/releases", {}),
        ("maintain", "PUT", f"/models/{m}/releases/v1/access", {"json": {"level": "inherit"}}),
        ("request", "POST", f"/models/{m}/access", {"json": {"who": "w", "intended_use": "u"}}),
        ("maintain", "GET", f"/models/{m}/access", {}),
        ("upload", "POST", f"/models/{m}/evals", {"json": {"results": []}}),
        (
            "maintain",
            "POST",
            f"/models/{m}/contributions/{CONTRIBUTION}/rejection",
            {"json": {"reason": "not now"}},
        ),
        ("upload", "POST", f"/models/{m}/objects/missing", {"json": {"objects": [obj]}}),
        ("upload", "PUT", f"/models/{m}/objects/{obj}", {"content": f["bytes"].encode()}),
        ("upload", "POST", f"/models/{m}/versions", {"json": {"versions": []}}),
        ("maintain", "PUT", f"/models/{m}/source", {"json": {"tree": f["tree"]}}),
        (
            "maintain",
            "PUT",
            f"/models/{m}/refs/main",
            {"json": {"new": version, "expected": version}},
        ),
        (
            "maintain",
            "PATCH",
            f"/models/{m}",
            {"json": {"visibility": {"priv": "private", "gated": "gated"}.get(m, "public")}},
        ),
        ("maintain", "PUT", f"/models/{m}/members/frank", {"json": {"role": "reader"}}),
        ("maintain", "DELETE", f"/models/{m}/members/frank", {}),
        ("maintain", "POST", f"/models/{m}/merges", {"json": {"contributions": [CONTRIBUTION]}}),
        ("contribute", "POST", f"/models/{m}/contributions", {"content": b"not a zip"}),
        (
            "approve",
            "POST",
            f"/models/{m}/contributions/{CONTRIBUTION}/approvals",
            {"json": {"public_key": "ed25519:x", "signature": "eA=="}},
        ),
    ]


ALLOWED = {
    "request": {"reader", "contributor", "other maintainer", "maintainer", "admin", "worker"}
    | {"granted"},  # anyone logged in who can see the model (409 when not gated)
    "read": {"reader", "contributor", "maintainer", "admin", "worker"},
    "contribute": {"contributor", "maintainer", "admin"},
    "upload": {"maintainer", "admin"},  # a worker only while it holds a lease on the model
    "maintain": {"maintainer", "admin"},
    "approve": {"maintainer"},
}
SEES_PRIVATE = {"reader", "contributor", "maintainer", "admin", "worker"}


def expected(need: str, actor: str, private: bool, gated: bool = False) -> str:
    if need == "download":
        if not gated:
            need = "read"
        elif actor in SEES_PRIVATE or actor == "granted":
            return "ok"
        else:
            return "401" if actor == "anonymous" else "403"
    if need == "read" and not private:
        return "ok"
    if private and actor not in SEES_PRIVATE:
        return "404"
    if actor in ALLOWED[need]:
        return "ok"
    return "401" if actor == "anonymous" else "403"


def observed(status: int) -> str:
    return str(status) if status in (401, 403, 404) else "ok"


@pytest.mark.parametrize("model", ["pub", "priv", "gated"])
def test_every_endpoint_for_every_actor(matrix_hub, model: str) -> None:
    hub, facts = matrix_hub
    wrong = []
    for actor, user in ACTORS.items():
        with hub.http(user) as http:
            for need, method, path, kwargs in endpoints(model, facts[model]):
                response = http.request(method, path, **kwargs)
                want = expected(need, actor, model == "priv", model == "gated")
                got = observed(response.status_code)
                if want != got or response.status_code >= 500:
                    code = response.status_code
                    wrong.append(f"{actor:17} {method:6} {path[:60]:60} want {want} got {code}")
                if got != "ok":
                    assert "detail" in response.json()  # every refusal says what is wrong
    assert not wrong, "\n" + "\n".join(wrong)


def test_private_models_are_not_listed_and_jobs_are_for_workers(matrix_hub) -> None:
    hub, _ = matrix_hub
    for actor, user in ACTORS.items():
        with hub.http(user) as http:
            names = {m["name"] for m in http.get("/models").json()}
            claim = http.post("/jobs/claim")
        assert ("priv" in names) == (actor in SEES_PRIVATE), actor
        want = {"anonymous": 401, "worker": 204, "admin": 204}.get(actor, 403)
        assert claim.status_code == want, actor
        if user and actor not in ("worker", "admin"):
            assert "worker" in claim.json()["detail"]


def test_the_matrix_covers_every_model_route(matrix_hub) -> None:
    """A route added under /models/{name} without a row above fails here, so the matrix stays
    complete as the API grows (paths compared as templates: /models/{}/objects/{})."""
    hub, facts = matrix_hub
    template = re.compile(r"\{[^}]+\}")
    served = {  # from the OpenAPI schema: FastAPI's own list of what the API serves
        (method.upper(), template.sub("{}", path.removeprefix(API)))
        for path, operations in create_app(hub.db).openapi()["paths"].items()
        if path.startswith(f"{API}/models/")
        for method in operations
    }
    tested = set()
    for model, f in facts.items():
        values = {*f.values(), CONTRIBUTION, model, "main", "frank", "v1"}
        for _, method, path, _ in endpoints(model, f):
            parts = ["{}" if part in values else part for part in path.split("/")]
            tested.add((method, "/".join(parts)))
    assert len(served) >= 15 and served - tested == set(), "routes missing from the matrix"


def test_gated_downloads_follow_requests_decisions_and_revocations(matrix_hub) -> None:
    """frank asks, is declined, asks again, is approved (download works), is revoked (refused
    again); every step is in the access log; the API's own endpoints decide it."""
    hub, facts = matrix_hub
    path = f"/models/gated/objects/{facts['gated']['object']}"
    with hub.http("frank") as frank, hub.http("alice") as alice, hub.http("bob") as bob:
        assert frank.get(path).status_code == 403
        assert "access request" in frank.get(path).json()["detail"]
        first = frank.post("/models/gated/access", json={"who": "Frank", "intended_use": "x"})
        assert first.status_code == 201
        again = frank.post("/models/gated/access", json={"who": "Frank", "intended_use": "x"})
        assert again.status_code == 409  # one pending request at a time
        assert bob.get("/models/gated/access").status_code == 403  # maintainers decide
        no_reason = alice.post(
            f"/models/gated/access/{first.json()['id']}", json={"approve": False}
        )
        assert no_reason.status_code == 422  # a decline says why
        declined = alice.post(
            f"/models/gated/access/{first.json()['id']}",
            json={"approve": False, "reason": "say more about the use"},
        )
        assert declined.json()["state"] == "declined"
        assert frank.get(path).status_code == 403
        second = frank.post(
            "/models/gated/access", json={"who": "Frank", "intended_use": "a class on LMs"}
        ).json()
        alice.post(f"/models/gated/access/{second['id']}", json={"approve": True, "reason": ""})
        download = frank.get(path)
        assert download.status_code == 200 and download.content == facts["gated"]["bytes"].encode()
        revoked = alice.post(
            f"/models/gated/access/{second['id']}", json={"approve": False, "reason": "misuse"}
        )
        assert revoked.json()["state"] == "revoked"
        assert frank.get(path).status_code == 403
        listed = {r["id"]: r["state"] for r in alice.get("/models/gated/access").json()}
        assert listed[first.json()["id"]] == "declined" and listed[second["id"]] == "revoked"
    from modelbazaar.hub.access import access_log

    actions = [e["action"] for e in access_log(hub.db, get_model(hub.db, "gated"))]
    assert actions.count("requested") >= 2 and {"declined", "approved", "revoked"} <= set(actions)
