"""Shared fixtures. Tests are hermetic: every store lives in a temp dir.

`tiny_built` builds the `tiny` template once per session (2 layers, width 32, vocab 512, 30
steps, ~10 s) and returns (model_dir, store). Treat it as read-only: tests that change the
store or the source must make their own copy with `fresh_tiny`.
"""

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from modelbazaar.train import portable

# Portable numerics for every in-process build, as `bazaar build` has: before torch is imported.
portable.activate()

from modelbazaar import templates  # noqa: E402
from modelbazaar.store import Store  # noqa: E402
from modelbazaar.workflows.build import build  # noqa: E402

pytest_plugins = ["tests.hubkit"]  # the hub's fixtures: live_hub, hub_model, hub_bundles

# Inputs from the developer's environment that would change what a test sees: their store,
# database, keys, config and caches (HOME, XDG_*), and a torchrun launcher's rank variables.
LEAKY = ("HOME", "WORLD_SIZE", "RANK", "LOCAL_RANK", "MASTER_ADDR", "MASTER_PORT")


def _isolate_environment(home: Path) -> None:
    for name in [n for n in os.environ if n.startswith(("BAZAAR_", "XDG_")) or n in LEAKY]:
        del os.environ[name]
    os.environ["HOME"] = str(home)  # ~/.config/modelbazaar/keys is then empty
    os.environ["MPLCONFIGDIR"] = str(home / ".matplotlib")  # one font cache for the session
    os.environ["HF_HUB_OFFLINE"] = "1"  # nothing may be fetched at run time
    os.environ["TRANSFORMERS_OFFLINE"] = "1"


# At import, before any test module imports modelbazaar: a fresh HOME for the whole session.
_isolate_environment(Path(tempfile.mkdtemp(prefix="bazaar-test-home-")))


@pytest.fixture(autouse=True)
def hermetic_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts without BAZAAR_* settings, whatever an earlier test or the shell set."""
    for name in [n for n in os.environ if n.startswith("BAZAAR_")]:
        monkeypatch.delenv(name)


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
