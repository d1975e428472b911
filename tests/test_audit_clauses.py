"""Restrictive-clause detection against the hand-checked reference findings, and on new text."""

from __future__ import annotations

import re

import pytest

from modelbazaar.audit import find_clauses
from modelbazaar.licenses._data import corpus_texts, reference_clauses
from modelbazaar.licenses.sections import sentences

# reference kind -> the finding kinds that satisfy it
KIND_MAP = {
    "aup": {"aup"},
    "naming_attribution": {"naming", "notice"},
    "notice_file": {"notice"},
    "mau_cap": {"mau_cap"},
    "output_use_restriction": {"output_use"},
    "litigation_termination": {"litigation_termination"},
    "non_commercial": {"non_commercial", "research_only"},
    "jurisdiction": {"governing_law"},
    "use_restrictions": {"use_restriction"},
    "flow_down": {"flow_down"},
    "remote_restriction_and_update": {"remote_update"},
}
# The reference puts Tongyi Research's output clause in 5.b; the saved text numbers it 4.b
# ("4. Rules of use ... b. You can not use the Materials or any output ...").
ERRATA = {("LicenseRef-Tongyi-Qianwen-Research", "output_use_restriction"): "4.b"}


def _cases() -> list[tuple[str, str, object]]:
    by_id = {entry["id"]: entry for entry in reference_clauses()}
    cases = []
    for entry in reference_clauses():
        base = by_id.get(entry.get("same_as", ""), entry)  # Llama 3.2 / 3.3 repeat 3.1's terms
        for kind, expected in base.items():
            if kind in KIND_MAP and expected not in (None, "via AUP"):
                # A "same_as" licence differs in names and URLs: check kinds and sections only.
                quote_ok = base is entry
                cases.append((entry["id"], kind, expected if quote_ok else _no_quote(expected)))
    return cases


def _no_quote(expected: object) -> object:
    if isinstance(expected, dict):
        return {k: v for k, v in expected.items() if k != "quote"}
    return expected


def _sections(ref: str) -> list[str]:
    """'1.b.i + 5.a' -> ['1.b.i', '5.a']; '5.1-5.3' -> ['5.1', '5.3']; "6 (Pub)" -> ['6']."""
    parts = re.split(r"\s*\+\s*|-", ref)
    return [p.split()[0].strip("'") for p in parts if p.strip()]


CASES = _cases()


def test_every_reference_licence_and_kind_is_checked() -> None:
    """The case loader drops nothing: each reference licence and each clause kind has a case."""
    assert {license_id for license_id, _, _ in CASES} == {e["id"] for e in reference_clauses()}
    assert {kind for _, kind, _ in CASES} == set(KIND_MAP)


@pytest.mark.parametrize(("license_id", "kind", "expected"), CASES, ids=lambda v: str(v)[:40])
def test_reference_clause(license_id: str, kind: str, expected: object) -> None:
    text = corpus_texts()[license_id]
    findings = [f for f in find_clauses(text, license_id) if f.kind in KIND_MAP[kind]]
    if expected is False:  # the reference says the licence has no such clause
        assert not findings, [f.quote for f in findings]
        return
    assert findings, f"no {kind} finding in {license_id}"
    assert isinstance(expected, dict)
    if kind == "mau_cap":
        assert any(f.detail["threshold"] == expected["threshold"] for f in findings)
    if kind == "jurisdiction" and "law" in expected:
        assert any(expected["law"] in (f.detail.get("law") or f.quote) for f in findings)
    ref_section = ERRATA.get((license_id, kind), expected.get("section"))
    numbered = any(s for s, _ in sentences(text) if s and s[0].isdigit())
    if ref_section and numbered:  # unnumbered texts (Falcon) are located by heading instead
        wanted = _sections(ref_section)
        got = {f.section for f in findings}
        assert any(
            g and (g == w or g.startswith(w + ".") or w.startswith(g + "."))
            for g in got
            for w in wanted
        ), f"{kind}: sections {got}, reference {ref_section}"
    if "quote" in expected and kind not in ("output_use_restriction", "naming_attribution"):
        # The reference abridges quotes with "..."; every piece must be in one quoted sentence.
        pieces = [p.strip(' ".') for p in expected["quote"].split("...") if len(p.strip()) > 12]
        norm = [re.sub(r"\s+", " ", f.quote.replace("“", '"').replace("”", '"')) for f in findings]
        assert any(all(p[:40] in q for p in pieces) for q in norm), (pieces, norm)


def test_novel_licence_paragraph() -> None:
    text = """ACME OPEN-ISH MODEL LICENCE

    3. Permitted use.
      a. You may run the Model only for non-commercial research.
      b. Any model you train with the outputs of the Model must be named "Acme-" followed by
         your model name, with "Acme" at the beginning of the model name.

    Section 4 Scale. If your services exceed 2,500,000 monthly active users you need a separate
    licence from Acme.

    4.b Your use must adhere to the Acme Usage Rules, which are incorporated by reference and
    which Acme may update from time to time.

    5. If you bring a lawsuit against Acme claiming the Model infringes your rights, this
    licence terminates for you immediately.

    6. This licence is governed by the laws of Norway.
    """
    found = {f.kind: f for f in find_clauses(text, "ACME")}
    assert found["non_commercial"].section == "3.a"
    assert found["naming"].section == "3.b"
    assert found["output_use"].section == "3.b"
    assert found["mau_cap"].detail["threshold"] == 2_500_000
    assert found["mau_cap"].section == "4"
    assert found["aup"].detail["updatable"] is True
    assert found["litigation_termination"].restrictive
    assert found["litigation_termination"].section == "5"
    assert found["governing_law"].detail["law"] == "Norway"
    assert not found["governing_law"].restrictive


def test_faq_question_is_read_with_its_answer() -> None:
    text = """Licence FAQ

    Can we bundle Wren into a paid tier of our product? No, not under this licence.
    Is Wren only for research? No, any lawful use is fine.
    What happens if I post a harsh review of Wren? We may then revoke your licence.
    """
    found = [f for f in find_clauses(text, "FAQ") if f.restrictive]
    assert {f.kind for f in found} == {"non_commercial", "discretionary_termination"}
    # quoted by the answer, the sentence that allows or refuses; a question alone finds nothing
    assert all(not f.quote.endswith("?") for f in found), [f.quote for f in found]


@pytest.mark.parametrize("license_id", ["Apache-2.0", "MIT", "CC-BY-4.0", "CC0-1.0", "OpenMDW-1.0"])
def test_open_licences_have_no_restrictive_clause(license_id: str) -> None:
    restrictive = [f for f in find_clauses(corpus_texts()[license_id], license_id) if f.restrictive]
    assert not restrictive, [(f.kind, f.quote) for f in restrictive]


def test_sections_follow_numbering() -> None:
    text = (
        "1. Grant.\n  a. You may use it. You may not sell it.\n"
        "  b. Items:\n    i. one.\n    ii. two."
    )
    assert list(sentences(text)) == [
        ("1", "Grant."),
        ("1.a", "You may use it."),
        ("1.a", "You may not sell it."),
        ("1.b", "Items:"),
        ("1.b.i", "one."),
        ("1.b.ii", "two."),
    ]
