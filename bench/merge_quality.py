"""How much of each specialist's gain does a merged model keep? (k = 4 LoRA contributors)

Four contributors fine-tune LoRA adapters from the same base, each on one task shipped with the
shakespeare template (GSM8K word problems, Alpaca instructions, spam noise, Shakespeare verse).
For every merge method we merge the four full deltas, add them to the base, and measure held-out
loss on each task. Kept share of task t = (base loss - merged loss) / (base loss - specialist
loss). The upper bound is one adapter trained on all four tasks with the same total steps.
Averaged over 3 seeds. Published (FusionBench): TIES keeps 39-68% of the gain with full
fine-tunes, 19-28% with LoRA; multitask training 94-96%.

Run: python bench/merge_quality.py [--model DIR] [--steps 60] [--seeds 3]
(no --model: builds the tiny template in a temp folder first, ~15 s)
"""

from __future__ import annotations

import argparse
import copy
import statistics
import tempfile
import time
from importlib import resources
from pathlib import Path

import torch

from modelbazaar import templates
from modelbazaar.merge import METHODS, merge_deltas
from modelbazaar.model import load_version
from modelbazaar.store import Store
from modelbazaar.train.lora import (
    LoraTrainConfig,
    encode,
    example_losses,
    held_out_split,
    load_examples,
    lora_deltas,
    train_lora,
)
from modelbazaar.workflows.build import build

DENSITY = 0.5  # share of delta entries TIES/DARE keep
SCALE = 0.3  # task-vector scaling lambda (FusionBench default); linear is the plain mean
HELD_OUT = 60  # held-out examples per task


def task_rows(tokenizer, max_len: int) -> dict[str, tuple[list, list]]:
    """task -> (train rows, held-out rows), from the shakespeare template's shipped data."""
    root = resources.files("modelbazaar.templates").joinpath("shakespeare")
    with resources.as_file(root) as folder:
        files = {
            "gsm8k": folder / "contributions" / "gsm8k" / "train.jsonl",
            "alpaca": folder / "contributions" / "alpaca" / "train.jsonl",
            "noise": folder / "contributions" / "noise" / "train.txt",
        }
        examples = {name: load_examples(path) for name, path in files.items()}
        verse = load_examples(folder / "data" / "tinyshakespeare" / "validation.txt")
    examples["verse"] = verse[:400]
    out = {}
    for name, exs in examples.items():
        train, held = held_out_split(exs, 10)
        out[name] = (encode(tokenizer, train, max_len), encode(tokenizer, held, max_len)[:HELD_OUT])
    return out


def mean_loss(model, rows, pad_id: int) -> float:
    losses = example_losses(model, rows, pad_id)
    return sum(losses) / len(losses)


def with_deltas(base, deltas: dict[str, torch.Tensor]):
    model = copy.deepcopy(base)
    state = model.state_dict()
    for key, delta in deltas.items():
        state[key] = state[key] + delta
    model.load_state_dict(state)
    return model.eval()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="a built model source (default: tiny)")
    parser.add_argument("--steps", type=int, default=60, help="LoRA steps per specialist")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--ref", default="main", help="version to use as the base")
    args = parser.parse_args()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        model_dir = args.model
        if model_dir is None:
            model_dir = templates.create(Path(tmp) / "tiny", "tiny")
            build(model_dir, show_progress=False)
        loaded = load_version(Store.for_model(model_dir), args.ref)
    base, tok = loaded.model, loaded.tokenizer
    pad_id = tok.pad_token_id
    max_len = min(128, base.config.max_position_embeddings)
    tasks = task_rows(tok, max_len)
    base_loss = {t: mean_loss(base, held, pad_id) for t, (_, held) in tasks.items()}
    kept: dict[str, list[float]] = {m: [] for m in (*METHODS, "multitask")}
    gains: list[float] = []
    for seed in range(args.seeds):
        cfg = LoraTrainConfig(steps=args.steps, lr=1e-2, seed=seed)
        deltas, special = [], {}
        for task, (train, held) in tasks.items():
            model = copy.deepcopy(base)
            adapter = train_lora(model, train, cfg, pad_id=pad_id, show_progress=False)
            special[task] = mean_loss(model, held, pad_id)
            deltas.append(lora_deltas(adapter, cfg.adapter_config()))
        gain = {t: base_loss[t] - special[t] for t in tasks}
        gains += list(gain.values())
        everything = [row for train, _ in tasks.values() for row in train]
        multi = copy.deepcopy(base)
        train_lora(
            multi,
            everything,
            LoraTrainConfig(steps=args.steps * len(tasks), lr=1e-2, seed=seed),
            pad_id=pad_id,
            show_progress=False,
        )
        candidates = {"multitask": multi.eval()}
        for method in METHODS:
            merged = merge_deltas(deltas, method, [SCALE] * len(deltas), DENSITY, seed)
            candidates[method] = with_deltas(base, merged)
        for name, model in candidates.items():
            for task, (_, held) in tasks.items():
                kept[name].append((base_loss[task] - mean_loss(model, held, pad_id)) / gain[task])
        print(
            f"seed {seed}: specialist gains (nats/token) "
            + ", ".join(f"{t} {g:.3f}" for t, g in gain.items()),
            flush=True,
        )
    print(
        f"\nbase {loaded.record.short} ({sum(p.numel() for p in base.parameters()):,} params), "
        f"k={len(tasks)} tasks, {args.steps} LoRA steps, r={LoraTrainConfig().rank}, "
        f"density {DENSITY}, lambda {SCALE}, {args.seeds} seeds; mean specialist gain "
        f"{statistics.mean(gains):.3f} nats/token"
    )
    print(f"{'method':<16}{'kept (mean)':>12}{'min task':>10}{'max task':>10}")
    for name, values in kept.items():
        print(f"{name:<16}{statistics.mean(values):>11.0%}{min(values):>10.0%}{max(values):>10.0%}")
    print("FusionBench: TIES 39-68% (full fine-tunes), 19-28% (LoRA); multitask 94-96%")
    print(f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
