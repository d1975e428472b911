"""Next tokens for a batch of rows, each with its own temperature, top-p and random stream.

Temperature 0 is greedy (argmax, as transformers' `generate(do_sample=False)`). Otherwise, as in
transformers: logits divided by the temperature, then top-p (TopPLogitsWarper's rule: drop the
least likely tokens whose cumulative probability stays within 1 - top_p; the most likely token
always stays), then one draw from the softmax. The draw is torch.multinomial's own one-sample
algorithm (argmax of p / E with E ~ Exp(1) drawn from the generator), written out so that the
division and argmax run once for the whole batch while each row's noise comes from its own
`torch.Generator`: a request's `seed` decides its samples whatever else is in the batch, and
they are the samples `bazaar generate --seed` draws (a test checks it).
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


def top_p_filter(logits: torch.Tensor, top_p: torch.Tensor) -> torch.Tensor:
    """`logits` [rows, vocab] with the tokens outside each row's top-p nucleus set to -inf
    (`top_p` [rows, 1]; transformers' TopPLogitsWarper)."""
    ordered, order = torch.sort(logits, descending=False)
    cumulative = ordered.softmax(dim=-1).cumsum(dim=-1)
    drop = cumulative <= (1 - top_p)
    drop[:, -1] = False  # keep at least the most likely token
    return logits.masked_fill(drop.scatter(1, order, drop), float("-inf"))


def next_tokens(
    logits: torch.Tensor, settings: list[Sampling], generators: list[torch.Generator]
) -> list[int]:
    """One token per row of `logits` [rows, vocab]."""
    chosen = logits.argmax(dim=-1)
    rows = [i for i, sampling in enumerate(settings) if not sampling.greedy]
    if not rows:
        return chosen.tolist()
    index = torch.tensor(rows)
    temperature = torch.tensor([[settings[i].temperature] for i in rows])
    scaled = logits.index_select(0, index).float() / temperature
    top_p = torch.tensor([[settings[i].top_p] for i in rows])
    if bool((top_p < 1).any()):
        scaled = top_p_filter(scaled, top_p)
    probabilities = scaled.softmax(dim=-1)
    noise = torch.empty_like(probabilities)
    for row, i in enumerate(rows):
        noise[row].exponential_(1, generator=generators[i])
    chosen[index] = (probabilities / noise).argmax(dim=-1)
    return chosen.tolist()
