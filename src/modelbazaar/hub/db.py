"""The hub's storage: one `Store` (objects + catalogue, reused as is) plus the hub's tables.

Everything the hub keeps lives in one database — SQLite under the data folder by default, or
PostgreSQL (`postgresql+psycopg://…`) — and one object store — a local folder or an S3 bucket.
Versions, lineage, refs (by compare-and-swap), the ref log, contributions and reviews are the
store's own tables; a model's refs are named ``MODEL/REF`` there (a model name has no ``/``).

Example: db = HubDB.open(HubConfig(data=Path("hub"))); db.store.catalogue.refs()
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from modelbazaar.hub.migrations import migrate_hub
from modelbazaar.store import Store
from modelbazaar.store.catalogue import now
from modelbazaar.store.objects import ObjectStore
from modelbazaar.store.s3objects import S3ObjectStore

MiB = 1 << 20


@dataclass(frozen=True)
class Limits:
    """What one request may ask of the hub; a request beyond any of them gets 413 or 429."""

    max_json_bytes: int = 8 * MiB  # a JSON request body (a batch of version rows, a tree)
    max_object_bytes: int = 8 * 1024 * MiB  # one uploaded object (weights of a ~2B model)
    max_bundle_bytes: int = 1024 * MiB  # one submitted bundle (contrib's own archive limit)
    max_objects_per_push: int = 20_000  # digests one push may name
    max_versions_per_push: int = 2_000
    submissions_per_hour: int = 30  # per user
    chats_per_hour: int = 120  # answers the chat page generates per user


@dataclass(frozen=True)
class HubConfig:
    data: Path  # data folder: SQLite database, local objects, temp files of uploads
    database_url: str | None = None  # default: sqlite:///DATA/catalogue.db
    objects: str | None = None  # default: DATA/objects; or s3://bucket/prefix
    s3_endpoint: str | None = None
    lease_seconds: float = 120.0  # a worker that misses its heartbeats this long loses the job
    max_attempts: int = 5  # a job that failed (or lost its worker) this often is marked failed
    limits: Limits = field(default_factory=Limits)


class HubDB:
    """The store and the hub tables of one hub; safe to share between request threads."""

    def __init__(self, config: HubConfig, store: Store) -> None:
        self.config = config
        self.store = store
        self.engine = store.catalogue.engine

    @classmethod
    def open(cls, config: HubConfig) -> HubDB:
        """Open (creating and migrating) the hub's database; a newer schema is refused."""
        data = Path(config.data)
        data.mkdir(parents=True, exist_ok=True)
        objects: Any = None
        if config.objects and config.objects.startswith("s3://"):
            objects = S3ObjectStore(
                config.objects, staging=data / "incoming", endpoint_url=config.s3_endpoint
            )
        elif config.objects:
            objects = ObjectStore(Path(config.objects))
        # catalogue.db, as in any store: `BAZAAR_HOME=DATA bazaar fsck` checks a hub too
        url = config.database_url or f"sqlite:///{data / 'catalogue.db'}"
        store = Store(data, database_url=url, objects=objects)  # store migrations (or refusal)
        migrate_hub(store.catalogue)
        return cls(config, store)

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """One transaction under the store's writer lock (the store's own rule for writes)."""
        with self.store.catalogue.writing() as conn:
            yield conn

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"


def stamp() -> tuple[str, float]:
    """(ISO time for people, epoch seconds for comparisons)."""
    return now(), time.time()


def ref_name(model: str, ref: str) -> str:
    """The store ref holding `ref` of hub model `model`: ("tiny", "main") -> "tiny/main"."""
    return f"{model}/{ref}"
