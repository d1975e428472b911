"""Model collapse in miniature: train each generation on samples of the previous one.

Every generation trains from scratch, with the same recipe, seed and data budget (``--tokens``):
generation 0 on human text (Tiny Shakespeare, from the shakespeare template), each later one on
text sampled from the one before (temperature 1, no top-k/top-p: the model's own distribution,
as in Shumailov et al.). A second chain keeps half of every generation's budget human (the
same human text generation 0 saw, its first half). After each generation the
`diversity` suite is measured and compared with generation 0 (paired CIs); the script prints
the metrics and their relative change per generation, and whether the collapse warning of
`bazaar compare` fires (significant changes beyond the suite's ``collapse_drop`` in at least
``collapse_metrics`` of the four metrics at once).

The bound is measured, not guessed: a second generation-0 model, trained on the same human text
with another seed, gives the noise floor (the largest relative change of any metric between two
equally good models). The warning is sound only if the noise stays below the bound and the
pure chain crosses it; the script prints all three and says whether that holds.

    python bench/collapse.py [--generations 4] [--steps 150] [--tokens 100000]

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
from modelbazaar.evals import SuiteResult, compare_results, load_suite, run_suite_on_model
from modelbazaar.evals.diversity import collapse_warnings
from modelbazaar.model import llama_config, new_model
from modelbazaar.recipe import ModelConfig, TrainConfig
from modelbazaar.train.distributed import World
from modelbazaar.train.pretrain import pretrain

SPEC = ModelConfig(name="collapse", hidden_size=64, num_layers=2, num_heads=2,
                   max_position_embeddings=128)  # fmt: skip
METRICS = ("distinct_1", "distinct_2", "entropy", "tail_loss")


def human_text() -> tuple[str, str]:
    root = resources.files("modelbazaar.templates").joinpath("shakespeare/data/tinyshakespeare")
    return root.joinpath("train.txt").read_text("utf-8"), root.joinpath("validation.txt").read_text(
        "utf-8"
    )


def train_generation(text: str, val: str, tokenizer, steps: int, scratch: Path, seed: int = 0):  # noqa: ANN001
    """A fresh model trained on ``text`` (same recipe and seed every generation)."""
    encode = lambda s: torch.tensor(tokenizer(s)["input_ids"], dtype=torch.int32)  # noqa: E731
    config = llama_config(SPEC, len(tokenizer), tokenizer.convert_tokens_to_ids(EOS),
                          tokenizer.convert_tokens_to_ids(PAD))  # fmt: skip
    model = new_model(config, seed=seed)
    cfg = TrainConfig(seq_len=128, batch_size=16, max_steps=steps, lr=3e-3, warmup_steps=10,
                      eval_every=steps, checkpoint_every=10**6, precision="fp32",
                      seed=1337 + seed)  # fmt: skip
    pretrain(model, encode(text), encode(val), cfg, checkpoint=scratch / "ckpt.safetensors",
             world=World(rank=0, size=1), show_progress=False)  # fmt: skip
    return model.eval()


@torch.inference_mode()
def sample_text(model, tokenizer, tokens: int, seed: int) -> str:  # noqa: ANN001
    """About ``tokens`` tokens of the model's own text, 16 sequences of 120 tokens at a time."""
    torch.manual_seed(seed)
    start = torch.full((16, 1), tokenizer.convert_tokens_to_ids(EOS))
    pieces: list[str] = []
    produced = 0
    while produced < tokens:
        out = model.generate(input_ids=start, attention_mask=torch.ones_like(start),
                             do_sample=True, top_k=0, top_p=1.0, temperature=1.0,
                             max_new_tokens=120, pad_token_id=tokenizer.pad_token_id)  # fmt: skip
        produced += out[:, 1:].numel()
        pieces += tokenizer.batch_decode(out[:, 1:], skip_special_tokens=True)
    return "\n\n".join(pieces)


def relative(base: SuiteResult, now: SuiteResult) -> dict[str, float]:
    """Relative change of each metric, signed so that positive is *worse* (toward collapse)."""
    worse = {}
    for d in compare_results(base, now):
        if d.metric in METRICS and d.a:
            change = (d.b - d.a) / abs(d.a)
            worse[d.metric] = change if not d.higher_is_better else -change
    return worse


def line(result: SuiteResult, base: SuiteResult | None) -> str:
    """Each metric, its relative change toward collapse, and * when that change is significant
    (the paired 95% CI excludes zero on the worse side)."""
    change = relative(base, result) if base else {}
    significant = (
        {d.metric for d in compare_results(base, result) if d.regression} if base else set()
    )
    parts = []
    for k in METRICS:
        moved = f" ({change[k]:+.1%}{'*' if k in significant else ''})" if base else ""
        parts.append(f"{k} {result.metrics[k]:.3f}{moved}")
    return " · ".join(parts)


def first_warning(baseline: SuiteResult, results: list[SuiteResult], bound: float) -> int | None:
    """The first generation (1-based) whose collapse warning fires under ``bound``."""
    for generation, result in enumerate(results, start=1):
        if collapse_warnings(compare_results(baseline, result), bound):
            return generation
    return None


def budget_text(text: str, tokenizer, tokens: int) -> str:  # noqa: ANN001
    """The start of ``text`` holding about ``tokens`` tokens (cut at a paragraph)."""
    if tokens <= 0:
        return ""
    chars_per_token = len(text[:100_000]) / len(tokenizer(text[:100_000])["input_ids"])
    cut = text[: int(tokens * chars_per_token)]
    return cut[: cut.rfind("\n\n")] if "\n\n" in cut else cut


def run_chain(name: str, human_share: float, gen0, args, tokenizer, bound: float) -> list:  # noqa: ANN001
    """Generations 1..N of one chain; returns their diversity results."""
    train, val = human_text()
    train = budget_text(train, tokenizer, args.tokens)  # generation 0's human text
    base_model, baseline = gen0
    print(f"\n== chain {name}: {human_share:.0%} human data after generation 0")
    print(f"gen 0: {line(baseline, None)}", flush=True)
    results, model = [], base_model
    human = budget_text(train, tokenizer, int(args.tokens * human_share))
    for generation in range(1, args.generations + 1):
        started = time.perf_counter()
        wanted = args.tokens - int(args.tokens * human_share)
        synthetic = sample_text(model, tokenizer, wanted, seed=generation)
        text = (human + "\n\n" + synthetic) if human else synthetic
        model = train_generation(text, val, tokenizer, args.steps, args.scratch / name)
        result = run_suite_on_model(model, tokenizer, "diversity")
        results.append(result)
        warnings = collapse_warnings(compare_results(baseline, result), bound)
        verdict = f"WARNING ({len(warnings)} metrics)" if warnings else "no warning"
        seconds = time.perf_counter() - started
        print(f"gen {generation}: {line(result, baseline)}  {verdict}  ({seconds:.0f} s)",
              flush=True)  # fmt: skip
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--generations", type=int, default=4)
    parser.add_argument("--steps", type=int, default=150)
    parser.add_argument("--tokens", type=int, default=100_000, help="data per generation")
    parser.add_argument("--scratch", type=Path, default=Path("/tmp/bazaar-collapse"))
    parser.add_argument("--threads", type=int, default=1, help="a 64-wide model gains nothing")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    started = time.perf_counter()
    train, val = human_text()
    tokenizer = wrap(train_bpe(train.splitlines(keepends=True), 512, 2).to_str())
    bound = load_suite("diversity").parameters["collapse_drop"]

    # the noise floor: two generation-0 models, same human data, different seeds
    human = budget_text(train, tokenizer, args.tokens)
    gen0 = train_generation(human, val, tokenizer, args.steps, args.scratch / "gen0")
    twin = train_generation(human, val, tokenizer, args.steps, args.scratch / "twin", seed=1)
    base, other = (run_suite_on_model(m, tokenizer, "diversity") for m in (gen0, twin))
    noise = relative(base, other)
    floor = max(abs(v) for v in noise.values())
    print(f"generation 0: {line(base, None)}; seed 1: {line(other, base)}")
    print("noise floor (generation 0, seed 0 vs seed 1): "
          + " · ".join(f"{k} {v:+.1%}" for k, v in noise.items())
          + f"; largest {floor:.1%}; the suite's collapse_drop bound is {bound:.1%}")  # fmt: skip

    pure = run_chain("pure", 0.0, (gen0, base), args, tokenizer, bound)
    half = run_chain("half-human", 0.5, (gen0, base), args, tokenizer, bound)
    print("\nfirst generation whose warning fires, by bound (the suite's is marked <):")
    for candidate in sorted({0.02, 0.03, 0.05, 0.10, bound}):
        mark = " <" if candidate == bound else ""
        print(f"  {candidate:.0%}: pure {first_warning(base, pure, candidate) or 'never'}, "
              f"half-human {first_warning(base, half, candidate) or 'never'}{mark}")  # fmt: skip
    fired = first_warning(base, pure, bound)
    print(f"bound {bound:.1%} vs noise floor {floor:.1%}: "
          f"{'above' if bound > floor else 'NOT above'} the noise")  # fmt: skip
    ok = bound > floor and fired is not None and first_warning(base, half, bound) is None
    print(f"the warning separates the chains: {'yes' if ok else 'NO'} "
          f"(whole run {time.perf_counter() - started:.0f} s)")  # fmt: skip


if __name__ == "__main__":
    main()
