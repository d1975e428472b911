"""The safety guard as the server sees it: an interface, its loading, batching, and the format of
OpenAI's /v1/moderations.

The guard itself (a classifier over the MLCommons hazards S1-S14, built from source like any
model) lives in `modelbazaar.safety.guard`. The server depends only on the shape written below as
Protocols, and imports that module when `--guard` asks for it, so a server without a guard needs
none of its dependencies and a guard that cannot load stops `bazaar serve --guard` with the
reason instead of serving unguarded.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from modelbazaar.errors import BazaarError

log = logging.getLogger("modelbazaar.serve")
CODES = tuple(f"S{i}" for i in range(1, 15))
# Long texts are checked in pieces: ~1,000 characters is about the 256 tokens a sentence encoder
# reads; the overlap keeps a phrase cut at a boundary whole in one of the two pieces.
SEGMENT, OVERLAP = 1000, 200
BATCH_TEXTS = 256  # texts (segments) per guard call


class GuardVerdictLike(Protocol):
    flagged: bool
    codes: list[str]
    scores: dict[str, float]


class GuardLike(Protocol):
    """What `modelbazaar.safety.guard.load_guard` returns: one verdict per text."""

    threshold: float

    def check(self, texts: list[str], role: str = "user") -> list[GuardVerdictLike]: ...


class GuardNotAvailable(BazaarError):
    """`--guard` was asked for and the guard cannot be loaded: the server must not start."""


def load_guard(source: str | Path | None = None, int8: bool = False) -> GuardLike:
    """The project's guard (linear layers in int8 with `int8`), or GuardNotAvailable saying why
    not."""
    try:
        from modelbazaar.safety.guard import GuardUnavailable
        from modelbazaar.safety.guard import load_guard as load
    except ImportError as exc:
        raise GuardNotAvailable(
            f"cannot start with --guard: this modelbazaar has no guard ({exc}). Install a "
            "modelbazaar with `modelbazaar.safety.guard`, or serve without --guard"
        ) from exc
    try:
        return load(source, int8=int8)
    except GuardUnavailable as exc:
        raise GuardNotAvailable(
            f"cannot start with --guard: the guard did not load: {exc}"
        ) from exc


@dataclass(frozen=True)
class Verdict:
    """A guard verdict copied into our own type (the guard's object is a stranger's)."""

    flagged: bool
    codes: list[str] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)
    error: str | None = None  # set when the guard failed: the text is then treated as flagged


class GuardRunner:
    """Checks texts with the guard off the event loop, several requests per guard call.

    Requests that arrive while the guard is busy are checked together in its next call (one
    batch per role). A guard that raises fails closed: every text of that call is flagged, with
    the error noted, and the request ends with finish_reason "content_filter", never a 500.
    """

    def __init__(self, guard: GuardLike) -> None:
        self.guard = guard
        self.pending: list[tuple[list[str], str, asyncio.Future[list[Verdict]]]] = []
        self._busy = False

    async def check(self, texts: list[str], role: str = "user") -> list[Verdict]:
        """One verdict per text. A long text is checked as overlapping segments (a classifier
        reads only its first few hundred tokens), flagged when any segment is."""
        pieces = [segments(text) for text in texts]
        verdicts = await self._check_segments([p for piece in pieces for p in piece], role)
        merged = []
        for piece in pieces:
            merged.append(combine(verdicts[: len(piece)]))
            verdicts = verdicts[len(piece) :]
        return merged

    async def _check_segments(self, texts: list[str], role: str) -> list[Verdict]:
        future: asyncio.Future[list[Verdict]] = asyncio.get_running_loop().create_future()
        self.pending.append((texts, role, future))
        if not self._busy:
            self._busy = True
            asyncio.get_running_loop().create_task(self._drain())
        return await future

    async def flagged(self, texts: list[str], role: str = "user") -> Verdict | None:
        """The first flagged verdict among `texts`, or None when all pass."""
        return next((v for v in await self.check(texts, role) if v.flagged), None)

    async def _drain(self) -> None:
        try:
            while self.pending:
                batch = self._next_batch()
                role = batch[0][1]
                texts = [t for item in batch for t in item[0]]
                verdicts = await asyncio.to_thread(self._run, texts, role)
                for item_texts, _, future in batch:
                    if not future.done():
                        future.set_result(verdicts[: len(item_texts)])
                    verdicts = verdicts[len(item_texts) :]
        finally:
            self._busy = False

    def _next_batch(self) -> list[tuple[list[str], str, asyncio.Future[list[Verdict]]]]:
        """Pending checks of the first one's role, first come first served, up to BATCH_TEXTS
        texts (always at least one request): one stranger's huge request cannot make the
        guard's call fail, or slow, for everyone else."""
        role, batch, size, rest = self.pending[0][1], [], 0, []
        for item in self.pending:
            if item[1] == role and (not batch or size + len(item[0]) <= BATCH_TEXTS):
                batch.append(item)
                size += len(item[0])
            else:
                rest.append(item)
        self.pending = rest
        return batch

    def _run(self, texts: list[str], role: str) -> list[Verdict]:
        try:
            verdicts = self.guard.check(texts, role=role)
            if len(verdicts) != len(texts):
                raise ValueError(f"{len(verdicts)} verdicts for {len(texts)} texts")
            return [
                Verdict(bool(v.flagged), [str(c) for c in v.codes], dict(v.scores))
                for v in verdicts
            ]
        except Exception as exc:  # fail closed: an unchecked text is not let through
            log.exception("the guard failed; treating the texts as flagged")
            return [Verdict(True, [], {}, error=f"guard error: {exc}") for _ in texts]


def segments(text: str, size: int = SEGMENT, overlap: int = OVERLAP) -> list[str]:
    """`text` as pieces of at most `size` characters, each sharing `overlap` with the last.

    Example: segments("abcdefgh", size=4, overlap=1) -> ["abcd", "defg", "gh"].
    """
    if len(text) <= size:
        return [text]
    step = size - overlap
    return [text[i : i + size] for i in range(0, len(text) - overlap, step)]


def combine(verdicts: list[Verdict]) -> Verdict:
    """One verdict for the segments of a text: flagged if any is, codes joined, scores maxed."""
    if len(verdicts) == 1:
        return verdicts[0]
    codes = sorted(
        {c for v in verdicts for c in v.codes}, key=lambda c: int(c[1:]) if c[1:].isdigit() else 99
    )
    scores: dict[str, float] = {}
    for verdict in verdicts:
        for code, score in verdict.scores.items():
            scores[code] = max(scores.get(code, 0.0), score)
    error = next((v.error for v in verdicts if v.error), None)
    return Verdict(any(v.flagged for v in verdicts), codes, scores, error)


# OpenAI's moderation categories from the MLCommons hazards (documented in the README):
# ("any", codes) is flagged when one of the codes is, scored by their maximum; ("all", codes) when
# all are, scored by their minimum (a threat is violence *and* hate). S5 defamation, S6
# specialised advice, S7 privacy, S8 intellectual property and S13 elections have no OpenAI
# counterpart: they appear under their own codes, which every result also carries.
OPENAI_CATEGORIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "harassment": ("any", ("S10",)),
    "harassment/threatening": ("all", ("S10", "S1")),
    "hate": ("any", ("S10",)),
    "hate/threatening": ("all", ("S10", "S1")),
    "illicit": ("any", ("S2", "S3", "S9", "S14")),
    "illicit/violent": ("any", ("S1", "S9")),
    "self-harm": ("any", ("S11",)),
    "self-harm/intent": ("any", ("S11",)),
    "self-harm/instructions": ("any", ("S11",)),
    "sexual": ("any", ("S12", "S3")),
    "sexual/minors": ("any", ("S4",)),
    "violence": ("any", ("S1",)),
    "violence/graphic": ("any", ("S1",)),
}


def moderation_result(verdict: Verdict) -> dict[str, object]:
    """One entry of a /v1/moderations `results` list, in OpenAI's shape plus the S-codes."""
    scores = {code: float(verdict.scores.get(code, 0.0)) for code in CODES}
    hit = {code: code in verdict.codes for code in CODES}
    categories: dict[str, bool] = {}
    category_scores: dict[str, float] = {}
    for name, (rule, codes) in OPENAI_CATEGORIES.items():
        combine, join = (any, max) if rule == "any" else (all, min)
        categories[name] = combine(hit[c] for c in codes)
        category_scores[name] = join(scores[c] for c in codes)
    result: dict[str, object] = {
        "flagged": verdict.flagged,
        "categories": {**categories, **hit},
        "category_scores": {**category_scores, **scores},
        "category_applied_input_types": {name: ["text"] for name in OPENAI_CATEGORIES},
        "hazard_codes": list(verdict.codes),
    }
    if verdict.error:
        result["error"] = verdict.error
    return result
