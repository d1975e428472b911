"""The rules' restrictive findings on every licence text outside the held-out families.

The regression check of the clause passes (bench/data/CLAUSES.md): every SPDX text shipped in
`licenses/data/spdx/texts.json.xz` except those of a held-out family, plus the shipped model
licences of train families (`licenses/data/texts/`, Qwen, Tongyi, Mistral and Falcon left out)
and the three texts in `bench/data/clause_texts/`, are read by `find_clauses` (rules alone;
`--classifier`: with the shipped classifier, as the audit runs them; `--deep`: with the
fine-tuned encoder, as `bazaar audit --deep` runs them, ~6 min; `--unseen`: without the
open-licence texts its negatives come from, scripts/make_clause_negatives.py; a `--compare` file
is filtered the same way). Run it before a rule change
with `--save before.json`, after it with `--compare before.json`: it prints each restrictive
finding that appeared or disappeared, to be read by hand (one that appears must be a true clause
or be fixed). No held-out text is read.

    PYTHONPATH=src python bench/clause_spdx_findings.py --save /tmp/before.json
    PYTHONPATH=src python bench/clause_spdx_findings.py --compare /tmp/before.json

Takes ~1-2 min on one core.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from modelbazaar.licenses import _data
from modelbazaar.licenses.clause_model import ClauseClassifier, shipped_model
from modelbazaar.licenses.clauses import find_clauses

# Held-out families (CLAUSES.md): their texts are never read here.
HELD_OUT = (
    "GPL-2.0", "AGPL-3.0", "LGPL-2.1", "AFL-3.0", "OSL-3.0", "NPOSL-3.0", "Elastic-2.0",
    "Parity-", "SSPL-1.0", "NCGL-UK-2.0", "BSD-3-Clause-No-Nuclear", "PolyForm-Small-Business",
    "LicenseRef-Qwen", "LicenseRef-Tongyi", "LicenseRef-Mistral", "LicenseRef-Falcon",
)  # fmt: skip
CLAUSE_TEXTS = Path(__file__).parent / "data" / "clause_texts"
NEGATIVES = Path(__file__).parent / "data" / "clause_negatives.jsonl"


def trained_on() -> set[str]:
    """The licences whose sentences the deep encoder was trained on as negatives."""
    rows = NEGATIVES.read_text(encoding="utf-8").splitlines()
    return {json.loads(line)["licence"] for line in rows if line.strip()}


def texts() -> dict[str, str]:
    """Name -> text of every licence the check reads."""
    found = dict(_data.spdx_texts())
    folder = _data.data_root().joinpath("texts")
    for entry in folder.iterdir():
        if entry.name != "SOURCES.tsv":
            found[entry.name] = entry.read_text(encoding="utf-8")
    for path in sorted(CLAUSE_TEXTS.glob("*.LICENSE")):
        found[path.name] = path.read_text(encoding="utf-8")
    return {name: text for name, text in sorted(found.items()) if not name.startswith(HELD_OUT)}


def findings(
    classifier: ClauseClassifier | None = None, skip: frozenset[str] = frozenset()
) -> list[list[str]]:
    """[licence, kind, quote] for every restrictive finding of the rules (with `classifier`, as
    `bazaar audit` runs them) in the texts not in `skip`."""
    rows = []
    for name, text in texts().items():
        if name in skip:
            continue
        for finding in find_clauses(text, name, classifier=classifier):
            if finding.restrictive:
                rows.append([name, finding.kind, finding.quote])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--save", type=Path, help="write the findings here (JSON)")
    parser.add_argument("--compare", type=Path, help="findings saved earlier to compare with")
    parser.add_argument("--classifier", action="store_true", help="with the shipped classifier")
    parser.add_argument("--deep", action="store_true", help="as `bazaar audit --deep` (torch)")
    parser.add_argument(
        "--unseen", action="store_true", help="leave out the texts --deep's negatives come from"
    )
    args = parser.parse_args()
    skip = frozenset(trained_on()) if args.unseen else frozenset()
    classifier: ClauseClassifier | None = shipped_model() if args.classifier else None
    if args.deep:
        from modelbazaar.audit.clause_encoder import shipped_deep_model

        classifier = shipped_deep_model()
    now = findings(classifier, skip)
    print(f"{len(set(texts()) - skip)} texts, {len(now)} restrictive findings")
    if args.save:
        args.save.write_text(json.dumps(now, indent=0), encoding="utf-8")
    if args.compare:
        before = json.loads(args.compare.read_text(encoding="utf-8"))
        old = {tuple(r) for r in before if r[0] not in skip}
        new = {tuple(r) for r in now}
        for sign, rows in (("-", old - new), ("+", new - old)):
            for name, kind, quote in sorted(rows):
                print(f"{sign} {name} [{kind}] {quote[:300]}")
        print(f"{len(old - new)} disappeared, {len(new - old)} appeared")


if __name__ == "__main__":
    main()
