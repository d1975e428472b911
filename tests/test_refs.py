"""Refs: compare-and-swap moves, the writer lock, tag-name rules, tags never shadow hashes."""

import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from modelbazaar.cli.main import main
from modelbazaar.errors import StoreError
from modelbazaar.store import Store
from modelbazaar.store.catalogue import Catalogue
from modelbazaar.store.refs import RefMove, RefMovedError, RefNameError, check_tag_name
from tests.helpers import tree_digest

A, B, C = "a" * 64, "b" * 64, "c" * 64


def bazaar(monkeypatch: pytest.MonkeyPatch, *argv: str) -> int:
    monkeypatch.setattr(sys, "argv", ["bazaar", *argv])
    try:
        main()
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    return 0


def exercise_compare_and_swap(catalogue: Catalogue) -> None:
    """The same checks on SQLite and PostgreSQL."""
    catalogue.move_refs([RefMove("main", A, None)], "building")
    catalogue.move_refs([RefMove("main", B, A)], "merging")
    with pytest.raises(
        RefMovedError, match=r"^main moved from a{12} to b{12} while merging; run the merge again$"
    ):
        catalogue.move_refs([RefMove("main", C, A)], "merging")
    with pytest.raises(RefMovedError, match="main was created"):
        catalogue.move_refs([RefMove("main", C, None)], "distilling")
    with pytest.raises(RefMovedError):  # all or none: `built` is not created either
        catalogue.move_refs([RefMove("built", C, None), RefMove("main", C, A)], "building")
    assert {n: r["version"] for n, r in catalogue.refs().items()} == {"main": B}
    catalogue.move_refs([RefMove("main", B, A)], "merging")  # already there: nothing to do
    log = catalogue.ref_log("main")
    assert [(m["old_version"], m["new_version"], m["reason"]) for m in log] == [
        (None, A, "building"),
        (A, B, "merging"),
    ]


def exercise_writer_lock(catalogue: Catalogue) -> None:
    """A second writer waits for the first; a reader does not wait for either."""
    events: list[str] = []
    holding, release = threading.Event(), threading.Event()

    def first() -> None:
        with catalogue.writing() as conn:
            conn.execute(text("UPDATE refs SET updated_at = 'first' WHERE name = 'main'"))
            events.append("first writes")
            holding.set()
            release.wait(timeout=30)
            events.append("first commits")

    def second() -> None:
        holding.wait(timeout=30)
        with catalogue.writing():
            events.append("second writes")

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    holding.wait(timeout=30)
    assert catalogue.refs()["main"]["version"] == B  # readers are never blocked
    events.append("reader read")
    release.set()
    for thread in threads:
        thread.join(timeout=60)
    assert events == ["first writes", "reader read", "first commits", "second writes"]


def test_refs_move_by_compare_and_swap_on_sqlite(tmp_path: Path) -> None:
    catalogue = Catalogue(f"sqlite:///{tmp_path / 'c.db'}")
    exercise_compare_and_swap(catalogue)
    exercise_writer_lock(catalogue)


def test_a_failed_swap_leaves_the_catalogue_byte_identical(tmp_path: Path) -> None:
    catalogue = Catalogue(f"sqlite:///{tmp_path / 'c.db'}")
    catalogue.move_refs([RefMove("main", A, None)], "building")
    before = tree_digest(tmp_path)
    with pytest.raises(RefMovedError):
        catalogue.move_refs([RefMove("built", B, None), RefMove("main", C, B)], "merging")
    assert tree_digest(tmp_path) == before


@pytest.mark.parametrize(
    "name",
    [
        "",
        "..",
        "../x",
        "a/b",
        "/x",
        "a b",
        "a\nb",
        "tab\t",
        "x" * 5000,
        "-rf",
        ".hidden",
        "v1.lock",
        "v1.",
        "a..b",
        "a~1",
        "a^",
        "a:b",
        "a?",
        "a*",
        "a[0]",
        "a\\b",
        "@",
        "a@{1}",
        "main",
        "built",
        "cafe",
        "DEADBEEF",
        "0123456789" * 6 + "abcd",
        "v1\x7f",
        "ünï",
    ],
)
def test_bad_tag_names_are_refused(name: str) -> None:
    with pytest.raises(RefNameError, match="is not a valid tag name"):
        check_tag_name(name)


@pytest.mark.parametrize("name", ["v0.1", "release-2026.12", "gsm8k_merge", "v1+build", "x@y"])
def test_good_tag_names(name: str) -> None:
    check_tag_name(name)


def test_cli_tag_refusals_leave_the_store_byte_identical(
    fresh_tiny: tuple[Path, Store], monkeypatch, capsys
) -> None:
    model_dir, store = fresh_tiny
    main_hash = store.resolve("main")
    assert bazaar(monkeypatch, "tag", "main", "v0.1", "-C", str(model_dir)) == 0
    before = tree_digest(store.root)
    for name in ["..", "../x", "a b", "x" * 5000, main_hash, main_hash[:12], "main"]:
        assert bazaar(monkeypatch, "tag", "main", name, "-C", str(model_dir)) != 0, name
        assert "not a valid tag name" in capsys.readouterr().err
    other = store.add_version(  # a second version to try to move v0.1 to
        weights=store.objects.put_bytes(b"other weights"),
        tokenizer=store.version("main").tokenizer,
        config=store.version("main").config,
        relation="tuned",
        info={},
        parents=[(main_hash, "tuned", {})],
    )
    before = tree_digest(store.root)
    assert bazaar(monkeypatch, "tag", other, "v0.1", "-C", str(model_dir)) != 0
    assert "tags do not move" in capsys.readouterr().err
    assert tree_digest(store.root) == before
    assert store.resolve("v0.1") == main_hash
    assert bazaar(monkeypatch, "tag", "main", "v0.1", "-C", str(model_dir)) == 0  # same: no-op
    assert bazaar(monkeypatch, "tag", other, "v0.1", "--force", "-C", str(model_dir)) == 0
    assert store.resolve("v0.1") == other
    assert [m["old_version"] for m in store.catalogue.ref_log("v0.1")] == [None, main_hash]


def test_a_tag_never_shadows_a_version_hash(fresh_tiny: tuple[Path, Store]) -> None:
    _, store = fresh_tiny
    main_hash = store.resolve("main")
    other = store.add_version(
        weights=store.objects.put_bytes(b"other weights"),
        tokenizer=store.version("main").tokenizer,
        config=store.version("main").config,
        relation="tuned",
        info={},
    )
    with store.catalogue.writing() as conn:  # tags a store got before names were checked
        for name in (main_hash, main_hash[:10]):
            conn.execute(
                text("INSERT INTO refs VALUES (:n, :v, 'tag', 'then')"), {"n": name, "v": other}
            )
    assert store.resolve(main_hash) == main_hash
    assert store.version(main_hash).hash == main_hash
    with pytest.raises(StoreError, match="both a ref .* and the start of version"):
        store.resolve(main_hash[:10])


def test_distill_refuses_a_bad_or_taken_tag_before_training(
    fresh_tiny: tuple[Path, Store], tmp_path: Path
) -> None:
    from modelbazaar.train.distill import DistillConfig
    from modelbazaar.workflows.distill import distill_version

    model_dir, store = fresh_tiny
    store.tag("v0.1", "main")
    data = tmp_path / "text.txt"
    data.write_text("to be or not to be\n" * 20)
    before = tree_digest(store.root)
    for tag, problem in (("../x", "not a valid tag name"), ("v0.1", "tags do not move")):
        with pytest.raises(StoreError, match=problem):
            distill_version(
                model_dir, teacher="main", data=data, cfg=DistillConfig(student="tiny"), tag=tag
            )
    assert tree_digest(store.root) == before
