"""A guard's training loop and what it trains on: the frozen layers' output per row, the rows
of every step, the steps themselves (`FineTune`).

The frozen part of the backbone (embeddings and all but the top `trainable_layers` layers) is
run once per row, in eval mode, and its output kept, trimmed to each row's length
(`frozen_features`); training then runs only the layers above, on batches padded back together
(`batch_of`) whose rows are a fixed function of the seed (`step_indices`). The whole of a guard's
training (weights in, threshold chosen) is `train/guard.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch
from rich.progress import Progress
from safetensors.torch import save as save_safetensors
from torch import nn
from torch.nn.utils.rnn import pad_sequence

from modelbazaar.progress import progress_bar
from modelbazaar.recipe import TrainConfig
from modelbazaar.safety.guard.framing import Framing, padded
from modelbazaar.safety.guard.network import GuardNetwork
from modelbazaar.safety.guard.taxonomy import OUTPUTS
from modelbazaar.train.schedule import lr_at

FEATURE_BATCH = 64  # rows per forward pass of the frozen layers
BUCKET = 16  # batches sorted by length together (see step_indices)


@torch.no_grad()
def frozen_features(
    net: GuardNetwork, framing: Framing, texts: list[str], start: int, bar: Progress
) -> list[torch.Tensor]:
    """Per text (its first window), the hidden states entering layer `start`, trimmed to its
    tokens.

    Rows go through in order of length, so a batch pads little (median ~30 tokens, a few at the
    128 limit: sorting makes this ~4x cheaper than file order). Padding does not change a real
    token's states (attention masks it), so the order does not change the result.
    """
    net.eval()
    windows = framing.first_windows(texts)
    lengths = [len(w) for w in windows]
    order = sorted(range(len(texts)), key=lambda i: (lengths[i], i))
    out: list[torch.Tensor | None] = [None] * len(texts)
    task = bar.add_task("frozen layers", total=len(texts), info="")
    for first in range(0, len(order), FEATURE_BATCH):
        chunk = order[first : first + FEATURE_BATCH]
        ids, mask = padded([windows[i] for i in chunk])
        hidden = net.lower(ids, mask, start)
        for i, h in zip(chunk, hidden, strict=True):
            out[i] = h[: lengths[i]].clone()
        bar.update(task, advance=len(chunk))
    return out  # type: ignore[return-value]


def batch_of(features: list[torch.Tensor], index: list[int]) -> tuple[torch.Tensor, torch.Tensor]:
    hidden = pad_sequence([features[i] for i in index], batch_first=True)
    lengths = torch.tensor([len(features[i]) for i in index])
    mask = (torch.arange(hidden.shape[1])[None, :] < lengths[:, None]).long()
    return hidden, mask


def _per_batch(
    features: list[torch.Tensor], run: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]
) -> list[torch.Tensor]:
    """`run(hidden, mask)` over the features, FEATURE_BATCH rows at a time."""
    return [
        run(*batch_of(features, list(range(first, min(first + FEATURE_BATCH, len(features))))))
        for first in range(0, len(features), FEATURE_BATCH)
    ]


@torch.no_grad()
def logits_of(net: GuardNetwork, features: list[torch.Tensor], start: int) -> torch.Tensor:
    net.eval()
    parts = _per_batch(features, lambda hidden, mask: net.forward_from(hidden, mask, start))
    return torch.cat(parts) if parts else torch.zeros(0, len(OUTPUTS))


@torch.no_grad()
def pooled_of(net: GuardNetwork, features: list[torch.Tensor], start: int) -> torch.Tensor:
    """The pooled features of every row (what the head reads, before `head_input`)."""
    net.eval()
    return torch.cat(_per_batch(features, lambda hidden, mask: net.pooled(hidden, mask, start)))


@torch.no_grad()
def advance(net: GuardNetwork, features: list[torch.Tensor], layer: int, start: int) -> list:
    """Run frozen layers `layer`..`start - 1` over features entering `layer` (eval mode)."""
    if layer == start:
        return features
    net.eval()
    out = []
    for first in range(0, len(features), FEATURE_BATCH):
        index = list(range(first, min(first + FEATURE_BATCH, len(features))))
        hidden, mask = batch_of(features, index)
        hidden = net._layers(hidden, mask, range(layer, start))
        out.extend(h[: len(features[i])].clone() for h, i in zip(hidden, index, strict=True))
    return out


def step_indices(lengths: list[int], batch: int, steps: int, seed: int) -> list[list[int]]:
    """The rows of every step: seeded epoch permutations, bucketed by length.

    Each epoch is a fresh permutation; every run of `BUCKET` batches of it is sorted by length
    and cut into batches whose order is then shuffled, so a batch pads little (3x fewer tokens
    than random batches here) while still mixing datasets. Every row is seen once per epoch.
    Example: step_indices([3, 9, 4, 8, 5], 2, 3, 0) -> three batches of 2 rows.
    """
    generator = torch.Generator().manual_seed(seed)
    batches: list[list[int]] = []
    while len(batches) < steps:
        epoch = torch.randperm(len(lengths), generator=generator).tolist()
        for first in range(0, len(epoch), batch * BUCKET):
            run = sorted(epoch[first : first + batch * BUCKET], key=lambda i: lengths[i])
            cut = [run[k : k + batch] for k in range(0, len(run), batch)]
            order = torch.randperm(len(cut), generator=generator).tolist()
            batches.extend(cut[k] for k in order)
    return batches[:steps]


@dataclass
class FineTune:
    """The training loop over precomputed features: the trainable layers and the head."""

    net: GuardNetwork
    start: int  # the first trainable encoder layer (the features enter it)
    trainable: list[nn.Parameter]
    optimizer: torch.optim.Optimizer
    loss_fn: nn.Module
    cfg: TrainConfig
    snapshot: Callable[[bytes], str] | None
    row_weights: torch.Tensor | None = None  # per training row (recipe `row_weight`); None: 1
    label: str = "training the guard"  # the progress bar's

    def steps(
        self,
        train_x: list[torch.Tensor],
        train_y: torch.Tensor,
        val_x: list[torch.Tensor],
        val_y: torch.Tensor,
        show_progress: bool,
    ) -> tuple[list[dict], float, dict[str, str]]:
        """(metrics every `eval_every` steps, the last training loss, step -> snapshot name)."""
        cfg = self.cfg
        base = [g["lr"] for g in self.optimizer.param_groups]
        metrics, train_loss, tokens, checkpoints = [], float("nan"), 0, {}
        steps = step_indices([len(x) for x in train_x], cfg.batch_size, cfg.max_steps, cfg.seed)
        with progress_bar(disable=not show_progress) as bar:
            task = bar.add_task(self.label, total=cfg.max_steps, info="")
            for step, index in enumerate(steps):
                train_loss = self.step(step, base, train_x, train_y[index], index)
                tokens += sum(len(train_x[i]) for i in index)
                if (step + 1) % cfg.eval_every == 0 or step + 1 == cfg.max_steps:
                    val_loss = self.val_loss(val_x, val_y)
                    lr_now = self.optimizer.param_groups[0]["lr"]
                    metrics.append(
                        {"step": step + 1, "tokens": tokens, "loss": train_loss}
                        | {"val_loss": val_loss, "lr": lr_now}
                    )
                if self.snapshot is not None and step + 1 == cfg.max_steps // 2:
                    checkpoints[str(step + 1)] = self.snapshot(weights_of(self.net))
                bar.update(task, advance=1, info=f"loss {train_loss:.4f}")
        return metrics, train_loss, checkpoints

    def step(
        self,
        step: int,
        base: list[float],
        train_x: list[torch.Tensor],
        targets: torch.Tensor,
        index: list[int],
    ) -> float:
        """One optimizer step on the rows `index` (learning rates: `base` x the schedule)."""
        cfg, net, optimizer = self.cfg, self.net, self.optimizer
        scale = lr_at(
            step,
            lr=1.0,
            warmup=cfg.warmup_steps,
            max_steps=cfg.max_steps,
            min_ratio=cfg.min_lr_ratio,
        )
        for group, lr in zip(optimizer.param_groups, base, strict=True):
            group["lr"] = lr * scale
        net.train()
        logits = net.forward_from(*batch_of(train_x, index), self.start)
        loss = self.weighted_loss(logits, targets, index)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        nn.utils.clip_grad_norm_([*self.trainable, *net.head.parameters()], cfg.grad_clip)
        optimizer.step()
        return float(loss.detach())

    def weighted_loss(
        self, logits: torch.Tensor, targets: torch.Tensor, index: list[int]
    ) -> torch.Tensor:
        """The loss of a batch: the plain mean, or the row-weighted mean (sum of w·loss / sum
        of w, so the loss keeps its scale whatever the weights)."""
        if self.row_weights is None:
            return self.loss_fn(logits, targets)
        each = nn.functional.binary_cross_entropy_with_logits(
            logits, targets, pos_weight=self.loss_fn.pos_weight, reduction="none"
        )
        weights = self.row_weights[index]
        return (each * weights[:, None]).sum() / (weights.sum() * each.shape[1])

    def val_loss(self, val_x: list[torch.Tensor], val_y: torch.Tensor) -> float:
        """The loss on the validation rows (0 without any), in eval mode."""
        if not val_x:
            return 0.0
        return float(self.loss_fn(logits_of(self.net, val_x, self.start), val_y))


def weights_of(net: GuardNetwork, extra: dict[str, torch.Tensor] | None = None) -> bytes:
    """The network's fp32 state as safetensors, with `extra` tensors (the lexical half) beside."""
    state = {k: v.detach().to(torch.float32).contiguous() for k, v in net.state_dict().items()}
    return save_safetensors(state | (extra or {}))
