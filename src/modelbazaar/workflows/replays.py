"""The one table of replays: how `bazaar verify` re-makes a version, by the relation that made it.

Each workflow that creates versions owns its replay function; this module only names them, so
nothing registers itself by import side effect. A replay re-makes ``record`` into a scratch store
and returns the hash it gets: ``(store, model_dir, record, scratch) -> version hash``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from modelbazaar.store import Store, VersionRecord
from modelbazaar.workflows.build import replay_build
from modelbazaar.workflows.distill import replay_distill
from modelbazaar.workflows.importer import replay_import
from modelbazaar.workflows.merge import replay_merge

Replay = Callable[[Store, Path, VersionRecord, Store], str]  # -> rebuilt version hash

REPLAYS: dict[str, Replay] = {
    "built": replay_build,
    "merged": replay_merge,
    "distilled": replay_distill,
    "imported": replay_import,  # no training: source hashes checked, then re-imported
}
