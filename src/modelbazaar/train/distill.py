"""Knowledge distillation: train a smaller Llama student on a teacher's softened predictions.

Loss per token (Hinton et al. 2015): alpha * T^2 * KL(softmax(teacher/T) || softmax(student/T))
+ (1 - alpha) * cross-entropy(student, next token). The T^2 keeps the KL gradients the same size
as the CE's when T changes. The student shares the teacher's tokenizer (so the two vocabularies,
and logits, line up). Recording the student as a version is the workflow's part
(``workflows.distill``).

Example::

    teacher = load_version(store, "main")
    student, config, loss = distill_model(teacher, text, DistillConfig(student="tiny", steps=100))
    config.num_hidden_layers    # 2 (the "tiny" student); the same seed gives the same loss
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from transformers import LlamaConfig

from modelbazaar.errors import BazaarError, DataError
from modelbazaar.model import (
    LoadedModel,
    new_model,
)
from modelbazaar.progress import progress_bar
from modelbazaar.train.determinism import make_deterministic

# Student sizes; vocabulary and special tokens always come from the teacher.
STUDENTS: dict[str, dict[str, int]] = {
    "tiny": {
        "hidden_size": 32,
        "num_hidden_layers": 2,
        "num_attention_heads": 2,
        "intermediate_size": 96,
    },  # 3x width: a SwiGLU MLP of ~8 h^2 parameters
    "small": {
        "hidden_size": 128,
        "num_hidden_layers": 4,
        "num_attention_heads": 4,
        "intermediate_size": 352,
    },
    "medium": {
        "hidden_size": 256,
        "num_hidden_layers": 6,
        "num_attention_heads": 4,
        "intermediate_size": 688,
    },
}


@dataclass(frozen=True)
class DistillConfig:
    student: str = "small"
    steps: int = 200
    temperature: float = 2.0  # T > 1 shows the student the teacher's ranking of wrong tokens
    alpha: float = 0.5  # weight of the KL term; 1 - alpha on plain next-token loss
    lr: float = 3e-3
    batch_size: int = 8
    seq_len: int = 128
    seed: int = 0


def student_config(teacher: LlamaConfig, name: str, seq_len: int) -> LlamaConfig:
    """A Llama of size ``name`` that reads the teacher's tokens and predicts its vocabulary."""
    if name not in STUDENTS:
        raise BazaarError(f"unknown student config {name!r}; known: {', '.join(STUDENTS)}")
    return LlamaConfig(
        vocab_size=teacher.vocab_size,
        max_position_embeddings=seq_len,
        tie_word_embeddings=True,  # a big vocab: do not pay for it twice
        bos_token_id=teacher.bos_token_id,
        eos_token_id=teacher.eos_token_id,
        pad_token_id=teacher.pad_token_id,
        **STUDENTS[name],
    )


def distill_loss(
    student_logits: torch.Tensor,
    teacher_logits: torch.Tensor,
    targets: torch.Tensor,
    temperature: float,
    alpha: float,
) -> torch.Tensor:
    """Mixed KD loss over (B, T, V) logits and (B, T) targets; a scalar."""
    vocab = student_logits.shape[-1]
    s, t = student_logits.float().reshape(-1, vocab), teacher_logits.float().reshape(-1, vocab)
    kl = F.kl_div(
        F.log_softmax(s / temperature, -1),
        F.log_softmax(t / temperature, -1),
        log_target=True,
        reduction="batchmean",
    )  # batchmean: per token, as CE
    ce = F.cross_entropy(s, targets.reshape(-1))
    return alpha * temperature**2 * kl + (1 - alpha) * ce


def distill_model(
    teacher: LoadedModel, text: str, cfg: DistillConfig, show_progress: bool = True
) -> tuple[torch.nn.Module, LlamaConfig, float]:
    """Train a fresh student on windows of ``text``; deterministic in ``cfg.seed``."""
    make_deterministic(cfg.seed)
    ids = torch.tensor(teacher.tokenizer(text, add_special_tokens=False)["input_ids"])
    seq_len = min(cfg.seq_len, teacher.model.config.max_position_embeddings)
    if ids.numel() < seq_len + 2:
        raise DataError(f"distillation data is {ids.numel()} tokens; need more than {seq_len}")
    config = student_config(teacher.model.config, cfg.student, seq_len)
    student = new_model(config, cfg.seed)
    optimizer = torch.optim.AdamW(student.parameters(), lr=cfg.lr, weight_decay=0.0, foreach=False)
    order = torch.Generator().manual_seed(cfg.seed)
    teacher.model.eval()
    student.train()
    loss_value = float("nan")
    with progress_bar(disable=not show_progress) as bar:
        task = bar.add_task("distill", total=cfg.steps, info="")
        for _ in range(cfg.steps):
            starts = torch.randint(0, ids.numel() - seq_len - 1, (cfg.batch_size,), generator=order)
            batch = torch.stack([ids[s : s + seq_len + 1] for s in starts.tolist()])  # (B, T+1)
            with torch.no_grad():
                teacher_logits = teacher.model(input_ids=batch[:, :-1]).logits  # (B, T, V)
            logits = student(input_ids=batch[:, :-1]).logits
            loss = distill_loss(logits, teacher_logits, batch[:, 1:], cfg.temperature, cfg.alpha)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(student.parameters(), 1.0)
            optimizer.step()
            loss_value = loss.item()
            bar.update(task, advance=1, info=f"loss {loss_value:.3f}")
    student.eval()
    return student, config, loss_value
