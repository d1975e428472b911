"""What licence analysis returns: an identified licence, a restrictive clause, a verdict."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

Verdict = Literal["open source", "open weights", "closed"]


class LicenseMatch(BaseModel):
    """What one licence text (or declared id) was identified as.

    Example: a LICENSE holding the Apache text -> `license_id="Apache-2.0", status="exact",
    method="text", kind="osi"`. MIT plus a revenue cap -> `status="variant", variant_of="MIT",
    added=["Additional restriction: ..."]`. A text like nothing we know -> `license_id=None`.
    """

    source: str  # file name relative to the audited folder, or "README.md:license"
    license_id: str | None  # None when nothing in the corpus is close enough
    confidence: float = 0.0  # 0..1; F2 of shingle coverage and purity (licenses/index.py)
    coverage: float = 0.0  # share of the known licence's shingles found in the text
    method: Literal["text", "declared", "unreadable", "empty", "notice", "expression"] = "text"
    status: Literal["exact", "variant", "unknown"] = "unknown"
    variant_of: str | None = None  # the known licence a variant mostly is
    kind: str = "unknown"  # see licenses.license_kind
    candidates: list[tuple[str, float]] = Field(default_factory=list)  # best 3 (id, score)
    added: list[str] = Field(default_factory=list)  # paragraphs the known licence lacks
    also: list[str] = Field(default_factory=list)  # other licences found in the same text
    removed: list[str] = Field(default_factory=list)  # passages of the known licence it lacks
    problem: str | None = None  # e.g. "binary file, not a licence text"

    @property
    def label(self) -> str:
        """The id, "variant of X", or "unknown" when the text matched nothing."""
        if self.status == "variant" and self.variant_of:
            return f"variant of {self.variant_of}"
        label = self.license_id or "unknown"
        return f"{label} + {', '.join(self.also)}" if self.also else label


class ClauseFinding(BaseModel):
    """One restrictive (or notable) clause found in a licence text.

    Example: `kind="mau_cap", section="2", detail={"threshold": 700000000},
    quote="... greater than 700 million monthly active users ..."`.
    """

    kind: str  # aup, naming, mau_cap, litigation_termination, non_commercial, ...
    source: str  # the file (or licence id) the sentence came from
    section: str | None  # "1.b.iv", "5.c", "Section 4"; None when the text has no numbering
    quote: str  # the whole sentence, whitespace collapsed
    restrictive: bool = True  # False for informational findings such as governing law
    detail: dict[str, Any] = Field(default_factory=dict)
