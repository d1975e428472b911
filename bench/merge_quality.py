"""How much of each specialist's gain does a merged model keep? (k = 4 LoRA contributors)

Four contributors fine-tune LoRA adapters from the same base, each on one task shipped with the
shakespeare template (GSM8K word problems, Alpaca instructions, spam noise, Shakespeare verse),
and measure the Gram matrices of their touched layers' inputs as `bazaar contribute` does. For
every merge method we merge the four full deltas (RegMean with the Grams), add them to the base,
and measure held-out loss on each task. Kept share of task t =
(base loss - merged loss) / (base loss - specialist loss), per task and seed; we print the mean,
min and max over tasks × seeds, and the mean per task.

Upper bound: multitask training at equal total compute — one adapter trained for k × steps,
where step i trains on a batch of task i mod k drawn exactly as that task's specialist draws its
batches, so every task gets its specialist's steps, batches and per-batch loss weighting and
the only difference is the one shared adapter. The previous bench pooled all rows instead
(``multitask-pooled``, kept for comparison): its batches mixed tasks and its loss averaged over
tokens, so tasks whose examples carry few loss tokens (Alpaca's short outputs) got a sliver of
the gradient, and it kept 22% — below the merges, a measurement problem, not a bound.
The second problem was the learning rate: this bench used lr 1e-2 for every arm. A specialist
sees one distribution and survives it; one adapter whose batches alternate between four tasks
does not (each step undoes the last task's: one seed, shakespeare base, interleaved multitask
kept gsm8k 72%, alpaca 30%, noise 61%, verse -86% at 1e-2, rank 32 no better, and 103% / 127% /
95% / 81% at 3e-3). Every arm now trains at the product's default lr (3e-3, `--lr`).

Published anchors (FusionBench, Tang et al. 2024): TIES keeps 39-68% of the gain with full
fine-tunes and 19-28% with LoRA; RegMean 81-87%; multitask training 94-96%.

Run: python bench/merge_quality.py --model DIR [--ref built] [--steps 60] [--seeds 3]
     [--first-seed 0] [--methods regmean ...] [--alphas 0.5 1.0] [--no-multitask]
     python bench/merge_quality.py --smollm2 --steps 10 --batch-size 4 --held-out 30
         (SmolLM2-135M-Instruct; ~10 min per seed on 2 idle cores)
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
from peft import get_peft_model

from modelbazaar import templates
from modelbazaar.merge import METHODS, merge_deltas
from modelbazaar.merge.regmean import DEFAULT_ALPHA
from modelbazaar.model import load_version
from modelbazaar.store import Store
from modelbazaar.train.gram import gram_matrices, touched_modules
from modelbazaar.train.lora import (
    LoraTrainConfig,
    encode,
    example_losses,
    held_out_split,
    load_examples,
    lora_deltas,
    lora_step,
    peft_config,
    train_lora,
)
from modelbazaar.workflows.build import build

DENSITY = 0.5  # share of delta entries TIES/DARE keep
SCALE = 0.3  # task-vector scaling lambda (FusionBench default); linear is the plain mean
HELD_OUT = 60  # held-out examples per task
ANCHORS = "FusionBench: TIES 39-68% (full), 19-28% (LoRA); RegMean 81-87%; multitask 94-96%"


def task_rows(tokenizer, max_len: int, held_out: int) -> dict[str, tuple[list, list]]:
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
        out[name] = (encode(tokenizer, train, max_len), encode(tokenizer, held, max_len)[:held_out])
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


def train_multitask(model, per_task: list[list], cfg: LoraTrainConfig, pad_id: int) -> None:
    """One adapter, k × cfg.steps steps, step i a batch of task i mod k drawn with that task's
    own specialist sampler (same seed, same order): equal compute, batches and loss weighting."""
    torch.manual_seed(cfg.seed)  # the same LoRA init as every specialist
    peft_model = get_peft_model(model, peft_config(cfg.adapter_config()))
    trainable = [p for p in peft_model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=cfg.lr, weight_decay=0.0, foreach=False)
    orders = [torch.Generator().manual_seed(cfg.seed) for _ in per_task]
    queues: list[list[int]] = [[] for _ in per_task]
    peft_model.train()
    for _ in range(cfg.steps):
        for rows, order, queue in zip(per_task, orders, queues, strict=True):
            if len(queue) < cfg.batch_size:
                queue += torch.randperm(len(rows), generator=order).tolist()
            picked = [queue.pop(0) for _ in range(cfg.batch_size)]
            lora_step(peft_model, optimizer, trainable, [rows[i] for i in picked], pad_id)
    peft_model.eval()


def specialists(base, tasks: dict, cfg: LoraTrainConfig, pad_id: int):
    """(deltas, Gram statistics with shared inputs resolved, held-out loss) per task."""
    deltas, grams, special = [], [], {}
    for task, (train, held) in tasks.items():
        model = copy.deepcopy(base)
        adapter = train_lora(model, train, cfg, pad_id=pad_id, show_progress=False)
        special[task] = mean_loss(model, held, pad_id)
        deltas.append(lora_deltas(adapter, cfg.adapter_config()))
        stats, _, shared = gram_matrices(model, train, pad_id, touched_modules(adapter))
        grams.append(stats | {alias: stats[owner] for alias, owner in shared.items()})
    return deltas, grams, special


def candidates(base, tasks, cfg, deltas, grams, pad_id, args, seed: int) -> dict:
    out = {}
    for method in args.methods:
        merged = merge_deltas(
            deltas, method, [SCALE] * len(deltas), DENSITY, seed, statistics=grams, alpha=args.alpha
        )
        out[method] = with_deltas(base, merged)
    for alpha in args.alphas:  # the alpha sweep: RegMean at each extra alpha
        merged = merge_deltas(
            deltas, "regmean", [1.0] * len(deltas), DENSITY, seed, statistics=grams, alpha=alpha
        )
        out[f"regmean a={alpha:g}"] = with_deltas(base, merged)
    if args.no_multitask:
        return out
    steps = LoraTrainConfig(
        steps=cfg.steps * len(tasks), lr=cfg.lr, batch_size=cfg.batch_size, seed=seed
    )
    pooled = copy.deepcopy(base)  # the previous bench's bound: all rows pooled, token-weighted
    everything = [row for train, _ in tasks.values() for row in train]
    train_lora(pooled, everything, steps, pad_id=pad_id, show_progress=False)
    out["multitask-pooled"] = pooled.eval()
    multi = copy.deepcopy(base)
    train_multitask(multi, [train for train, _ in tasks.values()], cfg, pad_id)
    out["multitask"] = multi.eval()
    return out


def load_base(args: argparse.Namespace, tmp: str):
    """(model, tokenizer, label) of the base: SmolLM2, a built source, or a fresh tiny build."""
    if args.smollm2:  # imported as `bazaar init --from smollm2` does, then loaded from the store
        from modelbazaar.workflows.importer import import_model

        store = Store.for_model(Path(tmp) / "smollm2")
        loaded = load_version(store, import_model(store, "smollm2", "Apache-2.0"))
        return loaded.model, loaded.tokenizer, "SmolLM2-135M-Instruct"
    model_dir = args.model
    if model_dir is None:
        model_dir = templates.create(Path(tmp) / "tiny", "tiny")
        build(model_dir, show_progress=False, fast=True)  # a throwaway base: no caps needed
    loaded = load_version(Store.for_model(model_dir), args.ref)
    return loaded.model, loaded.tokenizer, loaded.record.short


def report(
    kept: dict, per_task: dict, tasks: list[str], label: str, args, gains, seeds: int
) -> None:
    print(
        f"\nbase {label}, k={len(tasks)} tasks, {args.steps} LoRA steps of {args.batch_size} "
        f"rows at lr {args.lr}, {args.held_out} held-out rows per task, "
        f"r={LoraTrainConfig().rank}, density {DENSITY}, lambda {SCALE}, regmean alpha "
        f"{args.alpha}, {seeds} seed(s); mean specialist gain "
        f"{statistics.mean(gains):.3f} nats/token"
    )
    head = "".join(f"{t:>9}" for t in tasks)
    print(f"{'method':<17}{'kept (mean)':>12}{'min':>7}{'max':>7}   per task:{head}")
    for name, values in kept.items():
        cells = "".join(f"{statistics.mean(per_task[name][t]):>9.0%}" for t in tasks)
        print(
            f"{name:<17}{statistics.mean(values):>11.1%}{min(values):>7.0%}"
            f"{max(values):>7.0%}            {cells}"
        )
    print(ANCHORS)


def plot(path: Path, kept: dict) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 3.5))
    names = list(kept)
    ax.boxplot([kept[n] for n in names], tick_labels=names)
    ax.axhline(1.0, color="grey", lw=0.8, ls="--")
    ax.set_ylabel("share of specialist gain kept")
    ax.tick_params(axis="x", rotation=30)
    fig.tight_layout()
    fig.savefig(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="a built model source (default: tiny)")
    parser.add_argument("--ref", default="main", help="version to use as the base")
    parser.add_argument("--smollm2", action="store_true", help="SmolLM2-135M-Instruct as base")
    parser.add_argument("--steps", type=int, default=60, help="LoRA steps per specialist")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--first-seed", type=int, default=0, help="seeds first..first+seeds-1")
    parser.add_argument("--alpha", type=float, default=DEFAULT_ALPHA, help="RegMean's alpha")
    parser.add_argument(
        "--alphas", type=float, nargs="*", default=[], help="extra RegMean alphas to compare"
    )
    parser.add_argument(
        "--methods", nargs="*", default=list(METHODS), choices=list(METHODS), help="merges to run"
    )
    parser.add_argument("--no-multitask", action="store_true", help="skip the multitask bound")
    parser.add_argument(
        "--lr", type=float, default=LoraTrainConfig().lr, help="LoRA learning rate (all arms)"
    )
    parser.add_argument("--batch-size", type=int, default=8, help="LoRA batch size")
    parser.add_argument("--held-out", type=int, default=HELD_OUT, help="held-out rows per task")
    parser.add_argument("--plot", type=Path, help="write a box plot of kept shares (PNG)")
    args = parser.parse_args()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        base, tok, label = load_base(args, tmp)
    pad_id = tok.pad_token_id if tok.pad_token_id is not None else tok.eos_token_id
    tasks = task_rows(tok, min(128, base.config.max_position_embeddings), args.held_out)
    base_loss = {t: mean_loss(base, held, pad_id) for t, (_, held) in tasks.items()}
    names = [*args.methods, *(f"regmean a={a:g}" for a in args.alphas)]
    names += [] if args.no_multitask else ["multitask-pooled", "multitask"]
    kept: dict[str, list[float]] = {m: [] for m in names}
    per_task: dict[str, dict[str, list[float]]] = {m: {t: [] for t in tasks} for m in names}
    gains: list[float] = []
    for seed in range(args.first_seed, args.first_seed + args.seeds):
        cfg = LoraTrainConfig(steps=args.steps, lr=args.lr, batch_size=args.batch_size, seed=seed)
        deltas, grams, special = specialists(base, tasks, cfg, pad_id)
        gain = {t: base_loss[t] - special[t] for t in tasks}
        gains += list(gain.values())
        models = candidates(base, tasks, cfg, deltas, grams, pad_id, args, seed)
        for name, model in models.items():
            for task, (_, held) in tasks.items():
                share = (base_loss[task] - mean_loss(model, held, pad_id)) / gain[task]
                kept[name].append(share)
                per_task[name][task].append(share)
        print(
            f"seed {seed}: specialist gains (nats/token) "
            + ", ".join(f"{t} {g:.3f}" for t, g in gain.items())
            + f" ({time.perf_counter() - started:.0f} s)",
            flush=True,
        )
        done = seed + 1 - args.first_seed
        if done < args.seeds:  # a long run (SmolLM2) shows what it has so far
            report(kept, per_task, list(tasks), label, args, gains, done)
    report(kept, per_task, list(tasks), label, args, gains, args.seeds)
    if args.plot:
        plot(args.plot, kept)
    print(f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
