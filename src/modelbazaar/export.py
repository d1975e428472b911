"""`bazaar export`: write a version as a Hugging Face folder that loads without remote code.

OUT/config.json  model.safetensors  generation_config.json
    tokenizer.json  tokenizer_config.json  special_tokens_map.json (as transformers writes)
"""

from pathlib import Path

from safetensors.torch import load as load_safetensors
from safetensors.torch import save as save_safetensors
from transformers import GenerationConfig

from modelbazaar.model import config_from_bytes, load_tokenizer
from modelbazaar.store import Store, VersionRecord


def export(store: Store, ref: str, out: Path) -> VersionRecord:
    """Write version `ref` to `out` (created; existing model files are replaced)."""
    record = store.version(ref)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    config = config_from_bytes(store.objects.get_bytes(record.config))
    config.architectures = ["LlamaForCausalLM"]
    config.save_pretrained(out)
    GenerationConfig.from_model_config(config).save_pretrained(out)
    tensors = load_safetensors(store.objects.get_bytes(record.weights))
    # transformers reads the "format" metadata to know these are PyTorch tensors
    (out / "model.safetensors").write_bytes(save_safetensors(tensors, metadata={"format": "pt"}))
    load_tokenizer(store, record).save_pretrained(out)
    return record
