"""What a donation is compared with: the model's corpus and the texts of its eval suites.

The corpus is every file its data manifests list (each checked against its sha256 first, read
once), cut into documents by the rule donations are (``data.documents``); an eval suite's texts
are its examples' string values, joined, as lm-evaluation-harness decontaminates whole documents.

Example::

    corpus = load_corpus(Path("my-model"))
    corpus.documents()                      # ["First Citizen:\\nBefore we …", …]
    corpus.texts("train")                   # one text per training file
    suite_texts(Path("my-model"), ["validation", "gsm8k"])   # {"validation": [...], ...}
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from modelbazaar.data.documents import read_documents
from modelbazaar.data.manifest import DATA_DIR, load_manifests
from modelbazaar.evals.examples import suite_examples
from modelbazaar.evals.suite import load_suite


@dataclass(frozen=True)
class CorpusFile:
    path: str  # relative to data/
    split: str
    provenance: str  # of its dataset: human | synthetic
    raw: bytes


@dataclass(frozen=True)
class Corpus:
    files: list[CorpusFile]

    def documents(self) -> list[str]:
        """The text of every document of every file, all splits."""
        return [d.text for f in self.files for d in read_documents(f.path, f.raw)]

    def texts(self, split: str, provenance: str | None = None) -> list[str]:
        """One text per file of ``split`` (of one provenance when given), in manifest order."""
        return [
            f.raw.decode("utf-8")
            for f in self.files
            if f.split == split and provenance in (None, f.provenance)
        ]


def load_corpus(model_dir: Path) -> Corpus:
    """Every file the data manifests list, hash-checked by ``load_manifests``, in their order."""
    data_dir = Path(model_dir) / DATA_DIR
    return Corpus(
        [
            CorpusFile(f.path, f.split, m.provenance, (data_dir / f.path).read_bytes())
            for m in sorted(load_manifests(model_dir), key=lambda m: m.name)
            for f in m.files
        ]
    )


def _text(row: dict) -> str:
    return "\n".join(str(v) for k, v in row.items() if k != "id" and isinstance(v, str | list))


def suite_texts(model_dir: Path, names: list[str]) -> dict[str, list[str]]:
    """Every example of every named suite as one text (the suites' own data, hash-checked)."""
    return {
        name: [_text(row) for row in suite_examples(load_suite(name, model_dir), model_dir)]
        for name in dict.fromkeys(names)
    }
