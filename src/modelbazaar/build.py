"""`bazaar build`: data manifests -> tokenizer -> token streams -> pretrained version.

Reads top to bottom: check the source, then each stage either finds its result in the store
under the hash of its inputs (data hashes, stage config, code version, parent, seed) or
computes and stores it. Nothing is written to the store until the source has been checked,
so a refused build leaves the store as it was.
"""

import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from safetensors.torch import load as load_safetensors
from safetensors.torch import save as save_safetensors
from tokenizers import Tokenizer

from modelbazaar import __version__
from modelbazaar.build_stages import cached_outputs, code_version, record_stage, stage_key
from modelbazaar.data.manifest import Manifest, load_manifests, split_files
from modelbazaar.data.packing import tokenize_files
from modelbazaar.data.tokenizer import EOS, PAD, lines, train_bpe
from modelbazaar.errors import DataError
from modelbazaar.model import config_bytes, llama_config, new_model, parameter_count, weights_bytes
from modelbazaar.progress import console
from modelbazaar.recipe import Recipe, load_recipe
from modelbazaar.store import Store
from modelbazaar.store.store import version_hash
from modelbazaar.train.determinism import machine, make_deterministic
from modelbazaar.train.distributed import World, barrier, init_world
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
) -> BuildOutcome:
    """Build the model source in `model_dir` into a version and point `main` at it.

    `recipe` overrides `model_dir/bazaar.toml` (`bazaar verify` rebuilds a version from the
    recipe recorded with it); data always comes from the manifests, checked hash by hash.
    """
    model_dir = Path(model_dir)
    recipe = recipe or load_recipe(model_dir)  # refuse bad input before touching the store
    manifests = load_manifests(model_dir)
    train_files = split_files(manifests, model_dir, "train")
    val_files = split_files(manifests, model_dir, "validation")
    if not train_files or not val_files:
        raise_missing_split(train_files, val_files)
    world = init_world()
    if store is None:  # rank 0 creates/migrates the catalogue before the others open it
        store = Store.for_model(model_dir) if world.is_main else None
        barrier(world)
        store = store or Store.for_model(model_dir)
    make_deterministic(recipe.train.seed)
    cached: dict[str, bool] = {}

    # 1. tokenizer: byte-level BPE over the training split
    tok_inputs = {
        "data": [h for _, h in train_files],
        "config": recipe.tokenizer.model_dump(),
        "code": code_version("tokenizer"),
    }
    tok_key = stage_key("tokenizer", tok_inputs)
    cached["tokenizer"], tok_out = cached_outputs(store, tok_key)
    if tok_out is None:
        started = time.perf_counter()
        tokenizer = train_bpe(
            (line for path, _ in train_files for line in lines(path.read_text("utf-8"))),
            recipe.tokenizer.vocab_size,
            recipe.tokenizer.min_frequency,
        )
        tok_out = {"tokenizer": store.objects.put_bytes(tokenizer.to_str().encode())}
        record_stage(store, world, tok_key, "tokenizer", tok_inputs, tok_out, started)
    tokenizer = Tokenizer.from_str(store.objects.get_bytes(tok_out["tokenizer"]).decode())

    # 2. pack: token streams per split, and token counts per manifest (synthetic share)
    pack_inputs = {
        "tokenizer": tok_out["tokenizer"],
        "train": [h for _, h in train_files],
        "validation": [h for _, h in val_files],
        "code": code_version("pack"),
    }
    pack_key = stage_key("pack", pack_inputs)
    cached["pack"], pack_out = cached_outputs(store, pack_key)
    if pack_out is None:
        started = time.perf_counter()
        train_ids = tokenize_files(tokenizer, [p for p, _ in train_files])
        val_ids = tokenize_files(tokenizer, [p for p, _ in val_files])
        streams = save_safetensors({"train": train_ids, "validation": val_ids})
        pack_out = {
            "streams": store.objects.put_bytes(streams),
            "tokens_by_dataset": _tokens_by_dataset(tokenizer, manifests, model_dir),
        }
        record_stage(
            store,
            world,
            pack_key,
            "pack",
            pack_inputs,
            pack_out,
            started,
            tokens=int(train_ids.numel()),
        )

    # 3. pretrain a Llama of the recipe's size
    config = llama_config(
        recipe.model,
        tokenizer.get_vocab_size(),
        tokenizer.token_to_id(EOS),
        tokenizer.token_to_id(PAD),
    )
    train_inputs = {
        "pack": pack_key,
        "model": recipe.model.model_dump(mode="json"),
        "train": recipe.train.model_dump(mode="json"),
        "world_size": world.size,
        "code": code_version("pretrain"),
    }
    train_key = stage_key("pretrain", train_inputs)
    cached["pretrain"], train_out = cached_outputs(store, train_key)
    if train_out is None:
        streams = load_safetensors(store.objects.get_bytes(pack_out["streams"]))
        model = new_model(config, recipe.train.seed)
        checkpoint = store.scratch / train_key[:16] / "checkpoint.safetensors"
        if world.is_main and checkpoint.exists() and show_progress:
            console.print(f"resuming from {checkpoint}")
        result = pretrain(
            model,
            streams["train"],
            streams["validation"],
            recipe.train,
            checkpoint=checkpoint,
            world=world,
            show_progress=show_progress,
            snapshot=lambda m: store.objects.put_bytes(weights_bytes(m)),
            snapshot_steps=snapshot_steps(recipe.train.max_steps),
        )
        snapshots = {str(m["step"]): m.pop("snapshot") for m in result.metrics if "snapshot" in m}
        train_out = {
            "weights": store.objects.put_bytes(weights_bytes(model)),
            "config": store.objects.put_bytes(config_bytes(config)),
            "checkpoints": snapshots,  # step -> weights object: MOF intermediate parameters
        }
        if world.is_main:
            store.catalogue.add_build(
                {
                    "key": train_key,
                    "stage": "pretrain",
                    "inputs": train_inputs,
                    "outputs": train_out,
                    "duration_s": result.seconds,
                    "tokens": result.tokens,
                    "final_train_loss": result.final_train_loss,
                    "final_val_loss": result.final_val_loss,
                    "machine": machine(),
                },
                result.metrics,
            )
            shutil.rmtree(checkpoint.parent, ignore_errors=True)
    barrier(world)
    build_row = store.catalogue.build(train_key)
    version = _record_version(
        store,
        recipe,
        manifests,
        tok_out,
        pack_out,
        train_out,
        {"tokenizer": tok_key, "pack": pack_key, "pretrain": train_key},
        world,
    )
    return BuildOutcome(
        version=version,
        cached=cached,
        parameters=parameter_count(config),
        final_val_loss=build_row["final_val_loss"] if build_row else None,
    )


def snapshot_steps(max_steps: int) -> frozenset[int]:
    """Steps whose weights a build keeps: a quarter, half and three quarters of the way.

    Example: snapshot_steps(30) -> {8, 15, 22}; snapshot_steps(2) -> {1}.
    """
    return frozenset(s for k in (1, 2, 3) if 0 < (s := round(max_steps * k / 4)) < max_steps)


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
        "builds": keys,
        "code_version": __version__,
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
        _move_refs(store, version)
    return version


def _move_refs(store: Store, version: str) -> None:
    """`built` always names the latest build; `main` follows it unless merges moved it on."""
    refs = store.catalogue.refs()
    store.catalogue.set_ref("built", version)
    main = refs.get("main")
    if main is None or store.version(main["version"]).relation == "built":
        store.catalogue.set_ref("main", version)
    elif main["version"] != version:
        console.print(
            "[yellow]main has merged work on top of an earlier build; it stays where "
            "it is. The new build is at ref `built`.[/]"
        )
