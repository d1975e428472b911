"""Batched greedy generation with left padding (shared by the generation and safety kinds).

Left padding puts every prompt's last token in the last column, so one `generate` call continues
all rows; `generate` derives position ids from the attention mask, so padding changes nothing.
Example: greedy(model, tok, ["Q: 1+1?\\nA:"], max_new_tokens=8, stop=["\\n"]) -> [" 2"].
"""

from collections.abc import Callable, Sequence

import torch


def render(tokenizer, prompt: str, chat: bool) -> str:
    """The prompt as the model should see it: through its chat template when asked and present."""
    if chat and getattr(tokenizer, "chat_template", None):
        messages = [{"role": "user", "content": prompt}]
        return tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    return prompt


def cut(text: str, stop: Sequence[str]) -> str:
    """Text up to the first stop string. Example: cut("12\\n\\nQ:", ["\\n\\n"]) -> "12"."""
    ends = [text.find(s) for s in stop if s and s in text]
    return text[: min(ends)] if ends else text


@torch.inference_mode()
def greedy(
    model: torch.nn.Module,
    tokenizer,
    prompts: Sequence[str],
    max_new_tokens: int,
    stop: Sequence[str] = (),
    batch_size: int = 16,
    on_batch: Callable[[int], None] | None = None,
) -> list[str]:
    """Greedy continuations of `prompts` (in input order), cut at the first stop string."""
    order = sorted(range(len(prompts)), key=lambda i: -len(prompts[i]))  # similar lengths batch
    outputs = [""] * len(prompts)
    side = tokenizer.padding_side
    tokenizer.padding_side = "left"
    try:
        max_len = model.config.max_position_embeddings
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            enc = tokenizer(
                [prompts[i] for i in chunk],
                return_tensors="pt",
                padding=True,
                add_special_tokens=False,
            )
            keep = max(1, max_len - max_new_tokens)  # room for the answer inside the context
            ids, mask = enc["input_ids"][:, -keep:], enc["attention_mask"][:, -keep:]
            new = model.generate(
                input_ids=ids,
                attention_mask=mask,
                do_sample=False,
                max_new_tokens=min(max_new_tokens, max_len - ids.shape[1]),
                pad_token_id=tokenizer.pad_token_id,
                eos_token_id=tokenizer.eos_token_id,
            )[:, ids.shape[1] :]  # B, new tokens
            for row, i in enumerate(chunk):
                outputs[i] = cut(tokenizer.decode(new[row], skip_special_tokens=True), stop)
            if on_batch:
                on_batch(len(chunk))
    finally:
        tokenizer.padding_side = side
    return outputs
