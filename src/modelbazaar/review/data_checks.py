"""The checks of a data donation that need no training, each with its figures and a verdict.

Every check returns one row for the review report::

    {"check": "duplicates", "status": "pass" | "fail", "figures": {...}, "bound": "...",
     "detail": "...", "examples": [...], "reason": "sentence when it fails"}

- duplicates: exact + MinHash near duplicates, inside the donation and against the corpus
  (``data.overlap``); fails above ``max_duplicate_share``, and always when nothing is new;
- contamination: any 13-gram shared with an example of an eval suite the model uses; fails on
  one document, naming it, the suite and the shared words;
- personal data: counts per kind with redacted examples; fails above ``max_pii_share``;
- language and quality: language shares, lengths, near-empty and repeated-line documents;
- synthetic share: of the training tokens once the donation is added, vs ``max_synthetic_share``.
Example: ``duplicate_check(docs, corpus, policy)[0]["figures"]["share"]`` -> 0.25
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from modelbazaar.data.documents import Document
from modelbazaar.data.overlap import contaminated, duplicates
from modelbazaar.data.pii import find_pii
from modelbazaar.data.quality import language_of, quality
from modelbazaar.recipe import PolicyConfig

EXAMPLES = 5  # documents named per check: enough to find them, few enough to read


def row(check: str, ok: bool, figures: dict[str, Any], bound: str, **extra: Any) -> dict[str, Any]:
    """One report row; ``reason`` (the sentence of a failure) is kept only when it failed."""
    reason = extra.pop("reason", "")
    return {
        "check": check,
        "status": "pass" if ok else "fail",
        "figures": figures,
        "bound": bound,
        "detail": extra.pop("detail", ""),
        "examples": extra.pop("examples", []),
    } | ({"reason": reason} if not ok else {})


def duplicate_check(
    docs: list[Document], corpus: list[str], policy: PolicyConfig
) -> tuple[dict[str, Any], set[str]]:
    """The duplicates row and the ids of the duplicate documents (dropped at merge, per policy)."""
    report = duplicates(docs, corpus, policy.near_duplicate_threshold)
    share, ids = report.share, report.ids
    ok = share <= policy.max_duplicate_share and share < 1.0
    figures = {
        "documents": report.documents,
        "exact_inside": len(report.exact_inside),
        "exact_corpus": len(report.exact_corpus),
        "near_inside": len(report.near_inside),
        "near_corpus": len(report.near_corpus),
        "share": share,
    }
    dropped = policy.drop_duplicates and bool(ids)
    detail = f"{len(ids)} duplicate documents are dropped at merge" if dropped else ""
    why = "nothing in it is new" if share >= 1.0 else "mostly copies"
    return row(
        "duplicates",
        ok,
        figures,
        f"share ≤ {policy.max_duplicate_share:g} and below 1",
        detail=detail,
        examples=ids[:EXAMPLES],
        reason=f"duplicates: {share:.0%} of the {report.documents} documents duplicate the "
        f"corpus or each other ({why}; policy max_duplicate_share = "
        f"{policy.max_duplicate_share:g})",
    ), set(ids)


def contamination_check(docs: list[Document], suites: dict[str, list[str]]) -> dict[str, Any]:
    """Documents sharing a 13-gram with an eval example: named, and the donation refused."""
    found = contaminated(docs, suites)
    per_suite = Counter(suite for _, suite, _ in found)
    named = [f"{doc} ~ {suite}: “{gram}”" for doc, suite, gram in found]
    return row(
        "contamination",
        not found,
        {"documents": len(found), "suites": sorted(suites), "by_suite": dict(per_suite)},
        "no 13-gram shared with any eval suite the model uses",
        examples=named[:EXAMPLES],
        reason=f"contamination: {len(found)} documents share 13-grams with eval suites "
        f"({', '.join(f'{s} {n}' for s, n in sorted(per_suite.items()))}): "
        + "; ".join(named[:EXAMPLES])
        + " — a donation that contains the test set fakes a gain",
    )


def pii_check(docs: list[Document], policy: PolicyConfig) -> dict[str, Any]:
    """Personal data and secrets: counts per kind, redacted examples, share of documents."""
    kinds: Counter[str] = Counter()
    flagged, examples = 0, []
    for doc in docs:
        findings = find_pii(doc.text)
        kinds.update(f.kind for f in findings)
        flagged += bool(findings)
        examples += [f"{doc.id}: {f.kind} {f.redacted}" for f in findings]
    share = flagged / len(docs) if docs else 0.0
    return row(
        "personal data",
        share <= policy.max_pii_share,
        {"documents": flagged, "share": share, "by_kind": dict(sorted(kinds.items()))},
        f"share of documents ≤ {policy.max_pii_share:g}",
        examples=examples[:EXAMPLES],
        reason=f"personal data: {flagged} of {len(docs)} documents ({share:.1%}) hold personal "
        f"data or secrets ({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))}); "
        f"policy max_pii_share = {policy.max_pii_share:g}",
    )


def language_quality_checks(docs: list[Document], policy: PolicyConfig) -> list[dict[str, Any]]:
    """Two rows: the language shares, and length / near-empty / repeated-line figures."""
    report = quality(docs)
    # Shares of characters, not of documents: a detector guesses wildly on "Ay, my lord."
    # (measured: 11% of Shakespeare's short speeches came out German, Latin or Turkish).
    chars: Counter[str] = Counter()
    for doc in docs:
        chars[language_of(doc.text)] += len(doc.text)
    total = max(1, sum(chars.values()))
    shares = {code: round(n / total, 4) for code, n in chars.most_common()}
    wanted = policy.languages
    share = sum(shares.get(code, 0.0) for code in wanted) if wanted else 1.0
    language = row(
        "language",
        share >= policy.min_language_share,
        {"by_characters": shares, "by_documents": report.languages, "share_in_policy": share},
        f"share of characters in {wanted} ≥ {policy.min_language_share:g}"
        if wanted
        else "any language",
        reason=f"language: {share:.0%} of the text is in {', '.join(wanted)}; policy "
        f"languages = {wanted}, min_language_share = {policy.min_language_share:g} "
        f"(found {shares})",
    )
    low = report.low_quality_share
    flagged = list(dict.fromkeys(report.near_empty + report.repeated_lines))
    quality_row = row(
        "quality",
        low <= policy.max_low_quality_share,
        {
            "length_chars": report.length,
            "near_empty": len(report.near_empty),
            "repeated_lines": len(report.repeated_lines),
            "low_quality_share": low,
        },
        f"near-empty + repeated-line share ≤ {policy.max_low_quality_share:g}",
        examples=flagged[:EXAMPLES],
        reason=f"quality: {low:.0%} of the documents are near-empty or mostly repeated lines; "
        f"policy max_low_quality_share = {policy.max_low_quality_share:g}",
    )
    return [language, quality_row]


def synthetic_check(
    tokens: dict[str, int], generator: dict[str, Any] | None, policy: PolicyConfig
) -> dict[str, Any]:
    """Synthetic share of training tokens after the donation, and who generated it.

    ``tokens``: corpus / corpus_synthetic / donation / donation_synthetic token counts.
    """
    total = tokens["corpus"] + tokens["donation"]
    after = (tokens["corpus_synthetic"] + tokens["donation_synthetic"]) / max(1, total)
    before = tokens["corpus_synthetic"] / max(1, tokens["corpus"])
    figures: dict[str, Any] = {"share_before": before, "share_after": after} | tokens
    detail = ""
    if generator:
        figures["generator"] = generator
        if generator.get("self"):
            detail = (
                f"written by this model itself ({generator['version'][:12]}): training on it "
                f"makes the next build generation {generator['generation']} of self-training"
            )
    return row(
        "synthetic share",
        after <= policy.max_synthetic_share,
        figures,
        f"share after ≤ {policy.max_synthetic_share:g}",
        detail=detail,
        reason=f"synthetic share: {after:.1%} of the training tokens would be synthetic after "
        f"this donation ({before:.1%} before); policy max_synthetic_share = "
        f"{policy.max_synthetic_share:g}",
    )
