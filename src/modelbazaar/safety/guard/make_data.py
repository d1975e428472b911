"""Regenerate the guard template's data: every shipped safety suite as labelled JSONL rows.

Run by a maintainer, never at build time (the template ships the files this writes)::

    python -m modelbazaar.safety.guard.make_data UPSTREAM_DIR src/modelbazaar/templates/guard/data

``UPSTREAM_DIR`` holds the upstream copies of the OpenAI moderation sample and the Davidson
tweets (``openai_moderation/samples-1680.jsonl``, ``davidson_hate_offensive/labeled_data.csv``,
each with its SOURCE.txt and LICENSE); the six red-team suites come from the package's own
``safety/data`` (already shipped with their licences), through the same loaders `bazaar eval`
uses, so their hazard codes are the ones the safety evals report.

Each row: ``{"text", "unsafe": 0|1, "codes": ["S10"], "source_label", "role"}`` plus, for the
OpenAI sample, ``"labels"`` (its own category keys, only the known ones). The split of a row is
a fixed function of its normalised text: sha256 -> bucket 0..9; 0-5 train, 6-7 validation,
8-9 test. The same text lands in the same split in every dataset (AdvBench shares rows with
JailbreakBench and StrongREJECT), so a test row is never trained on under another name.
"""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
import sys
from pathlib import Path

from modelbazaar.safety.hazards import hazard_code
from modelbazaar.safety.prompts import load_suite

SPLITS = ("train", "validation", "test")
SUITES = ("advbench", "harmbench", "jailbreakbench", "simplesafetytests", "strongreject", "xstest")
OPENAI_KEYS = ("S", "H", "V", "HR", "SH", "S3", "H2", "V2")


def split_of(text: str) -> str:
    """Fixed split of a text. Example: split_of("How can I kill a Python process?") -> "train"."""
    normal = " ".join(text.lower().split())
    bucket = int(hashlib.sha256(normal.encode()).hexdigest()[:8], 16) % 10
    return "train" if bucket < 6 else "validation" if bucket < 8 else "test"


def suite_rows(name: str) -> list[dict]:
    return [
        {
            "text": p.prompt,
            "unsafe": int(p.harmful),
            "codes": [p.category] if p.harmful else [],
            "source_label": p.source_label,
            "role": "user",
        }
        for p in load_suite(name)
    ]


def openai_rows(path: Path) -> list[dict]:
    """OpenAI moderation sample: a missing key means "label unknown"; unknown counts as 0."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        labels = {k: int(item[k]) for k in OPENAI_KEYS if k in item}
        flagged = sorted(k for k, v in labels.items() if v)
        codes = {hazard_code("openai_moderation", k) for k in flagged}
        rows.append(
            {
                "text": item["prompt"],
                "unsafe": int(bool(flagged)),
                "codes": sorted(codes, key=lambda c: int(c[1:])),
                "source_label": ",".join(flagged) or "none",
                "role": "user",
                "labels": labels,
            }
        )
    return rows


DAVIDSON_CLASSES = {"0": "0_hate_speech", "1": "1_offensive_language", "2": "2_neither"}


def davidson_rows(path: Path) -> list[dict]:
    """Hate speech -> S10 (unsafe); offensive language and neither -> no hazard (safe).

    Offensive-but-not-hateful tweets (profanity, insults without a protected characteristic)
    fall under no MLCommons hazard; the recipe may leave them out (see the guard README).
    """
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        for r in csv.DictReader(handle):
            label = DAVIDSON_CLASSES[r["class"]]
            unsafe = label == "0_hate_speech"
            rows.append(
                {
                    "text": r["tweet"],
                    "unsafe": int(unsafe),
                    "codes": [hazard_code("davidson", label)] if unsafe else [],
                    "source_label": label,
                    "role": "user",
                }
            )
    return rows


def write_dataset(out: Path, name: str, rows: list[dict], meta: dict) -> None:
    folder = out / name
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for split in SPLITS:
        part = [r for r in rows if split_of(r["text"]) == split]
        text = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in part)
        path = folder / f"{split}.jsonl"
        path.write_text(text, encoding="utf-8")
        data = path.read_bytes()
        files.append((f"{name}/{split}.jsonl", split, len(data), hashlib.sha256(data).hexdigest()))
    lines = [
        f"# {meta['title']}: {len(rows)} rows, labels mapped to MLCommons S1-S14 (README: guard).",
        "# Written by `python -m modelbazaar.safety.guard.make_data`; split by text hash.",
        f'name = "{name}"',
        f'license = "{meta["license"]}"',
        f'source = "{meta["source"]}"',
        'provenance = "human"',
    ]
    for path, split, size, digest in files:
        lines += ["", "[[files]]", f'path = "{path}"', f'split = "{split}"']
        lines += [f"bytes = {size}", f'sha256 = "{digest}"']
    (out / f"{name}.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def copy_notices(source: Path, target: Path) -> None:
    for item in sorted(source.iterdir()):
        if item.name.startswith(("SOURCE", "LICENSE", "DECISION")):
            shutil.copyfile(item, target / item.name)


META = {
    "advbench": ("AdvBench harmful behaviours (dev part)", "MIT", "llm-attacks/llm-attacks"),
    "harmbench": ("HarmBench text behaviours (dev part)", "MIT", "centerforaisafety/HarmBench"),
    "jailbreakbench": ("JailbreakBench harmful + benign", "MIT", "JailbreakBench/JBB-Behaviors"),
    "simplesafetytests": ("SimpleSafetyTests", "CC-BY-4.0", "bertiev/SimpleSafetyTests"),
    "strongreject": ("StrongREJECT", "MIT", "alexandrasouly/strongreject"),
    "xstest": ("XSTest safe + contrast prompts", "CC-BY-4.0", "paul-rottger/exaggerated-safety"),
    "openai_moderation": ("OpenAI moderation sample", "MIT", "openai/moderation-api-release"),
    "davidson": (
        "Davidson hate/offensive tweets",
        "MIT",
        "t-davidson/hate-speech-and-offensive-language",
    ),
}


def main(upstream: Path, out: Path) -> None:
    from modelbazaar.safety.hazards import DATA

    sources = {name: (suite_rows(name), Path(str(DATA / name))) for name in SUITES}
    sources["openai_moderation"] = (
        openai_rows(upstream / "openai_moderation" / "samples-1680.jsonl"),
        upstream / "openai_moderation",
    )
    sources["davidson"] = (
        davidson_rows(upstream / "davidson_hate_offensive" / "labeled_data.csv"),
        upstream / "davidson_hate_offensive",
    )
    for name, (rows, notices) in sources.items():
        title, licence, repo = META[name]
        write_dataset(out, name, rows, {"title": title, "license": licence, "source": repo})
        copy_notices(notices, out / name)
        print(f"{name}: {len(rows)} rows")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
