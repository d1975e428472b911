"""What licence analysis returns: an identified licence, a restrictive clause, a verdict."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

Verdict = Literal["open source", "open weights", "closed"]


class LicenseMatch(BaseModel):
    """What one licence text (or declared id) was identified as.

    Example: a LICENSE holding the Apache text -> `license_id="Apache-2.0", confidence=0.99,
    method="text", kind="osi"`. A text not in the corpus -> `license_id=None` ("unknown").
    """

    source: str  # file name relative to the audited folder, or "README.md:license"
    license_id: str | None  # None when nothing in the corpus is close enough
    confidence: float = 0.0  # 0..1; containment of the corpus text's shingles in this text
    method: Literal["text", "declared", "unreadable"] = "text"
    kind: str = "unknown"  # see licenses.license_kind
    candidates: list[tuple[str, float]] = Field(default_factory=list)  # best 3 (id, score)
    problem: str | None = None  # e.g. "binary file, not a licence text"

    @property
    def label(self) -> str:
        """The id, or "unknown" when the text matched nothing."""
        return self.license_id or "unknown"


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
