"""Sampling text from a version: plain prompts, or chat prompts for models with a chat template."""

import torch

from modelbazaar.model import LoadedModel


def generate_text(
    loaded: LoadedModel,
    prompt: str,
    *,
    max_new_tokens: int = 200,
    temperature: float = 0.8,
    top_p: float = 0.95,
    seed: int = 0,
    chat: bool | None = None,
    streamer: object | None = None,
) -> str:
    """The continuation of `prompt` (only the new text). temperature 0 means greedy.

    chat=None uses the chat template when the version has one (imported instruct models).
    `streamer` (a transformers streamer, e.g. TextIteratorStreamer) receives the tokens as they
    are generated: the hub's chat page streams them to the browser.
    """
    tokenizer, model = loaded.tokenizer, loaded.model
    use_chat = bool(tokenizer.chat_template) if chat is None else chat
    if use_chat:
        text = tokenizer.apply_chat_template(
            [{"role": "user", "content": prompt}], tokenize=False, add_generation_prompt=True
        )
        ids = tokenizer(text, return_tensors="pt", add_special_tokens=False).input_ids
    else:
        ids = tokenizer(prompt, return_tensors="pt", add_special_tokens=False).input_ids
        if ids.shape[1] == 0:  # an empty prompt starts from the document separator
            ids = torch.tensor([[tokenizer.eos_token_id]])
    limit = getattr(model.config, "max_position_embeddings", None)
    if limit:
        max_new_tokens = max(0, min(max_new_tokens, limit - ids.shape[1]))
    torch.manual_seed(seed)
    sampling = temperature > 0
    with torch.no_grad():
        output = model.generate(
            ids,
            attention_mask=torch.ones_like(ids),
            max_new_tokens=max_new_tokens,
            do_sample=sampling,
            temperature=temperature if sampling else None,
            top_p=top_p if sampling else None,
            top_k=None,
            pad_token_id=tokenizer.pad_token_id,
            eos_token_id=tokenizer.eos_token_id,
            streamer=streamer,
        )
    return tokenizer.decode(output[0, ids.shape[1] :], skip_special_tokens=True)
