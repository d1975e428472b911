"""Folder audits, the verdict, licence identification and the `bazaar audit` CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from modelbazaar.audit import (
    AuditError,
    audit_components,
    audit_folder,
    identify_license,
    osai_score,
    verdict,
    write_report,
)
from modelbazaar.cli.main import app
from modelbazaar.licenses._data import corpus_texts

MOF_DATA = Path(__file__).parent / "data" / "mof_test_data"
OSAI_CSV = Path(__file__).parent / "data" / "osai" / "eu_index_2026_summary.csv"


@pytest.fixture
def llama_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "llama"
    folder.mkdir()
    (folder / "LICENSE").write_text(corpus_texts()["LicenseRef-Llama-3.1-Community"])
    (folder / "USE_POLICY.md").write_text(corpus_texts()["LicenseRef-Llama-3.1-AUP"])
    (folder / "README.md").write_text("---\nlicense: llama3.1\n---\n# A Llama model\n")
    return folder


@pytest.fixture
def apache_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "apache"
    folder.mkdir()
    text = corpus_texts()["Apache-2.0"].replace("[yyyy] [name of copyright owner]", "2025 Jane")
    (folder / "LICENSE").write_text(text)
    (folder / "README.md").write_text("---\nlicense: apache-2.0\n---\n# Tiny model\n")
    (folder / "config.json").write_text("{}")
    (folder / "model.safetensors").write_bytes(b"\x08\x00\x00\x00\x00\x00\x00\x00{}      ")
    return folder


def test_llama_31_folder_is_open_weights(llama_folder: Path) -> None:
    report = audit_folder(llama_folder)
    assert report.verdict == "open weights"
    ids = {m.source: m.license_id for m in report.licenses}
    assert ids["LICENSE"] == "LicenseRef-Llama-3.1-Community"
    assert ids["USE_POLICY.md"] == "LicenseRef-Llama-3.1-AUP"
    found = {f.kind: f for f in report.clauses if f.restrictive}
    assert found["mau_cap"].detail["threshold"] == 700_000_000
    assert "700 million monthly active users" in found["mau_cap"].quote
    assert found["mau_cap"].section == "2"
    aup = next(f for f in report.clauses if f.kind == "aup" and f.source == "LICENSE")
    assert aup.section == "1.b.iv"
    assert "incorporated by reference" in aup.quote
    assert aup.detail["updatable"] is True  # "The most recent copy of this policy ..."
    naming = [f for f in report.clauses if f.kind == "naming"]
    assert {f.section for f in naming} >= {"1.b.i", "5.a"}  # "Built with Llama"; brand rules
    assert any("at the beginning of any such AI model name" in f.quote for f in naming)
    assert found["litigation_termination"].section == "5.c"
    assert "shall terminate" in found["litigation_termination"].quote
    joined = " ".join(report.reasons)
    for words in ("700,000,000 users", "acceptable-use policy", "prescribed name", "sue"):
        assert words in joined
    assert not report.osaid.conformant


def test_apache_folder_is_open_source(apache_folder: Path) -> None:
    report = audit_folder(apache_folder)
    assert report.verdict == "open source", report.reasons
    assert report.components["Model parameters (Final)"] == "Apache-2.0"
    assert report.components["Model architecture"] == "Apache-2.0"
    assert all(c.license_open for c in report.mof.components if c.present)
    declared = [m for m in report.licenses if m.method == "declared"][0]
    assert declared.license_id == "Apache-2.0" and declared.kind == "osi"
    text = [m for m in report.licenses if m.source == "LICENSE"][0]
    assert text.license_id == "Apache-2.0" and text.confidence > 0.95


def test_no_licence_folder_is_closed(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# A model with no licence\n")
    (tmp_path / "model.safetensors").write_bytes(b"0" * 16)
    report = audit_folder(tmp_path)
    assert report.verdict == "closed"
    assert any("no licence" in r for r in report.reasons)


def test_binary_licence_file_is_reported(tmp_path: Path) -> None:
    (tmp_path / "LICENSE").write_bytes(b"\x7fELF\x00\x01\x02" * 100)
    (tmp_path / "README.md").write_text("---\nlicense: mit\n---\n")
    report = audit_folder(tmp_path)
    bad = [m for m in report.licenses if m.source == "LICENSE"][0]
    assert bad.method == "unreadable" and "binary" in (bad.problem or "")
    assert any("binary" in p for p in report.problems)
    # the card names MIT, but the licence text the folder ships cannot be read: not open source
    assert report.verdict == "open weights"
    assert any("LICENSE cannot be read" in r for r in report.reasons)


def test_card_contradicting_licence_text_is_reported(llama_folder: Path) -> None:
    (llama_folder / "README.md").write_text("---\nlicense: apache-2.0\n---\n")
    report = audit_folder(llama_folder)
    assert any("declares Apache-2.0" in p for p in report.problems)
    assert report.verdict == "open weights"


def test_unknown_licence_text_is_still_analysed(tmp_path: Path) -> None:
    (tmp_path / "LICENSE").write_text(
        "Frobnicator Model Terms\n\n1. You may use the model for non-commercial purposes only.\n"
    )
    report = audit_folder(tmp_path)
    match = [m for m in report.licenses if m.source == "LICENSE"][0]
    assert match.license_id is None and match.label == "unknown"
    assert [f.kind for f in report.clauses if f.restrictive] == ["non_commercial"]
    assert report.verdict == "open weights"


def test_identify_license_survives_reformatting() -> None:
    mit = corpus_texts()["MIT"].replace("<year> <copyright holders>", "2025 Someone")
    reflowed = " ".join(mit.split()).upper()
    assert identify_license(reflowed).license_id == "MIT"
    assert identify_license("Just some words about nothing in particular.").license_id is None


def test_verdict_callable_without_folder() -> None:
    decided, reasons = verdict({"Model parameters (Final)": "CC-BY-NC-4.0", "Training code": "MIT"})
    assert decided == "open weights"
    assert any("CC-BY-NC-4.0" in r for r in reasons)
    assert verdict({"Model parameters (Final)": None})[0] == "closed"
    report = audit_components({"Model parameters (Final)": "llama3.1", "Model card": "CC-BY-4.0"})
    assert report.verdict == "open weights"
    assert any(f.kind == "mau_cap" for f in report.clauses)


def test_osai_scoring_matches_the_index() -> None:
    import csv

    params = (
        "datasources_basemodel datasources_endmodel weights_basemodel weights_endmodel "
        "trainingcode code hardware_architecture preprint paper modelcard datasheet licenses"
    ).split()
    with OSAI_CSV.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        assert osai_score({p: row[p] for p in params}) == float(row["score"]), row["name"]


def test_write_report(apache_folder: Path, tmp_path: Path) -> None:
    paths = write_report(audit_folder(apache_folder), tmp_path / "out")
    data = json.loads(paths["json"].read_text())
    assert data["verdict"] == "open source"
    html = paths["html"].read_text()
    assert "<svg" in html and "open source" in html and "MOF" in html
    assert "http" not in html.split("<svg", 1)[0].replace("http://www.w3.org", "")
    assert "## Model Openness Framework" in paths["md"].read_text()


def test_cli_audit_folder(llama_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "report"
    result = CliRunner().invoke(app, ["audit", str(llama_folder), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "open weights" in result.output
    assert {p.name for p in out.iterdir()} == {"audit.json", "audit.md", "audit.html"}


def test_cli_audit_mof(tmp_path: Path) -> None:
    mof = MOF_DATA / "Class1TestFile_C1_100%-C2_100%-C3_100%_15C_2G_15L_15V_0I_15T.yml"
    result = CliRunner().invoke(app, ["audit", "--mof", str(mof), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "Class I - Open Science Model" in result.output
    assert json.loads((tmp_path / "audit.json").read_text())["mof"]["mof_class"] == 1


def test_cli_missing_path(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["audit", str(tmp_path / "nope")])
    assert isinstance(result.exception, AuditError)
    assert "no such folder or file" in str(result.exception)


def test_public_api_is_deliberate() -> None:
    import modelbazaar.audit as audit

    public = {
        n
        for n in dir(audit)
        if not n.startswith("_") and not isinstance(getattr(audit, n), type(audit))
    }
    assert public == set(audit.__all__)


def test_custom_licence_named_on_the_card_is_no_conflict(tmp_path: Path) -> None:
    """`license: other` + `license_name:` is the Hub's way to name a custom licence: beside a
    text nobody can identify, it names that text; beside a known text it still conflicts."""
    (tmp_path / "LICENSE").write_text(
        "Orbit Model Licence\n\n1. You may use the model for non-commercial purposes only.\n"
    )
    card = "---\nlicense: other\nlicense_name: orbit-model-licence\n---\n# Orbit\n"
    (tmp_path / "README.md").write_text(card)
    report = audit_folder(tmp_path)
    assert not [p for p in report.problems if p.startswith("conflict")], report.problems
    assert [f.kind for f in report.clauses if f.restrictive] == ["non_commercial"]
    (tmp_path / "LICENSE").write_text(corpus_texts()["MIT"])
    conflicts = [p for p in audit_folder(tmp_path).problems if p.startswith("conflict")]
    assert conflicts and "orbit-model-licence" in conflicts[0] and "MIT" in conflicts[0]


COMMONS_CLAUSE = """

"Commons Clause" License Condition v1.0

The Software is provided to you by the Licensor under the License, as defined below, subject to
the following condition.

Without limiting other conditions in the License, the grant of rights under the License will not
include, and the License does not grant to you, the right to Sell the Software.
"""


def test_open_licence_with_unclassified_added_conditions_is_not_open_source(
    tmp_path: Path,
) -> None:
    """Apache-2.0 with the Commons Clause appended (below END OF TERMS AND CONDITIONS, where a
    copy fills in its names): a variant whose added condition no rule classifies is read by a
    person before it counts as open source; text that limits nothing changes nothing."""
    (tmp_path / "README.md").write_text("---\nlicense: apache-2.0\n---\n")
    (tmp_path / "LICENSE").write_text(corpus_texts()["Apache-2.0"] + COMMONS_CLAUSE)
    report = audit_folder(tmp_path)
    match = [m for m in report.licenses if m.source == "LICENSE"][0]
    assert match.status == "variant" and match.license_id == "Apache-2.0"
    assert report.verdict == "open weights"
    problem = [p for p in report.problems if "no rule could classify" in p]
    assert problem and "right to Sell" not in problem[0] and "1 more" in problem[0]
    written = write_report(report, tmp_path / "out")  # the reports quote what the copy adds
    for kind in ("md", "html"):
        assert "the right to Sell the Software" in written[kind].read_text(), kind
    harmless = "\n\nThis is not an officially supported Orbit product. Portions copyright 2025\n"
    (tmp_path / "LICENSE").write_text(corpus_texts()["Apache-2.0"] + harmless)
    assert audit_folder(tmp_path).verdict == "open source"


def test_consent_appended_below_a_licence_is_no_signature(tmp_path: Path) -> None:
    """A line below a licence that needs the licensor's approval is a condition, not a
    signature block; a real signature stays one."""
    (tmp_path / "LICENSE").write_text(
        corpus_texts()["MIT"] + "\n\nRedistribution in binary form requires prior written "
        "approval from Orbit Labs.\n"
    )
    report = audit_folder(tmp_path)
    assert report.verdict == "open weights"
    found = [f for f in report.clauses if f.restrictive]  # a rule may classify it one day
    assert found or any("requires prior written approval" in p for p in report.problems)
    (tmp_path / "LICENSE").write_text(
        corpus_texts()["MIT"] + "\n\nztiny 0.3.1, March 2025, Ana Ortega <ana@example.org>\n"
    )
    assert audit_folder(tmp_path).verdict == "open source"
