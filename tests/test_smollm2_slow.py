"""The real SmolLM2-135M-Instruct as a bazaar base (issue 15, 1): `slow`, since the import
dequantises a 135M GGUF (~50 s) and verify imports it again. The default suite covers the same
paths on a tiny stand-in (test_init_from.py)."""

import pytest

from modelbazaar.recipe import load_recipe
from modelbazaar.store import Store
from modelbazaar.workflows.init_from import create_from
from modelbazaar.workflows.verify import verify

pytestmark = pytest.mark.slow


def test_init_from_smollm2_then_verify_reimports(tmp_path) -> None:
    target = tmp_path / "smol"
    version = create_from(target, "smollm2", "Apache-2.0")
    recipe = load_recipe(target)
    assert recipe.imported is not None and recipe.imported.source == "smollm2"
    assert recipe.imported.kind == "gguf" and list(recipe.imported.files) == [
        "SmolLM2-135M-Instruct.Q4_1.gguf"
    ]
    store = Store.for_model(target)
    main = store.version("main")
    assert main.hash == version and main.relation == "imported"
    assert main.info["license"] == "Apache-2.0" and main.info["chat_template"]
    report = verify(store, target, "main")
    assert report.verdict == "identical", report.message
    assert "imported, not built" in report.message
