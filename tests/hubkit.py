"""Hub test kit (a pytest plugin, loaded by conftest): a real uvicorn hub on a free port in a
thread, users with tokens and keys, the tiny model ready to push, and contribution bundles.

Example::

    def test_x(live_hub, hub_model, monkeypatch):
        live_hub.act_as("alice", monkeypatch)
        sync.push(hub_model, live_hub.model_url("tiny"), show_progress=False)
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import uvicorn

from modelbazaar.contrib import generate_keypair
from modelbazaar.hub import accounts
from modelbazaar.hub.app import create_app
from modelbazaar.hub.db import HubConfig, HubDB
from modelbazaar.train.lora import LoraTrainConfig
from modelbazaar.workflows.contribute import contribute

USERS = {  # name -> account kind
    "alice": {},  # maintains the model in most tests
    "bob": {},  # contributor
    "carol": {},  # no role
    "root": {"admin": True},
    "ci": {"worker": True},
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveHub:
    """A hub served by uvicorn in a daemon thread, with users, tokens and keys."""

    db: HubDB
    root: Path
    port: int = field(default_factory=free_port)
    tokens: dict[str, str] = field(default_factory=dict)
    keys: dict[str, Path] = field(default_factory=dict)

    def start(self) -> LiveHub:
        config = uvicorn.Config(
            create_app(self.db), host="127.0.0.1", port=self.port, log_level="warning"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the hub did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def model_url(self, name: str) -> str:
        return f"{self.url}/models/{name}"

    def add_user(self, name: str, **kind: bool) -> None:
        accounts.add_user(self.db, name, **kind)
        self.tokens[name] = accounts.create_token(self.db, name)
        key = self.root / "keys" / name
        generate_keypair(key)
        self.keys[name] = key

    def act_as(self, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
        """Make CLI/client calls in this process run as `name` (token and signing key)."""
        monkeypatch.setenv("BAZAAR_TOKEN", self.tokens[name])
        monkeypatch.setenv("BAZAAR_KEYS", str(self.keys[name]))

    def get(self, path: str, name: str | None = None) -> object:
        """GET an API path as `name` (None: anonymous); the decoded JSON."""
        with self.http(name) as http:
            return http.get(path).json()

    def http(self, name: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.tokens[name]}"} if name else {}
        return httpx.Client(base_url=self.url + "/api/v1", headers=headers, timeout=60)


def start_hub(root: Path, **config: object) -> LiveHub:
    db = HubDB.open(HubConfig(data=root / "hub", **config))  # type: ignore[arg-type]
    hub = LiveHub(db, root)
    for name, kind in USERS.items():
        hub.add_user(name, **kind)
    return hub.start()


def hub_with_users(root: Path, *names: str) -> tuple[LiveHub, dict[str, accounts.User]]:
    """A started hub with USERS and `names` (plain users), and every one's account."""
    hub = start_hub(root)
    for name in names:
        hub.add_user(name)
    return hub, {name: accounts.find_user(hub.db, name) for name in (*USERS, *names)}


@pytest.fixture
def live_hub(tmp_path: Path) -> Iterator[LiveHub]:
    hub = start_hub(tmp_path, lease_seconds=30.0)
    yield hub
    hub.stop()


@pytest.fixture(scope="session")
def hub_source(tiny_built, tmp_path_factory) -> Path:
    """The built tiny model with reviews limited to 8 examples per suite (read-only)."""
    target = tmp_path_factory.mktemp("hub-source") / "tiny"
    shutil.copytree(tiny_built[0], target)
    with (target / "bazaar.toml").open("a") as handle:
        handle.write("limit = 8\n")  # [policy] is the recipe's last table
    return target


@pytest.fixture
def hub_model(hub_source: Path, tmp_path: Path) -> Path:
    """A private copy of `hub_source` to push from."""
    target = tmp_path / "tiny"
    shutil.copytree(hub_source, target)
    return target


@dataclass(frozen=True)
class Bundles:
    key: Path  # bob's private key (copy it into a hub's keys to act as bob)
    verse: Path
    prose: Path


@pytest.fixture(scope="session")
def hub_bundles(hub_source: Path, tmp_path_factory) -> Bundles:
    """Two helpful LoRA bundles on the tiny model's main, signed by one key ("bob's")."""
    root = tmp_path_factory.mktemp("hub-bundles")
    key = root / "bob"
    generate_keypair(key)
    text = (hub_source / "data" / "tinyshakespeare" / "train.txt").read_text()
    paths = {}
    for name, part in (("verse", text[20_000:40_000]), ("prose", text[60_000:80_000])):
        (root / f"{name}.txt").write_text(part)
        paths[name] = contribute(
            hub_source,
            data=root / f"{name}.txt",
            task=name,
            license="CC0-1.0",
            key=key,
            include_data=True,
            out=root / f"{name}.bazaar",
            show_progress=False,
            train=LoraTrainConfig(steps=30, lr=1e-2),
        ).bundle
    return Bundles(key, paths["verse"], paths["prose"])


def use_key(hub: LiveHub, name: str, key: Path) -> None:
    """Give `name` on `hub` this private key (and its .pub) instead of their own."""
    for suffix in ("", ".pub"):
        target = Path(str(hub.keys[name]) + suffix)
        shutil.copyfile(str(key) + suffix, target)
        os.chmod(target, 0o600)


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory) -> Iterator[str]:
    """A private PostgreSQL (the `pgserver` wheel); its admin URL for SQLAlchemy."""
    pgserver = pytest.importorskip("pgserver", reason="pip install pgserver 'psycopg[binary]'")
    try:
        server = pgserver.get_server(tmp_path_factory.mktemp("hub-pg"), cleanup_mode="stop")
    except Exception as exc:  # no way to start one here: say why
        pytest.skip(f"PostgreSQL (pgserver) could not start: {exc}")
    yield server.get_uri().replace("postgresql://", "postgresql+psycopg://")
    server.cleanup()


def fresh_database(admin_url: str, name: str) -> str:
    """Create (or re-create) database `name` on the server; return its URL."""
    from sqlalchemy import create_engine, text

    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return admin_url.replace("/postgres?", f"/{name}?")


@pytest.fixture(params=["sqlite", "postgresql"])
def hub_database(request: pytest.FixtureRequest, tmp_path: Path) -> str | None:
    """None (SQLite in the data folder) or the URL of a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return None
    admin = request.getfixturevalue("pg_server")
    name = "hub_" + request.node.name.lower().replace("[", "_").replace("]", "")[:40]
    return fresh_database(admin, name)


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """An S3-compatible server (moto's server mode) on a free port; its endpoint URL."""
    import subprocess
    import sys

    pytest.importorskip("moto", reason="pip install 'moto[s3]' flask flask-cors")
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(url + "/moto-api/", timeout=1).raise_for_status()
            break
        except httpx.HTTPError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.skip("moto_server (an S3-compatible test server) could not start")
            time.sleep(0.1)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def s3_bucket(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch, request) -> str:
    """A fresh bucket on the test S3 server (credentials as any S3 client reads them)."""
    from modelbazaar.store.s3objects import s3_client

    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    bucket = "b-" + request.node.name.lower().replace("_", "-").replace("[", "-")[:40].strip("-]")
    s3_client(s3_endpoint).create_bucket(Bucket=bucket)
    return bucket


def give_source(db: HubDB, model: object) -> str:
    """Give a hub model (made directly in the database) the tiny template's recipe as source."""
    from importlib import resources

    from modelbazaar.hub.repos import register_object, set_source
    from modelbazaar.hub.source import SourceTree, TreeFile

    recipe = resources.files("modelbazaar.templates").joinpath("tiny/bazaar.toml").read_bytes()
    digest = db.store.objects.put_bytes(recipe)
    tree = SourceTree(files=[TreeFile(path="bazaar.toml", sha256=digest, bytes=len(recipe))])
    tree_digest = db.store.objects.put_bytes(tree.to_bytes())
    for each in (digest, tree_digest):
        register_object(db, model, each)  # type: ignore[arg-type]
    set_source(db, model, tree_digest)  # type: ignore[arg-type]
    return tree_digest


def distinct_bundles(bundles: Bundles, count: int, folder: Path) -> list[Path]:
    """`count` different contributions (the fixtures' adapters re-signed under new task names):
    each has its own id, as if `count` people had sent one."""
    import io
    import zipfile

    from modelbazaar.contrib import load_private_key, open_bundle, write_bundle
    from modelbazaar.contrib.manifest import STATISTICS_NAME

    key = load_private_key(bundles.key)
    paths = []
    for i in range(count):
        source = open_bundle(bundles.verse if i % 2 else bundles.prose, require_signature=False)
        manifest = source.manifest.model_copy(update={"task": f"task{i}"})
        with zipfile.ZipFile(io.BytesIO(source.blob)) as zf:
            # the adapter, and its Gram statistics when the manifest declares them
            kept = [n for n in zf.namelist() if n in ("adapter.safetensors", STATISTICS_NAME)]
            files = {n: zf.read(n) for n in kept}
        files |= {f"data/{n}": b for n, b in source.data_files.items()}
        paths.append(write_bundle(folder / f"b{i}.bazaar", manifest, files, key))
    return paths
