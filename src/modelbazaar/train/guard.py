"""Training a guard: the top encoder layers and the head, on rows labelled unsafe + S1..S14.

The frozen part of the backbone (embeddings and the lower `6 - trainable_layers` layers) is
run once per row, in eval mode, and its output kept (trimmed to each row's length); each step
then runs only the trainable layers, so a fine-tune costs about a third of a full one. Batches
are a fixed function of the seed (epoch permutations from one generator), the learning rate a
pure function of the step (warmup + cosine, train/schedule.py): the same rows, recipe and
backbone give the same weights bit for bit (fp32, fixed threads; see train/determinism.py).

After training the threshold on P(unsafe) is chosen on the validation split (the F1 maximum
among thresholds that flag at most `max_false_positive_rate` of the safe validation rows, or
the recipe's fixed number) and written into the guard's config.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import torch
from rich.progress import Progress
from safetensors.torch import save as save_safetensors
from sklearn.metrics import precision_recall_curve
from tokenizers import Tokenizer
from torch import nn
from torch.nn.utils.rnn import pad_sequence

from modelbazaar.progress import progress_bar
from modelbazaar.recipe import Recipe
from modelbazaar.safety.guard.network import (
    Backbone,
    GuardNet,
    empty_guard,
    encode,
    encoder_config_dict,
    load_tokenizer,
)
from modelbazaar.safety.guard.rows import GuardRow
from modelbazaar.safety.guard.taxonomy import CODES, OUTPUTS
from modelbazaar.train.schedule import lr_at

FEATURE_BATCH = 64  # rows per forward pass of the frozen layers
BUCKET = 16  # batches sorted by length together (see step_indices)
MAX_POS_WEIGHT = 10.0  # a hazard with 5 examples may count 10x, not 500x


@dataclass
class GuardTraining:
    weights: bytes  # safetensors of the whole GuardNet (encoder + head), fp32
    config: dict  # the version's config: encoder, outputs, max_length, threshold, ...
    tokenizer: str  # tokenizer.json text
    seconds: float
    final_train_loss: float
    final_val_loss: float
    metrics: list[dict] = field(default_factory=list)  # {step, tokens, loss, val_loss, lr}
    checkpoints: dict[str, str] = field(default_factory=dict)  # step -> snapshot name


def targets(rows: list[GuardRow]) -> torch.Tensor:
    """[rows, 15]: column 0 unsafe, then one column per S-code."""
    return torch.tensor(
        [[row.unsafe] + [int(c in row.codes) for c in CODES] for row in rows], dtype=torch.float32
    )


def positive_weights(y: torch.Tensor, rule: str) -> torch.Tensor:
    """sqrt(negatives / positives) per output, capped; 1 for an output without positives.

    Example: 100 rows, 4 positive -> sqrt(96 / 4) = 4.9.
    """
    if rule == "none":
        return torch.ones(y.shape[1])
    positives = y.sum(0)
    ratio = (len(y) - positives) / positives.clamp(min=1)
    weights = ratio.sqrt().clamp(min=1.0, max=MAX_POS_WEIGHT)
    return torch.where(positives > 0, weights, torch.ones_like(weights))


@torch.no_grad()
def frozen_features(
    net: GuardNet, tokenizer: Tokenizer, rows: list[GuardRow], start: int, bar: Progress
) -> list[torch.Tensor]:
    """Per row, the hidden states entering layer `start`, trimmed to the row's tokens.

    Rows go through in order of length, so a batch pads little (median ~30 tokens, a few at the
    128 limit: sorting makes this ~4x cheaper than file order). Padding does not change a real
    token's states (attention masks it), so the order does not change the result.
    """
    net.eval()
    lengths = [len(e.ids) for e in tokenizer.encode_batch([r.text for r in rows])]
    order = sorted(range(len(rows)), key=lambda i: (lengths[i], i))
    out: list[torch.Tensor | None] = [None] * len(rows)
    task = bar.add_task("frozen layers", total=len(rows), info="")
    for first in range(0, len(order), FEATURE_BATCH):
        chunk = order[first : first + FEATURE_BATCH]
        ids, mask = encode(tokenizer, [rows[i].text for i in chunk])
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


@torch.no_grad()
def logits_of(net: GuardNet, features: list[torch.Tensor], start: int) -> torch.Tensor:
    net.eval()
    parts = []
    for first in range(0, len(features), FEATURE_BATCH):
        index = list(range(first, min(first + FEATURE_BATCH, len(features))))
        parts.append(net.forward_from(*batch_of(features, index), start))
    return torch.cat(parts) if parts else torch.zeros(0, len(OUTPUTS))


def choose_threshold(
    labels: list[int], scores: list[float], rule: str | float, max_fpr: float | None = None
) -> float:
    """The recipe's fixed threshold, or the one with the highest F1 on these rows.

    With `max_fpr`, only thresholds that flag at most that share of the safe rows compete: the
    validation split is mostly harmful prompts, so its plain F1 maximum sits low and flagged
    most of XSTest's safe look-alikes ("How do I kill a Python process?"). If no threshold
    keeps the cap, the one with the lowest false-positive rate wins.
    Example: labels [0, 1, 1], scores [0.2, 0.6, 0.9] -> 0.6 (F1 = 1).
    """
    if not isinstance(rule, str):
        return float(rule)
    if not any(labels) or all(labels):
        return 0.5
    precision, recall, thresholds = precision_recall_curve(labels, scores)
    f1 = (2 * precision * recall / (precision + recall).clip(min=1e-12))[:-1]
    if max_fpr is not None:
        safe = np.sort(np.asarray([s for s, y in zip(scores, labels, strict=True) if not y]))
        # share of safe rows scored >= each threshold (searchsorted: rows strictly below it)
        fpr = 1 - np.searchsorted(safe, thresholds, side="left") / len(safe)
        if not (fpr <= max_fpr).any():
            return float(thresholds[int(fpr.argmin())])
        f1 = np.where(fpr <= max_fpr, f1, -1.0)
    return float(thresholds[int(f1.argmax())])


def train_guard(
    train_rows: list[GuardRow],
    val_rows: list[GuardRow],
    recipe: Recipe,
    backbone: Backbone,
    show_progress: bool = True,
    snapshot: Callable[[bytes], str] | None = None,
    features: tuple[list[torch.Tensor], list[torch.Tensor], int] | None = None,
) -> GuardTraining:
    """Fine-tune, then choose the threshold. `snapshot` stores the weights half-way (the MOF's
    intermediate parameters) and returns its name, e.g. an object hash. `features` = (train,
    validation, layer): the rows' hidden states entering `layer` (from `frozen_features`), so a
    comparison of recipes (bench/guard_variants.py) runs the frozen layers once."""
    guard, cfg = recipe.guard, recipe.train
    assert guard is not None, "train_guard needs a recipe with [guard]"
    started = time.perf_counter()
    encoder_config = backbone.config()
    net = empty_guard(encoder_config)
    wanted = net.encoder.state_dict()
    net.encoder.load_state_dict({k: v for k, v in backbone.state().items() if k in wanted})
    torch.manual_seed(cfg.seed)  # the head's initial weights, then dropout
    net.head.reset_parameters()
    layers = encoder_config.num_hidden_layers
    start = layers - min(guard.trainable_layers, layers)
    trainable = [*net.encoder.encoder.layer[start:].parameters()]
    for p in net.encoder.parameters():
        p.requires_grad_(False)
    for p in trainable:
        p.requires_grad_(True)
    tokenizer_text = backbone.tokenizer_text()
    tokenizer = load_tokenizer(tokenizer_text, cfg.seq_len)
    if features is None:
        with progress_bar(disable=not show_progress) as bar:
            train_x = frozen_features(net, tokenizer, train_rows, start, bar)
            val_x = frozen_features(net, tokenizer, val_rows, start, bar)
    else:
        train_x, val_x, layer = features
        assert layer <= start, f"features enter layer {layer}, training starts at {start}"
        train_x, val_x = advance(net, train_x, layer, start), advance(net, val_x, layer, start)
    train_y, val_y = targets(train_rows), targets(val_rows)
    loss_fn = nn.BCEWithLogitsLoss(pos_weight=positive_weights(train_y, guard.class_weight))
    groups = [{"params": trainable, "lr": cfg.lr}, {"params": net.head.parameters()}]
    groups[1]["lr"] = guard.head_lr
    optimizer = torch.optim.AdamW(groups, betas=cfg.betas, weight_decay=cfg.weight_decay)
    base = [g["lr"] for g in optimizer.param_groups]
    metrics, train_loss, tokens, checkpoints = [], float("nan"), 0, {}
    lengths = [len(x) for x in train_x]
    steps = step_indices(lengths, cfg.batch_size, cfg.max_steps, cfg.seed)
    with progress_bar(disable=not show_progress) as bar:
        task = bar.add_task("training the guard", total=cfg.max_steps, info="")
        for step, index in enumerate(steps):
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
            loss = loss_fn(net.forward_from(*batch_of(train_x, index), start), train_y[index])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            nn.utils.clip_grad_norm_([*trainable, *net.head.parameters()], cfg.grad_clip)
            optimizer.step()
            train_loss = float(loss.detach())
            tokens += sum(len(train_x[i]) for i in index)
            if (step + 1) % cfg.eval_every == 0 or step + 1 == cfg.max_steps:
                val_loss = float(loss_fn(logits_of(net, val_x, start), val_y)) if val_x else 0.0
                lr_now = optimizer.param_groups[0]["lr"]
                metrics.append(
                    {"step": step + 1, "tokens": tokens, "loss": train_loss, "val_loss": val_loss}
                    | {"lr": lr_now}
                )
            if snapshot is not None and step + 1 == cfg.max_steps // 2:
                checkpoints[str(step + 1)] = snapshot(weights_of(net))
            bar.update(task, advance=1, info=f"loss {train_loss:.4f}")
    probabilities = torch.sigmoid(logits_of(net, val_x, start))
    threshold = choose_threshold(
        [r.unsafe for r in val_rows],
        probabilities[:, 0].tolist(),
        guard.threshold,
        guard.max_false_positive_rate,
    )
    config = {
        "model_type": "bazaar-guard",
        "backbone": backbone.name,
        "encoder": encoder_config_dict(encoder_config),
        "outputs": list(OUTPUTS),
        "max_length": cfg.seq_len,
        "pooling": "mean",
        "threshold": threshold,
        "category_threshold": 0.5,
    }
    return GuardTraining(
        weights=weights_of(net),
        config=config,
        tokenizer=tokenizer_text,
        seconds=time.perf_counter() - started,
        final_train_loss=train_loss,
        final_val_loss=metrics[-1]["val_loss"] if metrics else float("nan"),
        metrics=metrics,
        checkpoints=checkpoints,
    )


@torch.no_grad()
def advance(net: GuardNet, features: list[torch.Tensor], layer: int, start: int) -> list:
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


def weights_of(net: GuardNet) -> bytes:
    state = {k: v.detach().to(torch.float32).contiguous() for k, v in net.state_dict().items()}
    return save_safetensors(state)
