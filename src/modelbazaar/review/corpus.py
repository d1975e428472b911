"""What a donation is compared with: the model's corpus and the texts of its eval suites.

The corpus is every file its data manifests list (each checked against its sha256 first), cut
into documents by the rule donations are (``data.documents``); an eval suite's texts are its
examples' string values, joined, as lm-evaluation-harness decontaminates whole documents.

Example::

    corpus_documents(Path("my-model"))                   # ["First Citizen:\\nBefore we …", …]
    suite_texts(Path("my-model"), ["validation", "gsm8k"])   # {"validation": [...], "gsm8k": [...]}
"""

from __future__ import annotations

from pathlib import Path

from modelbazaar.data.documents import read_documents
from modelbazaar.data.manifest import DATA_DIR, load_manifests
from modelbazaar.evals.examples import suite_examples
from modelbazaar.evals.suite import load_suite


def corpus_files(model_dir: Path, split: str | None = None) -> list[tuple[str, bytes]]:
    """(path relative to data/, bytes) of the corpus files (of one split), in manifest order."""
    data_dir = Path(model_dir) / DATA_DIR
    return [
        (f.path, (data_dir / f.path).read_bytes())
        for m in sorted(load_manifests(model_dir), key=lambda m: m.name)
        for f in m.files
        if split is None or f.split == split
    ]


def corpus_documents(model_dir: Path) -> list[str]:
    """The text of every document of every corpus file, all splits."""
    return [d.text for name, raw in corpus_files(model_dir) for d in read_documents(name, raw)]


def _text(row: dict) -> str:
    return "\n".join(str(v) for k, v in row.items() if k != "id" and isinstance(v, str | list))


def suite_texts(model_dir: Path, names: list[str]) -> dict[str, list[str]]:
    """Every example of every named suite as one text (the suites' own data, hash-checked)."""
    return {
        name: [_text(row) for row in suite_examples(load_suite(name, model_dir), model_dir)]
        for name in dict.fromkeys(names)
    }
