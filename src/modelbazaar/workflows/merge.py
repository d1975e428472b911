"""`bazaar merge`: fold accepted contributions into a new version, review it, then move main.

Reads top to bottom: setup (main, bundles, each with a stored ``accept`` review) → full deltas
ΔW = B·A·(alpha/r) per bundle → merge them per weight with ``peft.utils.merge_utils`` (or per
layer with RegMean and the bundles' Gram statistics) → record
the version (relation ``merged``, one lineage edge per contribution, the merge recipe in info)
→ review it against main under the policy, with the share of each contribution's held-out gain
it keeps → only then move ``main`` in one catalogue write.
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
from modelbazaar.contrib.manifest import ADAPTER_NAME
from modelbazaar.errors import BazaarError
from modelbazaar.merge import check_method, merged_weights
from modelbazaar.merge.regmean import DEFAULT_ALPHA
from modelbazaar.model import load_version
from modelbazaar.progress import console
from modelbazaar.recipe import Recipe, load_recipe
from modelbazaar.review.judge import judge_candidate, trusted_keys
from modelbazaar.review.kept_share import kept_share_reasons, kept_shares
from modelbazaar.store import Store, VersionRecord
from modelbazaar.store.refs import RefMove


@dataclass
class MergeOutcome:
    version: str
    verdict: str  # accept: main moved; reject: the version is recorded but main did not move
    reasons: list[str] = field(default_factory=list)
    already: bool = False  # main already was the merge of exactly these bundles: nothing done
    kept: list[dict[str, Any]] = field(default_factory=list)  # share of each one's gain kept


def merge(
    model_dir: Path,
    bundle_paths: list[Path],
    *,
    method: str = "ties",
    density: float = 0.5,
    weights: list[float] | None = None,
    seed: int = 0,
    alpha: float = DEFAULT_ALPHA,  # regmean: off-diagonal share of the Grams (merge/regmean.py)
    fallback: str | None = None,  # regmean: method for layers without statistics; None refuses
    show_progress: bool = True,
) -> MergeOutcome:
    """Merge accepted bundles into main; move main only if the merged model passes review."""
    # 1. setup: refuse anything not accepted before computing a single delta
    weights = _checked_arguments(method, density, weights, bundle_paths)
    recipe = load_recipe(model_dir)
    store = Store.for_model(model_dir)
    main = store.version("main")
    bundles = _accepted_bundles(store, recipe, bundle_paths, main)
    if main_is_merge_of(store, main, bundles):  # a re-run after this very merge landed
        return MergeOutcome(version=main.hash, verdict="accept", already=True)
    ids = [_reviewed_id(store, b) for b in bundles]

    # 2. merge: base weights + merged deltas, recorded with the recipe that replays it
    merge_recipe: dict[str, Any] = {
        "method": method,
        "density": density,
        "weights": weights,
        "seed": seed,
        "base": main.hash,
        "bundles": [store.catalogue.contribution(i)["bundle"] for i in ids],
    }
    if check_method(method).needs_statistics:
        merge_recipe |= {"alpha": alpha, "fallback": fallback}
    labels = [str(p) for p in bundle_paths]
    blob = merged_weights(store.objects.get_bytes(main.weights), bundles, merge_recipe, labels)
    version = _record_merged(store, main, bundles, ids, merge_recipe, blob)

    # 3. review the merged model against main; only an accept moves main (one catalogue write)
    base = load_version(store, main.hash)
    candidate = load_version(store, version).model
    verdict, reasons, _ = judge_candidate(
        store, model_dir, recipe, base, candidate, own_tasks=[], show_progress=show_progress
    )
    kept = kept_shares(base, candidate, bundles, labels)  # each contribution's gain, re-measured
    reasons += kept_share_reasons(kept, recipe.policy.min_kept_share)
    verdict = "reject" if reasons else verdict
    if verdict == "accept":  # compare-and-swap: only if main is still where this merge began
        store.catalogue.move_refs([RefMove("main", version, expected=main.hash)], "merging")
    return MergeOutcome(version=version, verdict=verdict, reasons=reasons, kept=kept)


def _checked_arguments(
    method: str, density: float, weights: list[float] | None, bundle_paths: list[Path]
) -> list[float]:
    """The per-bundle weights (1 each by default); a BazaarError for a bad method, weight
    count or density, before anything is read."""
    check_method(method)
    weights = weights or [1.0] * len(bundle_paths)
    if len(weights) != len(bundle_paths) or not bundle_paths:
        raise BazaarError(
            f"give one weight per bundle ({len(bundle_paths)} bundles, {len(weights)} weights)"
        )
    if not 0 < density <= 1:
        raise BazaarError(f"--density {density} must be in (0, 1]: the share of entries kept")
    return weights


def _record_merged(
    store: Store,
    main: VersionRecord,
    bundles: list[VerifiedBundle],
    ids: list[str],
    merge_recipe: dict[str, Any],
    blob: bytes,
) -> str:
    """Store the merged weights as a version (relation ``merged``): main as its base parent and
    one lineage edge per contribution; main's tokenizer and config; the merge recipe in info."""
    info = {k: v for k, v in main.info.items() if k != "builds"} | {"merge": merge_recipe}
    parents = [(main.hash, "base", {})] + [
        (
            b.manifest.base_version,
            "merged",
            {
                "contribution": i,
                "adapter": adapter_hash(b),
                "task": b.manifest.task,
                "author": b.manifest.author,
            },
        )
        for b, i in zip(bundles, ids, strict=True)
    ]
    tasks = ", ".join(b.manifest.task for b in bundles)
    return store.add_version(
        weights=store.objects.put_bytes(blob),
        tokenizer=main.tokenizer,
        config=main.config,
        relation="merged",
        info=info,
        parents=parents,
        message=f"merge {tasks} ({merge_recipe['method']})",
    )


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
        if bundle.manifest.kind == "data":  # the source changes, not the weights: donate.py
            raise BazaarError(f"{path} is a data donation; `bazaar merge` adds it to data/")
        reviews = store.catalogue.reviews_for(_reviewed_id(store, bundle))
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


def adapter_hash(bundle: VerifiedBundle) -> str | None:
    """sha256 of the bundle's adapter, as its signed manifest lists it."""
    return next((p.sha256 for p in bundle.manifest.payload if p.name == ADAPTER_NAME), None)


def _reviewed_id(store: Store, bundle: VerifiedBundle) -> str:
    """The id its review is stored under: the contribution id or, for reviews recorded before
    contributions were named by their signed manifest, the hash of the zip."""
    known = (i for i in (bundle.id, bundle.sha256) if store.catalogue.reviews_for(i))
    return next(known, bundle.id)


def main_is_merge_of(store: Store, main: VersionRecord, bundles: list[VerifiedBundle]) -> bool:
    """True when main *is* the merge of exactly these bundles (a merge re-run after it landed).

    Raise when a bundle is given twice or is already merged anywhere in main's lineage:
    merging it again would apply its delta twice. Re-zipping a bundle keeps its id, and a
    re-signed manifest around the same adapter is caught by the adapter's hash.
    """
    ids = [b.id for b in bundles]
    if len(set(ids)) != len(ids):
        raise BazaarError("the same contribution is given twice; give each bundle once")
    merged = store.merged_contributions(main.hash)  # id or "adapter:<sha256>" -> merging version
    keys = {b.id: [b.id, b.sha256, f"adapter:{adapter_hash(b)}"] for b in bundles}
    done = [b for b in bundles if any(k in merged for k in keys[b.id])]
    if not done:
        return False
    own = {p["detail"].get("adapter") for p in main.parents if p["relation"] == "merged"}
    if len(done) == len(bundles) and own == {adapter_hash(b) for b in bundles}:
        return True
    first = done[0]
    where = next(merged[k] for k in keys[first.id] if k in merged)
    raise BazaarError(
        f"contribution {first.id[:12]} ({first.manifest.task}) is already merged into main "
        f"(by version {where[:12]}); merging it again would apply its delta twice. "
        "Nothing was changed"
    )


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
