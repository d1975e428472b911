"""`bazaar contribute`: fine-tune a LoRA adapter on your own data and write a signed bundle.

Reads top to bottom: setup (key, base version, data, held-out split) → measure the base on the
held-out slice → train the adapter → measure it again → write ``TASK.bazaar``. The data stays
on this machine unless ``include_data`` is set; only its size, hash and licence travel.

Example::

    outcome = contribute(Path("my-model"), data=Path("gsm8k.jsonl"), task="gsm8k", license="MIT")
    outcome.bundle            # PosixPath('gsm8k.bazaar')
    outcome.evaluation        # {"task_loss_base": 3.1, "task_loss_adapter": 2.4, ...}
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from safetensors.torch import save as save_safetensors

from modelbazaar.contrib import (
    BundleManifest,
    DataCard,
    DataFile,
    default_key_path,
    load_private_key,
    public_key_text,
    write_bundle,
)
from modelbazaar.contrib.datacheck import check_data_member
from modelbazaar.errors import BundleError, DataError
from modelbazaar.evals.compare import paired_difference
from modelbazaar.licenses.spdx import license_id_problem
from modelbazaar.model import load_version, pad_id_of
from modelbazaar.progress import console
from modelbazaar.store import Store
from modelbazaar.train.determinism import make_deterministic
from modelbazaar.train.gram import GramConfig, check_enough_tokens, ship_statistics
from modelbazaar.train.lora import (
    LoraTrainConfig,
    encode,
    example_losses,
    held_out_split,
    load_examples,
    train_lora,
)

if TYPE_CHECKING:
    import torch
    from transformers import PreTrainedTokenizerBase

    from modelbazaar.contrib.manifest import GramStatistics

HELD_OUT_EVERY = 10  # every 10th example is held out of training and used to measure the gain
MAX_HELD_OUT = 200  # enough for a tight CI, few enough that measuring stays a few seconds
EncodedRows = list[tuple[list[int], list[int]]]  # (token ids, labels) per example: lora.encode


@dataclass
class ContributeOutcome:
    bundle: Path
    base: str
    evaluation: dict[str, float] = field(default_factory=dict)


def contribute(
    model_dir: Path,
    *,
    data: Path,
    task: str,
    license: str,
    base: str = "main",
    include_data: bool = False,
    out: Path | None = None,
    key: Path | None = None,
    train: LoraTrainConfig = LoraTrainConfig(),  # frozen, so safe as a default
    provenance: Literal["human", "synthetic"] = "human",
    generator: str | None = None,
    gram: GramConfig = GramConfig(),  # Gram statistics for RegMean (train/gram.py); frozen
    show_progress: bool = True,
) -> ContributeOutcome:
    """Train a LoRA adapter from ``base`` on ``data`` and write the signed bundle."""
    # 1. setup: refuse bad input before any training
    _check_terms(license, provenance, generator)
    private_key = load_private_key(key or default_key_path())
    make_deterministic(train.seed)
    loaded = load_version(Store.for_model(model_dir), base)
    tokenizer, model = loaded.tokenizer, loaded.model
    raw = _read_data(data, include_data)
    train_rows, held_rows = _encoded_split(
        tokenizer, data, min(train.max_len, model.config.max_position_embeddings)
    )
    pad_id = pad_id_of(tokenizer)
    if gram.enabled:
        check_enough_tokens(model, train_rows, list(train.target_modules))

    # 2. train: base loss on the held-out slice, LoRA training, adapter loss on the same slice
    base_losses = example_losses(model, held_rows, pad_id)
    adapter = train_lora(model, train_rows, train, pad_id=pad_id, show_progress=show_progress)
    adapter_losses = example_losses(model, held_rows, pad_id)  # peft wrapped `model` in place
    ci = paired_difference(base_losses, adapter_losses, seed=train.seed)
    evaluation = _evaluation(base_losses, adapter_losses, ci, train, len(train_rows))

    # 3. bundle: Gram statistics of the touched layers' inputs (train/gram.py: no text, but see
    # what they reveal), data card (hash always, bytes only with include_data), signature
    files, statistics = _adapter_files(adapter, model, train_rows, pad_id, gram, show_progress)
    manifest = BundleManifest(
        base_version=loaded.record.hash,
        kind="adapter",
        task=task,
        author=public_key_text(private_key),
        license=license,
        adapter_config=train.adapter_config(),
        data_card=_data_card(Path(data), raw, license, provenance, generator, include_data),
        evaluation=evaluation,
        statistics=statistics,
        created=datetime.now(UTC),
    )
    if include_data:
        files[f"data/{Path(data).name}"] = raw
    bundle = write_bundle(Path(out or f"{task}.bazaar"), manifest, files, private_key)
    if show_progress:
        _print_gain(evaluation, ci, len(held_rows))
    return ContributeOutcome(bundle=bundle, base=loaded.record.hash, evaluation=evaluation)


def _check_terms(
    license: str, provenance: Literal["human", "synthetic"], generator: str | None
) -> None:
    """The licence is an SPDX id, and synthetic data names the model that wrote it."""
    if problem := license_id_problem(license):
        raise DataError(f"--license {problem}")
    if provenance == "synthetic" and not generator:
        raise DataError("synthetic data must name the model that wrote it: add --generator NAME")


def _read_data(data: Path, include_data: bool) -> bytes:
    """The data file's bytes; with ``include_data``, checked by the rule review applies to
    data members, before any training."""
    raw = Path(data).read_bytes()
    if include_data:
        try:
            check_data_member(Path(data).name, raw)
        except BundleError as exc:
            raise DataError(f"--data {data} cannot travel in a bundle: {exc}") from None
    return raw


def _encoded_split(
    tokenizer: PreTrainedTokenizerBase, data: Path, max_len: int
) -> tuple[EncodedRows, EncodedRows]:
    """Training rows and held-out rows (every ``HELD_OUT_EVERY``-th example, at most
    ``MAX_HELD_OUT``), encoded; a DataError when nothing can be held out."""
    examples = load_examples(Path(data))
    train_examples, held = held_out_split(examples, HELD_OUT_EVERY)
    train_rows = encode(tokenizer, train_examples, max_len)
    held_rows = encode(tokenizer, held, max_len)[:MAX_HELD_OUT]
    if not held_rows:
        raise DataError(
            f"{data} has {len(examples)} usable examples; need at least "
            f"{HELD_OUT_EVERY} so that one can be held out to measure the adapter"
        )
    return train_rows, held_rows


def _adapter_files(
    adapter: dict[str, torch.Tensor],
    model: torch.nn.Module,
    train_rows: EncodedRows,
    pad_id: int,
    gram: GramConfig,
    show_progress: bool,
) -> tuple[dict[str, bytes], GramStatistics | None]:
    """The bundle's weight members: the adapter, and (for RegMean) the Gram statistics of the
    touched layers' inputs with their manifest entry."""
    files, statistics = {"adapter.safetensors": save_safetensors(adapter)}, None
    if gram.enabled:
        files["statistics.safetensors"], statistics = ship_statistics(
            model, train_rows, pad_id, adapter, gram, show_progress
        )
    return files, statistics


def _print_gain(
    evaluation: dict[str, float | int], ci: tuple[float, float, float], held_out: int
) -> None:
    delta, low, high = ci
    console.print(
        f"held-out loss {evaluation['task_loss_base']:.3f} → "
        f"{evaluation['task_loss_adapter']:.3f} (Δ {delta:+.3f}, 95% CI "
        f"[{low:+.3f}, {high:+.3f}]) on {held_out} examples"
    )


def _evaluation(
    base_losses: list[float],
    adapter_losses: list[float],
    ci: tuple[float, float, float],
    train: LoraTrainConfig,
    train_examples: int,
) -> dict[str, float | int]:
    """The contributor's own measurement, as the manifest's ``evaluation`` records it."""
    delta, low, high = ci
    return {
        "task_loss_base": sum(base_losses) / len(base_losses),
        "task_loss_adapter": sum(adapter_losses) / len(adapter_losses),
        "task_loss_delta": delta,  # adapter - base; negative is better
        "task_loss_delta_ci_low": low,
        "task_loss_delta_ci_high": high,
        "held_out_every": HELD_OUT_EVERY,
        "steps": train.steps,
        "lr": train.lr,
        "seed": train.seed,
        "held_out_examples": len(base_losses),  # one loss per held-out example
        "train_examples": train_examples,
    }


def _data_card(
    data: Path,
    raw: bytes,
    license: str,
    provenance: Literal["human", "synthetic"],
    generator: str | None,
    include_data: bool,
) -> DataCard:
    """One data file described by hash, size, licence and provenance (bytes only if included)."""
    entry = DataFile(
        name=data.name,
        bytes=len(raw),
        sha256=hashlib.sha256(raw).hexdigest(),
        provenance=provenance,
        generator=generator,
        license=license,
        included=include_data,
    )
    return DataCard(files=[entry])
