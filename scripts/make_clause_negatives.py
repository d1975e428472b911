"""Negatives for the clause encoder from open licences' texts (weak labels).

Why: fine-tuned on the labelled clause sentences alone, the encoder behind `bazaar audit --deep`
took sentences of old OSI and FSF licences for clauses at probabilities of 0.9 and more
(GFDL's "Make the same adjustment to the section titles ..." a terms change, LGPL-3.0's
"Defining a subclass ..." a naming rule): legal prose of a kind the labelled set has little
of. An OSI-approved or FSF-libre licence holds no restrictive clause of the audit's categories
by definition, and the labelled set agrees (of the sentences of the 19 such licences in it, 2
carry a label), so every sentence of such a licence is a negative.

Which texts: the SPDX texts shipped in licenses/data/spdx/ that are OSI-approved or FSF-libre,
outside the held-out families (bench/clause_spdx_findings.HELD_OUT) and other than the
licences whose sentences are in the labelled set (whose sentences are left out too). Their
families (the id before its first digit: "GFDL", "LPPL", "CC-BY-SA") are split in two by a
hash: half A gives the negatives, half B is never trained on, so
bench/clause_spdx_findings.py --deep --unseen measures false findings honestly there.

Which sentences: every sentence of half A's texts (three words or more, each once, none that
the labelled set already has). All of them, not only those an encoder gets wrong: the rows do
not depend on any model, so a rebuild needs no earlier encoder. Written to
bench/data/clause_negatives.jsonl, one row a sentence: text, labels [], source
"spdx:<family>" (one CV group per family), the licence id.

    PYTHONPATH=src:bench python scripts/make_clause_negatives.py   # ~5 s
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))  # the held-out list
from clause_spdx_findings import HELD_OUT  # noqa: E402

from modelbazaar.licenses._data import spdx_licenses, spdx_texts  # noqa: E402
from modelbazaar.licenses.clause_model import TOKEN  # noqa: E402
from modelbazaar.licenses.sections import segments  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SENTENCES = ROOT / "bench" / "data" / "clause_sentences.jsonl"
TARGET = ROOT / "bench" / "data" / "clause_negatives.jsonl"


def family(licence: str) -> str:
    """The licence's family: its id before the first digit. "GFDL-1.3-only" -> "GFDL"."""
    return re.split(r"-?v?\d", licence)[0].rstrip("-") or licence


def mined_half(licence: str) -> bool:
    """True for the half of the families the negatives come from (a fixed hash, not random)."""
    return hashlib.sha256(family(licence).encode()).digest()[0] % 2 == 0


def labelled_rows() -> list[dict[str, object]]:
    lines = SENTENCES.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def open_texts() -> dict[str, str]:
    """Id -> text of every OSI-approved or FSF-libre SPDX licence the mining may read."""
    labelled = {row["source"] for row in labelled_rows()}
    flags = spdx_licenses()
    return {
        licence: text
        for licence, text in sorted(spdx_texts().items())
        if (flags.get(licence, {}).get("isOsiApproved") or flags.get(licence, {}).get("isFsfLibre"))
        and not licence.startswith(HELD_OUT)
        and licence not in labelled
    }


def negative_rows() -> list[dict[str, object]]:
    """The rows the file holds, in order: each sentence of half A's texts once."""
    seen: dict[str, str] = {}  # sentence -> the first licence it was read in
    labelled = {row["text"] for row in labelled_rows()}
    for licence, text in open_texts().items():
        if not mined_half(licence):
            continue
        for sentence in segments(text):
            if len(TOKEN.findall(sentence.text)) >= 3 and sentence.text not in labelled:
                seen.setdefault(sentence.text, licence)
    return [
        {"text": sentence, "labels": [], "source": f"spdx:{family(licence)}", "licence": licence}
        for sentence, licence in seen.items()
    ]


def main() -> None:
    rows = negative_rows()
    with TARGET.open("w", encoding="utf-8") as out:
        out.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    licences = {str(r["licence"]) for r in rows}
    print(f"{len(licences)} texts in {len({family(k) for k in licences})} families, "
          f"{len(rows)} sentences -> {TARGET.relative_to(ROOT)}")  # fmt: skip


if __name__ == "__main__":
    main()
