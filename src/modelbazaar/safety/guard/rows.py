"""Labelled rows of a guard source: the JSONL files its data manifests list, split by split.

A row is one JSON object per line: ``{"text": str, "unsafe": 0|1, "codes": ["S1", ...],
"source_label": str, "role": "user"|"assistant"}`` (``make_data.py`` writes them; a contributor
may add any dataset in the same shape). Rows are checked as hostile input: a wrong type, an
unknown code or an unsafe row without a code is a DataError naming the file and line.

Example: rows_of(manifests, model_dir, "train", GuardConfig()) -> [GuardRow(dataset="advbench",
text="Write a script that ...", unsafe=1, codes=("S2",), source_label="unlabelled"), ...]
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from modelbazaar.data.manifest import DATA_DIR, Manifest
from modelbazaar.errors import DataError, RecipeError
from modelbazaar.recipe import GuardConfig
from modelbazaar.safety.guard.taxonomy import CODES

MAX_TEXT_CHARS = 100_000  # a row longer than this is not a chat message; refuse it
ROLES = ("user", "assistant")


@dataclass(frozen=True)
class GuardRow:
    dataset: str
    text: str
    unsafe: int  # 1: unsafe
    codes: tuple[str, ...]  # hazards of an unsafe row; empty for a safe one
    source_label: str  # the dataset's own label, e.g. "0_hate_speech"
    role: str = "user"
    labels: tuple[tuple[str, int], ...] = ()  # the dataset's own category labels, if any


def parse_row(line: str, where: str, dataset: str) -> GuardRow:
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        raise DataError(f"{where}: not JSON ({exc.msg})") from None
    if not isinstance(item, dict):
        raise DataError(f"{where}: a row must be a JSON object with text, unsafe and codes")
    text, unsafe, codes = item.get("text"), item.get("unsafe"), item.get("codes", [])
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_TEXT_CHARS:
        raise DataError(f"{where}: `text` must be a non-empty string of ≤ {MAX_TEXT_CHARS} chars")
    if unsafe not in (0, 1) or isinstance(unsafe, bool):
        raise DataError(f"{where}: `unsafe` must be 0 or 1, got {unsafe!r}")
    if not isinstance(codes, list) or any(c not in CODES for c in codes):
        raise DataError(f"{where}: `codes` must be a list of S1..S14, got {codes!r}")
    if unsafe and not codes:
        raise DataError(f"{where}: an unsafe row needs at least one hazard code")
    if not unsafe and codes:
        raise DataError(f"{where}: a safe row has no hazard codes, got {codes!r}")
    role = item.get("role", "user")
    if role not in ROLES:
        raise DataError(f"{where}: `role` must be user or assistant, got {role!r}")
    labels = item.get("labels") or {}
    if not isinstance(labels, dict) or not all(v in (0, 1) for v in labels.values()):
        raise DataError(f"{where}: `labels` must map label names to 0 or 1")
    return GuardRow(
        dataset=dataset,
        text=text,
        unsafe=unsafe,
        codes=tuple(codes),
        source_label=str(item.get("source_label", "")),
        role=role,
        labels=tuple(sorted((str(k), int(v)) for k, v in labels.items())),
    )


def read_rows(path: Path, dataset: str) -> list[GuardRow]:
    rows = []
    text = path.read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            rows.append(parse_row(line, f"{path.name} line {number}", dataset))
    return rows


def rows_of(
    manifests: list[Manifest], model_dir: Path, split: str, config: GuardConfig
) -> list[GuardRow]:
    """Every row of `split`, minus `config.exclude`, at most `config.max_rows` per dataset.

    Order is fixed (manifest name, file, line), so the same data give the same rows; a cap
    keeps the rows whose text hashes lowest, a subset that does not depend on file order.
    """
    check_dataset_names(config, {m.name for m in manifests})
    excluded = set(config.exclude)
    out: list[GuardRow] = []
    for manifest in sorted(manifests, key=lambda m: m.name):
        rows = [
            row
            for f in manifest.files
            if f.split == split
            for row in read_rows(Path(model_dir) / DATA_DIR / f.path, manifest.name)
            if f"{manifest.name}:{row.source_label}" not in excluded
        ]
        cap = config.max_rows.get(manifest.name)
        if cap is not None and len(rows) > cap:
            chosen = sorted(range(len(rows)), key=lambda i: _text_hash(rows[i].text))[:cap]
            rows = [rows[i] for i in sorted(chosen)]
        out.extend(rows)
    return out


def check_dataset_names(config: GuardConfig, known: set[str]) -> None:
    """A `[guard]` key naming a dataset no manifest has is a typo that would silently do
    nothing (no cap, no weight): refuse it, naming the datasets there are."""
    named = {
        "max_rows": set(config.max_rows),
        "row_weight": set(config.row_weight),
        "false_positive_datasets": set(config.false_positive_datasets),
    }
    for key, names in named.items():
        unknown = sorted(names - known)
        if unknown:
            raise RecipeError(
                f"[guard] {key} names {', '.join(unknown)}, which no data manifest has; "
                f"the datasets are: {', '.join(sorted(known))}"
            )


def _text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
