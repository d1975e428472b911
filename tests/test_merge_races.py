"""Racing writers and replayed contributions (issue 9, findings 1 and 2).

Two merges of different accepted contributions started at the same instant: exactly one moves
`main`, the other fails with "main moved from X to Y while merging; run the merge again", and
re-running it merges on top. A contribution is named by its signed manifest, so re-zipping it
changes nothing, and one already in main's lineage is never merged again.
"""

from __future__ import annotations

import io
import shutil
import sys
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest

import modelbazaar.workflows.merge as merging
from modelbazaar.cli.main import main as bazaar_main
from modelbazaar.contrib import generate_keypair, load_private_key, open_bundle, write_bundle
from modelbazaar.errors import BazaarError, StoreError
from modelbazaar.recipe import add_trusted_key
from modelbazaar.store import Store
from modelbazaar.train.lora import LoraTrainConfig
from modelbazaar.workflows.contribute import contribute
from modelbazaar.workflows.review import review
from tests.helpers import tree_digest
from tests.warm_cli import WarmCli, child_env

RACES = 20


@pytest.fixture(scope="module")
def two_accepted(tiny_built, tmp_path_factory) -> tuple[Path, Path, Path]:
    """(model dir whose store has two accepted contributions, bundle A, bundle B)."""
    root = tmp_path_factory.mktemp("races")
    model_dir = root / "model"
    shutil.copytree(tiny_built[0], model_dir)
    with (model_dir / "bazaar.toml").open("a") as f:
        f.write("limit = 8\n")  # [policy] is the recipe's last table: review 8 examples/suite
    key = root / "key"
    add_trusted_key(model_dir, generate_keypair(key))  # nobody is trusted until listed
    text = (model_dir / "data" / "tinyshakespeare" / "train.txt").read_text()
    bundles = []
    for name, part in (("verse", text[20_000:40_000]), ("prose", text[60_000:80_000])):
        (root / f"{name}.txt").write_text(part)
        bundle = contribute(
            model_dir,
            data=root / f"{name}.txt",
            task=name,
            license="CC0-1.0",
            key=key,
            include_data=True,
            out=root / f"{name}.bazaar",
            show_progress=False,
            train=LoraTrainConfig(steps=30, lr=1e-2),
        ).bundle
        assert review(model_dir, bundle, show_progress=False).verdict == "accept"
        bundles.append(bundle)
    return model_dir, bundles[0], bundles[1]


@pytest.fixture
def source(two_accepted, tmp_path: Path) -> tuple[Path, Store]:
    target = tmp_path / "model"
    shutil.copytree(two_accepted[0], target)
    return target, Store.for_model(target)


def rezip(bundle: Path, out: Path) -> Path:
    """The same members, stored uncompressed and in reverse order: other bytes, same content."""
    with zipfile.ZipFile(bundle) as zf:
        members = [(info.filename, zf.read(info)) for info in zf.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as zf:
        for name, data in reversed(members):
            zf.writestr(name, data)
    out.write_bytes(buffer.getvalue())
    return out


def cli(monkeypatch: pytest.MonkeyPatch, *argv: str) -> int:
    monkeypatch.setattr(sys, "argv", ["bazaar", *argv])
    try:
        bazaar_main()
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    return 0


def test_a_rezipped_bundle_keeps_its_contribution_id(two_accepted, tmp_path: Path) -> None:
    _, bundle_a, _ = two_accepted
    again = rezip(bundle_a, tmp_path / "again.bazaar")
    first, second = open_bundle(bundle_a), open_bundle(again)
    assert again.read_bytes() != bundle_a.read_bytes() and first.sha256 != second.sha256
    assert first.id == second.id


def test_a_merged_contribution_is_never_merged_again(
    two_accepted, source, tmp_path: Path, monkeypatch, capsys
) -> None:
    model_dir, store = source
    _, bundle_a, bundle_b = two_accepted
    first = merging.merge(model_dir, [bundle_a], show_progress=False)
    assert first.verdict == "accept" and store.resolve("main") == first.version
    rezipped = rezip(bundle_a, tmp_path / "a-again.bazaar")

    before = tree_digest(store.root)  # main *is* the merge of A: re-running it does nothing
    again = merging.merge(model_dir, [rezipped], show_progress=False)
    assert again.already and again.version == first.version
    assert tree_digest(store.root) == before

    second = merging.merge(model_dir, [bundle_b], show_progress=False)
    assert store.resolve("main") == second.version
    before = tree_digest(store.root)
    for replay in ([rezipped], [bundle_a], [bundle_a, bundle_b]):
        with pytest.raises(
            BazaarError, match=rf"already merged into main \(by version {first.version[:12]}\)"
        ):
            merging.merge(model_dir, replay, show_progress=False)
    assert cli(monkeypatch, "merge", str(rezipped), "-C", str(model_dir)) != 0
    assert "would apply its delta twice" in capsys.readouterr().err
    with pytest.raises(BazaarError, match="given twice"):
        merging.merge(model_dir, [bundle_b, bundle_b], show_progress=False)
    assert tree_digest(store.root) == before
    assert store.resolve("main") == second.version


def resign(bundle: Path, out: Path, key: Path) -> Path:
    """The same adapter and data in a new manifest (a later `created`), signed again."""
    opened = open_bundle(bundle)
    with zipfile.ZipFile(bundle) as zf:
        files = {n: zf.read(n) for n in zf.namelist() if not n.startswith("manifest.")}
    later = opened.manifest.created + timedelta(hours=1)
    manifest = opened.manifest.model_copy(update={"created": later})
    return write_bundle(out, manifest, files, load_private_key(key))


def test_the_same_adapter_signed_again_is_still_refused(two_accepted, source, tmp_path) -> None:
    model_dir, store = source
    _, bundle_a, bundle_b = two_accepted
    first = merging.merge(model_dir, [bundle_a], show_progress=False)
    merging.merge(model_dir, [bundle_b], show_progress=False)
    resigned = resign(bundle_a, tmp_path / "resigned.bazaar", bundle_a.parent / "key")
    assert open_bundle(resigned).id != open_bundle(bundle_a).id  # a new contribution id ...
    assert review(model_dir, resigned, show_progress=False).verdict == "accept"
    before = tree_digest(store.root)
    with pytest.raises(
        BazaarError, match=f"already merged into main .by version {first.version[:12]}"
    ):
        merging.merge(model_dir, [resigned], show_progress=False)  # ... but the same adapter
    assert tree_digest(store.root) == before


def test_a_merge_that_started_from_an_older_main_does_not_move_it(
    two_accepted, source, monkeypatch
) -> None:
    """Another writer moves main while this merge is reviewing its candidate."""
    model_dir, store = source
    _, bundle_a, bundle_b = two_accepted
    start = store.resolve("main")
    judge = merging.judge_candidate
    other: dict[str, str] = {}

    def judge_while_another_merge_lands(*args, **kwargs):
        monkeypatch.setattr(merging, "judge_candidate", judge)  # the inner merge judges normally
        other["version"] = merging.merge(model_dir, [bundle_b], show_progress=False).version
        return judge(*args, **kwargs)

    monkeypatch.setattr(merging, "judge_candidate", judge_while_another_merge_lands)
    message = rf"^main moved from {start[:12]} to {{}} while merging; run the merge again$"
    with pytest.raises(StoreError) as refused:
        merging.merge(model_dir, [bundle_a], show_progress=False)
    assert refused.match(message.format(other["version"][:12]))
    assert store.resolve("main") == other["version"]  # the other writer's merge is kept
    rerun = merging.merge(model_dir, [bundle_a], show_progress=False)
    assert store.version(rerun.version).parents[0]["parent"] == other["version"]
    assert len(store.merged_contributions(rerun.version)) == 4  # 2 ids + 2 adapters


@pytest.mark.slow
def test_two_merges_started_at_once(two_accepted, tmp_path: Path) -> None:
    pristine, bundle_a, bundle_b = two_accepted
    outcomes: dict[str, int] = {}
    with WarmCli(env=child_env()) as warm:
        for trial in range(RACES):
            model_dir = tmp_path / f"race{trial}"
            shutil.copytree(pristine, model_dir)
            store = Store.for_model(model_dir)
            start = store.resolve("main")
            pids = {
                warm.start(["merge", str(bundle), "-C", str(model_dir)], cwd=model_dir): bundle
                for bundle in (bundle_a, bundle_b)
            }
            results = {pids[pid]: warm.wait(pid) for pid in list(pids)}
            winners = [b for b, r in results.items() if r.code == 0]
            assert len(winners) == 1, {
                b.name: (r.code, r.output[-300:]) for b, r in results.items()
            }
            winner = winners[0]
            loser = bundle_b if winner == bundle_a else bundle_a
            landed = store.resolve("main")
            assert f"main is now {landed[:12]}" in results[winner].output
            expected = (
                f"main moved from {start[:12]} to {landed[:12]} while merging; run the merge again"
            )
            assert expected in " ".join(results[loser].output.split()), results[loser].output
            rerun = warm.run(["merge", str(loser), "-C", str(model_dir)], cwd=model_dir)
            assert rerun.code == 0, rerun.output
            final = store.version("main")
            assert final.parents[0]["parent"] == landed  # merged on top of the winner
            assert len(store.merged_contributions(final.hash)) == 4
            outcomes[winner.stem] = outcomes.get(winner.stem, 0) + 1
            shutil.rmtree(model_dir)
    print(
        f"\n{RACES} races: exactly one merge moved main each time "
        f"(winners: {outcomes}); every loser failed with 'main moved … run the merge again' "
        "and merged on top when re-run"
    )
