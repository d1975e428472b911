"""Precision and recall of restrictive-clause detection on held-out labelled sentences.

The labelled set is `bench/data/clause_sentences.jsonl` (see `bench/data/CLAUSES.md`: how it
was labelled and split). Three detectors are measured on the held-out part:

    rules       licenses.clauses.find_clauses on the sentence alone (restrictive findings)
    classifier  licenses.clause_model trained here on the train part only, each category's
                threshold the lowest reaching precision 0.9 by grouped 5-fold CV on that part
                (clause_model.train_thresholded), every category
    both        find_clauses with that classifier as the audit runs it: only the categories in
                clause_model.ADDS_TO_RULES are added to the rules' (the vetoes for look-alike
                wording apply to both); the shipped model is built the same way

    deep        `bazaar audit --deep`: find_clauses with the shipped fine-tuned encoder
                (audit/clause_encoder.py: adds its categories in ADDS_TO_RULES, drops the rule
                findings of those it scores below DOUBT_BELOW), built from the train part (--deep)

    PYTHONPATH=src python bench/clause_quality.py [--split train|heldout|fresh] [--misses]
        [--deep] [--ci]

`--misses` lists the sentences a detector got wrong on the split (use it on train only: the
held-out part is for measuring, never for tuning). `--split fresh` measures on the second
held-out set, `clause_fresh.jsonl` (wording in styles no train sentence has; the same rule
applies). `--ci` prints each recall's 95% Wilson interval: with 4-18 positives a category, one
sentence moves recall by 0.05-0.25. `--cv` compares the three detectors by
grouped 5-fold cross-validation on the train part alone (one group per licence, so a licence's
sentences are never both trained on and scored): the way to choose between rules and classifier
without touching the held-out part. Takes ~30 s (`--cv`, nested: ~30 s).
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from modelbazaar.licenses.clause_model import (
    ADDS_TO_RULES,
    ClauseModel,
    category,
    family_groups,
    train_thresholded,
)
from modelbazaar.licenses.clauses import find_clauses

DATA = Path(__file__).parent / "data" / "clause_sentences.jsonl"
# A second held-out set: sentences written afresh, in styles no train sentence has, by writers who
# saw only CLAUSES.md and ran no detector; never trained or tuned on (see CLAUSES.md "fresh").
FRESH = Path(__file__).parent / "data" / "clause_fresh.jsonl"
Detector = Callable[[str], set[str]]


def load_rows(path: Path = DATA) -> list[dict]:
    """Every labelled sentence (of the train and held-out set, or of `FRESH`)."""
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def rules(text: str) -> set[str]:
    """Categories the rules alone find in one sentence."""
    return {category(f.kind) for f in find_clauses(text, "x") if f.restrictive}


def scores(rows: list[dict], detect: Detector) -> dict[str, tuple[int, int, int]]:
    """category -> (true positives, false positives, false negatives)."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for row in rows:
        got, want = detect(row["text"]), set(row["labels"])
        tp.update(got & want)
        fp.update(got - want)
        fn.update(want - got)
    return {c: (tp[c], fp[c], fn[c]) for c in set(tp) | set(fp) | set(fn)}


def ratio(a: int, b: int) -> str:
    return f"{a / b:.2f}" if b else "  - "


def wilson(hits: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The 95% Wilson score interval of a proportion `hits / n` (sound at n of 5-20, where the
    normal approximation is not): how far a held-out figure could move by chance alone."""
    if not n:
        return 0.0, 1.0
    p = hits / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * ((p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def table(rows: list[dict], detectors: dict[str, Detector], ci: bool = False) -> None:
    """One line per category: positives, then P and R per detector; micro averages last.
    `ci`: each recall with its 95% Wilson interval (recall is over few positives per category)."""
    results = {name: scores(rows, d) for name, d in detectors.items()}
    cats = sorted({c for r in results.values() for c in r})
    positives = Counter(label for row in rows for label in row["labels"])
    head = "".join(f"{name:>14}" for name in detectors)
    cell = "     P    R    [95% of R]   " if ci else "     P    R   "
    if ci:
        head = "".join(f"{name:>14}{'':15}" for name in detectors)
    print(f"{'category':18} {'n':>3} {head}\n{'':22} " + cell * len(detectors))
    for cat in [*cats, "micro"]:
        cells = []
        for name in detectors:
            tp, fp, fn = (
                tuple(sum(v[i] for v in results[name].values()) for i in range(3))
                if cat == "micro"
                else results[name].get(cat, (0, 0, 0))
            )
            cells.append(f"  {ratio(tp, tp + fp)} {ratio(tp, tp + fn)}  ")
            if ci:
                low, high = wilson(tp, tp + fn)
                cells[-1] = cells[-1].rstrip() + f" [{low:.2f}-{high:.2f}]  "
        n = sum(positives.values()) if cat == "micro" else positives[cat]
        print(f"{cat:18} {n:>3}  " + "".join(cells))


def as_shipped(model: ClauseModel) -> ClauseModel:
    """The model as the audit runs it: the categories outside ADDS_TO_RULES never found."""
    pairs = zip(model.categories, model.thresholds, strict=True)
    cuts = [t if c in ADDS_TO_RULES else float("inf") for c, t in pairs]
    return model.with_thresholds(cuts)


def cross_validated(train: list[dict]) -> dict[str, Detector]:
    """Detectors whose classifier, for each train sentence, was trained on the other folds."""
    from sklearn.model_selection import GroupKFold

    groups = family_groups(train)
    learned: dict[str, set[str]] = {}
    joined: dict[str, set[str]] = {}
    for fit, score in GroupKFold(5).split(train, groups=groups):
        model = train_thresholded([train[i] for i in fit], enabled=None)  # CV inside the fold
        product = as_shipped(model)
        for i in score:
            text = train[i]["text"]
            learned[text] = set(model.predict(text))
            found = find_clauses(text, "x", classifier=product)
            joined[text] = {category(f.kind) for f in found if f.restrictive}
    return {"rules": rules, "classifier": learned.__getitem__, "both": joined.__getitem__}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", default="heldout", choices=["train", "heldout", "fresh"])
    parser.add_argument("--ci", action="store_true", help="95%% Wilson intervals of recall")
    parser.add_argument("--misses", action="store_true", help="list wrong sentences")
    parser.add_argument("--cv", action="store_true", help="grouped 5-fold CV on train only")
    parser.add_argument(
        "--deep", action="store_true", help="also `bazaar audit --deep`'s classifier (~1 min)"
    )
    args = parser.parse_args()
    rows = load_rows()
    train = [r for r in rows if r["split"] == "train"]
    if args.cv:
        print(f"train, grouped 5-fold cross-validation: {len(train)} sentences\n")
        table(train, cross_validated(train))
        return
    model = train_thresholded(train, enabled=None)
    product = as_shipped(model)

    def classifier(text: str) -> set[str]:
        return set(model.predict(text))

    def both(text: str) -> set[str]:
        found = find_clauses(text, "x", classifier=product)
        return {category(f.kind) for f in found if f.restrictive}

    split = (
        load_rows(FRESH) if args.split == "fresh" else [r for r in rows if r["split"] == args.split]
    )
    negatives = sum(not r["labels"] for r in split)
    print(f"{args.split}: {len(split)} sentences ({negatives} with no clause); "
          f"classifier trained on {len(train)} train sentences\n")  # fmt: skip
    detectors = {"rules": rules, "classifier": classifier, "both": both}
    if args.deep:  # the shipped deep model: built from the train part (build_clause_model.py)
        from modelbazaar.audit.clause_encoder import shipped_deep_model

        deep_model = shipped_deep_model()

        def deep(text: str) -> set[str]:
            found = find_clauses(text, "x", classifier=deep_model)
            return {category(f.kind) for f in found if f.restrictive}

        detectors["deep"] = deep
    table(split, detectors, ci=args.ci)
    if args.misses:
        for row in split:
            got = {name: d(row["text"]) for name, d in detectors.items()}
            if any(g != set(row["labels"]) for g in got.values()):
                print(f"\nlabels {row['labels']} {got}\n  {row['text'][:200]}")


if __name__ == "__main__":
    main()
