"""Intermediate parameters: a checkpoint from the middle of the version's training run.

A build keeps the final weights only (its resumable checkpoint is deleted when training ends).
If the pretrain build recorded intermediate weights as objects (`outputs["checkpoints"]`,
step -> object hash) they are used as they are. Otherwise the run is *replayed*: training is
deterministic (batches depend only on seed and step; see train/determinism.py), so pretraining
again from the recorded recipe and token streams passes through exactly the states the build
did. The replay saves the last periodic checkpoint before the end and is trusted only if its
final weights hash to the released version's weights; otherwise nothing is shipped.

Saving and validating never change the weights (no randomness, no gradient), which is why the
replay may use its own `checkpoint_every` to keep just the step it wants.

Example: tiny template (30 steps, checkpoint_every 10) -> step 20, verified against the final.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

from safetensors.torch import load as load_safetensors
from safetensors.torch import load_file

from modelbazaar.model import config_from_bytes, new_model, weights_bytes
from modelbazaar.recipe import Recipe
from modelbazaar.store import Store, VersionRecord
from modelbazaar.store.objects import sha256_bytes
from modelbazaar.train.determinism import make_deterministic
from modelbazaar.train.distributed import World
from modelbazaar.train.pretrain import pretrain


@dataclass
class Intermediate:
    """One intermediate checkpoint: its step, model tensors and optimizer tensors."""

    step: int
    model: dict  # name -> tensor, as in model.safetensors
    optimizer: dict  # AdamW moments, `optim.<param index>.<field>`
    how: str  # "stored" or "replayed and verified against the final weights"


def replay_step(max_steps: int, checkpoint_every: int) -> int | None:
    """The step to keep: the build's last periodic save before the end, else just past half.

    The replay writes one checkpoint file, overwritten at every multiple of its interval, so
    the step s must be its last save: 2s > max_steps and max_steps not a multiple of s.
    Example: (30, 10) -> 20; (500, 25) -> 475; (20, 10) -> 11; (1, 1) -> None.
    """
    if max_steps < 3:
        return None
    last = (max_steps - 1) // checkpoint_every * checkpoint_every
    if last > 0 and 2 * last > max_steps and max_steps % last:
        return last
    return max_steps // 2 + 1


def intermediate(store: Store, record: VersionRecord) -> tuple[Intermediate | None, str]:
    """An intermediate checkpoint of a built version, or (None, why not).

    A merged, tuned or distilled version's training started from its first-parent chain: the
    intermediate parameters of that chain's build are the ones it inherits.
    """
    if record.relation != "built":
        built = next((r for r in store.history(record.hash) if r.relation == "built"), None)
        if built is not None:
            found, why = intermediate(store, built)
            if found is not None:
                return found, why or f"from the build {built.short} this version descends from"
    builds = record.info.get("builds") or {}
    trained = builds.get("pretrain") or builds.get("guard", "")  # a guard keeps its snapshot
    row = store.catalogue.build(trained) if builds else None
    if record.relation != "built" or row is None:
        return None, f"a {record.relation} version has no recorded training run to replay"
    stored = row["outputs"].get("checkpoints") or {}
    if stored:  # the build kept them: take the latest
        step = max(stored, key=int)
        tensors = load_safetensors(store.objects.get_bytes(stored[step]))
        return Intermediate(int(step), tensors, {}, "stored by the build"), ""
    inputs = json.loads(row["inputs"]) if isinstance(row["inputs"], str) else row["inputs"]
    if inputs.get("world_size", 1) != 1:
        return None, "the build ran on several processes; a one-process replay would differ"
    recipe = Recipe.model_validate(record.info["recipe"])
    step = replay_step(recipe.train.max_steps, recipe.train.checkpoint_every)
    if step is None:
        return None, "the run is too short to have an intermediate state"
    pack = store.catalogue.build(builds["pack"])
    streams = load_safetensors(store.objects.get_bytes(pack["outputs"]["streams"]))
    config = config_from_bytes(store.objects.get_bytes(record.config))
    make_deterministic(recipe.train.seed)  # as build() does before creating the model
    model = new_model(config, recipe.train.seed)
    cfg = recipe.train.model_copy(update={"checkpoint_every": step})
    with tempfile.TemporaryDirectory(prefix="bazaar-replay-") as tmp:
        path = Path(tmp) / "checkpoint.safetensors"
        pretrain(
            model,
            streams["train"],
            streams["validation"],
            cfg,
            checkpoint=path,
            world=World(rank=0, size=1),
            show_progress=False,
        )
        if sha256_bytes(weights_bytes(model)) != record.weights:
            return None, "replaying the run did not reproduce the final weights on this machine"
        tensors = load_file(path)
    model_t = {k.removeprefix("model."): v for k, v in tensors.items() if k.startswith("model.")}
    optim_t = {k: v for k, v in tensors.items() if k.startswith("optim.")}
    return Intermediate(step, model_t, optim_t, "replayed and verified against the final"), ""
