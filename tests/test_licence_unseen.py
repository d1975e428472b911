"""Licence texts the shipped index has never seen (tests/data/unseen_licences/, see its
SOURCE.md), and folder-level licence problems, audited as a user would."""

from __future__ import annotations

from pathlib import Path

import pytest

from modelbazaar.audit import audit_folder
from modelbazaar.licenses._data import corpus_texts
from modelbazaar.licenses.sections import sentences

UNSEEN = Path(__file__).parent / "data" / "unseen_licences"
OPEN = {
    "BSD-2-Clause.txt": "BSD-2-Clause",
    "BSD-3-Clause.md": "BSD-3-Clause",
    "LGPL-2.1.txt": "LGPL-2.1-only",
    "COPYING.LESSER": "LGPL-3.0-only",
    "MPL-2.0.txt": "MPL-2.0",
    "Zlib.txt": "Zlib",
    "PSF-2.0.txt": "PSF-2.0",
    "GPL-2.0.txt": "GPL-2.0-only",
    "GPL-3.0.txt": "GPL-3.0-only",
    "AGPL-3.0.md": "AGPL-3.0-only",
}


def _folder(tmp_path: Path, files: dict[str, str], weights: bool = True) -> Path:
    folder = tmp_path / "model"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    if weights:
        (folder / "model.safetensors").write_bytes(b"\x08\x00\x00\x00\x00\x00\x00\x00{}      ")
    return folder


@pytest.mark.parametrize(("name", "license_id"), sorted(OPEN.items()))
def test_open_licence_copy_is_identified_and_open_source(
    tmp_path: Path, name: str, license_id: str
) -> None:
    report = audit_folder(_folder(tmp_path, {"LICENSE": (UNSEEN / name).read_text()}))
    match = report.licenses[0]
    assert (match.license_id, match.status) == (license_id, "exact"), match.added
    assert report.verdict == "open source", report.reasons
    assert not [f for f in report.clauses if f.restrictive]


def test_mit_with_revenue_cap_is_a_variant_with_the_cap_quoted(tmp_path: Path) -> None:
    report = audit_folder(
        _folder(tmp_path, {"LICENSE": (UNSEEN / "MIT-revenue-cap.txt").read_text()})
    )
    match = report.licenses[0]
    assert match.label == "variant of MIT"
    assert any("EUR 10 million" in paragraph for paragraph in match.added)
    caps = [f for f in report.clauses if f.kind == "revenue_cap"]
    assert caps and "EUR 10 million" in caps[0].quote and caps[0].restrictive
    assert report.verdict == "open weights"
    assert any("revenue" in reason for reason in report.reasons)


def test_new_version_of_a_model_licence_is_a_variant_with_its_new_text(tmp_path: Path) -> None:
    text = (UNSEEN / "Llama-3.5-Community-hypothetical.txt").read_text()
    report = audit_folder(_folder(tmp_path, {"LICENSE": text}))
    match = report.licenses[0]
    assert match.label == "variant of LicenseRef-Llama-3.3-Community"
    assert any("export sanctions" in paragraph for paragraph in match.added)
    new = {f.kind for f in report.clauses if "export sanctions" in f.quote and f.restrictive}
    assert {"field_of_use", "safety_guardrail"} <= new
    assert report.verdict == "open weights"


def test_model_licence_version_that_removes_text_is_a_variant() -> None:
    """Gemma's terms of 2024-04-01 drop an obligation the 2024-02-21 terms have."""
    from modelbazaar.licenses.identify import identify_license

    match = identify_license((UNSEEN / "Gemma-Terms-of-Use-2024-04-01.txt").read_text())
    assert match.label == "variant of LicenseRef-Gemma-Terms-of-Use-2024-02-21"
    assert any("latest version of Gemma" in passage for passage in match.removed)


def test_exact_model_licence_removes_nothing() -> None:
    from modelbazaar.licenses.identify import identify_license

    text = corpus_texts()["LicenseRef-Gemma-Terms-of-Use-2024-02-21"]
    match = identify_license(text)
    assert (match.status, match.removed) == ("exact", [])


def test_empty_licence_is_a_problem_and_never_open_source(tmp_path: Path) -> None:
    folder = _folder(tmp_path, {"LICENSE": "\n  \n", "README.md": "---\nlicense: mit\n---\n"})
    report = audit_folder(folder)
    assert report.verdict != "open source"
    assert any("LICENSE is empty" in problem for problem in report.problems)


def test_card_licence_without_text_is_a_problem(tmp_path: Path) -> None:
    report = audit_folder(_folder(tmp_path, {"README.md": "---\nlicense: apache-2.0\n---\n"}))
    assert any("no licence text" in problem for problem in report.problems)


def test_two_disagreeing_licences_give_a_conflict_naming_both(tmp_path: Path) -> None:
    texts = corpus_texts()
    folder = _folder(tmp_path, {"LICENSE": texts["MIT"], "COPYING": texts["GPL-3.0-only"]})
    conflicts = [p for p in audit_folder(folder).problems if p.startswith("conflict")]
    assert conflicts and "MIT" in conflicts[0] and "GPL-3.0-only" in conflicts[0]


def test_code_and_weights_under_different_licences_stay_supported(tmp_path: Path) -> None:
    texts = corpus_texts()
    folder = _folder(
        tmp_path, {"LICENSE-code": texts["MIT"], "LICENSE-weights": texts["CC-BY-NC-4.0"]}
    )
    report = audit_folder(folder)
    assert report.components["Model parameters (Final)"] == "CC-BY-NC-4.0"
    assert not [p for p in report.problems if p.startswith("conflict")]
    assert report.verdict == "open weights"


def test_sections_of_nested_attachment_and_indented_layouts() -> None:
    text = (
        'MODEL LICENCE\n1. Definitions\n   1.1 "Model" means the weights.\n   1.2 Sub-terms:\n'
        "       (a) first item here.\n       (b) second item:\n           (i) a sub item.\n"
        "           (ii) another one.\n2. Use\n    2.1. You may use it.\nATTACHMENT A\n"
        "Use restrictions\nYou agree not to use the Model:\n  - to harm people.\n"
        "Exhibit B: Other terms\n  Some text here.\n## 3. Markdown section\n   Indented text.\n"
    )
    got = [(s, t) for s, t in sentences(text) if s]
    assert got == [
        ("1", "Definitions"),
        ("1.1", '"Model" means the weights.'),
        ("1.2", "Sub-terms:"),
        ("1.2.a", "first item here."),
        ("1.2.b", "second item:"),
        ("1.2.b.i", "a sub item."),
        ("1.2.b.ii", "another one."),
        ("2", "Use"),
        ("2.1", "You may use it."),
        ("Attachment A", "Use restrictions"),
        ("Attachment A", "You agree not to use the Model:"),
        ("Attachment A", "to harm people."),
        ("Exhibit B", "Other terms"),
        ("Exhibit B", "Some text here."),
        ("3", "Markdown section"),
        ("3", "Indented text."),
    ]


def test_audit_terminal_shows_removed_beside_added_text(tmp_path: Path) -> None:
    """`bazaar audit` prints what a variant removes from the licence it resembles, not only
    what it adds (the removed passages were in the JSON report only)."""
    from rich.console import Console

    from modelbazaar.cli.audit import SHOWN_PASSAGES, print_summary, variant_lines

    text = (UNSEEN / "Gemma-Terms-of-Use-2024-04-01.txt").read_text()
    report = audit_folder(_folder(tmp_path, {"LICENSE": text}))
    console = Console(record=True, width=200)
    print_summary(report, console)
    shown = console.export_text()
    removed = [line for line in shown.splitlines() if " removes (from " in line]
    assert removed and "LicenseRef-Gemma-Terms-of-Use-2024-02-21" in removed[0]
    assert any("latest version of Gemma" in line for line in removed)

    many = ["x " * 400] * (SHOWN_PASSAGES + 2)
    match = report.licenses[0].model_copy(update={"added": ["New text."], "removed": many})
    both = variant_lines(match)
    assert both[0] == "  LICENSE adds: “New text.”"  # added first, removed beside it
    lines = [line for line in both if "remove" in line]
    assert len(lines) == SHOWN_PASSAGES + 1  # three passages, then how many more
    assert lines[0].endswith(" …”") and "2 more passage(s) removed" in lines[-1]
