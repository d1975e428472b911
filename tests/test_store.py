"""The store: migrations from a blank database, verified objects, refs."""

from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

from modelbazaar.errors import StoreError
from modelbazaar.store import ObjectStore, Store, schema
from modelbazaar.store.migrations import MIGRATIONS, migrate


def test_migrations_from_blank_database_give_the_schema(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'blank.db'}")
    applied = migrate(engine)
    assert applied == [m.__name__ for m in MIGRATIONS]
    assert [name for name in applied] == sorted(applied)  # numbered, in order
    inspector = inspect(engine)
    for table in schema.metadata.sorted_tables:
        columns = [c["name"] for c in inspector.get_columns(table.name)]
        assert columns == [c.name for c in table.columns], table.name
    assert migrate(engine) == []  # idempotent: a second run applies nothing


def test_objects_are_content_addressed_and_verified(tmp_path: Path) -> None:
    objects = ObjectStore(tmp_path / "objects")
    digest = objects.put_bytes(b"weights")
    assert objects.get_bytes(digest) == b"weights"
    assert objects.put_bytes(b"weights") == digest
    objects.path_of(digest).write_bytes(b"tampered")
    with pytest.raises(StoreError, match="corrupt"):
        objects.get_bytes(digest)
    assert not list((tmp_path / "objects").rglob(".tmp-*"))  # no stray temp files


def test_object_names_are_validated(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="not a sha256"):
        ObjectStore(tmp_path).path_of("../../etc/passwd")


def test_missing_ref_lists_the_refs_that_exist(tiny_built: tuple[Path, Store]) -> None:
    _, store = tiny_built
    with pytest.raises(StoreError, match=r"no ref or version 'mian'.*refs: built, main"):
        store.resolve("mian")


def test_hash_prefix_resolves(tiny_built: tuple[Path, Store]) -> None:
    _, store = tiny_built
    digest = store.resolve("main")
    assert store.resolve(digest[:8]) == digest


def test_history_follows_first_parents(fresh_tiny: tuple[Path, Store]) -> None:
    _, store = fresh_tiny
    base = store.version("main")
    child = store.add_version(
        weights=base.weights,
        tokenizer=base.tokenizer,
        config=base.config,
        relation="tuned",
        info={"note": "test"},
        parents=[(base.hash, "tuned", {})],
        message="child",
    )
    # same objects + different lineage: a version is named by its content, so this is `base`
    assert child == base.hash
    assert [r.hash for r in store.history(base.hash)] == [base.hash]
