"""Model collapse in miniature: train each generation on samples of the previous one.

Generation 0 trains on human text (Tiny Shakespeare, from the shakespeare template). Each later
generation trains from scratch, with the same recipe and seed, on text sampled from the one
before (temperature 1, no top-k/top-p: the model's own distribution, as in Shumailov et al.).
A second chain keeps half of every generation's data human. After each generation the
`diversity` suite is measured and compared with generation 0 (paired CIs); the script prints
the metrics per generation and whether `bazaar compare`'s collapse warning fires.

    python bench/collapse.py [--generations 3] [--steps 150] [--sample-tokens 200000]

Expectation (the literature's): on the pure chain distinct-n and entropy fall and the
rare-word tail loss rises, generation by generation; with half human data they hold.
"""

from __future__ import annotations

import argparse
import time
from importlib import resources
from pathlib import Path

import torch

from modelbazaar.data.tokenizer import EOS, PAD, train_bpe, wrap
from modelbazaar.evals import compare_results, run_suite_on_model
from modelbazaar.evals.diversity import collapse_warnings
from modelbazaar.model import llama_config, new_model
from modelbazaar.recipe import ModelConfig, TrainConfig
from modelbazaar.train.distributed import World
from modelbazaar.train.pretrain import pretrain

SPEC = ModelConfig(name="collapse", hidden_size=64, num_layers=2, num_heads=2,
                   max_position_embeddings=128)  # fmt: skip


def human_text() -> tuple[str, str]:
    root = resources.files("modelbazaar.templates").joinpath("shakespeare/data/tinyshakespeare")
    return root.joinpath("train.txt").read_text("utf-8"), root.joinpath("validation.txt").read_text(
        "utf-8"
    )


def train_generation(text: str, val: str, tokenizer, steps: int, scratch: Path):  # noqa: ANN001
    """A fresh model trained on ``text`` (same recipe and seed every generation)."""
    encode = lambda s: torch.tensor(tokenizer(s)["input_ids"], dtype=torch.int32)  # noqa: E731
    config = llama_config(SPEC, len(tokenizer), tokenizer.convert_tokens_to_ids(EOS),
                          tokenizer.convert_tokens_to_ids(PAD))  # fmt: skip
    model = new_model(config, seed=0)
    cfg = TrainConfig(seq_len=128, batch_size=16, max_steps=steps, lr=3e-3, warmup_steps=10,
                      eval_every=steps, checkpoint_every=10**6, precision="fp32")  # fmt: skip
    pretrain(model, encode(text), encode(val), cfg, checkpoint=scratch / "ckpt.safetensors",
             world=World(rank=0, size=1), show_progress=True)  # fmt: skip
    return model.eval()


@torch.inference_mode()
def sample_text(model, tokenizer, tokens: int, seed: int) -> str:  # noqa: ANN001
    """About ``tokens`` tokens of the model's own text, 16 sequences of 120 tokens at a time."""
    torch.manual_seed(seed)
    start = torch.full((16, 1), tokenizer.convert_tokens_to_ids(EOS))
    pieces: list[str] = []
    while sum(len(p) for p in pieces) // 4 < tokens:  # ~4 characters per token
        out = model.generate(input_ids=start, attention_mask=torch.ones_like(start),
                             do_sample=True, top_k=0, top_p=1.0, temperature=1.0,
                             max_new_tokens=120, pad_token_id=tokenizer.pad_token_id)  # fmt: skip
        pieces += tokenizer.batch_decode(out[:, 1:], skip_special_tokens=True)
    return "\n\n".join(pieces)


def run_chain(name: str, human_share: float, args: argparse.Namespace, tokenizer) -> None:  # noqa: ANN001
    train, val = human_text()
    scratch = Path(args.scratch) / name
    scratch.mkdir(parents=True, exist_ok=True)
    text, baseline = train, None
    print(f"\n== chain {name}: {human_share:.0%} human data after generation 0")
    for generation in range(args.generations + 1):
        started = time.perf_counter()
        model = train_generation(text, val, tokenizer, args.steps, scratch / str(generation))
        result = run_suite_on_model(model, tokenizer, "diversity")
        m = result.metrics
        line = " ".join(f"{k} {m[k]:.3f}" for k in ("distinct_1", "distinct_2", "entropy",
                                                     "tail_loss"))  # fmt: skip
        warn = ""
        if baseline is None:
            baseline = result
        else:
            warnings = collapse_warnings(compare_results(baseline, result), 0.10)
            warn = f"  WARNING x{len(warnings)}" if warnings else "  no warning"
        print(f"gen {generation}: {line}{warn}  ({time.perf_counter() - started:.0f} s)")
        synthetic = sample_text(model, tokenizer, args.sample_tokens, seed=generation)
        keep = int(len(train) * human_share)
        text = train[:keep] + "\n\n" + synthetic if human_share else synthetic


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--generations", type=int, default=3)
    parser.add_argument("--steps", type=int, default=150)
    parser.add_argument("--sample-tokens", type=int, default=200_000)
    parser.add_argument("--scratch", default="/tmp/bazaar-collapse")
    args = parser.parse_args()
    torch.set_num_threads(2)
    train, _ = human_text()
    tokenizer = wrap(train_bpe(train.splitlines(keepends=True), 512, 2).to_str())
    run_chain("pure", 0.0, args, tokenizer)
    run_chain("half-human", 0.5, args, tokenizer)


if __name__ == "__main__":
    main()
