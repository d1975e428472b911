"""Build, save and load the transformers Llama model of a version.

A version's weights are one safetensors object (never pickle), its config the canonical JSON of
`LlamaConfig.to_dict()` without the transformers version (so upgrading transformers does not
rename every model), and its tokenizer the `tokenizer.json` text.
"""

import json
from dataclasses import dataclass
from typing import Any

import torch
from safetensors.torch import load as load_safetensors
from safetensors.torch import save as save_safetensors
from transformers import (
    AutoConfig,
    LlamaConfig,
    LlamaForCausalLM,
    PreTrainedModel,
    PreTrainedTokenizerBase,
    PreTrainedTokenizerFast,
)

from modelbazaar.data.tokenizer import EOS, PAD, wrap
from modelbazaar.errors import StoreError, TrainingError
from modelbazaar.recipe import ModelConfig
from modelbazaar.store import Store, VersionRecord
from modelbazaar.store.catalogue import canonical_json

VOLATILE_CONFIG_KEYS = ("transformers_version", "_name_or_path", "torch_dtype", "dtype")


def llama_config(spec: ModelConfig, vocab_size: int, eos_id: int, pad_id: int) -> LlamaConfig:
    """The LlamaConfig a recipe describes."""
    intermediate = spec.intermediate_size or 16 * -(-(8 * spec.hidden_size // 3) // 16)
    return LlamaConfig(
        vocab_size=vocab_size,
        hidden_size=spec.hidden_size,
        intermediate_size=intermediate,  # SwiGLU: 8/3 * hidden keeps the MLP's params at 8 h^2
        num_hidden_layers=spec.num_layers,
        num_attention_heads=spec.num_heads,
        num_key_value_heads=spec.num_kv_heads or spec.num_heads,
        max_position_embeddings=spec.max_position_embeddings,
        rope_theta=spec.rope_theta,
        tie_word_embeddings=spec.tie_embeddings,
        bos_token_id=eos_id,
        eos_token_id=eos_id,
        pad_token_id=pad_id,
    )


def new_model(config: LlamaConfig, seed: int) -> LlamaForCausalLM:
    """A freshly initialised model; the same seed gives the same weights."""
    torch.manual_seed(seed)
    model = LlamaForCausalLM(config)
    model.generation_config.pad_token_id = config.pad_token_id
    return model


def config_bytes(config: Any) -> bytes:
    data = {k: v for k, v in config.to_dict().items() if k not in VOLATILE_CONFIG_KEYS}
    return canonical_json(data).encode()


def weights_bytes(model: torch.nn.Module) -> bytes:
    """safetensors bytes of the state dict (tied weights stored once, contiguous fp32)."""
    seen: set[int] = set()
    tensors: dict[str, torch.Tensor] = {}
    for name, tensor in model.state_dict().items():
        if tensor.data_ptr() in seen:  # tied embedding: transformers re-ties it on load
            continue
        seen.add(tensor.data_ptr())
        tensors[name] = tensor.detach().to(torch.float32).contiguous()
    return save_safetensors(tensors)


def check_finite_weights(model: torch.nn.Module) -> None:
    """Refuse to go on with a model holding a NaN or infinite weight; name the tensors.

    Example: after lr = 1e6 -> TrainingError "... 14 of 21 tensors hold NaN/inf: model.embed…"
    """
    bad = [name for name, p in model.state_dict().items() if not torch.isfinite(p).all()]
    if bad:
        total = len(model.state_dict())
        raise TrainingError(
            f"{len(bad)} of {total} weight tensors hold NaN or infinite values "
            f"({', '.join(bad[:3])}{', …' if len(bad) > 3 else ''}); no version is recorded. "
            "Training diverged: lower [train] lr or grad_clip"
        )


def parameter_count(model_or_config: torch.nn.Module | LlamaConfig) -> int:
    """Parameters of a model, or of the model a config describes (built on the meta device,
    so counting a cached build's model costs no memory and no initialisation)."""
    model = model_or_config
    if not isinstance(model, torch.nn.Module):
        with torch.device("meta"):
            model = LlamaForCausalLM(model_or_config)
    return sum(p.numel() for p in model.parameters())


@dataclass
class LoadedModel:
    """A version ready to run: the model in eval mode, its tokenizer, its record."""

    model: PreTrainedModel
    tokenizer: PreTrainedTokenizerFast
    record: VersionRecord


def config_from_bytes(data: bytes) -> Any:
    config_dict = json.loads(data)
    model_type = config_dict.pop("model_type", "llama")
    return AutoConfig.for_model(model_type, **config_dict)


def load_tokenizer(store: Store, record: VersionRecord) -> PreTrainedTokenizerFast:
    text = store.objects.get_bytes(record.tokenizer).decode("utf-8")
    tokenizer = wrap(text, record.info.get("chat_template"))
    special = record.info.get("special_tokens")
    if special:  # imported models keep their own special tokens
        tokenizer.bos_token = special.get("bos")
        tokenizer.eos_token = special.get("eos")
        tokenizer.pad_token = special.get("pad") or special.get("eos")
    else:
        tokenizer.eos_token, tokenizer.pad_token = EOS, PAD
    return tokenizer


def pad_id_of(tokenizer: PreTrainedTokenizerBase) -> int:
    """The id batches are padded with: the tokenizer's pad token, else its end of sequence
    (an id of 0 is a real id, so this tests for None rather than falsiness)."""
    pad = tokenizer.pad_token_id
    return pad if pad is not None else tokenizer.eos_token_id


def load_version(store: Store, ref: str) -> LoadedModel:
    """Load a stored version (any ref, hash or prefix) as a transformers model + tokenizer."""
    record = store.version(ref)
    config = config_from_bytes(store.objects.get_bytes(record.config))
    model = LlamaForCausalLM(config)
    state = load_safetensors(store.objects.get_bytes(record.weights))
    result = model.load_state_dict(state, strict=False)
    missing = [
        k for k in result.missing_keys if not (config.tie_word_embeddings and "lm_head" in k)
    ]
    if missing or result.unexpected_keys:
        raise StoreError(
            f"version {record.short}: weights do not fit its config "
            f"(missing {missing[:3]}, unexpected {result.unexpected_keys[:3]})"
        )
    model.tie_weights()
    model.eval()
    return LoadedModel(model=model, tokenizer=load_tokenizer(store, record), record=record)
