"""LoRA fine-tuning on a contributor's own data, and the per-example losses a review compares.

Data is plain text (every non-empty paragraph is one example, loss on every token) or JSONL with
``prompt``/``response`` (also ``question``/``answer`` and ``instruction``/``input``/``output``),
where the loss is on the response only. Example::

    examples = load_examples(Path("train.jsonl"))      # [Example(prompt="2+2=", response="4"), ...]
    rows = encode(tokenizer, examples, max_len=128)    # [(ids, labels)], labels -100 on the prompt
    adapter = train_lora(model, rows, LoraTrainConfig(rank=8, steps=60))
    adapter["base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight"].shape  # (8, 256)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import torch
from peft import LoraConfig, get_peft_model, get_peft_model_state_dict, set_peft_model_state_dict

from modelbazaar.contrib import AdapterConfig
from modelbazaar.errors import DataError
from modelbazaar.progress import progress_bar

IGNORE = -100  # label of a token that carries no loss (prompt, padding); cross_entropy's default
KEY_PAIRS = (("prompt", "response"), ("question", "answer"), ("instruction", "output"))


@dataclass(frozen=True)
class Example:
    prompt: str  # "" for plain text
    response: str


@dataclass(frozen=True)
class LoraTrainConfig:
    """LoRA hyper-parameters; ``adapter_config()`` is what the bundle manifest records."""

    rank: int = 8
    alpha: float | None = None  # scaling = alpha / rank; None: 2 × rank (scaling 2)
    target_modules: tuple[str, ...] = ("q_proj", "k_proj", "v_proj", "o_proj")
    steps: int = 60
    lr: float = 3e-3
    batch_size: int = 8
    max_len: int = 128  # tokens per example, capped by the model's max_position_embeddings
    seed: int = 0

    def adapter_config(self) -> AdapterConfig:
        alpha = self.alpha if self.alpha is not None else 2.0 * self.rank
        return AdapterConfig(r=self.rank, alpha=alpha, target_modules=list(self.target_modules))


def peft_config(cfg: AdapterConfig) -> LoraConfig:
    """The peft LoraConfig of an adapter (no dropout, no bias: the delta is exactly B·A·alpha/r)."""
    return LoraConfig(
        r=cfg.r,
        lora_alpha=cfg.alpha,
        target_modules=list(cfg.target_modules),
        lora_dropout=0.0,
        bias="none",
    )


def load_examples(path: Path) -> list[Example]:
    """Read plain text (paragraphs) or JSONL (one prompt/response object per line)."""
    path = Path(path)
    jsonl = path.suffix.lower() in (".jsonl", ".json")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(
            f"{path} is not UTF-8 text (byte offset {exc.start}); save it as UTF-8"
        ) from None
    return parse_examples(text, jsonl=jsonl, where=str(path))


def parse_examples(text: str, *, jsonl: bool, where: str) -> list[Example]:
    """Examples from file text; ``where`` names the file in error messages."""
    if not jsonl:
        paragraphs = [p.strip() for p in text.split("\n\n")]
        examples = [Example("", p) for p in paragraphs if p]
    else:
        examples = []
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataError(f"{where} line {number} is not JSON ({exc.msg})") from None
            except RecursionError:  # a line nested thousands deep
                raise DataError(f"{where} line {number} is nested too deeply") from None
            examples.append(_example_of(row, f"{where} line {number}"))
    if not examples:
        raise DataError(f"{where} holds no examples")
    return examples


def held_out_split(examples: list, every: int) -> tuple[list, list]:
    """(train, held_out): every ``every``-th example is held out, so anyone can recompute it.

    Example: 10 examples, every=5 -> held out are indices 4 and 9
    """
    if every < 2:  # every=1 holds out everything, every=0 divides by zero
        raise ValueError(f"held_out_every must be at least 2, got {every}")
    held = [ex for i, ex in enumerate(examples) if i % every == every - 1]
    train = [ex for i, ex in enumerate(examples) if i % every != every - 1]
    return train, held


def _example_of(row: object, where: str) -> Example:
    if isinstance(row, dict):
        for prompt_key, response_key in KEY_PAIRS:
            if prompt_key in row and response_key in row:
                prompt = str(row[prompt_key])
                if row.get("input"):  # Alpaca: the instruction's argument follows it
                    prompt += "\n" + str(row["input"])
                return Example(prompt, str(row[response_key]))
        if "text" in row:
            return Example("", str(row["text"]))
    pairs = ", ".join(f"{a}/{b}" for a, b in KEY_PAIRS)
    raise DataError(f"{where}: expected an object with {pairs} or text")


def prompt_text(tokenizer, prompt: str) -> str:
    """A prompt as the model will be asked it: a user turn of its chat template when it has one.

    An instruct model (SmolLM2) is evaluated and served through its chat template, so its
    adapters learn answers in that format; a model without one sees "prompt\n".
    Example (ChatML): "2+2?" -> "<|im_start|>user\n2+2?<|im_end|>\n<|im_start|>assistant\n"
    """
    if getattr(tokenizer, "chat_template", None):
        messages = [{"role": "user", "content": prompt}]
        return tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    return prompt + "\n"


def encode(tokenizer, examples: list[Example], max_len: int) -> list[tuple[list[int], list[int]]]:
    """Token ids and labels per example; the prompt (`prompt_text`) carries no loss.

    Example: prompt "2+2=" -> ids [17, 9, 17, 30, 10] labels [-100]*4 + [10] (then EOS)
    """
    rows = []
    for ex in examples:
        prompt = (
            tokenizer(prompt_text(tokenizer, ex.prompt), add_special_tokens=False)["input_ids"]
            if ex.prompt
            else []
        )
        response = tokenizer(ex.response, add_special_tokens=False)["input_ids"]
        response = response + [tokenizer.eos_token_id]
        # Too long: keep at least half the window for the response, cut the prompt's start.
        keep = min(len(response), max(max_len - len(prompt), max_len // 2))
        prompt, response = prompt[len(prompt) - min(len(prompt), max_len - keep) :], response[:keep]
        ids, labels = prompt + response, [IGNORE] * len(prompt) + response
        if any(label != IGNORE for label in labels[1:]):  # at least one predicted target token
            rows.append((ids, labels))
    return rows


def _collate(rows: list[tuple[list[int], list[int]]], pad_id: int) -> dict[str, torch.Tensor]:
    width = max(len(ids) for ids, _ in rows)
    ids = torch.full((len(rows), width), pad_id)
    labels = torch.full((len(rows), width), IGNORE)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    for i, (row_ids, row_labels) in enumerate(rows):
        ids[i, : len(row_ids)] = torch.tensor(row_ids)
        labels[i, : len(row_labels)] = torch.tensor(row_labels)
        mask[i, : len(row_ids)] = 1
    return {"input_ids": ids, "labels": labels, "attention_mask": mask}


def token_losses(model: torch.nn.Module, batch: dict[str, torch.Tensor]) -> torch.Tensor:
    """(B, T-1) next-token cross-entropy, 0 where the label is ignored."""
    logits = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits
    targets = batch["labels"][:, 1:]  # token t predicts token t+1
    losses = torch.nn.functional.cross_entropy(
        logits[:, :-1].float().transpose(1, 2), targets, ignore_index=IGNORE, reduction="none"
    )
    return losses * (targets != IGNORE)


@torch.no_grad()
def example_losses(
    model: torch.nn.Module, rows: list, pad_id: int, batch_size: int = 16
) -> list[float]:
    """Mean loss per example (nats per response token): the paired sample a review compares."""
    model.eval()
    out: list[float] = []
    for start in range(0, len(rows), batch_size):
        batch = _collate(rows[start : start + batch_size], pad_id)
        losses = token_losses(model, batch)
        counts = (batch["labels"][:, 1:] != IGNORE).sum(1).clamp(min=1)
        out.extend((losses.sum(1) / counts).tolist())
    return out


def train_lora(
    model: torch.nn.Module,
    rows: list[tuple[list[int], list[int]]],
    cfg: LoraTrainConfig,
    *,
    pad_id: int,
    show_progress: bool = True,
) -> dict[str, torch.Tensor]:
    """Wrap ``model`` with LoRA in place, train it, return the adapter state dict (peft names).

    Deterministic: the LoRA init and the batch order come from ``cfg.seed``; fp32 on the CPU.
    """
    if not rows:
        raise DataError("no training examples left after tokenisation; is the data empty?")
    torch.manual_seed(cfg.seed)  # lora_A's Kaiming init draws from the global generator
    peft_model = get_peft_model(model, peft_config(cfg.adapter_config()))
    trainable = [p for p in peft_model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=cfg.lr, weight_decay=0.0, foreach=False)
    order = torch.Generator().manual_seed(cfg.seed)
    queue: list[int] = []
    peft_model.train()
    with progress_bar(disable=not show_progress) as bar:
        task = bar.add_task("lora", total=cfg.steps, info="")
        for _ in range(cfg.steps):
            if len(queue) < cfg.batch_size:  # a fresh shuffled epoch when the queue runs dry
                queue += torch.randperm(len(rows), generator=order).tolist()
            picked, queue = queue[: cfg.batch_size], queue[cfg.batch_size :]
            loss = lora_step(peft_model, optimizer, trainable, [rows[i] for i in picked], pad_id)
            bar.update(task, advance=1, info=f"loss {loss.item():.3f}")
    peft_model.eval()
    state = get_peft_model_state_dict(peft_model)
    return {name: t.detach().clone().contiguous() for name, t in sorted(state.items())}


def lora_step(
    model: torch.nn.Module,
    optimizer: torch.optim.Optimizer,
    trainable: list[torch.nn.Parameter],
    rows: list[tuple[list[int], list[int]]],
    pad_id: int,
) -> torch.Tensor:
    """One optimizer step on `rows`: mean loss over the tokens that carry one, gradients
    clipped to norm 1. Returns the loss."""
    batch = _collate(rows, pad_id)
    losses = token_losses(model, batch)
    loss = losses.sum() / (batch["labels"][:, 1:] != IGNORE).sum().clamp(min=1)
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(trainable, 1.0)
    optimizer.step()
    return loss


def apply_adapter(
    model: torch.nn.Module, adapter: dict[str, torch.Tensor], cfg: AdapterConfig
) -> torch.nn.Module:
    """Base + adapter as a plain model: peft injects LoRA, loads it, and merges W += B·A·alpha/r."""
    peft_model = get_peft_model(model, peft_config(cfg))
    result = set_peft_model_state_dict(peft_model, adapter)
    if result.unexpected_keys:
        raise DataError(f"adapter tensors do not fit the model: {result.unexpected_keys[:3]}")
    merged = peft_model.merge_and_unload()
    merged.eval()
    return merged


def lora_deltas(adapter: dict[str, torch.Tensor], cfg: AdapterConfig) -> dict[str, torch.Tensor]:
    """Full weight deltas per base weight: ΔW = B·A·(alpha/r), keyed like the base state dict.

    Example: lora_A (8, 256), lora_B (256, 8), alpha 16 -> ΔW (256, 256) = B @ A * 2.0
    """
    scaling = cfg.alpha / cfg.r
    deltas = {}
    for name in sorted(adapter):
        if ".lora_A." not in name:
            continue
        module = name.removeprefix("base_model.model.").removesuffix(".lora_A.weight")
        a, b = adapter[name].float(), adapter[name.replace(".lora_A.", ".lora_B.")].float()
        deltas[module + ".weight"] = (b @ a) * scaling  # (out, r) @ (r, in) -> (out, in)
    return deltas
