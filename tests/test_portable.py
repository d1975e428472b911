"""Portable numerics: the committed reference hashes, and refusals of hardware-dependent recipes."""

import json
from pathlib import Path

import pytest

from modelbazaar import templates
from modelbazaar.errors import NumericsError
from modelbazaar.store import Store
from modelbazaar.workflows.build import build
from tests.helpers import edit_recipe, tree_digest

REFERENCE = json.loads((Path(__file__).parent / "reference_hashes.json").read_text())


def test_tiny_portable_build_gives_the_reference_hash(tiny_built: tuple[Path, Store]) -> None:
    _, store = tiny_built
    record = store.version("main")
    assert record.info["portable"] and record.info["build_environment"]["mode"] == "portable"
    assert record.hash == REFERENCE["tiny"]


def test_portable_build_refuses_auto_precision(fresh_tiny: tuple[Path, Store]) -> None:
    model_dir, _ = fresh_tiny
    edit_recipe(model_dir, precision='"auto"')
    before = tree_digest(model_dir / ".bazaar")
    with pytest.raises(NumericsError, match="--fast"):
        build(model_dir, show_progress=False)
    assert tree_digest(model_dir / ".bazaar") == before


@pytest.mark.slow
def test_shakespeare_portable_build_gives_the_reference_hash(tmp_path: Path) -> None:
    model_dir = templates.create(tmp_path / "shakespeare", "shakespeare")
    assert build(model_dir, show_progress=False).version == REFERENCE["shakespeare"]
