"""The open-licence negatives the clause encoder is trained with (scripts/make_clause_negatives.py):
only open licences, never a held-out family or a labelled sentence, one half of the families
only, and the committed file is what the script makes from the data in the repository."""

from __future__ import annotations

import json
from pathlib import Path

from scripts.make_clause_negatives import (
    HELD_OUT,
    SENTENCES,
    TARGET,
    family,
    mined_half,
    negative_rows,
    open_texts,
)

from modelbazaar.licenses._data import spdx_licenses


def read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def test_families_are_ids_before_their_version() -> None:
    assert family("GFDL-1.3-only") == family("GFDL-1.1-invariants-or-later") == "GFDL"
    assert family("CC-BY-SA-4.0") == "CC-BY-SA" and family("MIT") == "MIT"
    assert family("LPPL-1.3c") == "LPPL" and family("BSD-3-Clause") == "BSD"
    assert mined_half("GFDL-1.1") == mined_half("GFDL-1.3-only")  # a family stays together


def test_negatives_come_from_open_licences_outside_the_held_out_part() -> None:
    rows = read(TARGET)
    flags = spdx_licenses()
    labelled = read(SENTENCES)
    assert len(rows) > 1000 and all(r["labels"] == [] for r in rows)
    for licence in {r["licence"] for r in rows}:
        assert flags[licence].get("isOsiApproved") or flags[licence].get("isFsfLibre"), licence
        assert not licence.startswith(HELD_OUT) and mined_half(licence), licence
    assert not {r["licence"] for r in rows} & {r["source"] for r in labelled}
    assert not {r["text"] for r in rows} & {r["text"] for r in labelled}
    assert len({r["text"] for r in rows}) == len(rows)
    unseen = [k for k in open_texts() if not mined_half(k)]
    assert len(unseen) > 50  # the SPDX check's half (clause_spdx_findings.py --unseen)


def test_committed_file_is_what_the_script_makes() -> None:
    assert read(TARGET) == negative_rows()
