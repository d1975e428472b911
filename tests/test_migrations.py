"""Frozen migrations: old stores open and upgrade, newer stores are refused, DDL never drifts."""

import shutil
import sqlite3
from pathlib import Path

import pytest
import torch
from sqlalchemy import create_engine, inspect

from modelbazaar.errors import StoreError
from modelbazaar.model import load_version
from modelbazaar.store import Store, schema
from modelbazaar.store import migrations as mig
from modelbazaar.store.fsck import fsck
from tests.helpers import tree_digest

FIXTURE = Path(__file__).parent / "data" / "store_v1"  # written by commit 262a55e's code
V1_VERSION = "f2470cf94bf01885679ffeaa46391c21868bc3b1d403b259b1169dc590e91912"
V1_MIGRATIONS = [m.name for m in mig.MIGRATIONS[:4]]


@pytest.fixture
def v1_store(tmp_path: Path) -> Path:
    target = tmp_path / "store"
    shutil.copytree(FIXTURE, target, ignore=shutil.ignore_patterns("SOURCE.txt", "source"))
    return target


def table_info(db: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(db) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {n: list(conn.execute(f"PRAGMA table_info({n})")) for n in sorted(names)}


def test_a_blank_catalogue_gets_every_migration_and_matches_schema(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'blank.db'}")
    assert mig.migrate(engine) == [m.name for m in mig.MIGRATIONS]
    inspector = inspect(engine)
    for table in schema.metadata.sorted_tables:  # the query-side Table objects agree
        columns = [(c["name"], c["nullable"]) for c in inspector.get_columns(table.name)]
        assert columns == [(c.name, c.nullable) for c in table.columns], table.name
    assert mig.migrate(engine) == []


def test_frozen_sql_builds_exactly_the_tables_the_old_code_built(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'blank.db'}")
    mig.migrate(engine)
    old, new = table_info(FIXTURE / "catalogue.db"), table_info(tmp_path / "blank.db")
    assert set(old) == set(new) - {"ref_log", "source_revisions"}
    for name in old:  # columns, types, nullability, defaults and primary keys
        assert old[name] == new[name], name


def test_an_old_store_opens_and_upgrades(v1_store: Path) -> None:
    store = Store(v1_store)
    with sqlite3.connect(v1_store / "catalogue.db") as conn:
        done = [r[0] for r in conn.execute("SELECT name FROM _migrations ORDER BY name")]
    assert done == [m.name for m in mig.MIGRATIONS]
    assert not (v1_store / "catalogue.db-wal").exists()  # upgraded to the rollback journal
    assert {n: r["version"] for n, r in store.catalogue.refs().items()} == dict.fromkeys(
        ("built", "main", "v0.1"), V1_VERSION
    )
    loaded = load_version(store, "v0.1")  # the old version's objects still load as a model
    logits = loaded.model(torch.tensor([[1, 2, 3]])).logits
    assert torch.isfinite(logits).all()
    assert fsck(store).ok
    store.tag("v0.2", "main")  # the new table (ref_log) works on the upgraded store
    assert [m["name"] for m in store.catalogue.ref_log()] == ["v0.2"]


def test_a_store_newer_than_the_code_is_refused_untouched(v1_store: Path) -> None:
    with sqlite3.connect(v1_store / "catalogue.db") as conn:
        conn.execute("INSERT INTO _migrations VALUES ('m999_from_the_future', 'later')")
    # The first schema kept SQLite in WAL mode, whose -shm index every reader rewrites; the
    # database, its WAL and the objects must not change (not even the pending m005 is applied).
    before = {k: v for k, v in tree_digest(v1_store).items() if not k.endswith("-shm")}
    with pytest.raises(StoreError, match="newer modelbazaar .* m999_from_the_future"):
        Store(v1_store)
    after = {k: v for k, v in tree_digest(v1_store).items() if not k.endswith("-shm")}
    assert after == before


def test_a_failing_migration_applies_nothing(
    v1_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = mig.Migration("m006_broken", ("CREATE TABLE extra (x TEXT)", "NOT SQL AT ALL"))
    monkeypatch.setattr(mig, "MIGRATIONS", (*mig.MIGRATIONS, broken))
    with pytest.raises(Exception, match="syntax error"):
        Store(v1_store)
    tables = table_info(v1_store / "catalogue.db")
    assert "extra" not in tables and "ref_log" not in tables  # m005 rolled back with it
    with sqlite3.connect(v1_store / "catalogue.db") as conn:
        done = [r[0] for r in conn.execute("SELECT name FROM _migrations ORDER BY name")]
    assert done == V1_MIGRATIONS
