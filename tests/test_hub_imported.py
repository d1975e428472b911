"""An imported model (`bazaar init --from`) travels through a real hub as a built one does:
push, clone, verify (by re-import, not retraining), and a contribution's merge on the clone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from modelbazaar.hub import sync
from modelbazaar.store import Store
from modelbazaar.workflows.init_from import create_from
from modelbazaar.workflows.verify import verify
from tests.hubkit import LiveHub
from tests.imported_kit import tiny_hf_folder


@pytest.fixture(scope="module")
def standin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tiny_hf_folder(tmp_path_factory.mktemp("standin") / "tiny-llama")


def test_an_imported_source_pushes_clones_and_verifies(
    live_hub: LiveHub, standin: Path, tmp_path: Path, monkeypatch
) -> None:
    source = tmp_path / "hf-folder"
    shutil.copytree(standin, source)
    model = tmp_path / "imported"
    imported = create_from(model, str(source), "MIT")

    live_hub.act_as("alice", monkeypatch)
    url = live_hub.model_url("imported")
    pushed = sync.push(model, url, show_progress=False)
    assert pushed.created and pushed.version == imported

    live_hub.act_as("carol", monkeypatch)
    dest, fetched = sync.clone(url, tmp_path / "copy", show_progress=False)
    assert fetched.refs == {"main": f"new at {imported[:12]}"}
    # the recipe names the import source and every file's sha256: the clone has the same one
    assert (dest / "bazaar.toml").read_bytes() == (model / "bazaar.toml").read_bytes()
    store = Store.for_model(dest)
    record = store.version("main")
    assert record.hash == imported and record.relation == "imported"
    outcome = verify(store, dest, "main")
    assert outcome.verdict == "identical", outcome

    # the import source changes under the clone: verify says so instead of agreeing
    weights = next(source.glob("*.safetensors"))
    data = bytearray(weights.read_bytes())
    data[-1] ^= 0x01
    weights.write_bytes(bytes(data))
    assert verify(store, dest, "main").verdict != "identical"
