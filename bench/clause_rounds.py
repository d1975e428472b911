"""Rules vs rules + classifier on sentences neither had seen: the written rounds replayed.

The fourth clause pass (bench/data/CLAUSES.md) added its 958 written train sentences in eleven
rounds, one commit each, and changed the rules from each round only after the round was written;
the sixth pass added 408 more in ten rounds the same way (rounds 12-21 here), the seventh 438 in
thirteen (rounds 22-34), the eighth 1,076 in twenty-four (rounds 35-58, in three batches of 6, 9
and 9 rounds, the rules changed after each batch), the ninth 390 in nine (rounds 59-67, one batch),
the tenth 500 in nine (rounds 68-76, one batch).
So for round k the
rules *before* round k (the source tree at the parent of the round's commit) and a classifier
trained on the train rows present then had never seen the round's sentences: scoring them on the
round is an honest estimate of how each does on the next licence's wording, from train data
alone (grouped CV on the train part cannot give that for the rules, which were changed from
those very sentences). Labels are today's (the rows matched by text; rows since dropped are
skipped).

For each round the classifier's per-category thresholds are chosen by grouped 5-fold CV on the
rows before the round (lowest threshold reaching precision >= 0.9 out of fold), so nothing
about the round is used. Detectors compared on the pooled rounds: rules; classifier;
union (rules or classifier at its threshold); as-shipped (the union for the categories in
clause_model.ADDS_TO_RULES only, as `bazaar audit` runs it); union-0.3 (one shared threshold);
veto-v (a rule finding is kept only when the
classifier's probability for its category is >= v).

    PYTHONPATH=src python bench/clause_rounds.py     # needs the git history; ~5 min
    PYTHONPATH=src python bench/clause_rounds.py --rounds 22-34   # some rounds only

`bazaar audit --deep`'s fine-tuned encoder is replayed by bench/clause_finetune_fresh.py (one
fine-tune before a pass, scored on its rounds: a fine-tune per round would take hours).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from modelbazaar.licenses.clause_model import (
    ADDS_TO_RULES,
    category,
    family_groups,
    lowest_threshold,
    train_model,
)

ROOT = Path(__file__).parent.parent
DATA = "bench/data/clause_sentences.jsonl"
ROUNDS = ["793717e", "0b37b45", "eeee009", "edff1c5", "a37f779", "5a9e243",
          "cd91ab9", "81f2c57", "d471b2b", "6fb12e6", "9f16ba8",
          # the sixth pass (CLAUSES.md): ten more rounds written the same way
          "6946670", "9d57450", "6c2ef45", "4374f19", "39a032c", "d4a6307",
          "9d89ac6", "a331cf5", "a8e515a", "05d5bb1",
          # the seventh pass: thirteen more, in styles the set lacked (data agreements, FAQs, ...)
          "49367e1", "01776dd", "8f3460d", "4e2a564", "e1ef5b5", "8ffb61b", "0e6bbac",
          "a247e9d", "ee4ba49", "07cfcd5", "630b76b", "f491604", "b00b510",
          # the eighth pass: twenty-four more (consumer apps, OEM, healthcare, redlines, ...),
          # written in three batches; the rules changed after each batch, not after each round
          "cb20dd5", "326109e", "171611c", "87a2c98", "52d39f4", "7094fb8",
          "b9080f2", "2526f90", "fad89f8", "07e6293", "3de0f89", "726937e", "1109255", "a3c8dcf",
          "681aa26",
          "d1381c0", "bb35437", "eb3f4bf", "b5c7a22", "92f7792", "44c4b05", "9de2216", "8266a9b",
          "949b8a8",
          # the ninth pass: nine more (logistics, smart home, bug bounties, travel, model hubs,
          # browser extensions, construction, language learning, weather), aimed at the
          # categories with least varied train wording (use policies, flow-down, guardrails, caps)
          "1103dc9", "06129b8", "8c1ec3c", "13b334b", "b1908d3", "b714d44", "4396193", "334af4c",
          "acde412",
          # the tenth pass: nine more (payments, biobanks, transit, real estate, podcasts, mining,
          # veterinary, food delivery, wearables), aimed at the categories below the goal
          "2be72af", "bb9ac42", "0ce1ed7", "ccfea8b", "228a4c2", "0949d9b", "f9f5a14", "3249c45",
          "ff25271"]  # fmt: skip
FOURTH = 11  # rounds 1-11 are the fourth pass's, 12-21 the sixth's, 22-34 the seventh's, 35-58
# the eighth's, 59-67 the ninth's, 68-76 the tenth's
SIXTH = 21
RULES_AT = """
import json, sys
from modelbazaar.licenses.clauses import find_clauses
texts = json.load(sys.stdin)
print(json.dumps([sorted({f.kind for f in find_clauses(t, "x") if f.restrictive}) for t in texts]))
"""


def rows_at(commit: str) -> list[dict]:
    text = subprocess.run(["git", "show", f"{commit}:{DATA}"], cwd=ROOT, check=True,
                          capture_output=True, text=True).stdout  # fmt: skip
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def rules_at(commit: str, texts: list[str]) -> list[set[str]]:
    """Restrictive categories the rules of `commit` find in each sentence."""
    with tempfile.TemporaryDirectory() as tree:
        archive = subprocess.run(["git", "archive", commit, "src"], cwd=ROOT, check=True,
                                 capture_output=True).stdout  # fmt: skip
        subprocess.run(["tar", "-x", "-C", tree], input=archive, check=True)
        out = subprocess.run([sys.executable, "-c", RULES_AT], input=json.dumps(texts),
                             env={"PYTHONPATH": f"{tree}/src", "PATH": "/usr/bin:/bin"},
                             check=True, capture_output=True, text=True).stdout  # fmt: skip
    return [{category(k) for k in kinds} for kinds in json.loads(out)]


def thresholds(train: list[dict], categories: list[str]) -> np.ndarray:
    """Per category, the lowest threshold reaching P >= 0.9 by grouped 5-fold CV on `train`."""
    from sklearn.model_selection import GroupKFold

    targets = np.array([[c in r["labels"] for c in categories] for r in train])
    probs = np.zeros(targets.shape)
    for fit, score in GroupKFold(5).split(train, groups=family_groups(train)):
        model, _ = train_model([train[i] for i in fit], categories)
        probs[score] = model.probabilities([train[i]["text"] for i in score])
    return np.array([lowest_threshold(probs[:, j], targets[:, j], 0.9)
                     for j in range(len(categories))])  # fmt: skip


def main() -> None:
    first, last = 1, len(ROUNDS)
    if "--rounds" in sys.argv:  # "22-34": replay those rounds only
        first, last = map(int, sys.argv[sys.argv.index("--rounds") + 1].split("-"))
    now = {r["text"]: r for r in rows_at("HEAD") if r["split"] == "train"}
    categories = sorted({c for r in now.values() for c in r["labels"]})
    records = []  # (round, labels, rules, probs, thresholds)
    for number, commit in enumerate(ROUNDS, 1):
        if not first <= number <= last:
            continue
        before = [r for r in rows_at(f"{commit}^") if r["split"] == "train"]
        seen = {r["text"] for r in before}
        added = [r["text"] for r in rows_at(commit) if r["text"] not in seen]
        new = [now[text] for text in added if text in now]
        texts = [r["text"] for r in new]
        found = rules_at(f"{commit}^", texts)
        model, _ = train_model(before, categories)
        probs = model.probabilities(texts)
        cut = thresholds(before, categories)
        print(f"round {number}: {len(new)} sentences, {len(before)} train rows before", flush=True)
        for row, rule, prob in zip(new, found, probs, strict=True):
            records.append((number, set(row["labels"]), rule, prob, cut))
    report(records, categories, "all rounds")
    # the choice of categories (README) must hold on both halves, not only on the pool
    report([r for r in records if r[0] <= 5], categories, "rounds 1-5")
    report([r for r in records if 5 < r[0] <= FOURTH], categories, "rounds 6-11")
    report([r for r in records if FOURTH < r[0] <= SIXTH], categories, "rounds 12-21 (sixth pass)")
    report(
        [r for r in records if r[0] > SIXTH],
        categories,
        f"rounds 22-{len(ROUNDS)} (seventh pass on)",
    )


def report(records, categories, title: str) -> None:
    def classifier(prob, cut):
        return {c for c, p, t in zip(categories, prob, cut, strict=True) if p >= t}

    def veto(v):
        return lambda rule, prob, cut: {c for c in rule if prob[categories.index(c)] >= v}

    detectors = {
        "rules": lambda rule, prob, cut: rule,
        "classifier": lambda rule, prob, cut: classifier(prob, cut),
        "union": lambda rule, prob, cut: rule | classifier(prob, cut),
        "as-shipped": lambda rule, prob, cut: rule | (classifier(prob, cut) & set(ADDS_TO_RULES)),
        "union-0.3": lambda rule, prob, cut: rule | classifier(prob, [0.3] * len(cut)),
        "veto-0.02": veto(0.02),
        "veto-0.05": veto(0.05),
        "veto-0.1": veto(0.1),
    }
    if not records:
        return
    print(f"\n{title}: {len(records)} sentences; per category P / R (n positives)\n")
    print(f"{'category':18} {'n':>3} " + "".join(f"{d:>13}" for d in detectors))
    for cat in [*categories, "micro"]:
        cells = []
        for detect in detectors.values():
            tp = fp = fn = 0
            for _, labels, rule, prob, cut in records:
                got = detect(rule, prob, cut)
                if cat != "micro":
                    got, labels = got & {cat}, labels & {cat}
                tp, fp, fn = tp + len(got & labels), fp + len(got - labels), fn + len(labels - got)
            p = f"{tp / (tp + fp):.2f}" if tp + fp else "  - "
            r = f"{tp / (tp + fn):.2f}" if tp + fn else "  - "
            cells.append(f"   {p} {r}")
        n = sum(len(want) if cat == "micro" else cat in want for _, want, *_ in records)
        print(f"{cat:18} {n:>3} " + "".join(cells))


if __name__ == "__main__":
    main()
