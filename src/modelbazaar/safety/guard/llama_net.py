"""The guard network on a causal-LM backbone: the lower layers of a Llama model, pooled, and a
linear head of 15 outputs (column 0 "unsafe", then S1..S14), with the same interface as the
BERT `GuardNet` (`lower`, `forward_from`, `blocks`), so training and checking do not care which.

Pooling concatenates the mean of the real tokens' states and the state of the last real token
(the frame's "Answer:"): on the validation split the pair beat either alone (bench/
guard_backbones.py). A causal LM's hidden states have a few dimensions thousands of times
larger than the rest, so the pooled features are standardised with a per-feature mean and
standard deviation measured on the training rows before the head trains (buffers, saved with
the weights). Padding is on the right: under the causal mask a real token never sees it.

Example:
    >>> net = LlamaGuardNet(LlamaConfig(hidden_size=32, intermediate_size=64, vocab_size=100,
    ...                     num_hidden_layers=2, num_attention_heads=2, num_key_value_heads=1))
    >>> net(torch.tensor([[1, 5, 2]]), torch.tensor([[1, 1, 1]])).shape
    torch.Size([1, 15])
"""

from __future__ import annotations

import torch
from torch import nn
from transformers import LlamaConfig, LlamaModel
from transformers.masking_utils import create_causal_mask

from modelbazaar.safety.guard.taxonomy import OUTPUTS


class LlamaGuardNet(nn.Module):
    def __init__(self, config: LlamaConfig) -> None:
        super().__init__()
        self.encoder = LlamaModel(config)
        width = 2 * config.hidden_size
        self.register_buffer("feature_mean", torch.zeros(width))
        self.register_buffer("feature_std", torch.ones(width))
        self.head = nn.Linear(width, len(OUTPUTS))

    @property
    def blocks(self) -> nn.ModuleList:
        return self.encoder.layers

    def lower(self, ids: torch.Tensor, mask: torch.Tensor, layers: int) -> torch.Tensor:
        """Hidden states after the embeddings and the first `layers` decoder layers."""
        return self._layers(self.encoder.embed_tokens(ids), mask, range(layers))

    def pooled(self, hidden: torch.Tensor, mask: torch.Tensor, start: int) -> torch.Tensor:
        """[batch, 2 * width]: mean and last real token of the states after every layer, from
        the states entering layer `start`; not yet standardised."""
        hidden = self._layers(hidden, mask, range(start, len(self.blocks)))
        weights = mask.unsqueeze(-1).to(hidden.dtype)
        mean = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1.0)
        last = hidden[torch.arange(len(hidden)), mask.sum(1).clamp(min=1) - 1]
        return torch.cat([mean, last], dim=-1)

    def standardise(self, pooled: torch.Tensor) -> None:
        """Fix the features' mean and spread from the training rows' pooled features."""
        values = pooled.to(torch.float64)
        self.feature_mean.copy_(values.mean(0).to(torch.float32))
        self.feature_std.copy_(values.std(0).clamp(min=1e-6).to(torch.float32))

    def head_input(self, pooled: torch.Tensor) -> torch.Tensor:
        return (pooled - self.feature_mean) / self.feature_std

    def forward_from(self, hidden: torch.Tensor, mask: torch.Tensor, start: int) -> torch.Tensor:
        """Logits [batch, 15] from the hidden states entering layer `start`."""
        return self.head(self.head_input(self.pooled(hidden, mask, start)))

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return self.forward_from(self.lower(ids, mask, 0), mask, 0)

    def _layers(self, hidden: torch.Tensor, mask: torch.Tensor, which: range) -> torch.Tensor:
        if len(which) == 0:
            return hidden
        positions = torch.arange(hidden.shape[1]).unsqueeze(0)
        causal = create_causal_mask(
            config=self.encoder.config,
            inputs_embeds=hidden,
            attention_mask=mask,
            cache=None,
            position_ids=positions,
        )
        rotary = self.encoder.rotary_emb(hidden, position_ids=positions)
        for index in which:
            hidden = self.blocks[index](
                hidden, attention_mask=causal, position_embeddings=rotary, position_ids=positions
            )
        return hidden
