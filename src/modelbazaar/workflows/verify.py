"""`bazaar verify`: rebuild a version from its source and compare the weights bit for bit.

A built version is rebuilt from the recipe recorded with it and the data named by its
manifests, in a scratch store, so nothing cached can hide a difference. Which function replays
which relation is one table, `workflows.replays.REPLAYS` (merges replay their recorded merge
recipe, distillations their recorded run).
"""

import tempfile
from dataclasses import dataclass
from pathlib import Path

import torch
from safetensors.torch import load as load_safetensors

from modelbazaar.errors import BazaarError
from modelbazaar.store import Store
from modelbazaar.workflows.replays import REPLAYS


@dataclass
class VerifyReport:
    identical: bool
    message: str
    first_difference: str | None = None
    max_abs_difference: float = 0.0


def compare_weights(expected: bytes, actual: bytes) -> tuple[str | None, float]:
    """First tensor (in name order) that differs, and the largest absolute difference."""
    a, b = load_safetensors(expected), load_safetensors(actual)
    first, largest = None, 0.0
    for name in sorted(set(a) | set(b)):
        if name not in a or name not in b or a[name].shape != b[name].shape:
            return name, float("inf")
        diff = (a[name].float() - b[name].float()).abs().max().item()
        if diff > 0 and first is None:
            first = name
        largest = max(largest, diff)
    if first is None and a.keys() == b.keys():
        first = next((n for n in sorted(a) if not torch.equal(a[n], b[n])), None)
    return first, largest


def verify(store: Store, model_dir: Path, ref: str) -> VerifyReport:
    record = store.version(ref)
    replay = REPLAYS.get(record.relation)
    if replay is None:
        raise BazaarError(
            f"version {record.short} was {record.relation}; it has no source in this store to "
            f"rebuild from (verifiable relations: {', '.join(sorted(REPLAYS))})"
        )
    with tempfile.TemporaryDirectory(prefix="bazaar-verify-") as scratch_dir:
        scratch = Store(Path(scratch_dir), database_url=f"sqlite:///{scratch_dir}/catalogue.db")
        rebuilt = scratch.version(replay(store, Path(model_dir), record, scratch))
        if rebuilt.weights == record.weights and rebuilt.hash == record.hash:
            return VerifyReport(
                True,
                f"rebuilt {record.short} from source: weights, tokenizer "
                f"and config are bit-identical ({rebuilt.weights[:12]})",
            )
        first, largest = compare_weights(
            store.objects.get_bytes(record.weights), scratch.objects.get_bytes(rebuilt.weights)
        )
    where = (
        f"first differing tensor {first}, largest difference {largest:.3g}"
        if first
        else "weights equal; tokenizer or config differ"
    )
    return VerifyReport(
        False, f"rebuild of {record.short} gave {rebuilt.short}: {where}", first, largest
    )
