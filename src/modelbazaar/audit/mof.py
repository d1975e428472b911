"""Model Openness Framework (MOF) scoring: 17 components -> class III / II / I and progress.

Rules (from the MOF tool, github lfai/model_openness_tool, and its data in `data/mof/`):
- class N requires every required component of classes 3..N (cumulative);
- a required component counts ("included") when it is present and its licence is open (OSI,
  FSF-libre or open data); an open licence that is not type-appropriate still counts but is
  reported; "unlicensed" and non-open licences do not count;
- a component's licence is its own, else the release's licence for its content type, else the
  release's distribution licence;
- the technical report may be replaced by the research paper;
- progress(N) = included / required for classes 3..N, in %, and 0 when a higher class is unmet.

Example: `mof_score({"Model architecture": "MIT", "Model parameters (Final)": "Apache-2.0"})`
-> class 0, progress {3: 33.3, 2: 0, 1: 0}.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from modelbazaar.audit import _data
from modelbazaar.audit.models import ComponentStatus, MofResult
from modelbazaar.errors import AuditError
from modelbazaar.licenses import facts as lic

CLASS_LABELS = {
    0: "Unclassified",
    1: "Class I - Open Science Model",
    2: "Class II - Open Tooling Model",
    3: "Class III - Open Model",
}
TECH_REPORT, RESEARCH_PAPER = 11, 21  # component ids: the paper may stand in for the report


@cache
def components() -> list[dict[str, Any]]:
    """The 17 MOF component definitions, ordered by class (3 first) then id."""
    comps = list(_data.mof_settings()["components"])
    return sorted(comps, key=lambda c: (-c["class"], c["id"]))


@cache
def _by_key() -> dict[str, dict[str, Any]]:
    table: dict[str, dict[str, Any]] = {}
    for comp in components():
        table[comp["name"].lower()] = comp
        table[str(comp["id"])] = comp
    return table


def component_named(key: str | int) -> dict[str, Any]:
    """The MOF component for a name (any case) or id; AuditError names the known ones."""
    found = _by_key().get(str(key).strip().lower())
    if found is None:
        known = ", ".join(c["name"] for c in components())
        raise AuditError(
            f"'{key}' is not a Model Openness Framework component; use one of: {known}."
        )
    return found


def _required(mof_class: int) -> list[int]:
    return [c["id"] for c in components() if c["class"] == mof_class and c["required"]]


def _resolve(value: str | None, content_type: str, globals_: Mapping[str, str | None]) -> str:
    """Component licence, else the type licence, else the distribution licence, else unlicensed."""
    if value is not None:  # set explicitly, even to "" (= unlicensed): no fallback
        return lic.canonical_id(value) if value.strip() and value != "unlicensed" else "unlicensed"
    for scope in (content_type, "distribution"):
        name = globals_.get(scope)
        if name:
            return lic.canonical_id(name) or "unlicensed"
    return "unlicensed"


def _state(license_id: str) -> str:
    if lic.is_open(license_id):
        return "included"
    return "unlicensed" if license_id == "unlicensed" else "invalid"


def mof_score(
    components_licenses: Mapping[str | int, str | None],
    global_licenses: Mapping[str, str | None] | None = None,
) -> MofResult:
    """Score a model from its components and their licences; no folder or file needed.

    `components_licenses` maps a component name or id to its licence id; a component that is
    absent from the mapping is not released. `None` means "no licence of its own" (the
    `global_licenses` for its content type or `distribution` then apply); "" or "unlicensed"
    means released without a licence.

    Example: every required component under "Apache-2.0" (code), "CC-BY-4.0" (documents) and
    "CDLA-Permissive-2.0" (data) -> class 1, progress {3: 100, 2: 100, 1: 100}.
    """
    globals_ = dict(global_licenses or {})
    present: dict[int, str] = {}
    for key, value in components_licenses.items():
        comp = component_named(key)
        present[comp["id"]] = _resolve(value, comp["content_type"], globals_)

    # Per class: the state of every required component of classes 3..N (the tool's evaluate()).
    states: dict[int, dict[int, str]] = {}
    for mof_class in (3, 2, 1):
        wanted = [cid for c in (3, 2, 1) if c >= mof_class for cid in _required(c)]
        states[mof_class] = {
            cid: (_state(present[cid]) if cid in present else "missing") for cid in wanted
        }
    # A research paper stands in for a missing technical report in classes 3 and 2.
    paper_counts = states[3][TECH_REPORT] != "included" and RESEARCH_PAPER in present
    if paper_counts:
        for mof_class in (3, 2):
            del states[mof_class][TECH_REPORT]
            states[mof_class][RESEARCH_PAPER] = _state(present[RESEARCH_PAPER])

    progress = _progress(states)
    reached = min((c for c in (3, 2, 1) if progress[c] == 100.0), default=0)
    return MofResult(
        mof_class=reached,
        label=CLASS_LABELS[reached],
        progress=progress,
        components=_statuses(present),
        not_type_appropriate=[
            c["name"]
            for c in components()
            if c["id"] in present
            and lic.is_open(present[c["id"]])
            and not lic.is_type_appropriate(present[c["id"]], c["content_type"])
        ],
        valid_licenses=sum(1 for v in present.values() if _state(v) == "included"),
        invalid_licenses=sum(1 for v in present.values() if _state(v) == "invalid"),
    )


def _progress(states: dict[int, dict[int, str]]) -> dict[int, float]:
    """Per-class progress in %; a class whose higher class is unmet scores 0, as in the tool."""
    progress: dict[int, float] = {}
    higher_met = True
    for mof_class in (3, 2, 1):
        total = sum(len(_required(c)) for c in (3, 2, 1) if c >= mof_class)
        included = sum(1 for s in states[mof_class].values() if s == "included")
        paper_for_report = (
            states[1][TECH_REPORT] != "included" and states[1][RESEARCH_PAPER] == "included"
        )
        if mof_class == 1 and paper_for_report:
            total -= 1  # the paper replaces the report, so class I needs one component fewer
        value = min(100.0, included / total * 100) if higher_met else 0.0
        progress[mof_class] = value
        higher_met = higher_met and value == 100.0
    return progress


def _statuses(present: dict[int, str]) -> list[ComponentStatus]:
    out = []
    for comp in components():
        license_id = present.get(comp["id"])
        out.append(
            ComponentStatus(
                id=comp["id"],
                name=comp["name"],
                mof_class=comp["class"],
                content_type=comp["content_type"],
                required=comp["required"],
                present=license_id is not None,
                license=None if license_id in (None, "unlicensed") else license_id,
                license_open=lic.is_open(license_id),
                type_appropriate=lic.is_type_appropriate(license_id, comp["content_type"]),
                state=_state(license_id) if license_id is not None else "missing",
            )
        )
    return out
