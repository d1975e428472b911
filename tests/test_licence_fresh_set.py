"""The second held-out clause set (`bench/data/clause_fresh.jsonl`): well formed, in styles no
train sentence has, every category present, and read by nothing that trains or tunes."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).parents[1]
FRESH = ROOT / "bench" / "data" / "clause_fresh.jsonl"
LABELLED = ROOT / "bench" / "data" / "clause_sentences.jsonl"


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def test_fresh_rows_are_well_formed_and_cover_every_category() -> None:
    fresh, labelled = _rows(FRESH), _rows(LABELLED)
    categories = {label for row in labelled for label in row["labels"]}
    for row in fresh:
        assert set(row) == {"text", "labels", "source", "section", "split"}, row
        assert row["split"] == "fresh" and row["source"].startswith("fresh:"), row
        assert row["labels"] == sorted(set(row["labels"])) and set(row["labels"]) <= categories
    positives = Counter(label for row in fresh for label in row["labels"])
    assert set(positives) == categories
    assert min(positives.values()) >= 10  # enough to measure each category at all
    assert 0.3 < sum(not row["labels"] for row in fresh) / len(fresh) < 0.6  # look-alikes too


def test_fresh_styles_and_sentences_are_new() -> None:
    fresh, labelled = _rows(FRESH), _rows(LABELLED)
    styles = {row["source"].split(":", 1)[1] for row in fresh}
    known = {row["source"].split(":", 1)[-1] for row in labelled}
    assert not styles & known, "a fresh style is a train style: it measures nothing new"
    texts = [row["text"] for row in fresh]
    assert len(set(texts)) == len(texts)
    assert not set(texts) & {row["text"] for row in labelled}


def test_nothing_that_trains_or_tunes_reads_the_fresh_set() -> None:
    """Only bench/clause_quality.py may name it: a model built from it would measure nothing."""
    readers = [
        path.relative_to(ROOT).as_posix()
        for folder in ("src", "scripts", "bench")
        for path in (ROOT / folder).rglob("*.py")
        if "clause_fresh" in path.read_text("utf-8")
    ]
    assert readers == ["bench/clause_quality.py"]


def test_wilson_interval_of_few_positives() -> None:
    spec = importlib.util.spec_from_file_location(
        "clause_quality", ROOT / "bench" / "clause_quality.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    low, high = module.wilson(9, 9)
    assert round(low, 3) == 0.701 and high == 1.0  # 9 of 9 found: recall may still be 0.70
    low, high = module.wilson(8, 9)
    assert round(low, 3) == 0.565 and round(high, 3) == 0.980
    assert module.wilson(0, 0) == (0.0, 1.0)
