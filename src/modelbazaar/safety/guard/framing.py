"""How a guard turns a text into token windows: the text's tokens between a fixed prefix and
suffix, cut into windows of at most `max_length` tokens.

A BERT backbone frames each window as ``[CLS] … [SEP]``; a causal-LM backbone as a question
about the message (``backbones.FRAME``), tokenised once. Training reads a text's first window
(the build's `seq_len` truncation); `Guard.check` reads every window, so a long text cannot
hide a request after the first one. Example (BERT, max_length 5): "a b c d" ->
[[CLS, a, b, c, SEP], [CLS, d, SEP]].
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from tokenizers import Tokenizer


@dataclass(frozen=True)
class Framing:
    tokenizer: Tokenizer  # no truncation, no padding, special tokens added by the frame only
    prefix: tuple[int, ...]
    suffix: tuple[int, ...]
    max_length: int

    @property
    def body(self) -> int:
        return self.max_length - len(self.prefix) - len(self.suffix)

    def token_ids(self, texts: list[str]) -> list[list[int]]:
        return [e.ids for e in self.tokenizer.encode_batch(texts, add_special_tokens=False)]

    def windows(self, ids: list[int]) -> list[list[int]]:
        """Every window of a text's token ids (one, framed, for an empty text)."""
        return [
            [*self.prefix, *ids[first : first + self.body], *self.suffix]
            for first in range(0, max(len(ids), 1), self.body)
        ]

    def pieces(self, texts: list[str]) -> list[tuple[list[list[int]], list[str]]]:
        """Per text, its windows and the text each window covers (the whole text when it has
        one window; else the characters of its tokens, by the tokenizer's offsets)."""
        out = []
        for text, encoding in zip(
            texts, self.tokenizer.encode_batch(texts, add_special_tokens=False), strict=True
        ):
            windows = self.windows(encoding.ids)
            if len(windows) == 1:
                out.append((windows, [text]))
                continue
            spans = encoding.offsets
            starts = range(0, len(spans), self.body)
            parts = [
                text[spans[a][0] : spans[min(a + self.body, len(spans)) - 1][1]] for a in starts
            ]
            out.append((windows, parts))
        return out

    def first_windows(self, texts: list[str]) -> list[list[int]]:
        """The first window of each text: what training reads."""
        return [self.windows(ids)[0] for ids in self.token_ids(texts)]


def framing_of(tokenizer_text: str, max_length: int, frame: tuple[str, str] | None) -> Framing:
    """The framing of a guard: its tokenizer.json, window length and frame (None: [CLS]/[SEP])."""
    tokenizer = Tokenizer.from_str(tokenizer_text)
    tokenizer.no_truncation()
    tokenizer.no_padding()
    if frame is None:
        cls, sep = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
        if cls is None or sep is None:
            raise ValueError("the tokenizer has no [CLS]/[SEP] tokens and the guard no frame")
        return Framing(tokenizer, (cls,), (sep,), max_length)
    before, after = (tokenizer.encode(part, add_special_tokens=False).ids for part in frame)
    if len(before) + len(after) >= max_length:
        raise ValueError(f"the frame takes {len(before) + len(after)} of {max_length} tokens")
    return Framing(tokenizer, tuple(before), tuple(after), max_length)


def padded(windows: list[list[int]]) -> tuple[torch.Tensor, torch.Tensor]:
    """Token ids and attention mask [batch, longest], padded on the right with id 0 (masked;
    a causal model's real tokens never see it either). padded([[5, 6], [7]]) -> ([[5, 6],
    [7, 0]], [[1, 1], [1, 0]])."""
    width = max(len(w) for w in windows)
    ids = torch.zeros(len(windows), width, dtype=torch.long)
    mask = torch.zeros(len(windows), width, dtype=torch.long)
    for row, window in enumerate(windows):
        ids[row, : len(window)] = torch.tensor(window)
        mask[row, : len(window)] = 1
    return ids, mask
