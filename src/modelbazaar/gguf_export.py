"""`bazaar export --gguf`: one GGUF file that llama.cpp, Ollama and transformers can load.

Written with the `gguf` package's own writer and tensor-name map, the way llama.cpp's
`convert_hf_to_gguf.py` lays out a Llama with a byte-level BPE vocabulary:
- hyperparameters under `llama.*` (context, width, blocks, heads, RoPE base, RMS-norm epsilon);
- the tokenizer as `tokenizer.ggml.*`: model `gpt2` (byte-level BPE), tokens, token types
  (special tokens are CONTROL), merges, and the bos/eos/pad ids;
- tensors renamed (`model.layers.0.self_attn.q_proj.weight` -> `blk.0.attn_q.weight`), with the
  rows of q and k permuted into llama.cpp's rotary layout (transformers' GGUF loader undoes it).
1-D tensors (norms) stay f32 in every dtype, as llama.cpp expects.

Example::

    write_gguf(store, "main", Path("model.gguf"), dtype="q8_0")   # ~1/4 of the f32 size
    AutoModelForCausalLM.from_pretrained(".", gguf_file="model.gguf")  # loads back
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

import gguf
import numpy as np
import torch
from safetensors.torch import load as load_safetensors
from transformers import LlamaConfig

from modelbazaar.errors import BazaarError
from modelbazaar.model import config_from_bytes
from modelbazaar.store import Store, VersionRecord

GgufDtype = Literal["f32", "f16", "q8_0"]
FILE_TYPES = {  # llama.cpp's general.file_type: "mostly" this type
    "f32": gguf.LlamaFileType.ALL_F32,
    "f16": gguf.LlamaFileType.MOSTLY_F16,
    "q8_0": gguf.LlamaFileType.MOSTLY_Q8_0,
}
CONTROL, NORMAL = gguf.TokenType.CONTROL, gguf.TokenType.NORMAL


def rotary_permute(weight: np.ndarray, n_head: int) -> np.ndarray:
    """HF q/k rows (first half, second half of each head) -> llama.cpp's interleaved pairs.

    Example: one head of 4 rows [a, b, c, d] -> [a, c, b, d].
    """
    rows = weight.shape[0] // n_head // 2  # half a head's rows
    return weight.reshape(n_head, 2, rows, *weight.shape[1:]).swapaxes(1, 2).reshape(weight.shape)


def write_gguf(store: Store, ref: str, out: Path, dtype: GgufDtype = "f32") -> VersionRecord:
    """Write version ``ref`` as the GGUF file ``out`` in ``dtype``; return the version."""
    if dtype not in FILE_TYPES:
        raise BazaarError(f"--dtype {dtype!r}: choose one of {', '.join(FILE_TYPES)}")
    record = store.version(ref)
    config = config_from_bytes(store.objects.get_bytes(record.config))
    if config.model_type != "llama":
        raise BazaarError(f"version {record.short} is a {config.model_type}; GGUF export is Llama")
    tokenizer = json.loads(store.objects.get_bytes(record.tokenizer))
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")  # renamed when complete: no torn files
    writer = gguf.GGUFWriter(str(partial), "llama")
    _write_hyperparameters(writer, config, record, dtype)
    _write_tokenizer(writer, tokenizer, config)
    tensors = load_safetensors(store.objects.get_bytes(record.weights))
    _write_tensors(writer, tensors, config, dtype)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    partial.replace(out)
    return record


def _write_hyperparameters(
    writer: gguf.GGUFWriter, config, record: VersionRecord, dtype: str
) -> None:
    head_dim = getattr(config, "head_dim", None) or config.hidden_size // config.num_attention_heads
    rope = (getattr(config, "rope_parameters", None) or {}).get("rope_theta") or getattr(
        config, "rope_theta", 10000.0
    )
    writer.add_name(str(record.info.get("name") or record.short))
    writer.add_context_length(config.max_position_embeddings)
    writer.add_embedding_length(config.hidden_size)
    writer.add_block_count(config.num_hidden_layers)
    writer.add_feed_forward_length(config.intermediate_size)
    writer.add_head_count(config.num_attention_heads)
    writer.add_head_count_kv(config.num_key_value_heads)
    writer.add_rope_dimension_count(head_dim)
    writer.add_rope_freq_base(float(rope))
    writer.add_layer_norm_rms_eps(float(config.rms_norm_eps))
    writer.add_vocab_size(config.vocab_size)
    writer.add_file_type(FILE_TYPES[dtype])


def _write_tokenizer(writer: gguf.GGUFWriter, tokenizer: dict, config: LlamaConfig) -> None:
    """Byte-level BPE from tokenizer.json: vocabulary in id order, merges, special ids."""
    model = tokenizer["model"]
    if model.get("type") != "BPE":
        raise BazaarError(f"GGUF export needs a BPE tokenizer, this one is {model.get('type')}")
    vocab: dict[str, int] = dict(model["vocab"])
    special = {t["content"]: t["id"] for t in tokenizer.get("added_tokens", [])}
    vocab |= special
    by_id = sorted(vocab.items(), key=lambda item: item[1])
    if [i for _, i in by_id] != list(range(len(by_id))):
        raise BazaarError("the tokenizer's ids have gaps; GGUF needs one token per id")
    merges = [m if isinstance(m, str) else " ".join(m) for m in model.get("merges", [])]
    writer.add_tokenizer_model("gpt2")  # llama.cpp's name for byte-level BPE
    writer.add_tokenizer_pre("gpt2")  # GPT-2's split regex, as the ByteLevel pre-tokenizer uses
    writer.add_token_list([token for token, _ in by_id])
    writer.add_token_types([CONTROL if token in special else NORMAL for token, _ in by_id])
    writer.add_token_merges(merges)
    for setter, token_id in (
        (writer.add_bos_token_id, config.bos_token_id),
        (writer.add_eos_token_id, config.eos_token_id),
        (writer.add_pad_token_id, config.pad_token_id),
    ):
        if token_id is not None:
            setter(int(token_id))
    writer.add_add_bos_token(False)  # the model was trained without a BOS in front


def _write_tensors(
    writer: gguf.GGUFWriter, tensors: dict[str, torch.Tensor], config: LlamaConfig, dtype: str
) -> None:
    names = gguf.get_tensor_name_map(gguf.MODEL_ARCH.LLAMA, config.num_hidden_layers)
    for hf_name in sorted(tensors):
        if config.tie_word_embeddings and hf_name == "lm_head.weight":
            continue  # llama.cpp reuses token_embd for a tied head
        name = names.get_name(hf_name, try_suffixes=(".weight", ".bias"))
        if name is None:
            raise BazaarError(f"no GGUF name for tensor {hf_name}; is this a plain Llama?")
        data = tensors[hf_name].float().numpy()
        if hf_name.endswith("q_proj.weight"):
            data = rotary_permute(data, config.num_attention_heads)
        elif hf_name.endswith("k_proj.weight"):
            data = rotary_permute(data, config.num_key_value_heads)
        if data.ndim == 1 or dtype == "f32":
            writer.add_tensor(name, data.astype(np.float32))
        elif dtype == "f16":
            writer.add_tensor(name, data.astype(np.float16))
        else:
            quant = gguf.GGMLQuantizationType.Q8_0
            packed = gguf.quants.quantize(data.astype(np.float32), quant)
            writer.add_tensor(name, packed, raw_shape=packed.shape, raw_dtype=quant)
