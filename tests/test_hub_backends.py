"""Team storage: objects in an S3-compatible bucket (moto's server over HTTP, through the
public S3 API only) and the catalogue on a real PostgreSQL, one hub using both."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from modelbazaar.errors import StoreError
from modelbazaar.hub import sync
from modelbazaar.hub.db import HubConfig, HubDB
from modelbazaar.store import Store
from modelbazaar.store.objects import temp_path
from modelbazaar.store.s3objects import S3ObjectStore, parse_s3_url
from tests.hubkit import USERS, LiveHub, fresh_database


def test_s3_objects_behave_like_local_ones(s3_endpoint, s3_bucket, tmp_path) -> None:
    store = S3ObjectStore(f"s3://{s3_bucket}/hub", staging=tmp_path, endpoint_url=s3_endpoint)
    digest = store.put_bytes(b"hello")
    assert digest == hashlib.sha256(b"hello").hexdigest()
    assert store.has(digest) and store.get_bytes(digest) == b"hello" and store.size(digest) == 5
    assert not store.has("0" * 64) and list(store.digests()) == [digest]
    key = store.client.list_objects_v2(Bucket=s3_bucket)["Contents"][0]["Key"]
    assert key == f"hub/{digest[:2]}/{digest[2:]}"

    big = os.urandom(21 * (1 << 20))  # > 8 MiB: a multipart upload of three parts
    path = temp_path(tmp_path)
    path.write_bytes(big)
    want = hashlib.sha256(big).hexdigest()
    store.put_verified_file(path, want)
    assert not path.exists() and store.get_bytes(want) == big
    head = store.client.head_object(Bucket=s3_bucket, Key=store.key_of(want))
    assert head["ETag"].strip('"').endswith("-3")  # S3's multipart ETag: three parts

    wrong = temp_path(tmp_path)
    wrong.write_bytes(b"not what the name says")
    with pytest.raises(StoreError, match="nothing stored"):
        store.put_verified_file(wrong, "1" * 64)
    assert not store.has("1" * 64) and not wrong.exists()

    store.client.put_object(Bucket=s3_bucket, Key=store.key_of(digest), Body=b"HELLO")  # rot
    with pytest.raises(StoreError, match="corrupt"):
        store.get_bytes(digest)
    with pytest.raises(StoreError):
        parse_s3_url("https://not-s3/x")


def test_a_hub_on_postgresql_and_s3(
    pg_server, s3_endpoint, s3_bucket, hub_model: Path, tmp_path, monkeypatch
) -> None:
    url = fresh_database(pg_server, "hub_team")
    config = HubConfig(
        data=tmp_path / "hub",
        database_url=url,
        objects=f"s3://{s3_bucket}/models",
        s3_endpoint=s3_endpoint,
    )
    hub = LiveHub(HubDB.open(config), tmp_path)
    for name, kind in USERS.items():
        hub.add_user(name, **kind)
    hub.start()
    try:
        hub.act_as("alice", monkeypatch)
        pushed = sync.push(hub_model, hub.model_url("tiny"), show_progress=False)
        assert hub.db.engine.dialect.name == "postgresql"
        stored = set(hub.db.store.objects.digests())
        main = Store.for_model(hub_model).version("main")
        assert {main.weights, main.tokenizer, main.config} <= stored
        assert not (tmp_path / "hub" / "objects").exists()  # nothing local but temp space
        dest, fetched = sync.clone(hub.model_url("tiny"), tmp_path / "copy", show_progress=False)
        assert Store.for_model(dest).resolve("main") == pushed.version == main.hash
        again = sync.push(hub_model, "origin", show_progress=False)
        assert (again.sent, again.moved) == (0, False)
    finally:
        hub.stop()
