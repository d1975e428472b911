"""Two KV-cache layouts for continuous batching, timed on the same decode work in one run.

- shared: one left-padded cache per layer for the whole batch (`serve.batch.PaddedBatch`, what
  `bazaar serve` uses): a step appends one column; rows are copied only when they join or leave.
- stacked: one cache per sequence, padded and stacked into a batch before every step and split
  back after it (a per-sequence design that keeps each sequence's cache on its own).

Both run the same model forward on the same rows (prompts of different lengths, greedy), and
the script checks they produce the same tokens. Prints ms per decode step and the ratio.

    python bench/serve_cache_layout.py [--layers 4] [--hidden 128] [--rows 8 32] [--steps 64]
"""

from __future__ import annotations

import argparse
import time

import torch
from transformers import DynamicCache, LlamaConfig, LlamaForCausalLM

from modelbazaar.serve.batch import PaddedBatch, left_pad, padded_prompts, prefill_positions


def prefill(model: LlamaForCausalLM, prompts: list[list[int]]):  # noqa: ANN201
    ids, mask = padded_prompts(prompts, pad_id=1)
    cache = DynamicCache(config=model.config)
    out = model(
        input_ids=ids,
        attention_mask=mask,
        position_ids=prefill_positions(mask),
        cache=cache,
        use_cache=True,
        logits_to_keep=1,
    )
    return out.logits[:, -1].argmax(-1), out.cache, mask


def shared(model: LlamaForCausalLM, prompts: list[list[int]], steps: int) -> tuple[float, list]:
    last, cache, mask = prefill(model, prompts)
    batch = PaddedBatch()
    batch.add(list(range(len(prompts))), cache, mask, last)
    tokens = []
    start = time.perf_counter()
    for _ in range(steps):
        out = model(**batch.decode_inputs())
        batch.last = out.logits[:, -1].argmax(-1)
        tokens.append(batch.last.tolist())
    return (time.perf_counter() - start) / steps, tokens


def stacked(model: LlamaForCausalLM, prompts: list[list[int]], steps: int) -> tuple[float, list]:
    last, cache, mask = prefill(model, prompts)
    lengths = [len(p) for p in prompts]
    # split into one (keys, values) per layer per sequence, each only its real columns
    per_seq = [
        [(layer.keys[i : i + 1, :, -n:], layer.values[i : i + 1, :, -n:]) for layer in cache.layers]
        for i, n in enumerate(lengths)
    ]
    tokens = []
    start = time.perf_counter()
    for _ in range(steps):
        width = max(lengths)
        batch_cache = DynamicCache(config=model.config)
        for index, layer in enumerate(batch_cache.layers):
            keys = torch.cat([left_pad(s[index][0], width, 2) for s in per_seq])
            values = torch.cat([left_pad(s[index][1], width, 2) for s in per_seq])
            layer.lazy_initialization(keys, values)
            layer.keys, layer.values = keys, values
        mask = torch.stack([left_pad(torch.ones(n, dtype=torch.long), width, 0) for n in lengths])
        mask = torch.cat([mask, torch.ones((len(lengths), 1), dtype=torch.long)], 1)
        positions = torch.tensor(lengths)[:, None]
        out = model(
            input_ids=last[:, None],
            attention_mask=mask,
            position_ids=positions,
            cache=batch_cache,
            use_cache=True,
        )
        last = out.logits[:, -1].argmax(-1)
        tokens.append(last.tolist())
        lengths = [n + 1 for n in lengths]
        per_seq = [
            [
                (layer.keys[i : i + 1, :, -n:], layer.values[i : i + 1, :, -n:])
                for layer in out.cache.layers
            ]
            for i, n in enumerate(lengths)
        ]
    return (time.perf_counter() - start) / steps, tokens


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--layers", type=int, default=4)
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--vocab", type=int, default=1024)
    parser.add_argument("--rows", type=int, nargs="+", default=[8, 32])
    parser.add_argument("--steps", type=int, default=64)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    config = LlamaConfig(
        vocab_size=args.vocab,
        hidden_size=args.hidden,
        intermediate_size=int(args.hidden * 8 / 3),
        num_hidden_layers=args.layers,
        num_attention_heads=4,
        max_position_embeddings=512,
        pad_token_id=1,
    )
    model = LlamaForCausalLM(config).eval()
    print(f"Llama {args.layers}x{args.hidden}, {args.steps} decode steps, {args.threads} thread(s)")
    for rows in args.rows:
        generator = torch.Generator().manual_seed(rows)
        prompts = [
            torch.randint(2, args.vocab, (int(n),), generator=generator).tolist()
            for n in torch.randint(4, 200, (rows,), generator=generator)
        ]
        with torch.inference_mode():
            shared(model, prompts, 4), stacked(model, prompts, 4)  # warm-up
            shared_s, shared_tokens = min(
                (shared(model, prompts, args.steps) for _ in range(3)), key=lambda t: t[0]
            )
            stacked_s, stacked_tokens = min(
                (stacked(model, prompts, args.steps) for _ in range(3)), key=lambda t: t[0]
            )
        same = "same tokens" if shared_tokens == stacked_tokens else "TOKENS DIFFER"
        print(
            f"  {rows:3d} rows: shared {shared_s * 1000:6.2f} ms/step, stacked "
            f"{stacked_s * 1000:6.2f} ms/step -> shared is {stacked_s / shared_s:.2f}x ({same})"
        )


if __name__ == "__main__":
    main()
