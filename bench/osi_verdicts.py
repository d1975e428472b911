"""The verdict `bazaar audit` gives a folder whose LICENSE is each OSI-approved SPDX licence.

For every OSI-approved licence in the SPDX list we ship, a folder holding only `LICENSE` (the
SPDX text) and a weights file is audited as a user would (`audit_folder`), and the
identification, the verdict and any restrictive finding are printed. Every OSI licence must
come out "open source", identified as itself (or an id that shares its text), unless its text
really restricts use; the exceptions are listed with their reasons.

    PYTHONPATH=src python bench/osi_verdicts.py [--all] [--deep]  # --all: every licence

Takes ~1 min on 2 cores (149 licences).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

from modelbazaar.audit import audit_folder
from modelbazaar.licenses import _data
from modelbazaar.licenses.index import load_index


def same_text(license_id: str, found: str | None) -> bool:
    """True when `found` is `license_id` or a licence whose text normalises to the same words."""
    if found == license_id:
        return True
    if license_id.endswith("+") and found and found.startswith(license_id[:-1]):
        return True  # deprecated "GPL-2.0+": the text is GPL-2.0's; the notice says "or later"
    return any(license_id in group and found in group for group in load_index().groups)


def audit_one(license_id: str, root: Path, deep: bool = False) -> tuple[str, str, list[str]]:
    """(verdict, identified label, restrictive reasons) for a folder holding that licence."""
    folder = root / license_id
    folder.mkdir()
    (folder / "LICENSE").write_text(_data.spdx_texts()[license_id], encoding="utf-8")
    (folder / "model.safetensors").write_bytes(b"\x08\x00\x00\x00\x00\x00\x00\x00{}      ")
    report = audit_folder(folder, deep=deep)
    label = report.licenses[0].label if report.licenses else "none"
    reasons = [r for r in report.reasons if report.verdict != "open source"]
    return report.verdict, label, reasons


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--all", action="store_true", help="print every licence, not only misses")
    parser.add_argument("--deep", action="store_true", help="as `bazaar audit --deep` (~3 min)")
    args = parser.parse_args()
    osi = sorted(i for i, e in _data.spdx_licenses().items() if e["isOsiApproved"])
    verdicts: Counter[str] = Counter()
    misses = 0
    with tempfile.TemporaryDirectory() as tmp:
        for license_id in osi:
            verdict, label, reasons = audit_one(license_id, Path(tmp), args.deep)
            verdicts[verdict] += 1
            found = label.removeprefix("variant of ")
            right = same_text(license_id, found) and not label.startswith("variant")
            wrong = verdict != "open source" or not right
            misses += wrong
            if wrong or args.all:
                flag = "MISS" if wrong else "ok  "
                print(f"{flag} {license_id:40} {verdict:13} identified as {label}")
                for reason in reasons:
                    print(f"       {reason}")
    summary = ", ".join(f"{count} {verdict}" for verdict, count in verdicts.most_common())
    print(f"\n{len(osi)} OSI-approved licences: {summary}; {misses} not identified or not open")
    return 0 if misses == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
