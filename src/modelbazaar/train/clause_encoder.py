"""Fine-tune the clause encoder `bazaar audit --deep` runs (audit/clause_encoder.py).

all-MiniLM-L6-v2 (the guard's backbone, from its PyPI package, offline) with a linear head of
one output per clause category. Trained as a guard is (train/guard_loop.py): the frozen lower
layers run once per sentence (`frozen_inputs`), then the top `layers` and the head are
fine-tuned with AdamW (warmup + cosine), multi-label BCE with positives weighted
sqrt(negatives / positives), capped at 10. Batches are a fixed function of the seed, so the same
rows give the same weights on the same CPU.

Settings (`TuneSettings`' defaults) are the best bench/clause_finetune_cv.py measured: top 3
layers, 6 epochs, lr 2e-4 (micro recall at precision 0.9 by grouped 5-fold CV 0.71, against
TF-IDF's 0.40; the top 2 layers at 5e-5 for 4 epochs gave 0.35).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import nn

from modelbazaar.audit.clause_encoder import ENCODER, MAX_TOKENS, ClauseEncoder, base_net
from modelbazaar.licenses.clause_model import PRECISION, family_groups, lowest_threshold
from modelbazaar.progress import progress_bar
from modelbazaar.recipe import TrainConfig
from modelbazaar.safety.guard.backbones import find_backbone
from modelbazaar.safety.guard.framing import framing_of
from modelbazaar.safety.guard.network import GuardNet
from modelbazaar.train.guard import positive_weights, unfreeze_top
from modelbazaar.train.guard_loop import FineTune, frozen_features, logits_of


@dataclass(frozen=True)
class TuneSettings:
    layers: int = 3  # the top encoder layers fine-tuned
    epochs: float = 6.0
    lr: float = 2e-4  # the encoder layers'
    head_lr: float = 2e-3
    batch: int = 32
    weight_decay: float = 0.01
    warmup: float = 0.1  # share of the steps
    seed: int = 0


def frozen_inputs(texts: list[str], layers: int, show_progress: bool = False) -> list[Any]:
    """Per sentence, the hidden states entering the first fine-tuned layer (the top `layers`)."""
    backbone = find_backbone(ENCODER, None)
    net = base_net(1)
    framing = framing_of(backbone.tokenizer_text(), MAX_TOKENS, None)
    with progress_bar(disable=not show_progress) as bar:
        return frozen_features(net, framing, texts, len(net.blocks) - layers, bar)


def fine_tune(
    inputs: list[torch.Tensor],
    truth: np.ndarray,
    settings: TuneSettings,
    show_progress: bool = False,
) -> GuardNet:
    """The encoder's top layers and a head fine-tuned on (inputs, truth: rows x categories)."""
    net = base_net(truth.shape[1])
    torch.manual_seed(settings.seed)  # the head's initial weights, then dropout
    net.head.reset_parameters()
    start, trainable = unfreeze_top(net, len(net.blocks), settings.layers)
    steps = max(1, math.ceil(settings.epochs * len(inputs) / settings.batch))
    cfg = TrainConfig(
        batch_size=settings.batch,
        max_steps=steps,
        lr=settings.lr,
        warmup_steps=int(settings.warmup * steps),
        weight_decay=settings.weight_decay,
        betas=(0.9, 0.999),
        eval_every=steps,
        seed=settings.seed,
    )
    y = torch.tensor(truth, dtype=torch.float32)
    loss_fn = nn.BCEWithLogitsLoss(pos_weight=positive_weights(y, "sqrt"))
    groups = [{"params": trainable, "lr": settings.lr}]
    groups.append({"params": list(net.head.parameters()), "lr": settings.head_lr})
    optimizer = torch.optim.AdamW(groups, betas=cfg.betas, weight_decay=cfg.weight_decay)
    run = FineTune(net, start, trainable, optimizer, loss_fn, cfg, None, label="clause encoder")
    run.steps(inputs, y, [], torch.zeros(0, truth.shape[1]), show_progress)
    return net


def tuned_probabilities(net: GuardNet, inputs: list[torch.Tensor], layers: int) -> np.ndarray:
    """(sentences, categories) probabilities from the frozen inputs."""
    logits = logits_of(net, inputs, len(net.blocks) - layers)
    return torch.sigmoid(logits).double().numpy()


def out_of_fold_tuned(
    rows: Sequence[dict[str, Any]],
    categories: Sequence[str],
    inputs: list[torch.Tensor],
    settings: TuneSettings,
    show_progress: bool = False,
) -> np.ndarray:
    """(rows, categories) probabilities by grouped 5-fold CV by licence family: each row scored
    by an encoder fine-tuned on the folds that hold none of its family (five fine-tunes)."""
    from sklearn.model_selection import GroupKFold

    truth = np.array([[c in r["labels"] for c in categories] for r in rows])
    probs = np.zeros(truth.shape)
    for fit, score in GroupKFold(5).split(rows, groups=family_groups(rows)):
        net = fine_tune([inputs[i] for i in fit], truth[fit], settings, show_progress)
        probs[score] = tuned_probabilities(net, [inputs[i] for i in score], settings.layers)
    return probs


def train_encoder(
    rows: Sequence[dict[str, Any]],
    settings: TuneSettings = TuneSettings(),
    show_progress: bool = False,
) -> tuple[ClauseEncoder, np.ndarray]:
    """(the encoder fine-tuned on all `rows`, its out-of-fold probabilities).

    Each category gets the lowest threshold that reached precision 0.9 out of fold (grouped
    5-fold CV, as the TF-IDF model's; infinity where none did). Which of them the audit adds
    to the rules is its choice (audit/clause_encoder.ADDS_TO_RULES), not the file's."""
    categories = sorted({c for r in rows for c in r["labels"]})
    truth = np.array([[c in r["labels"] for c in categories] for r in rows])
    inputs = frozen_inputs([r["text"] for r in rows], settings.layers, show_progress)
    probs = out_of_fold_tuned(rows, categories, inputs, settings, show_progress)
    cuts = [lowest_threshold(probs[:, j], truth[:, j], PRECISION) for j in range(len(categories))]
    net = fine_tune(inputs, truth, settings, show_progress)
    return ClauseEncoder(net, categories, np.array(cuts), settings.layers), probs
