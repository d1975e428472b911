"""Learning-rate schedule: linear warmup, then cosine decay to a floor.

A pure function of the step (no scheduler object to checkpoint). Example with lr=1e-3,
warmup=10, max_steps=110, min_ratio=0.1: step 0 -> 1e-4, step 9 -> 1e-3, step 110 -> 1e-4.
"""

import math


def lr_at(step: int, *, lr: float, warmup: int, max_steps: int, min_ratio: float) -> float:
    if warmup and step < warmup:
        return lr * (step + 1) / warmup
    span = max(1, max_steps - warmup)
    progress = min(1.0, (step - warmup) / span)
    floor = lr * min_ratio
    return floor + (lr - floor) * 0.5 * (1.0 + math.cos(math.pi * progress))
