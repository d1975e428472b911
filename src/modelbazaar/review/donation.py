"""Review of a data donation: the data's CI, under the model's ``[policy]``.

Reads top to bottom: the donation's documents (the bundle was verified: UTF-8 or JSON Lines) →
licence gate (the adapters' gate; a refused licence decides alone) → duplicates, contamination,
personal data, language and quality, synthetic share — each a row with figures and a verdict
(``review.data_checks``) → only if all of them pass, the effect trial (``review.trial``), which
costs training time. Returns what ``workflows.review`` records and reports.

Example::

    result = review_donation(model_dir, recipe, store, bundle)
    result.reasons        # ["contamination: 1 documents share 13-grams with eval suites …"]
    result.data_checks    # [{"check": "duplicates", "status": "pass", "figures": {...}}, ...]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from modelbazaar.contrib import VerifiedBundle
from modelbazaar.contrib.data_bundle import check_donation_card
from modelbazaar.data.documents import read_documents
from modelbazaar.data.donations import kept_bytes
from modelbazaar.data.manifest import load_manifests
from modelbazaar.data.synthetic import generator_entry
from modelbazaar.licenses.gate import check_inflow, family, license_gate
from modelbazaar.model import LoadedModel, load_version
from modelbazaar.progress import console
from modelbazaar.recipe import Recipe
from modelbazaar.review import data_checks as checks
from modelbazaar.review.corpus import Corpus, load_corpus, suite_texts
from modelbazaar.review.trial import DIVERSITY, effect_trial, token_stream
from modelbazaar.store import Store


@dataclass
class DonationReview:
    reasons: list[str]
    data_checks: list[dict[str, Any]]
    checks: list[dict[str, Any]]  # the effect trial's suite rows (paired CIs)
    licence_rows: list[dict[str, str]]
    model_license: str
    documents: int = 0
    trial: dict[str, Any] = field(default_factory=dict)  # its cost; empty when skipped


def review_donation(
    model_dir: Path,
    recipe: Recipe,
    store: Store,
    bundle: VerifiedBundle,
    show_progress: bool = True,
) -> DonationReview:
    """Every check of a donation, in order; the trial runs only when the others pass."""
    manifest = bundle.manifest
    check_donation_card(manifest)  # one dataset: every file included, one licence, provenance
    base = load_version(store, manifest.base_version)
    docs = [d for n, raw in sorted(bundle.data_files.items()) for d in read_documents(n, raw)]
    model_license = base.record.info.get("license", recipe.license.weights)
    reasons, licence_rows = _licence(manifest.license, model_license, recipe, model_dir)
    licence = checks.row(
        "licence",
        not reasons,
        {"donation": manifest.license, "family": family(manifest.license), "model": model_license},
        "compatible with the model's licence and [policy] allowed_licenses",
    )
    result = DonationReview(reasons, [licence], [], licence_rows, model_license, len(docs))
    if reasons:  # a refused licence decides alone: no time is spent on the rest
        result.checks = [_skipped("the licence gate refused it before any other check")]
        return result

    corpus = load_corpus(model_dir)
    duplicates, drop = checks.duplicate_check(docs, corpus.documents(), recipe.policy)
    synthetic = manifest.data_card.files[0].provenance == "synthetic"
    suites = list(recipe.policy.suites) + list(recipe.evals) + ([DIVERSITY] if synthetic else [])
    kept = {n: kept_bytes(n, raw, drop if recipe.policy.drop_duplicates else set())
            for n, raw in bundle.data_files.items()}  # fmt: skip
    train, donation = _streams(base, corpus, kept)  # tokenized once: share and trial
    rows = [
        duplicates,
        checks.contamination_check(docs, suite_texts(model_dir, suites)),
        checks.pii_check(docs, recipe.policy),
        *checks.language_quality_checks(docs, recipe.policy),
        _synthetic(store, recipe, corpus, train, donation, bundle),
    ]
    result.data_checks += rows
    result.reasons += [c["reason"] for c in rows if c["status"] == "fail"]
    if result.reasons:
        result.checks = [_skipped("a data check failed, so the trial was not run")]
        return result
    if show_progress:
        console.print(f"effect trial: 2 × {recipe.policy.trial_steps} steps from the base")
    tokenizer = base.tokenizer.backend_tokenizer
    streams = {"train": torch.cat(train), "donation": donation}
    streams["validation"] = token_stream(tokenizer, corpus.texts("validation"))
    trial_reasons, result.checks, result.trial = effect_trial(
        model_dir, recipe, base, streams, synthetic=synthetic, show_progress=show_progress
    )
    result.reasons += trial_reasons
    return result


def _licence(
    license_id: str, model_license: str, recipe: Recipe, model_dir: Path
) -> tuple[list[str], list[dict[str, str]]]:
    """The adapters' gate, plus: a share-alike donation must match share-alike corpus data."""
    reasons, rows = license_gate(
        {"donation": license_id}, model_license, recipe.policy.allowed_licenses
    )
    others = {m.license for m in load_manifests(model_dir) if family(m.license) == "share-alike"}
    for other in sorted(others):
        problem = check_inflow(license_id, other)
        rows.append(
            {
                "what": f"with corpus data under {other}",
                "license": license_id,
                "family": family(license_id),
                "verdict": "ok" if problem is None else "refused",
                "reason": problem or "",
            }
        )
        if problem:
            reasons.append(f"licence of the donation beside corpus data under {other}: {problem}")
    return reasons, rows


def _streams(
    base: LoadedModel, corpus: Corpus, kept: dict[str, bytes]
) -> tuple[list[torch.Tensor], torch.Tensor]:
    """Token streams of each training file of the corpus (in build order) and of the donation."""
    tokenizer = base.tokenizer.backend_tokenizer
    train = [token_stream(tokenizer, [f.raw.decode("utf-8")]) for f in corpus.of_split("train")]
    donation = token_stream(tokenizer, [raw.decode("utf-8") for _, raw in sorted(kept.items())])
    return train, donation


def _synthetic(
    store: Store,
    recipe: Recipe,
    corpus: Corpus,
    train: list[torch.Tensor],
    donation_stream: torch.Tensor,
    bundle: VerifiedBundle,
) -> dict[str, Any]:
    """The synthetic-share row: training tokens by provenance, with the base's tokenizer."""
    files = corpus.of_split("train")
    synthetic_tokens = sum(
        int(s.numel()) for f, s in zip(files, train, strict=True) if f.provenance == "synthetic"
    )
    corpus_tokens = sum(int(s.numel()) for s in train)
    donation = int(donation_stream.numel())
    first = bundle.manifest.data_card.files[0]
    synthetic = first.provenance == "synthetic"
    generator = (
        generator_entry(
            store, bundle.manifest.task, first.generator, first.generator_version, recipe.name
        )
        if synthetic
        else None
    )
    counts = {
        "corpus": corpus_tokens,
        "corpus_synthetic": synthetic_tokens,
        "donation": donation,
        "donation_synthetic": donation if synthetic else 0,
    }
    return checks.synthetic_check(counts, generator, recipe.policy)


def _skipped(detail: str) -> dict[str, Any]:
    return {"check": "effect trial", "status": "skipped", "detail": detail}


def donation_report(
    result: DonationReview, bundle: VerifiedBundle, bundle_path: str, signature: str, recipe: Recipe
) -> dict[str, Any]:
    """The review report of a donation: the adapter report's keys plus the data checks."""
    manifest = bundle.manifest
    return {
        "verdict": "reject" if result.reasons else "accept",
        "reasons": result.reasons,
        "contribution": bundle.id,
        "kind": "data",
        "bundle": bundle_path,
        "base": manifest.base_version,
        "candidate": None,  # a donation changes the source, not the weights
        "task": manifest.task,
        "author": manifest.author,
        "signature": signature,
        "licence": {"model": result.model_license, "rows": result.licence_rows},
        "contributor_evaluation": {},
        "data_card": manifest.data_card.model_dump(mode="json"),
        "documents": result.documents,
        "data_checks": result.data_checks,
        "checks": result.checks,
        "trial": result.trial,
        "policy": recipe.policy.model_dump(mode="json"),
    }
