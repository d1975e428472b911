"""The pretraining loop: AdamW, warmup + cosine, gradient clipping, periodic validation,
bf16 autocast, resumable checkpoints and DDP — read top to bottom.
"""

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from torch.nn.parallel import DistributedDataParallel

from modelbazaar.data.packing import eval_batches, train_batch
from modelbazaar.errors import TrainingError
from modelbazaar.progress import progress_bar
from modelbazaar.recipe import TrainConfig
from modelbazaar.train.checkpoint import load_checkpoint, save_checkpoint
from modelbazaar.train.determinism import autocast_dtype
from modelbazaar.train.distributed import World, shard_rows
from modelbazaar.train.schedule import lr_at


@dataclass
class TrainResult:
    steps: int
    tokens: int
    final_train_loss: float
    final_val_loss: float | None
    metrics: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0


def causal_lm_loss(
    model: torch.nn.Module, batch: torch.Tensor, dtype: torch.dtype | None
) -> torch.Tensor:
    """Mean next-token cross-entropy of a (B, T+1) window: inputs [:, :-1], targets [:, 1:]."""
    with torch.autocast("cpu", dtype=dtype or torch.bfloat16, enabled=dtype is not None):
        logits = model(input_ids=batch[:, :-1]).logits  # (B, T, vocab)
    return torch.nn.functional.cross_entropy(
        logits.float().reshape(-1, logits.shape[-1]), batch[:, 1:].reshape(-1)
    )


@torch.no_grad()
def validation_loss(
    model: torch.nn.Module, batches: list[torch.Tensor], dtype: torch.dtype | None
) -> float:
    model.eval()
    losses = [causal_lm_loss(model, b, dtype).item() for b in batches]
    model.train()
    return sum(losses) / max(1, len(losses))


def check_finite_loss(value: float, step: int, cfg: TrainConfig, what: str = "loss") -> None:
    """Stop a diverged run at once: a NaN/inf loss means every later step is wasted.

    Example: lr = 1e4 -> TrainingError "training diverged at step 3: the loss is nan; ..."
    """
    if not math.isfinite(value):
        raise TrainingError(
            f"training diverged at step {step}: the {what} is {value}; no version is recorded. "
            f"Lower [train] lr (now {cfg.lr}) or grad_clip (now {cfg.grad_clip}), or check "
            "the data"
        )


def make_optimizer(model: torch.nn.Module, cfg: TrainConfig) -> torch.optim.AdamW:
    """AdamW; no weight decay on norms and biases (1-D tensors), as in GPT-2 and Llama."""
    decay = [p for p in model.parameters() if p.requires_grad and p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.requires_grad and p.dim() < 2]
    groups = [
        {"params": decay, "weight_decay": cfg.weight_decay},
        {"params": no_decay, "weight_decay": 0.0},
    ]
    return torch.optim.AdamW(groups, lr=cfg.lr, betas=cfg.betas)


def train_step(
    model: torch.nn.Module,
    runner: torch.nn.Module,
    optimizer: torch.optim.Optimizer,
    batch: torch.Tensor,
    lr: float,
    cfg: TrainConfig,
    step: int,
    dtype: torch.dtype | None,
) -> float:
    """One optimiser step at learning rate `lr` on `batch`; returns the loss before the step.

    `runner` is `model` or its DDP wrapper. Gradients are clipped over `model.parameters()` in
    that order: the norm is a float sum, so another order would change the bits.
    """
    for group in optimizer.param_groups:
        group["lr"] = lr
    loss = causal_lm_loss(runner, batch, dtype)
    loss_value = loss.item()
    check_finite_loss(loss_value, step + 1, cfg)  # before the step spreads the NaN
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), cfg.grad_clip)
    optimizer.step()
    return loss_value


def pretrain(
    model: torch.nn.Module,
    train_stream: torch.Tensor,
    val_stream: torch.Tensor,
    cfg: TrainConfig,
    *,
    checkpoint: Path,
    world: World,
    show_progress: bool = True,
    snapshot: Callable[[torch.nn.Module], str] | None = None,
    snapshot_steps: frozenset[int] = frozenset(),
) -> TrainResult:
    """Train `model` in place for cfg.max_steps, resuming from `checkpoint` if it exists.

    After each step in `snapshot_steps`, `snapshot(model)` stores the weights (MOF's
    "intermediate parameters") and its return value, an object hash, lands in that step's
    metrics row under "snapshot" — so it survives a resume with the rest of the metrics.
    """
    dtype = autocast_dtype(cfg.precision)
    optimizer = make_optimizer(model, cfg)
    start_step, metrics = 0, []
    if checkpoint.exists():
        start_step, metrics = load_checkpoint(checkpoint, model, optimizer)
    runner = DistributedDataParallel(model) if world.size > 1 else model
    val = eval_batches(val_stream, cfg.seq_len, cfg.batch_size, cfg.eval_batches)
    tokens_per_step = cfg.batch_size * cfg.seq_len  # global, across processes
    model.train()
    val_loss: float | None = None
    started = time.perf_counter()
    with progress_bar(disable=not (show_progress and world.is_main)) as bar:
        task = bar.add_task("pretrain", total=cfg.max_steps, completed=start_step, info="")
        done = start_step
        try:
            for step in range(start_step, cfg.max_steps):
                tick = time.perf_counter()
                lr = lr_at(
                    step,
                    lr=cfg.lr,
                    warmup=cfg.warmup_steps,
                    max_steps=cfg.max_steps,
                    min_ratio=cfg.min_lr_ratio,
                )
                batch = train_batch(train_stream, cfg.seq_len, cfg.batch_size, cfg.seed, step)
                loss_value = train_step(
                    model, runner, optimizer, shard_rows(batch, world), lr, cfg, step, dtype
                )
                row: dict[str, Any] = {
                    "step": step + 1,
                    "tokens": (step + 1) * tokens_per_step,
                    "loss": loss_value,
                    "lr": lr,
                    "tokens_per_s": tokens_per_step / (time.perf_counter() - tick),
                    "val_loss": None,
                }
                if (step + 1) % cfg.eval_every == 0 or step + 1 == cfg.max_steps:
                    val_loss = validation_loss(model, val, dtype)
                    row["val_loss"] = val_loss
                if snapshot is not None and world.is_main and step + 1 in snapshot_steps:
                    row["snapshot"] = snapshot(model)
                metrics.append(row)
                if world.is_main and ((step + 1) % cfg.checkpoint_every == 0):
                    save_checkpoint(checkpoint, model, optimizer, step + 1, metrics)
                shown_val = f" · val {val_loss:.3f}" if val_loss is not None else ""
                bar.update(
                    task,
                    advance=1,
                    info=f"loss {loss_value:.3f}{shown_val} · {row['tokens_per_s']:,.0f} tok/s",
                )
                done = step + 1
        except KeyboardInterrupt:  # Ctrl-C: keep every finished step, then stop
            if world.is_main and done > start_step:
                save_checkpoint(checkpoint, model, optimizer, done, metrics)
            raise
    if val_loss is None:
        val_loss = validation_loss(model, val, dtype)
    check_finite_loss(val_loss, cfg.max_steps, cfg, "validation loss")
    return TrainResult(
        steps=cfg.max_steps,
        tokens=cfg.max_steps * tokens_per_step,
        final_train_loss=metrics[-1]["loss"] if metrics else math.nan,
        final_val_loss=val_loss,
        metrics=metrics,
        seconds=time.perf_counter() - started,
    )
