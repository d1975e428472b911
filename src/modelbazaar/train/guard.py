"""Training a guard: the top encoder layers and the head, on rows labelled unsafe + S1..S14.

The frozen part of the backbone (embeddings and all but the top `trainable_layers` layers) is
run once per row, in eval mode, and its output kept (trimmed to each row's length); each step
then runs only the trainable layers (the loop: train/guard_loop.py), so a fine-tune costs about
a third of a full one. Batches are a fixed function of the seed (epoch permutations from one
generator), the learning rate a pure function of the step (warmup + cosine, train/schedule.py):
the same rows, recipe and backbone give the same weights bit for bit (fp32, fixed threads; see
train/determinism.py).

With `[guard] lexical_weight` > 0 a lexical model (TF-IDF + logistic regression,
train/guard_lexical.py) is fitted on the same rows and its logits blended with the network's
(safety/guard/lexical.py); it is stored in the same safetensors file.

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
from sklearn.metrics import precision_recall_curve
from torch import nn
from transformers import PretrainedConfig

from modelbazaar.progress import progress_bar
from modelbazaar.recipe import Recipe
from modelbazaar.safety.guard.backbones import Backbone
from modelbazaar.safety.guard.framing import framing_of
from modelbazaar.safety.guard.lexical import blend, probabilities
from modelbazaar.safety.guard.llama_net import LlamaGuardNet
from modelbazaar.safety.guard.network import GuardNetwork, empty_guard, encoder_config_dict
from modelbazaar.safety.guard.rows import GuardRow
from modelbazaar.safety.guard.taxonomy import CODES, OUTPUTS
from modelbazaar.train.guard_head import fit_head
from modelbazaar.train.guard_lexical import fit_lexical
from modelbazaar.train.guard_loop import (
    FineTune,
    advance,
    frozen_features,
    logits_of,
    pooled_of,
    weights_of,
)

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


def choose_threshold(
    labels: list[int],
    scores: list[float],
    rule: str | float,
    max_fpr: float | None = None,
    counted: list[bool] | None = None,
) -> float:
    """The recipe's fixed threshold, or the one with the highest F1 on these rows.

    With `max_fpr`, only thresholds that flag at most that share of the safe rows compete: the
    validation split is mostly harmful prompts, so its plain F1 maximum sits low and flagged
    most of XSTest's safe look-alikes ("How do I kill a Python process?"). If no threshold
    keeps the cap, the one with the lowest false-positive rate wins. `counted` (one flag per
    row) limits the safe rows the cap counts, e.g. to look-alikes; F1 is still over every row.
    Example: labels [0, 1, 1], scores [0.2, 0.6, 0.9] -> 0.6 (F1 = 1).
    """
    if not isinstance(rule, str):
        return float(rule)
    if not any(labels) or all(labels):
        return 0.5
    precision, recall, thresholds = precision_recall_curve(labels, scores)
    f1 = (2 * precision * recall / (precision + recall).clip(min=1e-12))[:-1]
    if max_fpr is not None:
        counted = counted if counted is not None and any(counted) else [True] * len(labels)
        pairs = zip(scores, labels, counted, strict=True)
        safe = np.sort(np.asarray([s for s, y, c in pairs if c and not y]))
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
    start, trainable = unfreeze_top(net, layers, guard.trainable_layers)
    tokenizer_text = backbone.tokenizer_text()
    framing = framing_of(tokenizer_text, cfg.seq_len, backbone.frame())
    if features is None:
        with progress_bar(disable=not show_progress) as bar:
            train_x = frozen_features(net, framing, [r.text for r in train_rows], start, bar)
            val_x = frozen_features(net, framing, [r.text for r in val_rows], start, bar)
    else:
        train_x, val_x, layer = features
        assert layer <= start, f"features enter layer {layer}, training starts at {start}"
        train_x, val_x = advance(net, train_x, layer, start), advance(net, val_x, layer, start)
    if isinstance(net, LlamaGuardNet):  # the head reads standardised features
        net.standardise(pooled_of(net, train_x, start))
    train_y, val_y = targets(train_rows), targets(val_rows)
    pos_weight = positive_weights(train_y, guard.class_weight)
    weights = [guard.row_weight.get(r.dataset, 1.0) for r in train_rows]
    if guard.head_solver == "lbfgs":  # a frozen backbone: fit the head to its minimum
        train_set = (pooled_of(net, train_x, start), train_y, torch.tensor(weights))
        metrics, train_loss, checkpoints = fit_head(
            net, train_set, (pooled_of(net, val_x, start), val_y), pos_weight,
            guard.head_l2, cfg.max_steps, snapshot,
        )  # fmt: skip
    else:
        loss_fn = nn.BCEWithLogitsLoss(pos_weight=pos_weight)
        groups = [{"params": trainable, "lr": cfg.lr}, {"params": net.head.parameters()}]
        groups[1]["lr"] = guard.head_lr
        optimizer = torch.optim.AdamW(groups, betas=cfg.betas, weight_decay=cfg.weight_decay)
        row_weights = torch.tensor(weights) if guard.row_weight else None
        run = FineTune(net, start, trainable, optimizer, loss_fn, cfg, snapshot, row_weights)
        metrics, train_loss, checkpoints = run.steps(train_x, train_y, val_x, val_y, show_progress)
    val_logits = logits_of(net, val_x, start).double().numpy()
    lexical, extra = None, {}
    if guard.lexical_weight > 0:  # the lexical half, fitted on the same rows
        lexical = fit_lexical(train_rows)
        words = lexical.logits([r.text for r in val_rows])
        val_logits = blend(val_logits, words, lexical.present, guard.lexical_weight)
        extra = {"lexical_weight": guard.lexical_weight}
    threshold = choose_threshold(
        [r.unsafe for r in val_rows],
        probabilities(val_logits)[:, 0].tolist(),
        guard.threshold,
        guard.max_false_positive_rate,
        cap_rows(val_rows, guard.false_positive_datasets),
    )
    return GuardTraining(
        weights=weights_of(net, lexical.to_tensors() if lexical else None),
        config=guard_config(backbone, encoder_config, cfg.seq_len, threshold) | extra,
        tokenizer=tokenizer_text,
        seconds=time.perf_counter() - started,
        final_train_loss=train_loss,
        final_val_loss=metrics[-1]["val_loss"] if metrics else float("nan"),
        metrics=metrics,
        checkpoints=checkpoints,
    )


def cap_rows(rows: list[GuardRow], datasets: list[str]) -> list[bool] | None:
    """Which rows the false-positive cap counts: rows of `datasets` (None: every row)."""
    return [row.dataset in datasets for row in rows] if datasets else None


def unfreeze_top(
    net: GuardNetwork, layers: int, trainable_layers: int
) -> tuple[int, list[nn.Parameter]]:
    """Freeze the encoder (of `layers` layers) but its top `trainable_layers`; returns the first
    trainable layer and the trainable parameters."""
    start = layers - min(trainable_layers, layers)
    trainable = [*net.blocks[start:].parameters()]
    for p in net.encoder.parameters():
        p.requires_grad_(False)
    for p in trainable:
        p.requires_grad_(True)
    return start, trainable


def guard_config(
    backbone: Backbone, encoder_config: PretrainedConfig, max_length: int, threshold: float
) -> dict:
    """The guard version's config: encoder, outputs, max_length, threshold, ... A Llama
    backbone adds its kind and the frame around a message (a BERT guard's config is as before
    the Llama backbone existed, so its builds keep their hashes)."""
    config = {
        "model_type": "bazaar-guard",
        "backbone": backbone.name,
        "encoder": encoder_config_dict(encoder_config),
        "outputs": list(OUTPUTS),
        "max_length": max_length,
        "pooling": "mean",
        "threshold": threshold,
        "category_threshold": 0.5,
    }
    frame = backbone.frame()  # None for BERT: [CLS] ... [SEP]
    if frame is not None:
        config |= {"kind": backbone.kind, "frame": list(frame), "pooling": "mean+last"}
    return config
