"""The hub's pages, in-process (FastAPI's TestClient): what each page shows, escaping of every
contributor-supplied string, CSRF refusals, cookie flags, 401/403/404 pages, maintainer forms."""

from __future__ import annotations

import base64
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from modelbazaar.contrib import generate_keypair, load_private_key
from modelbazaar.contrib import keys as ed25519
from modelbazaar.hub import access, accounts
from modelbazaar.hub.app import create_app
from modelbazaar.hub.contributions import submission_by_contribution
from modelbazaar.hub.protocol import approval_message, key_proof_message
from modelbazaar.hub.repos import get_model
from tests.pagekit import HOSTILE, SeededHub, seed_hub

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


class Elements(HTMLParser):
    """Collects what a browser would run: script/img elements, on* handlers, javascript: URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.bad: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "img", "iframe", "object"):
            self.bad.append(tag)
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.bad.append(f"{tag} {name}={value}")


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def log_in(client: TestClient, token: str) -> str:
    """Log in through the form; the session's CSRF token."""
    form = client.get("/login")
    response = client.post(
        "/login", data={"token": token, "csrf": csrf_of(form.text)}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    return csrf_of(client.get("/account").text)


@pytest.fixture(scope="module")
def hostile_hub(tmp_path_factory) -> SeededHub:
    hub = seed_hub(tmp_path_factory.mktemp("pages"), versions=4, contributions=3, hostile=True)
    carol = accounts.find_user(hub.db, "carol")
    locked = get_model(hub.db, "locked")
    access.request_access(hub.db, locked, carol, who=HOSTILE, use=HOSTILE)
    return hub


def pages_of(hub: SeededHub) -> list[str]:
    return [
        "/?q=" + quote(HOSTILE),
        "/?license=" + quote(HOSTILE),
        "/models/tiny",
        "/models/tiny/history",
        "/models/tiny/evals",
        f"/models/tiny/versions/{hub.main}",
        "/models/tiny/contributions",
        *(f"/models/tiny/contributions/{c}" for c in hub.subs),
        "/models/locked",
        "/models/locked/access",
        "/account",
    ]


def test_every_page_shows_its_content(hostile_hub: SeededHub) -> None:
    client = TestClient(create_app(hostile_hub.db))
    log_in(client, hostile_hub.tokens["alice"])
    wanted = {
        "/": ["tiny", "locked", "alice", "closed"],
        "/models/tiny": ["Licence verdict", "MOF", "OSAID", "bazaar clone", "Recipe", "verse"],
        "/models/tiny/history": ["<svg", "merged (ties)", "contributions: task", "main", "push"],
        "/models/tiny/evals": ["<svg", "accuracy", "95% CI"],
        "/models/tiny/contributions": ["Queue", "History", "task0"],
        "/models/locked/access": ["Requests", "Approve carol", "requested"],
        "/account": ["Tokens", "Public keys", "Create token"],
    }
    for path, texts in wanted.items():
        response = client.get(path)
        assert response.status_code == 200, path
        for text in texts:
            assert text in response.text, (path, text)
    page = client.get(f"/models/tiny/contributions/{hostile_hub.subs[0]}").text
    for text in ("Signed manifest", "Review report", "ACCEPT", "[0.02, 0.18]", "Reject", "Merge"):
        assert text in page, text


def test_hostile_strings_come_out_escaped_on_every_page(hostile_hub: SeededHub) -> None:
    client = TestClient(create_app(hostile_hub.db))
    log_in(client, hostile_hub.tokens["alice"])  # a maintainer sees every form and request
    for path in pages_of(hostile_hub):
        html = client.get(path).text
        assert "&lt;script&gt;" in html, path  # it is there...
        tags = Elements()
        tags.feed(html)
        assert not tags.bad, (path, tags.bad)  # ...as text: no script, no img, no handler


def test_forms_without_the_csrf_token_are_refused_and_change_nothing(
    hostile_hub: SeededHub,
) -> None:
    client = TestClient(create_app(hostile_hub.db))
    good = log_in(client, hostile_hub.tokens["alice"])
    target = hostile_hub.subs[0]
    model = get_model(hostile_hub.db, "tiny")
    # one character off, at the front: the last base64 character carries padding bits, and
    # replacing it could decode to the same bytes (this failed 1 run in 16)
    flipped = ("B" if good.startswith("A") else "A") + good[1:]
    for sent in ({}, {"csrf": ""}, {"csrf": "x" * 43}, {"csrf": flipped}):
        response = client.post(
            f"/models/tiny/contributions/{target}/reject", data={"reason": "no"} | sent
        )
        assert response.status_code == 403, sent
        assert "CSRF" in response.text
    assert submission_by_contribution(hostile_hub.db, model, target)["state"] == "accepted"
    anonymous = TestClient(create_app(hostile_hub.db))  # no CSRF cookie yet: login refused
    refused = anonymous.post("/login", data={"token": hostile_hub.tokens["bob"], "csrf": "x"})
    assert refused.status_code == 403 and "bazaar_session" not in anonymous.cookies


def test_session_cookie_is_httponly_and_samesite_and_not_the_token(
    hostile_hub: SeededHub,
) -> None:
    client = TestClient(create_app(hostile_hub.db))
    form = client.get("/login")
    assert "httponly" in form.headers["set-cookie"].lower()  # the CSRF cookie too
    token = hostile_hub.tokens["bob"]
    response = client.post(
        "/login", data={"token": token, "csrf": csrf_of(form.text)}, follow_redirects=False
    )
    cookie = next(c for c in response.headers.get_list("set-cookie") if "bazaar_session" in c)
    flags = {part.strip().lower() for part in cookie.split(";")}
    assert "httponly" in flags and "samesite=lax" in flags and "path=/" in flags
    assert token not in cookie
    assert "content-security-policy" in client.get("/").headers


def test_bad_login_says_why_and_revoking_the_token_ends_the_session(tmp_path: Path) -> None:
    hub = seed_hub(tmp_path, versions=1, contributions=0, evals=False)
    client = TestClient(create_app(hub.db))
    bad = client.post(
        "/login", data={"token": "bzr_nope", "csrf": csrf_of(client.get("/login").text)}
    )
    assert bad.status_code == 401 and "unknown, expired or revoked" in bad.text
    token = accounts.create_token(hub.db, "carol", label="browser")
    csrf = log_in(client, token)
    assert client.get("/account").status_code == 200
    ids = [t["id"] for t in accounts.list_tokens(hub.db, "carol") if t["label"] == "browser"]
    revoked = client.post(f"/account/tokens/{ids[0]}/revoke", data={"csrf": csrf})
    assert revoked.status_code == 401  # that token was the session's: the session is gone
    assert "Log in" in client.get("/").text


def test_unknown_things_get_a_404_page_linking_back(hostile_hub: SeededHub) -> None:
    client = TestClient(create_app(hostile_hub.db))
    for path, back in (
        ("/models/nope", 'href="/"'),
        ("/models/tiny/versions/deadbeefdeadbeef", 'href="/models/tiny"'),
        (f"/models/tiny/contributions/{'ab' * 8}", 'href="/models/tiny"'),
        ("/no/such/page", 'href="/"'),
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "text/html" in response.headers["content-type"]
        assert back in response.text and "not found" in response.text.lower(), path
    assert client.get("/api/v1/models/nope").json()["detail"]  # the API stays JSON


def test_maintainer_actions_by_others_get_a_403_page_naming_the_role(
    hostile_hub: SeededHub,
) -> None:
    client = TestClient(create_app(hostile_hub.db))
    csrf = log_in(client, hostile_hub.tokens["carol"])
    response = client.post(
        f"/models/tiny/contributions/{hostile_hub.subs[0]}/reject",
        data={"reason": "mine", "csrf": csrf},
    )
    assert response.status_code == 403
    assert "role maintainer" in response.text and "carol" in response.text
    page = client.get(f"/models/tiny/contributions/{hostile_hub.subs[0]}").text
    assert "Maintainer actions" not in page  # no forms for those who may not use them
    hidden = client.post("/models/tiny/visibility", data={"visibility": "private", "csrf": csrf})
    assert hidden.status_code == 403 and "role maintainer" in hidden.text
    assert get_model(hostile_hub.db, "tiny").visibility == "public"
    assert "Change visibility" not in client.get("/models/tiny").text


def test_maintainer_rejects_approves_and_merges_from_the_page(tmp_path: Path) -> None:
    hub = seed_hub(tmp_path, versions=2, contributions=3, evals=False)
    db, client = hub.db, TestClient(create_app(hub.db))
    csrf = log_in(client, hub.tokens["alice"])
    alice = accounts.find_user(db, "alice")
    generate_keypair(tmp_path / "alice")
    public = (tmp_path / "alice.pub").read_text().strip()
    private = load_private_key(tmp_path / "alice")
    proof = base64.b64encode(ed25519.sign(private, key_proof_message("alice", public))).decode()
    added = client.post("/account/keys", data={"public_key": public, "proof": proof, "csrf": csrf})
    assert public in added.text
    first, second = hub.subs[0], hub.subs[2]  # both accepted
    rejected = client.post(
        f"/models/tiny/contributions/{first}/reject", data={"reason": "off topic", "csrf": csrf}
    )
    assert "rejected by maintainer alice: off topic" in rejected.text
    found = submission_by_contribution(db, get_model(db, "tiny"), second)
    signature = ed25519.sign(private, approval_message("tiny", second, found["bundle"]))
    approved = client.post(
        f"/models/tiny/contributions/{second}/approve",
        data={
            "public_key": public,
            "signature": base64.b64encode(signature).decode(),
            "csrf": csrf,
        },
    )
    assert approved.status_code == 200 and "Done: approved" in approved.text
    assert alice.name in submission_by_contribution(db, get_model(db, "tiny"), second)["approvals"]
    merged = client.post(
        "/models/tiny/merges",
        data={"contributions": second, "method": "ties", "density": "0.7", "csrf": csrf},
    )
    assert merged.status_code == 200 and "queued" in merged.text
    assert "density 0.7" in merged.text
    bad = client.post(
        "/models/tiny/merges",
        data={"contributions": second, "method": "ties", "density": "lots", "csrf": csrf},
    )
    assert bad.status_code == 422 and "density" in bad.text


def test_gated_access_is_asked_decided_and_logged_from_the_pages(tmp_path: Path) -> None:
    hub = seed_hub(tmp_path, versions=1, contributions=0, evals=False)
    app = create_app(hub.db)
    carol, alice = TestClient(app), TestClient(app)
    path = f"/api/v1/models/locked/objects/{hub.objects['locked']}"
    bearer = {"Authorization": f"Bearer {hub.tokens['carol']}"}
    assert carol.get(path, headers=bearer).status_code == 403
    csrf = log_in(carol, hub.tokens["carol"])
    asked = carol.post(
        "/models/locked/access",
        data={"who": "Carol, a teacher", "intended_use": "teaching", "csrf": csrf},
    )
    assert "pending" in asked.text and "Request access" not in asked.text
    maintainer = log_in(alice, hub.tokens["alice"])
    page = alice.get("/models/locked/access").text
    assert "Carol, a teacher" in page and "teaching" in page
    request_id = re.search(r'/models/locked/access/(\d+)"', page).group(1)
    alice.post(
        f"/models/locked/access/{request_id}",
        data={"decision": "approve", "reason": "welcome", "csrf": maintainer},
    )
    assert carol.get(path, headers=bearer).status_code == 200
    assert "You may download locked" in carol.get("/models/locked/access").text
    assert "approved" in carol.get("/account").text
    alice.post(
        f"/models/locked/access/{request_id}",
        data={"decision": "revoke", "reason": "course over", "csrf": maintainer},
    )
    assert carol.get(path, headers=bearer).status_code == 403
    log = alice.get("/models/locked/access").text
    assert "alice revoked" in log and "course over" in log


def test_push_sends_eval_results_and_the_evals_page_draws_them(
    live_hub, hub_model: Path, monkeypatch
) -> None:
    from modelbazaar.evals.result import Series, SuiteResult
    from modelbazaar.hub import sync
    from modelbazaar.store import Store

    store = Store.for_model(hub_model)
    main = store.resolve("main")
    hits = [1.0, 0.0, 1.0, 1.0] * 10
    result = SuiteResult(
        suite="wordnet_mc",
        suite_version="1",
        kind="choice",
        version=main,
        metrics={"accuracy": sum(hits) / len(hits)},
        higher_is_better={"accuracy": True},
        ids=[str(i) for i in range(len(hits))],
        series={"accuracy": Series(num=hits, den=[1.0] * len(hits))},
    )
    row = {"version": main, "suite": "wordnet_mc", "suite_version": "1", "n": len(hits)}
    examples = store.objects.put_bytes(result.examples_json())
    store.catalogue.add_eval_result(row | {"metrics": result.metrics, "examples": examples})
    live_hub.act_as("alice", monkeypatch)
    sync.push(hub_model, live_hub.model_url("tiny"), show_progress=False)
    series = live_hub.get("/models/tiny/evals")["wordnet_mc · accuracy"]
    assert series[0]["version"] == main and series[0]["value"] == 0.75
    assert series[0]["low"] < 0.75 < series[0]["high"]  # the bootstrap interval
    page = TestClient(create_app(live_hub.db)).get("/models/tiny/evals").text
    assert "wordnet_mc · accuracy" in page and "<svg" in page and "0.75" in page
    again = sync.push(hub_model, live_hub.model_url("tiny"), show_progress=False)
    assert again.sent == 0  # the examples object is not sent twice


def test_pages_render_on_sqlite_and_postgresql_and_hide_private_models(
    hub_database: str | None, tmp_path: Path
) -> None:
    hub = seed_hub(tmp_path, versions=3, contributions=4, database_url=hub_database)
    secret = accounts.find_user(hub.db, "alice")
    from modelbazaar.hub.repos import create_model

    create_model(hub.db, "secret", secret, "private")
    client = TestClient(create_app(hub.db))
    for path in pages_of(hub)[2:-1]:
        assert client.get(path).status_code == 200, path
    assert "secret" not in client.get("/").text
    assert client.get("/models/secret").status_code == 404  # not 403: invisible
    log_in(client, hub.tokens["alice"])
    assert "secret" in client.get("/").text
    assert client.get("/models/secret").status_code == 200
    hub.db.engine.dispose()
