"""What portable numerics cost: exact products and float64 math against MKL, same process.

Portable processes compute every matrix product with ``train/exact_matmul.py`` and VML's
functions with ``train/exact_math.py`` so that no library picks code by CPU. This measures, in
one run on this machine:

1. products at the shapes of the ``quick`` template's training step: time and relative error
   (Frobenius norm against float64) of MKL's fp32 product and of the exact product;
2. a ``quick``-sized Llama (4 layers, width 128, vocab 1024, 16 x 128 tokens) training with
   AdamW: seconds per step and the loss after the steps, first with MKL's kernels, then with
   the exact ones installed (the same initial weights and batch);
3. a SmolLM2-135M-sized forward (30 layers, width 576, vocab 49,152; random weights) on 64
   tokens, what `bazaar eval`/`review` of an imported model run per batch.

The process starts without the portable caps (MKL's fastest code is the baseline); installing
the exact kernels part-way is what `portable.activate` does at `import torch`.

    PYTHONPATH=src python bench/portable_numerics.py [--steps 5]
"""

from __future__ import annotations

import argparse
import copy
import time

import torch
from transformers import LlamaConfig, LlamaForCausalLM

from modelbazaar.train import exact_kernels, exact_math, exact_matmul

SHAPES = [(2048, 128, 128), (2048, 128, 344), (2048, 344, 128), (2048, 128, 1024), (128, 2048, 344)]


def _seconds(fn, repeats: int = 5) -> float:  # type: ignore[no-untyped-def]
    fn()
    start = time.perf_counter()
    for _ in range(repeats):
        fn()
    return (time.perf_counter() - start) / repeats


def _products() -> None:
    g = torch.Generator().manual_seed(0)
    print("product (M, K, N)      MKL ms  exact ms  ratio   rel. error MKL / exact")
    for m, k, n in SHAPES:
        a, b = torch.randn(m, k, generator=g), torch.randn(k, n, generator=g) * 0.02
        a[:, :4] *= 50  # outlier features, as language models have
        reference = a.double() @ b.double()
        fast, exact = a @ b, exact_matmul.product(a, b)
        errors = [float((c.double() - reference).norm() / reference.norm()) for c in (fast, exact)]
        t_fast = _seconds(lambda: a @ b)  # noqa: B023
        t_exact = _seconds(lambda: exact_matmul.product(a, b))  # noqa: B023
        shape, ratio = str((m, k, n)), t_exact / t_fast
        print(
            f"{shape:20s} {t_fast * 1e3:8.2f} {t_exact * 1e3:9.2f} {ratio:6.1f}x"
            f"   {errors[0]:.1e} / {errors[1]:.1e}"
        )


def _train(model: LlamaForCausalLM, batch: torch.Tensor, steps: int) -> tuple[float, float]:
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    loss = float("nan")
    start = 0.0
    for step in range(steps + 1):
        if step == 1:
            start = time.perf_counter()  # the first step warms caches up
        out = model(input_ids=batch, labels=batch)
        out.loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        loss = float(out.loss)
    return (time.perf_counter() - start) / steps, loss


def _smollm2_forward() -> tuple[LlamaForCausalLM, torch.Tensor]:
    config = LlamaConfig(
        hidden_size=576,
        intermediate_size=1536,
        num_hidden_layers=30,
        num_attention_heads=9,
        num_key_value_heads=3,
        vocab_size=49152,
        max_position_embeddings=2048,
        tie_word_embeddings=True,
    )
    torch.manual_seed(0)
    return LlamaForCausalLM(config).eval(), torch.randint(0, 49152, (1, 64))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=5)
    steps = parser.parse_args().steps
    torch.set_num_threads(2)
    _products()
    torch.manual_seed(0)
    config = LlamaConfig(
        hidden_size=128,
        intermediate_size=344,
        num_hidden_layers=4,
        num_attention_heads=4,
        num_key_value_heads=4,
        vocab_size=1024,
        max_position_embeddings=128,
    )
    model = LlamaForCausalLM(config)
    batch = torch.randint(0, 1024, (16, 128), generator=torch.Generator().manual_seed(1))
    big, tokens = _smollm2_forward()

    def forward() -> None:
        with torch.no_grad():
            big(tokens)

    fast = _train(copy.deepcopy(model), batch, steps), _seconds(forward, 3)
    exact_kernels.install()
    exact_math.install()
    exact = _train(copy.deepcopy(model), batch, steps), _seconds(forward, 3)
    print(f"\nquick-sized training step ({steps} steps, 2 threads)")
    print(f"  MKL kernels:   {fast[0][0]:.3f} s/step, loss {fast[0][1]:.6f}")
    print(f"  exact kernels: {exact[0][0]:.3f} s/step, loss {exact[0][1]:.6f}")
    print(f"  cost of portable numerics: {exact[0][0] / fast[0][0]:.1f}x")
    print("\nSmolLM2-135M-sized forward, 64 tokens")
    print(f"  MKL kernels: {fast[1]:.3f} s; exact kernels: {exact[1]:.3f} s")
    print(f"  cost of portable numerics: {exact[1] / fast[1]:.1f}x")


if __name__ == "__main__":
    main()
