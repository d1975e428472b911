"""Sample model outputs for a release: a few prompts, seeded sampling, written as Markdown.

Seeded, so the same version always gives the same samples on the same machine.
Example: `write_samples(store, "main", Path("samples.md"))` -> parameter count; the file holds
"## ROMEO:" followed by the continuation.
"""

from __future__ import annotations

from pathlib import Path

from modelbazaar.generate import generate_text
from modelbazaar.model import load_version, parameter_count
from modelbazaar.store import Store

PROMPTS = ("ROMEO:", "The king", "Once upon a time")
CHAT_PROMPTS = ("What is the capital of France?", "Write a haiku about the sea.")


def write_samples(store: Store, ref: str, path: Path, max_new_tokens: int = 48) -> int:
    """Write samples for `ref` to `path`; returns the model's parameter count."""
    loaded = load_version(store, ref)
    chat = bool(loaded.tokenizer.chat_template)
    lines = [
        "# Sample model outputs",
        "",
        f"Version `{loaded.record.hash}`; temperature 0.8, top-p 0.95, seed 0, "
        f"at most {max_new_tokens} new tokens; {'chat template' if chat else 'plain prompts'}.",
        "",
    ]
    for prompt in CHAT_PROMPTS if chat else PROMPTS:
        text = generate_text(loaded, prompt, max_new_tokens=max_new_tokens, seed=0)
        lines += [f"## {prompt}", "", "```text", prompt + text, "```", ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return parameter_count(loaded.model)
