"""A suite's examples as a list of dicts, each with a stable "id" (the key of paired comparison).

Example: a `.txt` data file "a\\n\\nb\\n" -> [{"id": "0", "text": "a"}, {"id": "1", "text": "b"}];
a `split: validation` suite -> the source's validation files cut into documents of ~doc_chars.
"""

from pathlib import Path
from typing import Any

from modelbazaar.data.manifest import load_manifests, split_files
from modelbazaar.errors import EvalError
from modelbazaar.evals.suite import Suite, read_rows
from modelbazaar.safety import load_suite as load_safety_prompts
from modelbazaar.store.catalogue import canonical_json
from modelbazaar.store.objects import sha256_bytes

DOC_CHARS = 1000  # documents of at least this many characters: enough of them to bootstrap over


def documents(text: str, doc_chars: int = DOC_CHARS) -> list[str]:
    """Cut a text at blank lines into documents of at least `doc_chars` characters.

    Example: documents("aa\\n\\nbb\\n\\ncc", 4) -> ["aa\\n\\nbb", "cc"].
    """
    docs: list[str] = []
    current: list[str] = []
    for paragraph in text.split("\n\n"):
        if paragraph.strip():
            current.append(paragraph)
        if current and sum(len(p) + 2 for p in current) - 2 >= doc_chars:
            docs.append("\n\n".join(current))
            current = []
    if current:
        docs.append("\n\n".join(current))
    return docs


def split_examples(model_dir: Path, split: str, doc_chars: int) -> list[dict[str, Any]]:
    """Documents of the model source's own `split`, hashes checked by its data manifests."""
    files = split_files(load_manifests(model_dir), model_dir, split)
    if not files:
        raise EvalError(f"the model source in {model_dir} has no '{split}' files in data/*.toml")
    rows = []
    for path, _sha in files:
        for i, doc in enumerate(documents(path.read_text(encoding="utf-8"), doc_chars)):
            rows.append({"id": f"{path.name}:{i}", "text": doc})
    return rows


def suite_examples(
    suite: Suite, model_dir: Path | None = None, limit: int | None = None
) -> list[dict[str, Any]]:
    """The first `limit` examples of a suite (for safety: `limit` spread over the whole file)."""
    if suite.kind == "safety":
        prompts = load_safety_prompts(suite.parameters.get("prompts") or suite.name)
        rows = [p.to_dict() for p in prompts]
        if limit and limit < len(rows):  # the smoke file is sorted harmful-first: keep both
            rows = [rows[i * len(rows) // limit] for i in range(limit)]
        return rows
    assert suite.data is not None
    if suite.data.split is not None:
        if model_dir is None:
            raise EvalError(f"suite '{suite.name}' reads the model source's data: give its folder")
        rows = split_examples(
            Path(model_dir), suite.data.split, int(suite.parameters.get("doc_chars", DOC_CHARS))
        )
    else:
        id_field = suite.parameters.get("id_field", "id")
        rows = [
            {**row, "id": str(row.get(id_field, i))}
            for i, row in enumerate(read_rows(suite.data_file()))
        ]
    if len({r["id"] for r in rows}) != len(rows):
        raise EvalError(f"suite '{suite.name}': example ids are not unique")
    return rows[:limit] if limit else rows


def cache_version(suite: Suite, model_dir: Path | None = None) -> str:
    """The suite version results are stored under: the YAML's, plus a digest of data it does not
    hash itself (the source's split, the safety package's prompts), so changed data never reuses
    an old result. Example: "1" for wordnet_mc; "1+3f2a9c1b" for safety_smoke."""
    if suite.kind == "safety":
        digest = sha256_bytes(canonical_json(suite_examples(suite)).encode())
    elif suite.data is not None and suite.data.split is not None and model_dir is not None:
        files = split_files(load_manifests(Path(model_dir)), Path(model_dir), suite.data.split)
        digest = sha256_bytes(canonical_json([sha for _path, sha in files]).encode())
    else:
        return suite.version
    return f"{suite.version}+{digest[:8]}"
