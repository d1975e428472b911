"""`bazaar feedback export`: the hub's community feedback on a model as a dataset in the model
folder — ``data/NAME/train.jsonl`` (``{"prompt", "response"}`` per line, what LoRA training and
`bazaar contribute --data` read) and its manifest ``data/NAME.toml``, so `bazaar build` or
`bazaar contribute` can use it as is.

Only answers people wrote themselves are exported (provenance ``human``); the model's own
answers, even rated good, are synthetic and stay out. The licence is CC0-1.0 when every
exported row is CC0-1.0, else CC-BY-4.0 (CC0 rows may be shared under it); the manifest's
source names the hub and every author to credit.

Example: export_feedback(Path("tiny"), "origin", "feedback") -> ExportResult(rows=12, …)
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from modelbazaar.data.manifest import load_manifest, write_manifest_entry
from modelbazaar.errors import BazaarError
from modelbazaar.hub.remotes import remote_url
from modelbazaar.hub.transfer import connect

DATASET = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")


@dataclass(frozen=True)
class ExportResult:
    manifest: Path
    data: Path
    rows: int
    skipped: int  # feedback without a better answer (ratings only)
    license: str
    authors: list[str]


def _toml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def export_feedback(
    model_dir: Path, remote: str, name: str, *, force: bool = False
) -> ExportResult:
    if not DATASET.match(name):
        raise BazaarError(
            f"dataset name {name[:60]!r}: use a-z, 0-9, '_' and '-' (for example feedback)"
        )
    model_dir = Path(model_dir)
    data_dir = model_dir / "data"
    manifest_path, folder = data_dir / f"{name}.toml", data_dir / name
    if (manifest_path.exists() or folder.exists()) and not force:
        raise BazaarError(
            f"{manifest_path} or {folder}/ already exists; choose another NAME or add --force"
        )
    url = remote_url(model_dir, remote)
    hub, model = connect(url)
    with hub:
        rows = hub.json("GET", f"/models/{model}/feedback")
    kept = [r for r in rows if r.get("consent") and (r.get("better") or "").strip()]
    if not kept:
        raise BazaarError(
            f"{model} has no feedback with a better answer yet ({len(rows)} ratings only); "
            "nothing written"
        )
    license = "CC0-1.0" if all(r["license"] == "CC0-1.0" for r in kept) else "CC-BY-4.0"
    authors = sorted({r["author"] for r in kept})
    folder.mkdir(parents=True, exist_ok=True)
    lines = [
        json.dumps({"prompt": r["prompt"], "response": r["better"].strip()}, ensure_ascii=False)
        for r in kept
    ]
    (folder / "train.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    entry = write_manifest_entry(data_dir, f"{name}/train.jsonl", "train")
    source = f"community feedback on {url} (feedback ids {kept[0]['id']}-{kept[-1]['id']}); "
    source += "authors: " + ", ".join(authors)
    text = (
        "# Written by `bazaar feedback export`: answers people wrote on the hub's chat page,\n"
        "# each given with consent under CC-BY-4.0 or CC0-1.0 (credit the authors below).\n"
        f"name = {_toml_string(name)}\n"
        f"license = {_toml_string(license)}\n"
        f"source = {_toml_string(source)}\n"
        'provenance = "human"\n\n'
        "[[files]]\n"
        f"path = {_toml_string(str(entry['path']))}\n"
        f"split = {_toml_string(str(entry['split']))}\n"
        f"bytes = {entry['bytes']}\n"
        f"sha256 = {_toml_string(str(entry['sha256']))}\n"
    )
    manifest_path.write_text(text, encoding="utf-8")
    load_manifest(manifest_path)  # the manifest `bazaar build` will read: check it now
    return ExportResult(
        manifest_path, folder / "train.jsonl", len(kept), len(rows) - len(kept), license, authors
    )
