"""`bazaar distill`: a smaller student from a teacher version, recorded as ``distilled``.

Reads top to bottom: load the teacher → train the student on the teacher's softened predictions
(``train.distill``) → store the data as an object (so ``bazaar verify`` can replay the run bit
for bit) → record the version with the teacher as parent → optionally tag it.

Example::

    outcome = distill_version(Path("my-model"), teacher="main", data=Path("stories.txt"),
                              cfg=DistillConfig(student="tiny", steps=100))
    outcome.version, outcome.parameters    # ('9be1…', 1_700_000)
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import torch
from transformers import LlamaConfig

from modelbazaar.errors import StoreError
from modelbazaar.model import (
    check_finite_weights,
    config_bytes,
    load_version,
    parameter_count,
    weights_bytes,
)
from modelbazaar.store import Store, VersionRecord
from modelbazaar.store.refs import check_tag_name
from modelbazaar.train.distill import DistillConfig, distill_model


@dataclass
class DistillOutcome:
    version: str
    teacher: str
    parameters: int
    final_loss: float


def _record(
    store: Store, teacher: VersionRecord, student: torch.nn.Module, config: LlamaConfig, info: dict
) -> str:
    check_finite_weights(student)  # a diverged student is never recorded
    return store.add_version(
        weights=store.objects.put_bytes(weights_bytes(student)),
        tokenizer=teacher.tokenizer,
        config=store.objects.put_bytes(config_bytes(config)),
        relation="distilled",
        info=info,
        parents=[(teacher.hash, "distilled", {"student": info["distill"]["student"]})],
        message=f"distill {info['distill']['student']} student from {teacher.short}",
    )


def distill_version(
    model_dir: Path,
    *,
    teacher: str,
    data: Path,
    cfg: DistillConfig,
    tag: str | None = None,
    show_progress: bool = True,
) -> DistillOutcome:
    """Distill ``teacher`` into a new ``distilled`` version; optionally point ref ``tag`` at it."""
    store = Store.for_model(model_dir)
    if tag:  # a bad or taken tag name is refused before training, not after
        check_tag_name(tag)
        if tag in store.catalogue.refs():
            raise StoreError(f"ref {tag} already exists and tags do not move; choose another --tag")
    loaded = load_version(store, teacher)
    raw = Path(data).read_bytes()
    student, config, final = distill_model(loaded, raw.decode("utf-8"), cfg, show_progress)
    recipe = asdict(cfg) | {"teacher": loaded.record.hash, "data": store.objects.put_bytes(raw)}
    drop = ("builds", "merge", "distill", "recipe")  # the teacher's own making, not the student's
    info = {k: v for k, v in loaded.record.info.items() if k not in drop} | {"distill": recipe}
    version = _record(store, loaded.record, student, config, info)
    if tag:
        store.tag(tag, version)
    return DistillOutcome(version, loaded.record.hash, parameter_count(student), final)


def replay_distill(store: Store, model_dir: Path, record: VersionRecord, scratch: Store) -> str:
    """Re-run a recorded distillation into ``scratch``; return the version hash it gives."""
    recipe = dict(record.info["distill"])
    teacher = load_version(store, recipe.pop("teacher"))
    text = store.objects.get_bytes(recipe.pop("data")).decode("utf-8")
    student, config, _ = distill_model(teacher, text, DistillConfig(**recipe))
    scratch.objects.put_bytes(store.objects.get_bytes(teacher.record.tokenizer))
    return _record(scratch, teacher.record, student, config, record.info)
