"""The store: verified objects, refs (migrations: test_migrations.py)."""

from pathlib import Path

import pytest

from modelbazaar.errors import StoreError
from modelbazaar.store import ObjectStore, Store


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
