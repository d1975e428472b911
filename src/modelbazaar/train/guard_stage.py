"""The one cached stage of a guard build, and what a guard build checks and records.

A `[guard]` source builds in a single stage: labelled rows -> fine-tuned encoder + heads
(train/guard.py), cached under the hash of the rows' files, the recipe, the backbone package's
weights, the code and the numerics. The story that runs it is `workflows/build.py`.
"""

from collections import Counter
from dataclasses import replace
from pathlib import Path

from modelbazaar import __version__
from modelbazaar.data.manifest import Manifest, split_files
from modelbazaar.errors import DataError, RecipeError
from modelbazaar.recipe import Recipe
from modelbazaar.safety.guard.backbones import Backbone, BackboneMissing, find_backbone
from modelbazaar.safety.guard.framing import framing_of
from modelbazaar.safety.guard.rows import GuardRow
from modelbazaar.store import Store
from modelbazaar.store.catalogue import canonical_json
from modelbazaar.store.stages import cached_outputs, code_version, stage_key
from modelbazaar.train.build_stages import Stage
from modelbazaar.train.environment import numerics_key
from modelbazaar.train.guard import train_guard


def guard_stage(
    store: Store,
    recipe: Recipe,
    model_dir: Path,
    manifests: list[Manifest],
    backbone: Backbone,
    rows: tuple[list[GuardRow], list[GuardRow]],
    environment: dict,
    show_progress: bool,
) -> Stage:
    """The guard's weights, config and tokenizer: found under the stage's input hash, or
    trained from `rows` (train, validation) and recorded with their metrics."""
    inputs = {
        "train": [h for _, h in split_files(manifests, model_dir, "train")],
        "validation": [h for _, h in split_files(manifests, model_dir, "validation")],
        "recipe": recipe.model_dump(mode="json", include={"guard", "train"}),
        "backbone": backbone_record(backbone),
        "code": code_version("guard"),
        "numerics": numerics_key(environment),
    }
    key = stage_key("guard", inputs)
    cached, out = cached_outputs(store, key)
    if out is None:
        train_rows, val_rows = rows
        result = train_guard(
            train_rows, val_rows, recipe, backbone, show_progress, store.objects.put_bytes
        )
        out = {
            "checkpoints": result.checkpoints,  # step -> weights object: MOF intermediate
            "weights": store.objects.put_bytes(result.weights),
            "config": store.objects.put_bytes(canonical_json(result.config).encode()),
            "tokenizer": store.objects.put_bytes(result.tokenizer.encode()),
        }
        row = {"key": key, "stage": "guard", "inputs": inputs, "outputs": out}
        tokens = result.metrics[-1]["tokens"] if result.metrics else 0
        row |= {"duration_s": result.seconds, "tokens": tokens, "machine": environment}
        row |= {"final_train_loss": result.final_train_loss}
        row |= {"final_val_loss": result.final_val_loss}
        store.catalogue.add_build(row, result.metrics)
    return Stage(key, cached, out)


def backbone_record(backbone: Backbone) -> dict[str, str]:
    """The backbone as the cache key and the version's info name it: package, version, sha256."""
    return {"name": backbone.name, "version": backbone.version, "sha256": backbone.sha256}


def guard_backbone(recipe: Recipe) -> Backbone:
    """The `[guard]` backbone from its PyPI package, checked against `[train] seq_len`."""
    assert recipe.guard is not None
    try:
        backbone = find_backbone(recipe.guard.backbone, recipe.guard.backbone_layers)
    except BackboneMissing as exc:
        raise DataError(str(exc)) from None
    config = backbone.config()
    layers = config.num_hidden_layers
    total = replace(backbone, layers=None).config().num_hidden_layers
    if layers > total:
        raise RecipeError(f"[guard] backbone_layers {layers}: {backbone.name} has {total} layers")
    if recipe.guard.trainable_layers > layers:
        raise RecipeError(
            f"[guard] trainable_layers {recipe.guard.trainable_layers}: the backbone keeps "
            f"{layers} layers"
        )
    window = config.max_position_embeddings
    if recipe.train.seq_len > window:
        raise RecipeError(
            f"[train] seq_len {recipe.train.seq_len} is longer than the backbone's window "
            f"({window} tokens); lower it (longer texts are read in windows anyway)"
        )
    return backbone


def guard_info(
    recipe: Recipe,
    manifests: list[Manifest],
    train_rows: list[GuardRow],
    backbone: Backbone,
    key: str,
    environment: dict,
) -> dict:
    """The guard version's info: recipe, data with rows and tokens read per dataset, backbone,
    build environment (what `bazaar show`, the release and the audit read)."""
    counts = Counter(r.dataset for r in train_rows)
    framing = framing_of(backbone.tokenizer_text(), recipe.train.seq_len, backbone.frame())
    tokens = Counter()  # tokens the guard reads per dataset (after truncation)
    windows = framing.first_windows([r.text for r in train_rows])
    for row, window in zip(train_rows, windows, strict=True):
        tokens[row.dataset] += len(window)
    info = {
        "name": recipe.model.name,
        "kind": "guard",
        "license": recipe.license.weights,
        "recipe": recipe.model_dump(mode="json"),
        "data": [
            m.model_dump(mode="json")
            | {"train_rows": counts[m.name], "train_tokens": tokens[m.name]}
            for m in manifests
        ],
        "synthetic_token_share": 0.0 if all(m.provenance == "human" for m in manifests) else None,
        "builds": {"guard": key},
        "backbone": backbone_record(backbone),
        "code_version": __version__,
        "build_environment": environment,
        "portable": environment.get("mode") == "portable",
    }
    return info


def check_guard_rows(train: list[GuardRow], validation: list[GuardRow]) -> None:
    """A guard needs safe and unsafe rows in both splits (else no head or threshold to learn)."""
    for split, rows in (("train", train), ("validation", validation)):
        kinds = {row.unsafe for row in rows}
        if kinds != {0, 1}:
            missing = "rows" if not rows else "unsafe rows" if 1 not in kinds else "safe rows"
            raise DataError(
                f"the guard's {split} split has no {missing}; a guard learns from safe and "
                "unsafe examples in both train and validation (data/*.toml listing JSONL rows "
                "with unsafe = 0 or 1)"
            )
