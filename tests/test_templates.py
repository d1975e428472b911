"""Every shipped template parses, its manifests match its data, and the test run is hermetic."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

import pytest

from modelbazaar import templates
from modelbazaar.data.manifest import load_manifests, split_files
from modelbazaar.evals import load_suite
from modelbazaar.recipe import load_recipe

TEMPLATES = sorted(templates.available())


def test_templates_are_found() -> None:
    shipped = [e.name for e in resources.files("modelbazaar.templates").iterdir() if e.is_dir()]
    assert set(TEMPLATES) == {n for n in shipped if n != "__pycache__"}


@pytest.mark.parametrize("name", TEMPLATES)
def test_template_recipe_manifests_and_suites(name: str, tmp_path: Path) -> None:
    source = templates.create(tmp_path / name, name)
    recipe = load_recipe(source)  # every key known and typed, or a RecipeError naming it
    manifests = load_manifests(source)  # hashes, sizes and licences checked file by file
    assert manifests, f"template {name} ships no data manifest"
    if recipe.train is not None:  # a model with a recipe must have data to train on
        assert split_files(manifests, source, "train") and split_files(
            manifests, source, "validation"
        )
    for suite in recipe.evals:
        load_suite(suite, source)  # every named suite exists and parses


def test_environment_is_isolated() -> None:
    """No developer key or store can be read: HOME is a fresh temp dir, BAZAAR_* are unset."""
    assert Path(os.environ["HOME"]).name.startswith("bazaar-test-home-")
    assert not any(name.startswith("BAZAAR_") for name in os.environ)
    assert not (Path.home() / ".config" / "modelbazaar").exists()
