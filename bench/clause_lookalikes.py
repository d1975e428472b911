"""False findings of the rules on hostile look-alikes: prose that shares a clause's words and
restricts no licensee, written at the rules' alternatives.

`bench/data/clause_lookalikes.jsonl`: 258 sentences a reviewer wrote in the tenth clause pass
(bench/data/CLAUSES.md) after reading the widened rules — EULA, terms-of-service, README,
release-note, privacy and operations prose ("Compiler warnings are not to be suppressed", "Do
not run migrations on a live database") — labelled by meaning (`labels`: 2 of them are real
clauses). They are written at the regexes, so the count is a regression check for rule
changes, not a precision estimate. Train and held-out rows are elsewhere; these are neither.

    PYTHONPATH=src python bench/clause_lookalikes.py            # counts per category
    PYTHONPATH=src python bench/clause_lookalikes.py --list     # and each wrong sentence
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from modelbazaar.licenses.clause_model import category
from modelbazaar.licenses.clauses import find_clauses

DATA = Path(__file__).parent / "data" / "clause_lookalikes.jsonl"


def main() -> None:
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line]
    false: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    for row in rows:
        found = {category(f.kind) for f in find_clauses(row["text"], "x") if f.restrictive}
        wrong, lost = found - set(row["labels"]), set(row["labels"]) - found
        false.update(wrong)
        missed.update(lost)
        if "--list" in sys.argv and (wrong or lost):
            print(f"{sorted(wrong)} false, {sorted(lost)} missed: {row['text']}")
    print(f"{len(rows)} look-alikes: {sum(false.values())} false findings "
          f"({', '.join(f'{c} {n}' for c, n in false.most_common()) or 'none'}); "
          f"{sum(missed.values())} true clauses missed")  # fmt: skip


if __name__ == "__main__":
    main()
