"""Model sources that `bazaar init` copies: recipe + data manifests + data, with licences."""

import shutil
from importlib import resources
from pathlib import Path

from modelbazaar.errors import BazaarError, unknown_name
from modelbazaar.recipe import RECIPE_FILE, parse_recipe


def available() -> dict[str, str]:
    """Template name -> its one-line description (from its recipe)."""
    root = resources.files("modelbazaar.templates")
    found = {}
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        recipe = entry.joinpath(RECIPE_FILE)
        if entry.is_dir() and recipe.is_file():
            found[entry.name] = parse_recipe(recipe.read_text(), entry.name).description
    return found


def create(target: Path, template: str) -> Path:
    """Copy `template` into `target` (which must not already hold a model source)."""
    known = available()
    if template not in known:
        raise BazaarError(unknown_name("template", template, list(known)))
    target = Path(target)
    if (target / RECIPE_FILE).exists():
        raise BazaarError(
            f"{target} already holds a model source ({RECIPE_FILE}); choose a new folder"
        )
    with resources.as_file(resources.files("modelbazaar.templates").joinpath(template)) as source:
        shutil.copytree(
            source,
            target,
            dirs_exist_ok=True,
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
        )
    return target
