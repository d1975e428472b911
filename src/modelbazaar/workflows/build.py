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

from dataclasses import dataclass
from pathlib import Path

from safetensors.torch import load as load_safetensors
from tokenizers import Tokenizer
from transformers import LlamaConfig

from modelbazaar.data.manifest import Manifest, load_manifests
from modelbazaar.data.tokenizer import EOS, PAD
from modelbazaar.errors import BazaarError, RecipeError
from modelbazaar.model import llama_config, parameter_count
from modelbazaar.progress import console
from modelbazaar.recipe import Recipe, load_recipe
from modelbazaar.safety.guard.rows import rows_of
from modelbazaar.store import Store, VersionRecord
from modelbazaar.store.refs import RefMove
from modelbazaar.store.stages import recorded_environment
from modelbazaar.store.store import version_hash
from modelbazaar.train.budget import check_fits_machine
from modelbazaar.train.build_stages import BuildStages, built_info, train_and_validation_files
from modelbazaar.train.determinism import make_deterministic, resolve_precision, set_threads
from modelbazaar.train.distributed import World, barrier, init_world
from modelbazaar.train.environment import build_environment, require_portable_process
from modelbazaar.train.guard_stage import check_guard_rows, guard_backbone, guard_info, guard_stage


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
    check_buildable(model_dir, recipe)
    mode = "fast" if fast else "portable"
    precision = resolve_precision(recipe.train.precision, mode)
    if not fast:
        require_portable_process()
    manifests = load_manifests(model_dir)
    if recipe.guard is not None:  # a guard: fine-tuned encoder + hazard heads (train/guard.py)
        return build_guard(model_dir, store, recipe, manifests, mode, precision, show_progress)
    train_files, val_files = train_and_validation_files(manifests, model_dir)
    check_fits_machine(recipe)  # memory for the recipe's sizes, before the store is touched
    world = init_world()
    if store is None:
        store = _open_store(model_dir, world)
    make_deterministic(recipe.train.seed)
    started_from = store.catalogue.refs()  # refs move only if nobody moves them meanwhile
    set_threads(None if fast else recipe.train.threads)  # fast: one thread per core
    environment = build_environment(mode, precision)
    stages = BuildStages(store, recipe, world, show_progress, environment)

    tok = stages.tokenizer(train_files)  # 1. byte-level BPE over the training split
    tokenizer = Tokenizer.from_str(store.objects.get_bytes(tok.out["tokenizer"]).decode())
    pack = stages.pack(tok, tokenizer, train_files, val_files, manifests, model_dir)  # 2. streams
    config = _llama_config(recipe, tokenizer)  # 3. pretrain a Llama of the recipe's size
    train = stages.pretrain(pack, config)
    barrier(world)

    build_row = store.catalogue.build(train.key)
    if build_row:  # a cached pretrain keeps the environment it was trained in
        environment = recorded_environment(build_row)
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
    rows = (train_rows, val_rows)
    stage = guard_stage(
        store, recipe, model_dir, manifests, backbone, rows, environment, show_progress
    )
    build_row = store.catalogue.build(stage.key)
    environment = recorded_environment(build_row)
    info = guard_info(recipe, manifests, train_rows, backbone, stage.key, environment)
    version = store.add_version(
        weights=stage.out["weights"],
        tokenizer=stage.out["tokenizer"],
        config=stage.out["config"],
        relation="built",
        info=info,
        message=f"build guard {recipe.model.name}",
    )
    _move_refs(store, version, started_from)
    weights = load_safetensors(store.objects.get_bytes(stage.out["weights"]))
    return BuildOutcome(
        version=version,
        cached={"guard": stage.cached},
        parameters=sum(t.numel() for t in weights.values()),
        final_val_loss=build_row["final_val_loss"],
    )


def check_buildable(model_dir: Path, recipe: Recipe) -> None:
    """Refuse a source with nothing to build: an imported model's recipe has no [model]."""
    if recipe.imported is not None or recipe.model is None:
        raise RecipeError(
            f"{model_dir} holds an imported model ({recipe.name}, from "
            f"{recipe.imported.source if recipe.imported else '?'}): its bazaar.toml has "
            "[imported] and no [model]/[tokenizer]/[train], so there is nothing to build. Its "
            "versions come from the import, contributions and merges; `bazaar verify` checks "
            "the import against its source"
        )


def _llama_config(recipe: Recipe, tokenizer: Tokenizer) -> LlamaConfig:
    """The Llama of the recipe's size over this tokenizer's vocabulary and special tokens."""
    assert recipe.model is not None  # check_buildable refused a recipe without [model]
    return llama_config(
        recipe.model,
        tokenizer.get_vocab_size(),
        tokenizer.token_to_id(EOS),
        tokenizer.token_to_id(PAD),
    )


def _open_store(model_dir: Path, world: World) -> Store:
    """The model's store; rank 0 creates/migrates the catalogue before the others open it."""
    store = Store.for_model(model_dir) if world.is_main else None
    barrier(world)
    return store or Store.for_model(model_dir)


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
    info = built_info(store, recipe, manifests, counts, keys, environment)
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
