"""Review, merge and build of data donations: every check with figures, the effect trial, the
source revision, `log`, the datasheet, and the collapse monitor's records."""

from __future__ import annotations

import json
import random
from importlib import resources
from pathlib import Path

import pytest

from modelbazaar.contrib import generate_keypair, load_private_key, open_bundle, write_bundle
from modelbazaar.errors import BazaarError, BundleError, ExitCode
from modelbazaar.recipe import add_trusted_key
from modelbazaar.store import Store
from modelbazaar.workflows.donate import donate, merge_donation
from modelbazaar.workflows.review import review
from tests.helpers import bazaar_exit_code, edit_recipe, tree_digest

# Shakespeare the tiny model never saw: the tiny corpus is the first 156 KB of this file.
PLAYS = resources.files("modelbazaar.templates").joinpath(
    "shakespeare/data/tinyshakespeare/train.txt"
)


def setup(model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **policy: str) -> None:
    """Trust a fresh key; a short review: 4 examples of `validation` only, a 3-step trial."""
    monkeypatch.setenv("BAZAAR_KEYS", str(tmp_path / "keys" / "me"))
    add_trusted_key(model_dir, generate_keypair(tmp_path / "keys" / "me"))
    settings = {"suites": '["validation"]', "limit": "4", "trial_steps": "3"}
    settings |= {"languages": '["en"]'} | policy
    text = (model_dir / "bazaar.toml").read_text()
    edit_recipe(model_dir, **{k: v for k, v in settings.items() if f"\n{k} = " in text})
    with (model_dir / "bazaar.toml").open("a") as f:  # [policy] is the recipe's last table
        f.write("".join(f"{k} = {v}\n" for k, v in settings.items() if f"\n{k} = " not in text))


def plays(start: int, size: int, path: Path) -> Path:
    path.write_text(PLAYS.read_text("utf-8")[start : start + size])
    return path


def by_check(rows: list[dict]) -> dict[str, dict]:
    return {r["check"]: r for r in rows}


def test_donation_reviewed_merged_built_logged_and_credited(fresh_tiny, tmp_path, monkeypatch):
    model_dir, store = fresh_tiny
    setup(model_dir, tmp_path, monkeypatch)
    verse = plays(300_000, 12_000, tmp_path / "verse.txt")
    first = donate(
        model_dir,
        data=[verse],
        license="CC0-1.0",
        consent="Public domain; I copied it.",
        source="Tiny Shakespeare, later acts",
        out=tmp_path / "a.bazaar",
    ).bundle
    again = donate(
        model_dir, data=[verse], license="CC0-1.0", consent="Mine too.", out=tmp_path / "b.bazaar"
    ).bundle

    # 1. review: every check passes with figures; the trial ran both arms and says its cost
    outcome = review(model_dir, first, report_dir=tmp_path / "report", show_progress=False)
    assert outcome.verdict == "accept", outcome.reasons
    rows = by_check(outcome.report["data_checks"])
    assert list(rows) == [
        "duplicates",
        "contamination",
        "personal data",
        "language",
        "quality",
        "synthetic share",
    ]
    assert all(r["status"] == "pass" for r in rows.values())
    assert rows["duplicates"]["figures"]["documents"] == outcome.report["documents"] > 50
    assert rows["contamination"]["figures"]["suites"] == ["validation"]  # policy + evals
    assert rows["language"]["figures"]["by_characters"]["en"] > 0.9
    assert rows["synthetic share"]["figures"]["share_after"] == 0.0
    trial = outcome.report["trial"]
    assert trial["steps"] == 3 and trial["tokens_per_arm"] == 3 * 8 * 64
    assert trial["donation_tokens"] > 1000 and trial["train_seconds"] > 0
    (loss,) = outcome.report["checks"]
    assert loss["check"] == "trial validation: loss" and loss["status"] == "pass"
    assert loss["base"] != loss["candidate"]  # the two arms trained on different streams
    md = (tmp_path / "report" / "review.md").read_text()
    assert "## Data checks" in md and "## Effect trial (cost)" in md and "I copied it" in md
    assert review(model_dir, again, show_progress=False).verdict == "accept"  # before the merge

    # 2. merge: files + manifest in data/, a source revision with its parent and the donation
    merged = merge_donation(model_dir, first, show_progress=False)
    manifest = merged.manifest.read_text()
    assert 'consent = "Public domain; I copied it."' in manifest and 'split = "train"' in manifest
    (revision,) = store.catalogue.source_revisions()
    assert (revision["id"], revision["parent"]) == (merged.revision, merged.parent)
    assert revision["contribution"] == open_bundle(first).id
    assert merge_donation(model_dir, first, show_progress=False).already

    # 3. the same text again, accepted before the merge: at merge time it is all duplicates
    before = tree_digest(model_dir / "data")
    with pytest.raises(BazaarError, match=r"100% of its \d+ documents duplicate"):
        merge_donation(model_dir, again, show_progress=False)
    assert tree_digest(model_dir / "data") == before
    assert len(store.catalogue.source_revisions()) == 1

    # 4. the next build trains on it; `log` shows the donation; the datasheet credits it
    from modelbazaar.workflows.build import build

    version = store.version(build(model_dir, show_progress=False).version)
    donated = [d for d in version.info["data"] if d.get("donation")]
    assert donated and donated[0]["train_tokens"] > 1000
    assert version.info["source_revision"] == merged.revision
    assert bazaar_exit_code(["log", "-C", str(model_dir)]) == ExitCode.OK


def test_log_and_datasheet_show_a_merged_donation(fresh_tiny, tmp_path, monkeypatch, capsys):
    """The records `log` and `release` read, written as a merge writes them (no review)."""
    model_dir, store = fresh_tiny
    setup(model_dir, tmp_path, monkeypatch)
    bundle = donate(
        model_dir,
        data=[plays(400_000, 3_000, tmp_path / "v.txt")],
        license="CC0-1.0",
        consent="<b>given</b> *freely*",
        out=tmp_path / "v.bazaar",
    ).bundle
    opened = open_bundle(bundle)
    store.catalogue.add_contribution(
        {
            "id": opened.id,
            "base": opened.manifest.base_version,
            "task": "v",
            "author": opened.manifest.author,
            "license": "CC0-1.0",
            "manifest": opened.manifest.model_dump(mode="json"),
            "bundle": store.objects.put_bytes(opened.blob),
        }
    )
    store.catalogue.add_review(
        {
            "contribution": opened.id,
            "candidate": None,
            "verdict": "accept",
            "reasons": [],
            "report": {},
        }
    )
    merged = merge_donation(model_dir, bundle, show_progress=False)
    from modelbazaar.workflows.build import build
    from modelbazaar.workflows.release import release

    build(model_dir, show_progress=False)
    capsys.readouterr()
    assert bazaar_exit_code(["log", "-C", str(model_dir)]) == ExitCode.OK
    shown = " ".join(capsys.readouterr().out.split())
    assert merged.revision[:12] in shown and "donation v" in shown and opened.id[:12] in shown
    release(store, "main", tmp_path / "rel", license_id="Apache-2.0", model_dir=model_dir)
    sheet = (tmp_path / "rel" / "DATASHEET.md").read_text()
    assert "### Donations" in sheet and opened.id[:12] in sheet
    assert "&lt;b&gt;given&lt;/b&gt; \\*freely\\*" in sheet  # the donor's words: text, not markup


def test_all_duplicate_donation_rejected_with_its_share(fresh_tiny, tmp_path, monkeypatch):
    model_dir, store = fresh_tiny
    setup(model_dir, tmp_path, monkeypatch)
    corpus = model_dir / "data" / "tinyshakespeare" / "train.txt"
    copy = tmp_path / "copy.txt"
    copy.write_text("\n\n".join(corpus.read_text().split("\n\n")[100:160]))  # whole speeches
    bundle = donate(model_dir, data=[copy], license="CC0-1.0", out=tmp_path / "c.bazaar").bundle
    outcome = review(model_dir, bundle, show_progress=False)
    assert outcome.verdict == "reject"
    assert any(r.startswith("duplicates: 100% of the") for r in outcome.reasons)
    assert outcome.report["checks"][0]["status"] == "skipped"  # no trial for a refused donation
    before = tree_digest(model_dir / "data")
    assert bazaar_exit_code(["merge", str(bundle), "-C", str(model_dir)]) == ExitCode.REFUSED
    assert tree_digest(model_dir / "data") == before and not store.catalogue.source_revisions()


def test_contaminated_personal_data_is_named_and_refused(fresh_tiny, tmp_path, monkeypatch, capsys):
    model_dir, _ = fresh_tiny
    setup(model_dir, tmp_path, monkeypatch)
    held_out = (model_dir / "data" / "tinyshakespeare" / "validation.txt").read_text()
    leaked = held_out[2_000:2_600].split("\n\n")[1]  # one speech of the validation split
    rows = [{"text": t} for t in PLAYS.read_text("utf-8")[500_000:504_000].split("\n\n")]
    rows.insert(3, {"text": "Write to me at jo.bloggs@example.org, or call +44 20 7946 0958."})
    rows.insert(5, {"text": "deploy key: AKIAIOSFODNN7EXAMPLE and the rest of it"})
    rows.insert(7, {"text": leaked})
    data = tmp_path / "mixed.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows))
    bundle = donate(model_dir, data=[data], license="MIT", out=tmp_path / "m.bazaar").bundle
    code = bazaar_exit_code(
        ["review", str(bundle), "-C", str(model_dir), "--report", str(tmp_path / "report")]
    )
    assert code == ExitCode.REJECTED
    report = json.loads((tmp_path / "report" / "review.json").read_text())
    rows_by = by_check(report["data_checks"])
    contamination = rows_by["contamination"]
    assert contamination["status"] == "fail" and contamination["figures"]["by_suite"] == {
        "validation": 1
    }
    assert contamination["examples"][0].startswith("mixed.jsonl:8 ~ validation")
    pii = rows_by["personal data"]
    assert pii["status"] == "fail" and pii["figures"]["by_kind"] == {
        "email": 1,
        "phone": 1,
        "secret": 1,
    }
    assert any("j…@e…g" in e for e in pii["examples"])
    for name in ("review.json", "review.md", "review.html"):  # redacted everywhere
        text = (tmp_path / "report" / name).read_text()
        assert "jo.bloggs@example.org" not in text and "AKIAIOSFODNN7EXAMPLE" not in text
    assert report["checks"] == [
        {
            "check": "effect trial",
            "status": "skipped",
            "detail": "a data check failed, so the trial was not run",
        }
    ]


def test_trial_rejects_a_donation_that_makes_the_model_worse(fresh_tiny, tmp_path, monkeypatch):
    """Shuffled words: new, English, clean, no PII; only training on it shows the harm."""
    model_dir, _ = fresh_tiny
    setup(
        model_dir,
        tmp_path,
        monkeypatch,
        trial_steps="20",
        trial_lr="3e-3",
        default_max_regression="0.002",
    )
    words = (model_dir / "data" / "tinyshakespeare" / "train.txt").read_text().split()
    random.Random(0).shuffle(words)
    lines = [" ".join(words[i : i + 12]) for i in range(0, len(words), 12)]
    salad = tmp_path / "salad.txt"
    salad.write_text("\n\n".join("\n".join(lines[i : i + 4]) for i in range(0, len(lines), 4)))
    bad = donate(model_dir, data=[salad], license="CC0-1.0", out=tmp_path / "s.bazaar").bundle
    good = donate(
        model_dir,
        data=[plays(300_000, 12_000, tmp_path / "v.txt")],
        license="CC0-1.0",
        out=tmp_path / "v.bazaar",
    ).bundle
    rejected = review(model_dir, bad, show_progress=False)
    assert rejected.verdict == "reject", rejected.report["checks"]
    assert all(c["status"] == "pass" for c in rejected.report["data_checks"])
    (loss,) = rejected.report["checks"]
    assert loss["status"] == "fail" and loss["ci_low"] > 0.002 * loss["base"]
    assert rejected.reasons[0].startswith("effect trial: validation loss got worse")
    accepted = review(model_dir, good, show_progress=False)  # the same policy and budget
    assert accepted.verdict == "accept", accepted.reasons


def test_synthetic_share_bound_and_self_generation(fresh_tiny, tmp_path, monkeypatch):
    model_dir, store = fresh_tiny
    setup(model_dir, tmp_path, monkeypatch, max_synthetic_share="0.05", languages="[]")
    from modelbazaar.generate import generate_text
    from modelbazaar.model import load_version

    loaded = load_version(store, "main")
    samples = [
        generate_text(loaded, "ROMEO:", max_new_tokens=60, temperature=1.0, seed=s)
        for s in range(12)
    ]
    # a 60k-parameter model babbles control bytes too; a donor cleans them before donating
    clean = ["".join(c for c in s if c.isprintable() or c == "\n").strip() for s in samples]
    data = tmp_path / "samples.txt"
    data.write_text("\n\n".join(c or "..." for c in clean))
    bundle = donate(
        model_dir,
        data=[data],
        license="CC0-1.0",
        provenance="synthetic:main",
        out=tmp_path / "s.bazaar",
    ).bundle
    outcome = review(model_dir, bundle, show_progress=False)
    row = by_check(outcome.report["data_checks"])["synthetic share"]
    assert row["status"] == "pass" and 0.002 < row["figures"]["share_after"] < 0.05
    trial = by_check(outcome.report["checks"])  # the diversity suite joins the trial
    assert {"trial diversity: distinct_2", "trial diversity: tail_loss"} <= set(trial)
    assert "diversity" in outcome.report["trial"]["suites"]

    edit_recipe(model_dir, max_synthetic_share="0.002")
    outcome = review(model_dir, bundle, show_progress=False)
    row = by_check(outcome.report["data_checks"])["synthetic share"]
    assert row["status"] == "fail" and outcome.report["trial"] == {}
    generator = row["figures"]["generator"]
    assert generator["self"] and generator["generation"] == 1
    assert generator["version"] == store.resolve("main")
    assert (
        "diversity" in by_check(outcome.report["data_checks"])["contamination"]["figures"]["suites"]
    )  # a synthetic donation is also checked against the diversity suite's texts
    assert any("max_synthetic_share = 0.002" in r for r in outcome.reasons)


def test_builds_record_generators_and_self_generation(fresh_tiny, tmp_path) -> None:
    """A synthetic dataset written by this model's own `main`: the build records the share,
    the generator resolved against the store, that it is the model itself (generation 1), and
    the lineage has the edge data -> generator."""
    model_dir, store = fresh_tiny
    main = store.resolve("main")
    folder = model_dir / "data" / "samples"
    folder.mkdir()
    text = PLAYS.read_text("utf-8")[600_000:630_000]  # stands in for main's samples
    (folder / "s.txt").write_text(text)
    from modelbazaar.data.manifest import write_manifest_entry
    from modelbazaar.release.source import toml_dump

    entry = write_manifest_entry(model_dir / "data", "samples/s.txt", "train")
    manifest = {
        "name": "samples",
        "license": "CC0-1.0",
        "source": "bazaar generate main",
        "provenance": "synthetic",
        "generator": "main",
        "files": [entry],
    }
    (model_dir / "data" / "samples.toml").write_text(toml_dump(manifest))
    from modelbazaar.store.lineage import walk
    from modelbazaar.workflows.build import build

    version = store.version(build(model_dir, show_progress=False).version)
    synthetic = version.info["synthetic"]
    assert 0.1 < synthetic["share"] == version.info["synthetic_token_share"] < 0.5
    (generator,) = synthetic["generators"]
    assert generator == {
        "dataset": "samples",
        "generator": "main",
        "version": main,
        "self": True,
        "generation": 1,
    }
    assert synthetic["generation"] == 1 and synthetic["self_generated_tokens"] > 0
    edges = walk(store, version.hash).edges
    assert {"child": "data:samples", "parent": main, "relation": "generated by"} in edges


def test_data_card_that_mixes_or_withholds_files_is_refused(fresh_tiny, tmp_path, monkeypatch):
    model_dir, store = fresh_tiny
    setup(model_dir, tmp_path, monkeypatch)
    honest = donate(
        model_dir,
        data=[plays(300_000, 2_000, tmp_path / "a.txt"), plays(310_000, 2_000, tmp_path / "b.txt")],
        license="CC0-1.0",
        out=tmp_path / "h.bazaar",
    ).bundle
    opened = open_bundle(honest)
    key = load_private_key(tmp_path / "keys" / "me")
    files = opened.manifest.data_card.files
    cases = {
        "is under MIT": [files[0], files[1].model_copy(update={"license": "MIT"})],
        "another provenance": [
            files[0],
            files[1].model_copy(update={"provenance": "synthetic", "generator": "gpt-4o"}),
        ],
    }
    before = tree_digest(store.root)
    for message, card_files in cases.items():
        card = opened.manifest.data_card.model_copy(update={"files": card_files})
        path = write_bundle(
            tmp_path / "x.bazaar",
            opened.manifest.model_copy(update={"data_card": card}),
            {f"data/{n}": b for n, b in opened.data_files.items()},
            key,
        )
        with pytest.raises(BundleError, match=message):
            review(model_dir, path, show_progress=False)
    withheld = opened.manifest.data_card.model_copy(
        update={"files": [files[0], files[1].model_copy(update={"included": False})]}
    )
    path = write_bundle(
        tmp_path / "w.bazaar",
        opened.manifest.model_copy(update={"data_card": withheld}),
        {"data/a.txt": opened.data_files["a.txt"]},
        key,
    )
    with pytest.raises(BundleError, match="'b.txt' as not included"):
        review(model_dir, path, show_progress=False)
    assert tree_digest(store.root) == before
    assert not Store.for_model(model_dir).catalogue.source_revisions()
