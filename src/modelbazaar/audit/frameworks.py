"""OSI Open Source AI Definition 1.0 checklist and European open-source AI index grades.

Both read the same evidence as the MOF score: which MOF components are released and under which
licence (a `MofResult`), plus the restrictive clauses found. The OSAID checklist follows the OSI's
v0.0.9 component checklist; the index grades follow its published criteria
(`data/osai/parameters*.yml`) and its scoring: open = 1, partial = 0.5, closed = 0, summed.

Example: a model with only open weights -> OSAID not conformant (data information and code
missing); index weights "open", everything else mostly "closed".
"""

from __future__ import annotations

from collections.abc import Sequence

from modelbazaar.audit import _data
from modelbazaar.audit.models import (
    ClauseFinding,
    Grade,
    MofResult,
    OsaidItem,
    OsaidResult,
    OsaiParam,
    OsaiResult,
)
from modelbazaar.licenses import facts as lic

GRADE_POINTS: dict[str, float] = {"open": 1.0, "partial": 0.5, "closed": 0.0}

OSAID_DATA = ["Datasets", "Research paper", "Technical report", "Data card"]  # any one
OSAID_CODE = [
    "Data preprocessing code",
    "Training code",
    "Inference code",
    "Supporting libraries and tools",
]
OSAID_MODEL = ["Model architecture", "Model parameters (Final)"]


def _state(mof: MofResult) -> dict[str, tuple[bool, str | None]]:
    """Component name -> (present, licence)."""
    return {c.name: (c.present, c.license) for c in mof.components}


def osaid_checklist(mof: MofResult, findings: Sequence[ClauseFinding] = ()) -> OsaidResult:
    """The three OSAID 1.0 requirements, each with what is there and what is missing.

    Code and parameters need OSI-approved terms; data information may be under open-data
    terms. Any restrictive clause breaks the "use for any purpose" freedom, so it fails the
    parameters requirement.
    """
    have = _state(mof)
    restricted = [f for f in findings if f.restrictive]

    def ok(name: str, osi_only: bool) -> bool:
        present, license_id = have[name]
        if not present or license_id is None:
            return False
        return lic.is_osi(license_id) if osi_only else lic.is_open(license_id)

    data_have = [n for n in OSAID_DATA if ok(n, osi_only=False)]
    code_have = [n for n in OSAID_CODE if ok(n, osi_only=True)]
    model_have = [n for n in OSAID_MODEL if ok(n, osi_only=n == "Model architecture")]
    model_missing = [f"{n} (under OSI-approved / OSD-conformant terms)" for n in OSAID_MODEL]
    model_missing = [
        m for n, m in zip(OSAID_MODEL, model_missing, strict=True) if n not in model_have
    ]
    if restricted:
        model_missing.append(
            f"freedom to use for any purpose ({len(restricted)} restrictive clauses)"
        )
    items = [
        OsaidItem(
            requirement="data information",
            satisfied=bool(data_have),
            have=data_have,
            missing=[] if data_have else [f"one of: {', '.join(OSAID_DATA)} (open terms)"],
        ),
        OsaidItem(
            requirement="code",
            satisfied=len(code_have) == len(OSAID_CODE),
            have=code_have,
            missing=[f"{n} (OSI-approved licence)" for n in OSAID_CODE if n not in code_have],
        ),
        OsaidItem(
            requirement="parameters",
            satisfied=not model_missing,
            have=model_have,
            missing=model_missing,
        ),
    ]
    return OsaidResult(conformant=all(i.satisfied for i in items), items=items)


def _grade_license(present: bool, license_id: str | None, restricted: bool) -> Grade:
    if not present or license_id is None:
        return "closed"
    return "open" if lic.is_open(license_id) and not restricted else "partial"


def osai_index(mof: MofResult, findings: Sequence[ClauseFinding] = ()) -> OsaiResult:
    """Grade the 12 parameters of the European open-source AI index from MOF evidence.

    Base and end model are not told apart in a single release, so the base entries mirror the
    end entries, as the index does when the distinction does not apply.
    """
    have = _state(mof)
    restricted = any(f.restrictive for f in findings)

    def present(*names: str) -> int:
        return sum(1 for n in names if have[n][0])

    data = _grade_license(*have["Datasets"], restricted=False)
    weights = _grade_license(*have["Model parameters (Final)"], restricted=restricted)
    code_parts = present("Training code", "Data preprocessing code")
    docs = present("Training code", "Data preprocessing code", "Inference code", "Evaluation code")
    open_core = sum(
        1
        for n in ("Model parameters (Final)", "Training code", "Datasets")
        if have[n][0] and lic.is_open(have[n][1]) and not restricted
    )
    grades: dict[str, tuple[Grade, str]] = {
        "datasources_basemodel": (data, "mirrors the end model (no separate base model)"),
        "datasources_endmodel": (data, "MOF component Datasets and its licence"),
        "weights_basemodel": (weights, "mirrors the end model (no separate base model)"),
        "weights_endmodel": (weights, "Model parameters (Final): open licence, no restrictions"),
        "trainingcode": (
            ("closed", "partial", "open")[code_parts],
            "Training code and Data preprocessing code",
        ),
        "code": (
            "open" if docs == 4 else "partial" if docs else "closed",
            "training, preprocessing, inference and evaluation code released",
        ),
        "hardware_architecture": (
            "open"
            if have["Model metadata"][0]
            else "partial"
            if present("Technical report")
            else "closed",
            "Model metadata (training configuration) or a technical report",
        ),
        "preprint": (
            "open" if present("Technical report", "Research paper") else "closed",
            "Technical report or Research paper",
        ),
        "paper": ("open" if present("Research paper") else "closed", "Research paper"),
        "modelcard": (
            "open"
            if present("Model card", "Evaluation results") == 2
            else "partial"
            if present("Model card")
            else "closed",
            "Model card with evaluation results",
        ),
        "datasheet": ("open" if present("Data card") else "closed", "Data card"),
        "licenses": (
            "open" if open_core == 3 else "partial" if open_core >= 2 else "closed",
            "weights, training code and data under open licences without restrictions",
        ),
    }
    params = []
    for group in _data.osai_parameters():
        for param in group["params"]:
            grade, evidence = grades[param["ref"]]
            params.append(
                OsaiParam(
                    ref=param["ref"],
                    name=param["name"],
                    group=group["name"],
                    grade=grade,
                    evidence=evidence,
                )
            )
    score = sum(GRADE_POINTS[p.grade] for p in params)
    return OsaiResult(params=params, score=score, max_score=len(params))


def osai_score(grades: dict[str, str]) -> float:
    """The index score of given grades: open 1, partial 0.5, closed (or empty) 0.

    Example: `osai_score({"weights_endmodel": "open", "paper": "partial"})` -> 1.5.
    """
    return sum(GRADE_POINTS.get(g or "closed", 0.0) for g in grades.values())
