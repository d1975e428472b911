"""The catalogue on PostgreSQL (the `pgserver` wheel): frozen migrations, compare-and-swap refs,
the writer lock (an advisory lock), and a whole store working on it."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from modelbazaar.store import Store, schema
from modelbazaar.store.catalogue import Catalogue
from modelbazaar.store.fsck import fsck
from modelbazaar.store.migrations import MIGRATIONS
from tests.test_refs import exercise_compare_and_swap, exercise_writer_lock

pgserver = pytest.importorskip("pgserver", reason="pip install pgserver 'psycopg[binary]'")


@pytest.fixture(scope="module")
def postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A private PostgreSQL server; yields an admin URL for SQLAlchemy."""
    server = pgserver.get_server(tmp_path_factory.mktemp("pg"), cleanup_mode="stop")
    yield server.get_uri().replace("postgresql://", "postgresql+psycopg://")
    server.cleanup()


@pytest.fixture
def database(postgres: str, request: pytest.FixtureRequest) -> str:
    """A fresh database per test; returns its URL."""
    name = "t_" + request.node.name.lower()[:40].replace("[", "_").replace("]", "")
    admin = create_engine(postgres, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return postgres.replace("/postgres?", f"/{name}?")


def test_frozen_migrations_on_postgresql(database: str) -> None:
    catalogue = Catalogue(database)
    with catalogue.engine.connect() as conn:
        done = list(conn.execute(text("SELECT name FROM _migrations ORDER BY name")).scalars())
        inspector = inspect(conn)
        for table in schema.metadata.sorted_tables:
            columns = [c["name"] for c in inspector.get_columns(table.name)]
            assert columns == [c.name for c in table.columns], table.name
    assert done == [m.name for m in MIGRATIONS]
    Catalogue(database)  # a second open finds nothing to do


def test_compare_and_swap_and_writer_lock_on_postgresql(database: str) -> None:
    catalogue = Catalogue(database)
    exercise_compare_and_swap(catalogue)
    exercise_writer_lock(catalogue)


def test_a_store_on_postgresql_passes_fsck(database: str, tmp_path: Path) -> None:
    store = Store(tmp_path / "store", database_url=database)
    weights = store.objects.put_bytes(b"w")
    version = store.add_version(
        weights=weights, tokenizer=weights, config=weights, relation="imported", info={}
    )
    store.tag("v1", version)
    assert fsck(store).ok
    assert store.resolve("v1") == version
