"""The source of a release: `source/bazaar.toml`, `source/data/*.toml` + data files, and the
exact code (a copy of modelbazaar's .py files, their sha256, git HEAD when known).

With `source/` alone, `bazaar build` rebuilds the model: the recipe is written from the one
recorded with the version (or copied from the model folder when it parses to the same recipe),
and data files are copied only after their sha256 matches the manifest.

Example: `toml_dump({"a": 1, "t": {"b": "x"}})` -> `'a = 1\\n\\n[t]\\nb = "x"\\n'`.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from importlib import resources
from pathlib import Path
from typing import Any

from modelbazaar import __version__
from modelbazaar.recipe import parse_recipe


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def toml_dump(data: dict[str, Any], prefix: str = "") -> str:
    """TOML for nested dicts of scalars and lists (what a recipe or manifest holds).

    None values are left out (TOML has no null; the schema default applies on reading).
    Lists of tables (`[[files]]`) are written after the plain keys.
    """
    plain, tables, arrays = [], [], []
    for key, value in data.items():
        if value is None:
            continue
        if isinstance(value, dict):
            tables.append((key, value))
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            arrays.append((key, value))
        else:
            plain.append(f"{key} = {_value(value)}")
    text = "\n".join(plain) + ("\n" if plain else "")
    for key, value in tables:
        name = f"{prefix}{key}"
        text += f"\n[{name}]\n" + toml_dump(value, f"{name}.")
    for key, items in arrays:
        for item in items:
            text += f"\n[[{prefix}{key}]]\n" + toml_dump(item, f"{prefix}{key}.")
    return text


def write_recipe(out: Path, recipe: dict[str, Any], model_dir: Path | None) -> str:
    """Write source/bazaar.toml; returns "copied" or "recorded" (where it came from)."""
    target = out / "bazaar.toml"
    local = model_dir / "bazaar.toml" if model_dir else None
    if local and local.is_file():
        try:
            same = parse_recipe(local.read_text("utf-8")).model_dump(mode="json") == recipe
        except Exception:  # a broken local recipe is simply not used
            same = False
        if same:  # keeps the authors' comments
            shutil.copyfile(local, target)
            return "copied"
    header = "# Recipe recorded with the released version (written by `bazaar release`).\n"
    target.write_text(header + toml_dump(recipe), encoding="utf-8")
    return "recorded"


def write_data(out: Path, manifests: list[dict[str, Any]], model_dir: Path | None) -> list[str]:
    """Write data/<name>.toml manifests and copy files whose sha256 matches; return missing."""
    data = out / "data"
    data.mkdir(parents=True, exist_ok=True)
    missing = []
    for manifest in manifests:
        fields = {k: v for k, v in manifest.items() if k not in ("train_tokens", "train_rows")}
        (data / f"{manifest['name']}.toml").write_text(toml_dump(fields), encoding="utf-8")
        for entry in manifest.get("files", []):
            src = model_dir / "data" / entry["path"] if model_dir else None
            if not src or not src.is_file() or _sha256(src) != entry["sha256"]:
                missing.append(entry["path"])
                continue
            dst = data / entry["path"]
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dst)
    return missing


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_code(out: Path) -> dict[str, Any]:
    """Copy modelbazaar's .py files to code/modelbazaar and record the exact code version.

    The digest is sha256 over "relative path NUL bytes NUL" of every .py file, sorted, so it
    names the code that ran whatever the install method.
    """
    package = Path(str(resources.files("modelbazaar")))
    digest = hashlib.sha256()
    files = sorted(p for p in package.rglob("*.py") if "__pycache__" not in p.parts)
    for path in files:
        relative = path.relative_to(package).as_posix()
        digest.update(relative.encode() + b"\0" + path.read_bytes() + b"\0")
        target = out / "code" / "modelbazaar" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    version = {
        "modelbazaar": __version__,
        "code_sha256": digest.hexdigest(),
        "files": len(files),
        "git_head": _git_head(package),
        "libraries": _libraries(),
    }
    (out / "CODE_VERSION.json").write_text(json.dumps(version, indent=2) + "\n", "utf-8")
    return version


def _git_head(folder: Path) -> str | None:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=folder, capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def _libraries() -> dict[str, dict[str, str | None]]:
    """Versions and declared licences of the libraries a build runs on."""
    from importlib import metadata

    found = {}
    for name in ("torch", "transformers", "tokenizers", "safetensors", "peft", "numpy"):
        try:
            meta = metadata.metadata(name)
        except metadata.PackageNotFoundError:
            continue
        licence = meta.get("License-Expression") or meta.get("License") or ""
        found[name] = {
            "version": meta.get("Version"),
            "license": (licence.splitlines() or [""])[0][:80],
        }
    return found
