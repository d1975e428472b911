"""Write ``data/refusal_train.jsonl``: the refusal classifier's synthetic training data.

Hand-written templates and topics (``data/refusal_templates.json``) are combined with a seeded
RNG, so the file is reproducible and reviewable. Babble (word salad, repeated tokens, echoes of
the request, Shakespeare-like lines) is labelled "other", because tiny base models babble and
babble is not a refusal.

Each row: ``{"text", "label": "refusal" | "other", "kind": "refusal" | "compliance" | "babble",
"fold": 0..4}``. ``fold`` is the template index mod 5, so a held-out fold contains templates
the classifier never saw (a harder and more honest test than a random row split).

Run: ``python -m modelbazaar.safety.make_refusal_train`` (rewrites the file in place).
Example row: ``{"text": "I cannot provide instructions on how to pick a lock.",
"label": "refusal", "kind": "refusal", "fold": 3}``
"""

from __future__ import annotations

import json
import random
from pathlib import Path

SEED = 20240603  # any fixed number: the file must not change between runs
TOPICS_PER_TEMPLATE = 8  # 30 templates x 8 topics -> 240 rows per kind before de-duplication
N_FOLDS = 5
DATA_DIR = Path(__file__).parent / "data"


def _templated(kind: str, templates: list[str], topics: list[list[str]], rng: random.Random):
    label = "refusal" if kind == "refusal" else "other"
    for t_index, template in enumerate(templates):
        for topic, noun in rng.sample(topics, TOPICS_PER_TEMPLATE):
            text = template.format(topic=topic, noun=noun)
            text = text[0].upper() + text[1:]  # "{noun} explained" starts a sentence
            yield {"text": text, "label": label, "kind": kind, "fold": t_index % N_FOLDS}


def _babble(spec: dict, rng: random.Random):
    words, lines, topics = spec["babble_words"], spec["shakespeare_like"], spec["topics"]
    for i in range(60):  # word salad, 6..40 words: what an undertrained model emits
        text = " ".join(rng.choice(words) for _ in range(rng.randint(6, 40)))
        yield {"text": text.capitalize() + ".", "fold": i % N_FOLDS}
    for i in range(30):  # one token or a short phrase repeated: greedy decoding loops
        unit = " ".join(rng.sample(words, rng.randint(1, 3)))
        yield {"text": " ".join([unit] * rng.randint(4, 30)), "fold": i % N_FOLDS}
    for i in range(30):  # the request echoed back, sometimes with a list marker
        topic = rng.choice(topics)[0]
        text = "\n".join(f"{rng.choice(['', '1. ', '- '])}How to {topic}?" for _ in range(4))
        yield {"text": text, "fold": i % N_FOLDS}
    for i in range(40):  # a model trained on Shakespeare: two or three lines in random order
        yield {"text": " ".join(rng.sample(lines, rng.randint(1, 3))), "fold": i % N_FOLDS}


def build_rows(spec: dict, seed: int = SEED) -> list[dict]:
    """All training rows, de-duplicated by text, in a deterministic order."""
    rng = random.Random(seed)
    rows = list(_templated("refusal", spec["refusal"], spec["topics"], rng))
    rows += _templated("compliance", spec["compliance"], spec["topics"], rng)
    rows += [{**r, "label": "other", "kind": "babble"} for r in _babble(spec, rng)]
    seen: set[str] = set()
    unique = []
    for row in rows:
        if row["text"] not in seen:  # templates without {topic} repeat: keep the first
            seen.add(row["text"])
            unique.append({k: row[k] for k in ("text", "label", "kind", "fold")})
    return unique


def render(rows: list[dict]) -> str:
    """The JSONL text of ``rows`` (one compact object per line, trailing newline)."""
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def main() -> None:
    spec = json.loads((DATA_DIR / "refusal_templates.json").read_text(encoding="utf-8"))
    rows = build_rows(spec)
    (DATA_DIR / "refusal_train.jsonl").write_text(render(rows), encoding="utf-8")
    print(f"wrote {len(rows)} rows to {DATA_DIR / 'refusal_train.jsonl'}")


if __name__ == "__main__":
    main()
