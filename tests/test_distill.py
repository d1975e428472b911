"""`bazaar distill`: a smaller student, teacher's tokenizer, relation distilled, replayable."""

import pytest
import torch

from modelbazaar.errors import BazaarError
from modelbazaar.model import load_version
from modelbazaar.train.distill import DistillConfig, distill_loss, student_config
from modelbazaar.workflows.distill import distill_version
from modelbazaar.workflows.verify import verify


def test_kd_loss_is_zero_kl_when_student_equals_teacher() -> None:
    logits = torch.randn(2, 3, 7)
    targets = torch.randint(0, 7, (2, 3))
    ce = torch.nn.functional.cross_entropy(logits.reshape(-1, 7), targets.reshape(-1))
    pure_kd = distill_loss(logits, logits, targets, temperature=2.0, alpha=1.0)
    assert pure_kd.abs() < 1e-6
    assert torch.isclose(distill_loss(logits, logits, targets, 2.0, 0.0), ce)
    assert distill_loss(logits, torch.randn(2, 3, 7), targets, 2.0, 1.0) > 0


def test_unknown_student_named() -> None:
    with pytest.raises(BazaarError, match="known: tiny"):
        student_config(torch.nn.Module(), "huge", 64)  # type: ignore[arg-type]


def test_distill_built_model(fresh_tiny, tmp_path) -> None:
    model_dir, store = fresh_tiny
    data = tmp_path / "text.txt"
    data.write_text((model_dir / "data" / "tinyshakespeare" / "validation.txt").read_text())
    cfg = DistillConfig(student="tiny", steps=4, seq_len=32, batch_size=4)
    outcome = distill_version(
        model_dir, teacher="main", data=data, cfg=cfg, tag="student", show_progress=False
    )
    teacher, student = load_version(store, "main"), load_version(store, "student")
    assert student.record.relation == "distilled"
    assert student.record.parents[0]["parent"] == teacher.record.hash
    assert student.record.tokenizer == teacher.record.tokenizer
    assert outcome.parameters < sum(p.numel() for p in teacher.model.parameters())
    assert verify(store, model_dir, "student").identical


@pytest.mark.slow
def test_distill_imported_smollm2(tmp_path) -> None:
    from modelbazaar import templates
    from modelbazaar.store import Store
    from modelbazaar.workflows.importer import import_model

    model_dir = templates.create(tmp_path / "model", "tiny")
    ref = import_model(Store.for_model(model_dir), "smollm2", "Apache-2.0", ref="smollm2")
    data = tmp_path / "text.txt"
    data.write_text((model_dir / "data" / "tinyshakespeare" / "validation.txt").read_text())
    cfg = DistillConfig(student="tiny", steps=2, seq_len=32, batch_size=2)
    outcome = distill_version(model_dir, teacher=ref, data=data, cfg=cfg, show_progress=False)
    assert outcome.parameters < 20_000_000
