"""`bazaar audit --deep`: the clause classifier with sentence embeddings averaged in, shipped as
plain arrays, wired through the audit only when asked for (the plain audit imports no torch:
tests/test_cli_lazy.py)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest

from modelbazaar.audit import audit_folder, clause_encoder
from modelbazaar.audit.clause_encoder import (
    DeepClauseModel,
    embed,
    load_deep,
    save_deep,
    shipped_deep_model,
    train_deep,
)
from modelbazaar.errors import AuditError
from modelbazaar.licenses.clause_model import ADDS_TO_RULES, ClauseModel, shipped_model
from tests.helpers import bazaar_exit_code

SENTENCES = Path(__file__).resolve().parents[1] / "bench" / "data" / "clause_sentences.jsonl"
CHANGE = "The Provider reserves the option to revise this document whenever it sees fit."


def crafted() -> DeepClauseModel:
    """A base that scores CHANGE 0.5 for terms_change (threshold 0.7: not found), and an encoder
    pointing at CHANGE's own embedding (p ~ 1), so only the mean (~0.75) finds it."""
    base = ClauseModel(
        vocabulary={"revise": 0},
        idf=np.ones(1),
        coef=np.zeros((1, 1)),
        intercept=np.zeros(1),
        categories=["terms_change"],
        thresholds=np.array([0.7]),
    )
    direction = embed([CHANGE])[0].astype(np.float64)
    return DeepClauseModel(base, ["terms_change"], 40 * direction[None], np.array([-30.0]),
                           np.array([0.7]))  # fmt: skip


def test_embeddings_are_normalised_and_independent_of_the_batch() -> None:
    texts = [CHANGE, "You may copy it.", "Section 4. Termination of this Agreement by Licensor."]
    together = embed(texts)
    assert together.shape == (3, 384)
    assert np.allclose(np.linalg.norm(together, axis=1), 1, atol=1e-5)
    alone = np.vstack([embed([t]) for t in texts])
    assert np.allclose(together, alone, atol=1e-5)  # padding never leaks into a sentence


def test_deep_probability_is_the_mean_of_both_models() -> None:
    model = crafted()
    probs = model.probabilities([CHANGE])
    encoder = 1 / (1 + np.exp(-(embed([CHANGE]) @ model.coef.T + model.intercept)))
    assert probs[0, 0] == pytest.approx((0.5 + encoder[0, 0]) / 2)
    assert model.base.found(model.base.probabilities([CHANGE])) == [{}]
    assert set(model.found(probs)[0]) == {"terms_change"}


def test_audit_uses_the_deep_model_only_when_asked(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    (tmp_path / "LICENSE").write_text(f"Model Licence\n\n7. {CHANGE}\n", encoding="utf-8")
    monkeypatch.setattr(clause_encoder, "shipped_deep_model", crafted)

    def learned(report) -> list:  # noqa: ANN001
        return [f for f in report.clauses if "classifier" in f.detail]

    assert not learned(audit_folder(tmp_path))
    [finding] = learned(audit_folder(tmp_path, deep=True))
    assert (finding.kind, finding.section, finding.quote) == ("terms_change", "7", CHANGE)


def test_shipped_encoder_part_is_plain_arrays_over_the_base_categories() -> None:
    model = shipped_deep_model()
    assert model.categories == sorted(ADDS_TO_RULES) == model.base.categories
    assert model.coef.shape == (len(ADDS_TO_RULES), 384)
    assert np.all((model.thresholds > 0) & (model.thresholds < 1))
    buffer = io.BytesIO()
    save_deep(model, buffer)
    buffer.seek(0)
    again = load_deep(buffer, model.base)
    assert again.categories == model.categories and np.allclose(again.coef, model.coef)


def test_encoder_categories_must_be_the_bases() -> None:
    base = shipped_model()
    with pytest.raises(ValueError, match="naming"):
        DeepClauseModel(base, ["naming"], np.zeros((1, 384)), np.zeros(1), np.ones(1))


def test_cli_audit_deep_prints_the_report(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    (tmp_path / "LICENSE").write_text(f"Model Licence\n\n7. {CHANGE}\n", encoding="utf-8")
    assert bazaar_exit_code(["audit", str(tmp_path), "--deep", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["verdict"] in ("open weights", "closed")


@pytest.mark.slow  # embeds ~4,200 sentences and fits 18 regressions (~1-2 min)
def test_shipped_encoder_part_matches_a_refit() -> None:
    rows = [json.loads(line) for line in SENTENCES.read_text("utf-8").splitlines() if line]
    shipped = shipped_deep_model()
    refit = train_deep([r for r in rows if r["split"] == "train"], shipped.base)
    # torch's sums differ in the last bits between CPUs: equal up to float noise, not bytes
    assert refit.categories == shipped.categories
    assert np.allclose(refit.coef, shipped.coef, atol=1e-3)
    assert np.allclose(refit.thresholds, shipped.thresholds, atol=1e-3)


def test_deep_embeds_each_distinct_sentence_once_and_caps_them(monkeypatch) -> None:  # noqa: ANN001
    model = crafted()
    seen: list[list[str]] = []
    original = clause_encoder.embed
    monkeypatch.setattr(clause_encoder, "embed", lambda t: seen.append(list(t)) or original(t))
    probs = model.probabilities([CHANGE, "Xy.", CHANGE, "Xy."])
    assert seen == [[CHANGE, "Xy."]] and np.array_equal(probs[0], probs[2])
    monkeypatch.setattr(clause_encoder, "MAX_SENTENCES", 1)
    with pytest.raises(AuditError, match="2 distinct sentences; --deep reads at most 1"):
        model.probabilities([CHANGE, "Xy."])


def test_cli_deep_needs_a_folder(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    mof = tmp_path / "model.yml"
    mof.write_text("framework: {}\n")
    assert bazaar_exit_code(["audit", "--mof", str(mof), "--deep"]) == 2
    assert "--deep reads the licence texts of a model folder" in capsys.readouterr().err
