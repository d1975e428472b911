"""Shared fixtures. Tests are hermetic: every store lives in a temp dir.

`tiny_built` builds the `tiny` template once per session (2 layers, width 32, vocab 512, 30
steps, ~10 s) and returns (model_dir, store). Treat it as read-only: tests that change the
store or the source must make their own copy with `fresh_tiny`.
"""

import os
import shutil
from pathlib import Path

import pytest

from modelbazaar import templates
from modelbazaar.store import Store
from modelbazaar.workflows.build import build

# A developer's own store or database must never leak into tests.
for _name in ("BAZAAR_HOME", "BAZAAR_DATABASE_URL", "BAZAAR_KEYS"):
    os.environ.pop(_name, None)
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(scope="session")
def tiny_built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Store]:
    model_dir = templates.create(tmp_path_factory.mktemp("tiny") / "model", "tiny")
    build(model_dir, show_progress=False)
    return model_dir, Store.for_model(model_dir)


@pytest.fixture
def fresh_tiny(tiny_built: tuple[Path, Store], tmp_path: Path) -> tuple[Path, Store]:
    """A private copy of the built tiny source and its store, safe to modify."""
    source, _ = tiny_built
    target = tmp_path / "model"
    shutil.copytree(source, target)
    return target, Store.for_model(target)
