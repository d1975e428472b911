"""The three cached stages of `bazaar build` for a Llama: tokenizer -> token streams -> pretrain.

Each stage finds its outputs in the store under the hash of its inputs (store/stages.py) or
computes and stores them; the story that runs them in order is `workflows/build.py`.

Example::

    stages = BuildStages(store, recipe, world, show_progress=False, environment=env)
    tok = stages.tokenizer(train_files)      # Stage(key="3f1a…", cached=False, out={...})
"""

import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import torch
from safetensors.torch import load as load_safetensors
from safetensors.torch import save as save_safetensors
from tokenizers import Tokenizer
from transformers import LlamaConfig

from modelbazaar import __version__
from modelbazaar.data.donations import revision_id
from modelbazaar.data.manifest import Manifest, split_files
from modelbazaar.data.packing import tokenize_files
from modelbazaar.data.synthetic import synthetic_summary
from modelbazaar.data.tokenizer import lines, train_bpe
from modelbazaar.errors import DataError, TrainingError
from modelbazaar.model import check_finite_weights, config_bytes, new_model, weights_bytes
from modelbazaar.progress import console
from modelbazaar.recipe import Recipe
from modelbazaar.store import Store
from modelbazaar.store.stages import cached_outputs, code_version, record_stage, stage_key
from modelbazaar.train.distributed import World
from modelbazaar.train.environment import numerics_key
from modelbazaar.train.pretrain import pretrain


def train_and_validation_files(
    manifests: list[Manifest], model_dir: Path
) -> tuple[list[tuple[Path, str]], list[tuple[Path, str]]]:
    """(path, sha256) of the train and the validation files; a DataError if either is empty."""
    train_files = split_files(manifests, model_dir, "train")
    val_files = split_files(manifests, model_dir, "validation")
    if not train_files or not val_files:
        raise_missing_split(train_files, val_files)
    return train_files, val_files


def raise_missing_split(train: list, val: list) -> None:
    missing = "train" if not train else "validation"
    raise DataError(f'no data file has split = "{missing}"; a build needs train and validation')


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
                "tokens_by_dataset": tokens_by_dataset(tokenizer, manifests, model_dir),
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


def tokens_by_dataset(tokenizer: Tokenizer, manifests: list[Manifest], model_dir: Path) -> dict:
    """Tokens of each manifest's train files (the synthetic share is counted from these)."""
    counts = {}
    for manifest in manifests:
        files = [model_dir / "data" / f.path for f in manifest.files if f.split == "train"]
        counts[manifest.name] = int(tokenize_files(tokenizer, files).numel()) if files else 0
    return counts


def built_info(
    store: Store,
    recipe: Recipe,
    manifests: list[Manifest],
    counts: dict[str, int],
    keys: dict[str, str],
    environment: dict,
) -> dict:
    """A built Llama version's info: recipe, data with train tokens per dataset, synthetic
    share, source revision, stage keys, build environment (what `show`, release, audit read)."""
    synthetic = sum(counts.get(m.name, 0) for m in manifests if m.provenance == "synthetic")
    return {
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
