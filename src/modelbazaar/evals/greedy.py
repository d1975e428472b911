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


PADDED_TOKENS_PER_ROW = 256  # a batch holds at most batch_size x 256 padded prompt tokens


def token_budget_batches(lengths: Sequence[int], batch_size: int) -> list[list[int]]:
    """Indices in batches of similar length, longest first, within a padded-token budget.

    Left padding makes every row of a batch as long as its longest prompt, and each decoding
    step attends over that width: one 900-token jailbreak among fifteen 60-token prompts made
    SmolLM2's safety_smoke batch ~4x as costly. So a batch holds at most `batch_size` prompts
    and at most batch_size x 256 padded tokens (a prompt longer than that goes alone).
    Example: token_budget_batches([900, 60, 50, 40], 4) -> [[0], [1, 2, 3]] (budget 1024)
    """
    order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
    budget = batch_size * PADDED_TOKENS_PER_ROW
    batches: list[list[int]] = []
    for i in order:
        current = batches[-1] if batches else None
        # rows are longest first, so a batch's width is its first row's length
        if (
            current
            and len(current) < batch_size
            and (len(current) + 1) * lengths[current[0]] <= budget
        ):
            current.append(i)
        else:
            batches.append([i])
    return batches


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
    lengths = [len(tokenizer(p, add_special_tokens=False)["input_ids"]) for p in prompts]
    outputs = [""] * len(prompts)
    side = tokenizer.padding_side
    tokenizer.padding_side = "left"
    try:
        max_len = model.config.max_position_embeddings
        for chunk in token_budget_batches(lengths, batch_size):
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
