"""`bazaar merge`: fold accepted contributions into a new version, review it, then move main.

Reads top to bottom: setup (main, bundles, each with a stored ``accept`` review) → full deltas
ΔW = B·A·(alpha/r) per bundle → merge them per weight with ``peft.utils.merge_utils`` → record
the version (relation ``merged``, one lineage edge per contribution, the merge recipe in info)
→ review it against main under the policy → only then move ``main`` in one catalogue write.
An exception anywhere before that write leaves ``main`` where it was.

Example::

    outcome = merge(Path("my-model"), [Path("gsm8k.bazaar")], method="ties", density=0.5)
    outcome.version, outcome.verdict   # ('3f9c…', 'accept'); main now points at 3f9c…
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from modelbazaar.contrib import VerifiedBundle, open_bundle
from modelbazaar.errors import BazaarError
from modelbazaar.merge import check_method, merged_weights
from modelbazaar.model import load_version
from modelbazaar.progress import console
from modelbazaar.recipe import Recipe, load_recipe
from modelbazaar.review.judge import judge_candidate, trusted_keys
from modelbazaar.store import Store, VersionRecord


@dataclass
class MergeOutcome:
    version: str
    verdict: str  # accept: main moved; reject: the version is recorded but main did not move
    reasons: list[str] = field(default_factory=list)


def merge(
    model_dir: Path,
    bundle_paths: list[Path],
    *,
    method: str = "ties",
    density: float = 0.5,
    weights: list[float] | None = None,
    seed: int = 0,
    show_progress: bool = True,
) -> MergeOutcome:
    """Merge accepted bundles into main; move main only if the merged model passes review."""
    # 1. setup: refuse anything not accepted before computing a single delta
    check_method(method)
    weights = weights or [1.0] * len(bundle_paths)
    if len(weights) != len(bundle_paths) or not bundle_paths:
        raise BazaarError(
            f"give one weight per bundle ({len(bundle_paths)} bundles, {len(weights)} weights)"
        )
    if not 0 < density <= 1:
        raise BazaarError(f"--density {density} must be in (0, 1]: the share of entries kept")
    recipe = load_recipe(model_dir)
    store = Store.for_model(model_dir)
    main = store.version("main")
    bundles = _accepted_bundles(store, recipe, bundle_paths, main)

    # 2. merge: base weights + merged deltas, recorded with the recipe that replays it
    merge_recipe: dict[str, Any] = {
        "method": method,
        "density": density,
        "weights": weights,
        "seed": seed,
        "base": main.hash,
        "bundles": [store.catalogue.contribution(b.sha256)["bundle"] for b in bundles],
    }
    blob = merged_weights(store.objects.get_bytes(main.weights), bundles, merge_recipe)
    info = {k: v for k, v in main.info.items() if k != "builds"} | {"merge": merge_recipe}
    parents = [(main.hash, "base", {})] + [
        (
            b.manifest.base_version,
            "merged",
            {"contribution": b.sha256, "task": b.manifest.task, "author": b.manifest.author},
        )
        for b in bundles
    ]
    tasks = ", ".join(b.manifest.task for b in bundles)
    version = store.add_version(
        weights=store.objects.put_bytes(blob),
        tokenizer=main.tokenizer,
        config=main.config,
        relation="merged",
        info=info,
        parents=parents,
        message=f"merge {tasks} ({method})",
    )

    # 3. review the merged model against main; only an accept moves main (one catalogue write)
    base = load_version(store, main.hash)
    candidate = load_version(store, version).model
    verdict, reasons, _ = judge_candidate(
        store, model_dir, recipe, base, candidate, own_tasks=[], show_progress=show_progress
    )
    if verdict == "accept":
        store.catalogue.set_ref("main", version)
    return MergeOutcome(version=version, verdict=verdict, reasons=reasons)


def _accepted_bundles(
    store: Store, recipe: Recipe, bundle_paths: list[Path], main: VersionRecord
) -> list[VerifiedBundle]:
    """Each bundle verified again and with a stored ``accept`` review, or a BazaarError."""
    keys = trusted_keys(recipe)
    bundles = [
        open_bundle(p, trusted_keys=keys, require_signature=recipe.policy.require_signature)
        for p in bundle_paths
    ]
    for path, bundle in zip(bundle_paths, bundles, strict=True):
        reviews = store.catalogue.reviews_for(bundle.sha256)
        if not reviews or reviews[-1]["verdict"] != "accept":
            state = reviews[-1]["verdict"] if reviews else "never reviewed"
            raise BazaarError(
                f"{path} is not accepted ({state}); run `bazaar review {path}` and "
                "merge only bundles whose review says accept"
            )
        if bundle.manifest.base_version != main.hash:
            console.print(
                f"[yellow]{path} was trained on {bundle.manifest.base_version[:12]}, "
                f"main is {main.short}; its delta is applied to main as is[/]"
            )
    return bundles


def replay_merge(store: Store, model_dir: Path, record: VersionRecord, scratch: Store) -> str:
    """Recompute a merged version from its recorded recipe into ``scratch``; return its hash."""
    recipe = record.info["merge"]
    base = store.version(recipe["base"])
    bundles = []
    with tempfile.TemporaryDirectory(prefix="bazaar-merge-replay-") as tmp:
        for i, digest in enumerate(recipe["bundles"]):
            path = Path(tmp) / f"{i}.bazaar"
            path.write_bytes(store.objects.get_bytes(digest))
            # verified and reviewed when it was received; the object hash pins its bytes
            bundles.append(open_bundle(path, require_signature=False))
    blob = merged_weights(store.objects.get_bytes(base.weights), bundles, recipe)
    objects = {
        name: scratch.objects.put_bytes(store.objects.get_bytes(digest))
        for name, digest in (("tokenizer", base.tokenizer), ("config", base.config))
    }
    return scratch.add_version(
        weights=scratch.objects.put_bytes(blob),
        relation="merged",
        info=record.info,
        parents=[],
        **objects,
    )
