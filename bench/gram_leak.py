"""What does a shipped Gram matrix reveal? Recover the token histogram from layer 0's Gram.

Layer 0's q/k/v projections read u_t = RMSNorm(embedding(t)) for each token t, a vector anyone
with the base model can compute. So the Gram a contributor ships for them is

    n·G = Σ_t u_t u_tᵀ = Σ_v c_v u_v u_vᵀ       (c_v: how often vocabulary entry v occurs)

which is linear in the unknown token counts c. Taking inner products with every u_v u_vᵀ gives
the V × V system K c = b with K_vw = (u_v·u_w)² and b_v = u_vᵀ (n·G) u_v; when d(d+1)/2 ≥ V
it generally has one non-negative solution: the bag of tokens of the training data (no order,
no text). We solve it with non-negative least squares and report how much of the true
histogram comes back, with and without `bazaar contribute --gram-noise σ`, against a baseline
an attacker has anyway: the base's own validation data's unigram distribution.

Run: python bench/gram_leak.py [--model DIR] [--ref main] [--data FILE]
(no --model: builds the tiny template in a temp folder first, ~15 s)
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np
import torch
from scipy.optimize import nnls

from modelbazaar import templates
from modelbazaar.model import load_version
from modelbazaar.store import Store
from modelbazaar.train.gram import MAX_GRAM_EXAMPLES, add_noise, gram_matrices
from modelbazaar.train.lora import encode, load_examples
from modelbazaar.workflows.build import build

LAYER0 = "model.layers.0.self_attn.q_proj"
NOISE = (0.0, 0.001, 0.01, 0.1, 1.0)


def total_variation(p: np.ndarray, q: np.ndarray) -> float:
    """Half the L1 distance of two histograms, each normalised: 0 identical, 1 disjoint."""
    return float(0.5 * np.abs(p / p.sum() - q / q.sum()).sum())


@torch.no_grad()
def token_vectors(model) -> torch.Tensor:
    """u_v = RMSNorm(embedding(v)) for every vocabulary entry: known to anyone with the base."""
    ids = torch.arange(model.config.vocab_size)
    return model.model.layers[0].input_layernorm(model.model.embed_tokens(ids)).double()


def recover(gram: torch.Tensor, tokens: int, u: torch.Tensor) -> np.ndarray:
    """Non-negative token counts c with Σ c_v u_v u_vᵀ closest to tokens × gram."""
    k = (u @ u.T) ** 2
    b = ((u @ (tokens * gram)) * u).sum(1)
    counts, _ = nnls(k.numpy(), b.numpy(), maxiter=50 * len(b))
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="a built model source (default: tiny)")
    parser.add_argument("--ref", default="main")
    parser.add_argument("--data", type=Path, help="the contributor's data (default: gsm8k)")
    args = parser.parse_args()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        model_dir = args.model or templates.create(Path(tmp) / "tiny", "tiny")
        if args.model is None:
            build(model_dir, show_progress=False)
        loaded = load_version(Store.for_model(model_dir), args.ref)
        data = args.data or model_dir / "contributions" / "gsm8k" / "train.jsonl"
        prior_text = (model_dir / "data" / "tinyshakespeare" / "validation.txt").read_text()
    model, tok = loaded.model, loaded.tokenizer
    max_len = min(128, model.config.max_position_embeddings)
    rows = encode(tok, load_examples(data), max_len)[:MAX_GRAM_EXAMPLES]
    grams, tokens, _ = gram_matrices(model, rows, tok.pad_token_id, [LAYER0])
    vocab, width = model.config.vocab_size, model.config.hidden_size
    truth = np.zeros(vocab)
    for ids, _ in rows:
        np.add.at(truth, ids, 1)
    prior = np.ones(vocab)  # add-one smoothed unigram counts of the base's own validation text
    for token, count in Counter(tok(prior_text)["input_ids"]).items():
        prior[token] += count
    u = token_vectors(model)
    print(
        f"base {loaded.record.short}: width d={width}, vocabulary V={vocab}, "
        f"d(d+1)/2 = {width * (width + 1) // 2} equations; data {data.name}: {tokens:,} tokens, "
        f"{int((truth > 0).sum())} distinct"
    )
    baseline = total_variation(truth, prior)
    print(f"baseline (base's validation unigrams): total variation {baseline:.3f}")
    print(f"{'noise σ':>8}{'TV distance':>13}{'exact counts':>14}{'top-20 found':>14}")
    top = set(np.argsort(-truth)[:20])
    generator = torch.Generator().manual_seed(0)
    for sigma in NOISE:
        gram = add_noise(grams[LAYER0], sigma, generator)
        counts = recover(gram, tokens, u)
        exact = float((np.rint(counts) == truth)[truth > 0].mean())
        found = len(top & set(np.argsort(-counts)[:20])) / 20
        tv = total_variation(truth, counts + 1e-12)
        print(f"{sigma:>8}{tv:>13.3f}{exact:>14.0%}{found:>14.0%}")
    print(f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
