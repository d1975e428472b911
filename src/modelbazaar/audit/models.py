"""The result types of an audit (pydantic models, so every result serialises to JSON as is).

AuditReport
├── licenses: [LicenseMatch]        one per licence file or card field
├── clauses:  [ClauseFinding]       restrictive clauses, quoted with their section
├── mof:      MofResult             17 components -> class and per-class progress
├── osaid:    OsaidResult           OSI Open Source AI Definition 1.0 checklist
├── osai:     OsaiResult            European open-source AI index parameters
└── verdict + reasons               "open source" / "open weights" / "closed"
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from modelbazaar.licenses.models import ClauseFinding, LicenseMatch, Verdict

ComponentState = Literal["included", "missing", "unlicensed", "invalid"]
Grade = Literal["open", "partial", "closed"]


class ComponentStatus(BaseModel):
    """One MOF component: is it there, under which licence, is that licence open and suitable."""

    id: int
    name: str
    mof_class: int  # the class (3, 2, 1) whose requirements list it
    content_type: str  # code / data / document
    required: bool
    present: bool
    license: str | None = None
    license_open: bool = False
    type_appropriate: bool = False
    state: ComponentState = "missing"


class MofResult(BaseModel):
    """MOF classification: class reached (0 = unclassified) and each class's progress in %."""

    mof_class: int
    label: str
    progress: dict[int, float]  # as the MOF tool reports it: 0 for a class above an unmet one
    components: list[ComponentStatus]
    not_type_appropriate: list[str] = Field(default_factory=list)
    valid_licenses: int = 0  # included components whose licence is not invalid / unlicensed
    invalid_licenses: int = 0

    def missing_for(self, mof_class: int) -> list[str]:
        """Names of required components keeping this model from `mof_class`."""
        return [
            c.name
            for c in self.components
            if c.required and c.mof_class >= mof_class and c.state != "included"
        ]


class OsaidItem(BaseModel):
    """One OSAID 1.0 requirement (data information, code or parameters)."""

    requirement: str
    satisfied: bool
    have: list[str] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)


class OsaidResult(BaseModel):
    """OSI Open Source AI Definition 1.0: conformant only when all three requirements hold."""

    conformant: bool
    items: list[OsaidItem]


class OsaiParam(BaseModel):
    """One European open-source AI index parameter with its grade and why."""

    ref: str
    name: str
    group: str
    grade: Grade
    evidence: str = ""


class OsaiResult(BaseModel):
    """European open-source AI index: open = 1, partial = 0.5, closed = 0, summed."""

    params: list[OsaiParam]
    score: float
    max_score: int


class AuditReport(BaseModel):
    """Everything one audit found, with the verdict and every reason for it."""

    subject: str  # the folder or file audited
    kind: Literal["folder", "mof", "components"]
    verdict: Verdict
    reasons: list[str]
    licenses: list[LicenseMatch] = Field(default_factory=list)
    clauses: list[ClauseFinding] = Field(default_factory=list)
    components: dict[str, str | None] = Field(default_factory=dict)  # MOF name -> licence
    mof: MofResult
    osaid: OsaidResult
    osai: OsaiResult
    problems: list[str] = Field(default_factory=list)  # unreadable files and the like
    notes: list[str] = Field(default_factory=list)  # e.g. what a release would add

    def to_json(self) -> str:
        """The report as indented JSON (what `audit.json` holds)."""
        return self.model_dump_json(indent=2)
