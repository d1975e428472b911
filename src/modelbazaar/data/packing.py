"""Tokenize data files into one token stream per split and sample training windows from it.

Windows are drawn at offsets that depend only on (seed, step), so a resumed run sees exactly
the batches an uninterrupted run would, with no sampler state to checkpoint.
"""

from pathlib import Path

import torch
from tokenizers import Tokenizer

from modelbazaar.data.tokenizer import EOS, lines


def tokenize_files(tokenizer: Tokenizer, files: list[Path]) -> torch.Tensor:
    """One int32 stream: each file's tokens followed by the end-of-text token."""
    eos = tokenizer.token_to_id(EOS)
    ids: list[int] = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        for encoding in tokenizer.encode_batch(list(lines(text)), add_special_tokens=False):
            ids.extend(encoding.ids)
        ids.append(eos)
    return torch.tensor(ids, dtype=torch.int32)


def train_batch(
    stream: torch.Tensor, seq_len: int, batch: int, seed: int, step: int
) -> torch.Tensor:
    """A (batch, seq_len + 1) window of `stream` for `step`; inputs are [:, :-1], labels [:, 1:]."""
    if stream.numel() <= seq_len + 1:
        raise ValueError(f"the training split has {stream.numel()} tokens; need > {seq_len + 1}")
    generator = torch.Generator().manual_seed(seed * 1_000_003 + step)  # one stream per step
    starts = torch.randint(0, stream.numel() - seq_len - 1, (batch,), generator=generator)
    return torch.stack([stream[s : s + seq_len + 1] for s in starts.tolist()]).long()


def eval_batches(stream: torch.Tensor, seq_len: int, batch: int, count: int) -> list[torch.Tensor]:
    """Fixed, non-overlapping windows from the start of the validation stream."""
    windows = (stream.numel() - 1) // seq_len
    usable = min(windows, batch * count)
    chunks = [stream[i * seq_len : i * seq_len + seq_len + 1] for i in range(usable)]
    chunks = [c for c in chunks if c.numel() == seq_len + 1]
    return [torch.stack(chunks[i : i + batch]).long() for i in range(0, len(chunks), batch)]
