"""Community feedback: chat (a stand-in generator here; the real model streams in the slow
browser journey), rating, better answers, limits (form error, nothing stored), a forged answer
refused, and `bazaar feedback export` writing a dataset + manifest `bazaar build` accepts."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from modelbazaar.data.manifest import load_manifest
from modelbazaar.hub import chat
from modelbazaar.hub.app import create_app
from modelbazaar.hub.feedback import MAX_BETTER, count_feedback, list_feedback
from modelbazaar.hub.feedback_export import export_feedback
from modelbazaar.hub.repos import get_model
from tests.hubkit import LiveHub
from tests.pagekit import HOSTILE, seed_hub
from tests.test_hub_pages import Elements, log_in


def fake_stream(db, version: str, prompt: str, seed: int = 0) -> Iterator[str]:
    yield from ("To be, ", "or not ", "to be.")


@pytest.fixture
def chatting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(chat, "stream_answer", fake_stream)
    hub = seed_hub(tmp_path, versions=2, contributions=0, evals=False)
    client = TestClient(create_app(hub.db))
    return hub, client, log_in(client, hub.tokens["bob"])


def hidden(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert found, name
    return html.unescape(found.group(1))


def ask(client: TestClient, csrf: str, prompt: str) -> dict[str, str]:
    page = client.post("/models/tiny/chat", data={"prompt": prompt, "csrf": csrf}).text
    assert "To be, or not to be." in page
    return {k: hidden(page, k) for k in ("version", "prompt", "answer", "mac")} | {"csrf": csrf}


def test_chat_rate_and_better_answer_are_stored_with_author_licence_consent(chatting) -> None:
    hub, client, csrf = chatting
    form = ask(client, csrf, f"Who said it? {HOSTILE}")
    done = client.post(
        "/models/tiny/feedback",
        data=form | {"rating": "down", "better": "Hamlet did.", "consent": "yes"},
    )
    assert done.status_code == 200 and "your feedback is stored" in done.text
    form = ask(client, csrf, "Again?")
    client.post(
        "/models/tiny/feedback",
        data=form | {"rating": "up", "license": "CC0-1.0", "consent": "yes"},
    )
    rows = list_feedback(hub.db, get_model(hub.db, "tiny"))
    assert [(r["author"], r["rating"], r["license"], r["consent"]) for r in rows] == [
        ("bob", -1, "CC-BY-4.0", True),
        ("bob", 1, "CC0-1.0", True),
    ]
    assert rows[0]["better"] == "Hamlet did." and rows[0]["answer"] == "To be, or not to be."
    page = client.post("/models/tiny/chat", data={"prompt": HOSTILE, "csrf": csrf}).text
    tags = Elements()
    tags.feed(page.replace('<script src="/static/chat.js"></script>', ""))
    assert not tags.bad  # the hostile prompt comes back as text


def test_feedback_over_the_limit_or_without_consent_is_a_form_error_storing_nothing(
    chatting,
) -> None:
    hub, client, csrf = chatting
    model = get_model(hub.db, "tiny")
    form = ask(client, csrf, "Hello")
    too_long = client.post(
        "/models/tiny/feedback",
        data=form | {"better": "x" * (MAX_BETTER + 1), "consent": "yes"},
    )
    assert too_long.status_code == 422
    assert f"at most {MAX_BETTER}" in too_long.text and "nothing was stored" in too_long.text
    assert 'id="better"' in too_long.text  # the form comes back
    no_consent = client.post("/models/tiny/feedback", data=form | {"rating": "up"})
    assert no_consent.status_code == 422 and "consent" in no_consent.text
    forged = client.post(
        "/models/tiny/feedback",
        data=form | {"answer": "I am a forged answer", "rating": "up", "consent": "yes"},
    )
    assert forged.status_code == 422 and "did not come from this hub" in forged.text
    huge = client.post("/models/tiny/chat", data={"prompt": "y" * 5000, "csrf": csrf})
    assert huge.status_code == 422 and "at most 2000" in huge.text
    assert count_feedback(hub.db, model) == 0


def test_the_answer_streams_as_ndjson(chatting) -> None:
    _, client, csrf = chatting
    with client.stream(
        "POST", "/models/tiny/chat/stream", data={"prompt": "Hi", "csrf": csrf}
    ) as r:
        lines = [json.loads(line) for line in r.iter_lines() if line]
    assert [line["delta"] for line in lines[:-1]] == ["To be, ", "or not ", "to be."]
    assert lines[-1]["done"] and lines[-1]["answer"] == "To be, or not to be." and lines[-1]["mac"]
    anonymous = TestClient(client.app)
    assert anonymous.post("/models/tiny/chat/stream", data={"prompt": "Hi"}).status_code == 403


def test_feedback_export_writes_a_dataset_and_manifest(
    chatting, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hub, client, csrf = chatting
    for prompt, better, lic in (("a?", "A.", "CC0-1.0"), ("b?", "", "CC0-1.0"), ("c?", "C.", "")):
        form = ask(client, csrf, prompt)
        data = form | {"rating": "up", "better": better, "consent": "yes"}
        client.post("/models/tiny/feedback", data=data | ({"license": lic} if lic else {}))
    live = LiveHub(hub.db, tmp_path, tokens=hub.tokens).start()
    try:
        monkeypatch.setenv("BAZAAR_TOKEN", hub.tokens["carol"])  # any reader may export
        folder = tmp_path / "clone"
        (folder / "data").mkdir(parents=True)
        result = export_feedback(folder, live.model_url("tiny"), "feedback")
    finally:
        live.stop()
    assert (result.rows, result.skipped, result.license, result.authors) == (
        2,
        1,
        "CC-BY-4.0",
        ["bob"],
    )
    lines = [json.loads(x) for x in result.data.read_text().splitlines()]
    assert lines == [{"prompt": "a?", "response": "A."}, {"prompt": "c?", "response": "C."}]
    manifest = load_manifest(result.manifest)
    assert manifest.provenance == "human" and manifest.license == "CC-BY-4.0"
    assert "bob" in manifest.source
    with pytest.raises(Exception, match="already exists"):
        export_feedback(folder, "http://127.0.0.1:1/models/tiny", "feedback")


def test_chat_is_rate_limited_and_needs_access_on_a_gated_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dataclasses import replace

    monkeypatch.setattr(chat, "stream_answer", fake_stream)
    hub = seed_hub(tmp_path, versions=1, contributions=0, evals=False)
    hub.db.config = replace(hub.db.config, limits=replace(hub.db.config.limits, chats_per_hour=2))
    client = TestClient(create_app(hub.db))
    csrf = log_in(client, hub.tokens["carol"])
    for _ in range(2):
        assert client.post("/models/tiny/chat", data={"prompt": "hi", "csrf": csrf}).is_success
    third = client.post("/models/tiny/chat", data={"prompt": "hi", "csrf": csrf})
    assert third.status_code == 429 and "per hour" in third.text
    locked = client.post("/models/locked/chat", data={"prompt": "hi", "csrf": csrf})
    assert locked.status_code == 403 and "access request" in locked.text
