"""Regenerate the shipped `wordnet_mc` suite data from the WordNet definitions file.

Each row asks for the definition of a word and offers four: the right one and three definitions of
other words with the same part of speech, drawn with a fixed seed (so the file is reproducible).

    python -m modelbazaar.evals.make_wordnet_mc wordnet_definitions_20k.jsonl OUT.jsonl 200

Example row: {"id": "wn-0", "question": "What does the noun \\"knobble\\" mean?\\nAnswer:",
"choices": ["a small knob", ...], "answer": 0}
"""

import json
import random
import sys
from pathlib import Path

SEED = 7  # any fixed seed; changing it changes the suite, so bump its version


def make_rows(source: list[dict[str, str]], n: int, seed: int = SEED) -> list[dict]:
    """Four-way multiple choice rows from WordNet {word, pos, definition} records."""
    rng = random.Random(seed)
    by_pos: dict[str, list[str]] = {}
    for r in source:
        by_pos.setdefault(r["pos"], []).append(r["definition"])
    rows = []
    for i, r in enumerate(source[:n]):
        pool = [d for d in by_pos[r["pos"]] if d != r["definition"]]
        choices = rng.sample(pool, 3) + [r["definition"]]
        rng.shuffle(choices)
        question = f'What does the {r["pos"]} "{r["word"]}" mean?\nAnswer:'
        rows.append(
            {
                "id": f"wn-{i}",
                "question": question,
                "choices": choices,
                "answer": choices.index(r["definition"]),
            }
        )
    return rows


def main() -> None:
    src, out, n = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    source = [json.loads(line) for line in src.read_text(encoding="utf-8").splitlines() if line]
    lines = [json.dumps(row, ensure_ascii=False) for row in make_rows(source, n)]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
