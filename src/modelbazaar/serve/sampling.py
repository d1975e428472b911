"""Next tokens for a batch of rows, each with its own temperature, top-p and random stream.

Temperature 0 is greedy (argmax, as transformers' `generate(do_sample=False)`). Otherwise the
logits are divided by the temperature, the smallest set of tokens whose probability reaches top_p
is kept (transformers' TopPLogitsWarper: the most likely token always stays), and one token is
drawn with the row's own `torch.Generator`, so a request's `seed` decides its samples whatever
else is in the batch.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch


@dataclass(frozen=True)
class Sampling:
    """What a request asks of the sampler. Example: Sampling(max_tokens=16, temperature=0)."""

    max_tokens: int
    temperature: float = 1.0
    top_p: float = 1.0
    seed: int | None = None

    @property
    def greedy(self) -> bool:
        return self.temperature <= 0.0


def generator_for(seed: int | None) -> torch.Generator:
    """A private random stream: seeded when the request gave a seed, else from the OS."""
    generator = torch.Generator()
    if seed is None:
        generator.seed()
    else:
        generator.manual_seed(seed)
    return generator


def top_p_filter(logits: torch.Tensor, top_p: float) -> torch.Tensor:
    """`logits` (1-D) with every token outside the top-p nucleus set to -inf."""
    if top_p >= 1.0:
        return logits
    ordered, order = torch.sort(logits, descending=True)
    cumulative = torch.softmax(ordered, dim=-1).cumsum(dim=-1)
    drop = cumulative - torch.softmax(ordered, dim=-1) >= top_p  # mass before this token
    drop[0] = False
    filtered = logits.clone()
    filtered[order[drop]] = float("-inf")
    return filtered


def next_tokens(
    logits: torch.Tensor, settings: list[Sampling], generators: list[torch.Generator]
) -> list[int]:
    """One token per row of `logits` [rows, vocab]. Greedy rows share one argmax."""
    chosen = logits.argmax(dim=-1).tolist()
    for row, (sampling, generator) in enumerate(zip(settings, generators, strict=True)):
        if sampling.greedy:
            continue
        scaled = top_p_filter(logits[row].float() / sampling.temperature, sampling.top_p)
        probabilities = torch.softmax(scaled, dim=-1)
        chosen[row] = int(torch.multinomial(probabilities, 1, generator=generator))
    return chosen
