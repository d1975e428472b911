"""The sequences decoding together and their KV cache: one tensor per layer, left-padded.

Continuous batching needs sequences of different lengths, which joined at different times, to
share one forward pass. Two layouts were measured (``bench/serve_cache_layout.py``):

- one cache per sequence, padded and stacked before every step and split after it: every step
  copies every sequence's whole cache twice;
- one shared cache ``[batch, heads, T, head_dim]`` per layer, each row right-aligned (left
  padding), with a 0/1 attention mask over the T columns and per-row position ids. A step appends
  one column (transformers' ``DynamicCache.update``); the cache is copied only when sequences join
  (left-pad to a common length, concatenate) or leave (select rows, then drop leading columns that
  every row masks).

The second is what this module does; the bench prints the ratio between the two.
"""

from __future__ import annotations

from collections.abc import Sequence as Seq

import torch
from transformers import DynamicCache


def left_pad(tensor: torch.Tensor, length: int, dim: int, value: int = 0) -> torch.Tensor:
    """`tensor` padded on the left along `dim` to `length` (a no-op when already that long).

    Example: left_pad(torch.tensor([[5, 6]]), 4, 1) -> [[0, 0, 5, 6]].
    """
    missing = length - tensor.shape[dim]
    if missing <= 0:
        return tensor
    shape = list(tensor.shape)
    shape[dim] = missing
    return torch.cat([tensor.new_full(shape, value), tensor], dim=dim)


def padded_prompts(prompts: Seq[Seq[int]], pad_id: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Token ids [b, T] (left-padded with `pad_id`) and their 0/1 mask, for a prefill pass."""
    length = max(len(p) for p in prompts)
    ids = torch.full((len(prompts), length), pad_id, dtype=torch.long)
    mask = torch.zeros((len(prompts), length), dtype=torch.long)
    for row, prompt in enumerate(prompts):
        ids[row, length - len(prompt) :] = torch.tensor(prompt, dtype=torch.long)
        mask[row, length - len(prompt) :] = 1
    return ids, mask


def prefill_positions(mask: torch.Tensor) -> torch.Tensor:
    """Position ids of a left-padded prompt batch: 0, 1, ... from each row's first real token
    (padding gets 0; it is masked anyway), as transformers' `generate` numbers them."""
    return (mask.cumsum(dim=1) - 1).clamp(min=0)


class PaddedBatch:
    """Rows decoding together. `rows[i]` is the caller's object for row i (a scheduler sequence);
    `cache` holds their keys and values, `mask` marks the real columns, `last` the token each row
    feeds next."""

    def __init__(self) -> None:
        self.rows: list[object] = []
        self.cache: DynamicCache | None = None
        self.mask = torch.zeros((0, 0), dtype=torch.long)
        self.last = torch.zeros(0, dtype=torch.long)

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def width(self) -> int:
        """Columns of the cache (the longest row; the others are padded to it)."""
        return int(self.mask.shape[1])

    def add(
        self, rows: list[object], cache: DynamicCache, mask: torch.Tensor, last: torch.Tensor
    ) -> None:
        """Join freshly prefilled rows (their own cache and mask) to the batch."""
        if self.cache is None or not self.rows:
            self.rows, self.cache, self.mask, self.last = list(rows), cache, mask, last
            return
        width = max(self.width, int(mask.shape[1]))
        for mine, theirs in zip(self.cache.layers, cache.layers, strict=True):
            mine.keys = torch.cat([left_pad(mine.keys, width, 2), left_pad(theirs.keys, width, 2)])
            mine.values = torch.cat(
                [left_pad(mine.values, width, 2), left_pad(theirs.values, width, 2)]
            )
        self.mask = torch.cat([left_pad(self.mask, width, 1), left_pad(mask, width, 1)])
        self.last = torch.cat([self.last, last])
        self.rows.extend(rows)

    def keep(self, indices: list[int]) -> None:
        """Keep only these rows (in this order), then drop columns no remaining row uses."""
        if len(indices) == len(self.rows):
            return
        if not indices:
            self.__init__()  # type: ignore[misc]  # reset to empty
            return
        index = torch.tensor(indices, dtype=torch.long)
        self.rows = [self.rows[i] for i in indices]
        self.mask = self.mask.index_select(0, index)
        self.last = self.last.index_select(0, index)
        used = torch.nonzero(self.mask.any(dim=0))
        first = int(used[0]) if len(used) else 0
        self.mask = self.mask[:, first:]
        assert self.cache is not None
        for layer in self.cache.layers:
            layer.keys = layer.keys.index_select(0, index)[:, :, first:]
            layer.values = layer.values.index_select(0, index)[:, :, first:]

    def decode_inputs(self) -> dict[str, object]:
        """Keyword arguments for one decode forward: each row's last token at its next position,
        the mask extended by that column, and the shared cache."""
        positions = self.mask.sum(dim=1, keepdim=True)
        self.mask = torch.cat([self.mask, torch.ones((len(self.rows), 1), dtype=torch.long)], 1)
        return {
            "input_ids": self.last[:, None],
            "attention_mask": self.mask,
            "position_ids": positions,
            "cache": self.cache,
            "use_cache": True,
        }
