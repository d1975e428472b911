"""Limits of a hub on a network: request body size, object size, objects per push,
submissions per user per hour — and uploads that never sit whole in memory."""

from __future__ import annotations

import hashlib
import os
import tracemalloc
from pathlib import Path

import pytest

from modelbazaar.hub import actions, sync
from modelbazaar.hub.client import HubClient, RemoteError
from modelbazaar.hub.db import Limits
from tests.hubkit import Bundles, LiveHub, start_hub, use_key

KiB, MiB = 1 << 10, 1 << 20


@pytest.fixture
def small_hub(tmp_path: Path):
    limits = Limits(
        max_json_bytes=64 * KiB,
        max_object_bytes=4 * MiB,
        max_objects_per_push=10,
        submissions_per_hour=1,
    )
    hub = start_hub(tmp_path, limits=limits)
    yield hub
    hub.stop()


def test_bodies_objects_and_pushes_have_limits(small_hub: LiveHub, hub_model, monkeypatch) -> None:
    small_hub.act_as("alice", monkeypatch)
    sync.push(hub_model, small_hub.model_url("tiny"), show_progress=False)
    with small_hub.http("alice") as http:
        huge = {"versions": [{"x": "y" * 100 * KiB}]}
        assert http.post("/models/tiny/versions", json=huge).status_code == 413

        def chunked():  # no Content-Length: counted as it streams
            for _ in range(100):
                yield b"[" + b" " * KiB

        streamed = http.post("/models/tiny/versions", content=chunked())
        assert streamed.status_code == 413

        blob = os.urandom(5 * MiB)
        digest = hashlib.sha256(blob).hexdigest()
        response = http.put(f"/models/tiny/objects/{digest}", content=blob)
        assert response.status_code == 413 and "at most" in response.json()["detail"]
        many = {"objects": [f"{i:064x}" for i in range(11)]}
        response = http.post("/models/tiny/objects/missing", json=many)
        assert response.status_code == 413 and "at most 10 objects" in response.json()["detail"]
    assert not small_hub.db.store.objects.has(digest)
    assert not list(small_hub.db.store.objects.incoming.iterdir())


def test_submissions_per_user_are_rate_limited(
    small_hub: LiveHub, hub_model, hub_bundles: Bundles, monkeypatch
) -> None:
    use_key(small_hub, "bob", hub_bundles.key)
    small_hub.act_as("alice", monkeypatch)
    sync.push(hub_model, small_hub.model_url("tiny"), show_progress=False)
    actions.set_member(hub_model, "bob", "contributor")
    small_hub.act_as("bob", monkeypatch)
    actions.submit(hub_model, hub_bundles.verse)
    with pytest.raises(RemoteError) as slow_down:
        actions.submit(hub_model, hub_bundles.prose)
    assert slow_down.value.status == 429 and "per hour" in str(slow_down.value)


def test_uploads_and_downloads_stream(live_hub: LiveHub, tmp_path, monkeypatch) -> None:
    live_hub.act_as("alice", monkeypatch)
    with live_hub.http("alice") as http:
        assert http.post("/models", json={"name": "big"}).status_code == 201
    source = tmp_path / "big.bin"
    with open(source, "wb") as handle:
        for _ in range(48):
            handle.write(os.urandom(MiB))
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    tracemalloc.start()
    try:
        with HubClient(live_hub.url, live_hub.tokens["alice"]) as hub:
            hub.upload(f"/models/big/objects/{digest}", source)
            back = hub.download("big", digest, tmp_path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16 * MiB, f"{peak / MiB:.0f} MiB held for a 48 MiB object"
    assert hashlib.sha256(back.read_bytes()).hexdigest() == digest
