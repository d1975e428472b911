"""Tokens/s of `bazaar build`'s training loop against a plain PyTorch loop, in one run.

Both loops train the same LlamaForCausalLM (the shakespeare template's size) on the same
token stream with the same batch, precision and thread count. Also prints the achieved
GFLOP/s as a share of this machine's matmul peak, measured here at the start.

    python bench/train_throughput.py [--steps 40] [--precision auto|fp32|bf16]
    python bench/train_throughput.py --portable [--steps 40]

`--portable` runs the measurement twice in fresh processes of this one run: once under the
portable settings every `bazaar build` uses (fp32, the recipe's threads, the CPU caps of
`train/portable.py` set before torch starts) and once under the fastest non-portable settings
(`bazaar build --fast`: no caps, bf16 autocast where the CPU has native bf16). It prints, for the
portable build, the ratio to a plain loop under the same settings and the share of the fp32
matmul peak measured under those settings, and the speed cost of portability.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import torch

from modelbazaar import templates
from modelbazaar.data.manifest import load_manifests, split_files
from modelbazaar.data.packing import tokenize_files, train_batch
from modelbazaar.data.tokenizer import EOS, PAD, lines, train_bpe
from modelbazaar.model import llama_config, new_model
from modelbazaar.recipe import load_recipe
from modelbazaar.train.determinism import autocast_dtype
from modelbazaar.train.distributed import World
from modelbazaar.train.pretrain import pretrain


def matmul_peak(dtype: torch.dtype, size: int = 1024, repeats: int = 20) -> float:
    """GFLOP/s of a square matmul, best of `repeats` (the machine's practical peak)."""
    a, b = torch.randn(size, size, dtype=dtype), torch.randn(size, size, dtype=dtype)
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        a @ b
        best = min(best, time.perf_counter() - start)
    return 2 * size**3 / best / 1e9


def train_flops_per_token(model: torch.nn.Module, seq_len: int) -> float:
    """6 N (matmul weights, forward + backward) + 12 L T d (attention scores), as in PaLM."""
    config = model.config
    matmul_params = sum(p.numel() for n, p in model.named_parameters() if p.dim() == 2)
    matmul_params -= model.model.embed_tokens.weight.numel()  # a lookup, not a matmul
    return 6 * matmul_params + 12 * config.num_hidden_layers * seq_len * config.hidden_size


def plain_loop(model, stream, cfg, steps: int, dtype) -> float:
    """The baseline: the shortest correct PyTorch training loop. Returns tokens/s."""
    optimizer = torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    model.train()
    start = time.perf_counter()
    for step in range(steps):
        batch = train_batch(stream, cfg.seq_len, cfg.batch_size, cfg.seed, step)
        with torch.autocast("cpu", dtype=dtype or torch.bfloat16, enabled=dtype is not None):
            loss = model(input_ids=batch[:, :-1], labels=batch[:, :-1]).loss
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return steps * cfg.batch_size * cfg.seq_len / (time.perf_counter() - start)


def measure(steps: int, precision: str) -> dict[str, float]:
    """Tokens/s of the plain loop and of `bazaar build`'s loop, the matmul peak and FLOP/token."""
    with tempfile.TemporaryDirectory() as tmp:
        source = templates.create(Path(tmp) / "m", "shakespeare")
        recipe = load_recipe(source)
        cfg = recipe.train.model_copy(
            update={
                "max_steps": steps,
                "eval_every": 10**9,
                "checkpoint_every": 10**9,
                "precision": precision,
                "warmup_steps": 2,
            }
        )
        if cfg.threads:
            torch.set_num_threads(cfg.threads)
        files = split_files(load_manifests(source), source, "train")
        text_lines = (line for path, _ in files for line in lines(path.read_text()))
        tokenizer = train_bpe(text_lines, recipe.tokenizer.vocab_size, 2)
        stream = tokenize_files(tokenizer, [p for p, _ in files])
        config = llama_config(
            recipe.model,
            tokenizer.get_vocab_size(),
            tokenizer.token_to_id(EOS),
            tokenizer.token_to_id(PAD),
        )
        dtype = autocast_dtype(precision)
        peak = matmul_peak(dtype or torch.float32)
        peak_fp32 = peak if dtype is None else matmul_peak(torch.float32)
        plain_loop(new_model(config, 0), stream, cfg, 3, dtype)  # warm-up: allocator, kernels
        baseline = plain_loop(new_model(config, 0), stream, cfg, steps, dtype)

        model = new_model(config, 0)
        checkpoint = Path(tmp) / "ckpt.safetensors"
        result = pretrain(
            model,
            stream,
            stream[:4096],
            cfg,
            checkpoint=checkpoint,
            world=World(0, 1),
            show_progress=False,
        )
        ours = result.tokens / result.seconds
        flops = train_flops_per_token(model, cfg.seq_len)

    return {
        "params": sum(p.numel() for p in model.parameters()),
        "flops_per_token": flops,
        "peak": peak,
        "peak_fp32": peak_fp32,
        "plain": baseline,
        "ours": ours,
        "threads": torch.get_num_threads(),
        "precision": str(dtype or torch.float32),
        "capability": torch.backends.cpu.get_cpu_capability(),
        "batch": f"{cfg.batch_size} x {cfg.seq_len}",
    }


def print_table(label: str, m: dict[str, float]) -> None:
    print(
        f"\n{label}: threads {m['threads']}, {m['precision']}, kernels {m['capability']}, "
        f"batch {m['batch']}; {m['params'] / 1e6:.2f}M parameters, "
        f"{m['flops_per_token'] / 1e6:.1f} MFLOP per token (train)"
    )
    print(f"matmul peak ({m['precision']}): {m['peak']:,.0f} GFLOP/s")
    print(f"{'loop':<28}{'tokens/s':>10}{'GFLOP/s':>10}{'of peak':>9}")
    for name, rate in (("plain PyTorch (baseline)", m["plain"]), ("bazaar build", m["ours"])):
        gflops = rate * m["flops_per_token"] / 1e9
        print(f"{name:<28}{rate:>10,.0f}{gflops:>10.1f}{gflops / m['peak']:>9.0%}")
    print(f"ratio bazaar / plain: {m['ours'] / m['plain']:.2f}")


def child(steps: int, mode: str) -> dict[str, float]:
    """Measure in a fresh process, so the CPU caps are read before torch starts."""
    from modelbazaar.train.portable import CAPS  # noqa: PLC0415 (torch-free module)

    env = {k: v for k, v in os.environ.items() if k not in CAPS}
    if mode == "portable":
        env.update(CAPS)
    precision = "fp32" if mode == "portable" else "auto"
    out = subprocess.run(
        [sys.executable, __file__, "--steps", str(steps), "--precision", precision, "--json"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    # 40 steps: at 20 the portable ratio swung 0.95-1.05x between runs of one machine
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--precision", default="auto", choices=["auto", "fp32", "bf16"])
    parser.add_argument("--portable", action="store_true", help="portable vs --fast, one run")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.json:
        print(json.dumps(measure(args.steps, args.precision)))
        return
    if not args.portable:
        print_table("this process", measure(args.steps, args.precision))
        return
    portable, fast = child(args.steps, "portable"), child(args.steps, "fast")
    print_table("portable (bazaar build)", portable)
    print_table("fast (bazaar build --fast)", fast)
    share = portable["ours"] * portable["flops_per_token"] / 1e9 / portable["peak_fp32"]
    print("\nportable build:")
    print(f"  vs a plain loop under the same settings: {portable['ours'] / portable['plain']:.2f}x")
    native = portable["ours"] * portable["flops_per_token"] / 1e9 / fast["peak_fp32"]
    print(f"  share of the fp32 matmul peak (same settings): {share:.0%}")
    print(f"  share of the native fp32 matmul peak (no caps): {native:.0%}")
    print(f"  speed vs the fast build: {portable['ours'] / fast['ours']:.2f}x")


if __name__ == "__main__":
    main()
