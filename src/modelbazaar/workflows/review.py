"""`bazaar review`: the model's CI. Verify a bundle, test base + adapter, decide, record.

Reads top to bottom: setup (recipe, trusted keys, verify the bundle against the store — a hostile
bundle or an untrusted signer stops here with a BundleError and nothing written) → licence gate
(a refused licence is rejected here, before a single eval runs) → apply the adapter to the base
in memory → judge the candidate under ``[policy]`` → record the contribution, its bundle bytes
and the review in the catalogue → write the report (JSON, Markdown, HTML).

Every gate is judged on the 95% CI of the paired difference (same examples, base vs candidate),
never on the point estimate: a regression gate fails when the worst end of the CI is beyond the
allowed bound; the own-task gate passes only when the whole CI is a gain above the minimum.

The contribution's own task: when the bundle includes its data, the review recomputes the loss
on the held-out slice the contributor declared (every ``held_out_every``-th example) and that
number is judged. When the data stayed private, the contributor's claim is reported but not
trusted: it can neither pass nor fail the gate; capability and safety suites still decide.

Example::

    outcome = review(Path("my-model"), Path("gsm8k.bazaar"))
    outcome.verdict, outcome.reasons   # ('reject', ['licence of data train.jsonl: CC-BY-NC-4.0 …'])
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from modelbazaar.contrib import (
    BundleManifest,
    VerifiedBundle,
    check_adapter_against_base,
    check_base_known,
    open_bundle,
)
from modelbazaar.contrib.datacheck import is_jsonl_name
from modelbazaar.contrib.stats_check import check_statistics_against_base
from modelbazaar.errors import BundleError
from modelbazaar.licenses.gate import license_gate
from modelbazaar.model import LoadedModel, load_version, weights_bytes
from modelbazaar.recipe import Recipe, load_recipe
from modelbazaar.review.donation import donation_report, review_donation
from modelbazaar.review.judge import judge_candidate, trusted_keys
from modelbazaar.review.report import write_reports
from modelbazaar.store import Store
from modelbazaar.store.objects import sha256_bytes
from modelbazaar.store.store import version_hash
from modelbazaar.train.lora import (
    apply_adapter,
    held_out_split,
    parse_examples,
)


@dataclass
class ReviewOutcome:
    verdict: str  # accept | reject
    reasons: list[str]
    contribution: str  # its id: sha256 of the signed manifest
    report: dict[str, Any] = field(default_factory=dict)
    report_dir: Path | None = None


def review(
    model_dir: Path,
    bundle_path: Path,
    *,
    report_dir: Path | None = None,
    show_progress: bool = True,
) -> ReviewOutcome:
    """Review one bundle against its base under the model's policy; record and report it."""
    # 1. setup: verify everything we can before writing anything
    model_dir = Path(model_dir)
    recipe = load_recipe(model_dir)
    store = Store.for_model(model_dir)
    bundle, signature_note = _open_checked(store, recipe, Path(bundle_path))
    manifest = bundle.manifest
    if manifest.kind == "data":  # a data donation: the data's CI (review/donation.py)
        donation = review_donation(model_dir, recipe, store, bundle, show_progress)
        report = donation_report(donation, bundle, str(bundle_path), signature_note, recipe)
        return _finish(store, bundle, None, report, report_dir)
    base = load_version(store, manifest.base_version)
    base_shapes = {k: tuple(v.shape) for k, v in base.model.state_dict().items()}
    check_adapter_against_base(bundle.adapter, base_shapes, manifest.adapter_config)
    check_statistics_against_base(bundle.statistics, manifest, bundle.adapter, base_shapes)

    # 2. licence gate: the adapter's licence and every data file's, against the model's
    licenses = {"adapter": manifest.license} | {
        f"data {f.name}": f.license for f in manifest.data_card.files
    }
    model_license = base.record.info.get("license", recipe.license.weights)
    reasons, licence_rows = license_gate(licenses, model_license, recipe.policy.allowed_licenses)

    # 3. candidate: base + adapter, merged in memory (the base stays untouched for comparison)
    candidate = apply_adapter(copy.deepcopy(base.model), bundle.adapter, manifest.adapter_config)
    candidate_hash = version_hash(
        sha256_bytes(weights_bytes(candidate)), base.record.tokenizer, base.record.config
    )  # what merging it alone would record
    reasons += _unmeasurable_gain(recipe, manifest)  # private data: no gain to measure
    if reasons:  # licence or an unmeasurable gain decide alone: no eval time is spent on them
        checks = _skipped_evals(manifest)
    else:
        reasons, checks = _judge(store, model_dir, recipe, base, candidate, bundle, show_progress)
    verdict = "reject" if reasons else "accept"

    # 4. record: the bundle bytes (so a merge can be replayed), the contribution, the review
    report = {
        "verdict": verdict,
        "reasons": reasons,
        "contribution": bundle.id,
        "bundle": str(bundle_path),
        "base": base.record.hash,
        "candidate": candidate_hash,
        "task": manifest.task,
        "author": manifest.author,
        "signature": signature_note,
        "licence": {"model": model_license, "rows": licence_rows},
        "contributor_evaluation": manifest.evaluation.reported(),
        "data_card": manifest.data_card.model_dump(mode="json"),
        "checks": checks,
        "policy": recipe.policy.model_dump(mode="json"),
    }
    return _finish(store, bundle, candidate_hash, report, report_dir)


def _finish(
    store: Store,
    bundle: VerifiedBundle,
    candidate: str | None,
    report: dict[str, Any],
    report_dir: Path | None,
) -> ReviewOutcome:
    """Record the review and write its report (JSON, Markdown, HTML)."""
    _record(store, bundle, candidate, report)
    out_dir = Path(report_dir or store.root / "reviews" / bundle.id[:16])
    write_reports(out_dir, report)
    return ReviewOutcome(report["verdict"], report["reasons"], bundle.id, report, out_dir)


def _judge(
    store: Store,
    model_dir: Path,
    recipe: Recipe,
    base: LoadedModel,
    candidate: torch.nn.Module,
    bundle: VerifiedBundle,
    show_progress: bool,
) -> tuple[list[str], list[dict[str, Any]]]:
    """Reasons and checks of the policy suites plus the contribution's own task."""
    own_tasks = _own_tasks(bundle)
    _, reasons, checks = judge_candidate(
        store, model_dir, recipe, base, candidate, own_tasks=own_tasks, show_progress=show_progress
    )
    if not own_tasks:
        checks.append(_unverified_claim(bundle.manifest))
    return reasons, checks


def _open_checked(store: Store, recipe: Recipe, bundle_path: Path) -> tuple[VerifiedBundle, str]:
    """The verified bundle and a sentence on its signature; refuses what can't be reviewed
    (untrusted signer, wrong kind, unknown base) before anything is written."""
    keys = trusted_keys(recipe)
    bundle = open_bundle(
        bundle_path, trusted_keys=keys, require_signature=recipe.policy.require_signature
    )
    manifest = bundle.manifest
    if manifest.kind == "adapter" and manifest.adapter_config is None:
        raise BundleError("an adapter bundle needs adapter_config (r, alpha, target_modules)")
    check_base_known(manifest, lambda h: store.catalogue.version(h) is not None)
    signature_note = (
        f"signed by {bundle.signer}, a trusted key"
        if keys is not None
        else f"signed by {bundle.signer or 'nobody'}; not checked against a trusted key "
        "because bazaar.toml sets require_signature = false"
    )
    return bundle, signature_note


def _own_tasks(bundle: VerifiedBundle) -> list[tuple[str, list]]:
    """The contributor's held-out slice of each included data file: what the gain is judged on."""
    manifest, tasks = bundle.manifest, []
    for f in manifest.data_card.files:
        if f.included:
            examples = parse_examples(
                bundle.data_files[f.name].decode("utf-8"),  # open_bundle checked it is UTF-8
                jsonl=is_jsonl_name(f.name),
                where=f.name,
            )
            every = manifest.evaluation.held_out_every  # the schema holds it to 2..1000
            tasks.append(
                (f"{manifest.task} ({f.name}, held out)", held_out_split(examples, every)[1])
            )
    return tasks


def _unmeasurable_gain(recipe: Recipe, manifest: BundleManifest) -> list[str]:
    """The reason to reject a contribution whose gain cannot be measured, unless policy allows."""
    if any(f.included for f in manifest.data_card.files) or recipe.policy.accept_unmeasured_gain:
        return []
    return [
        f"own task {manifest.task}: no measurable gain — the data stayed private, so the review "
        "cannot measure the gain the contributor claims; send it with `bazaar contribute "
        "--include-data`, or the maintainers set [policy] accept_unmeasured_gain = true to let "
        "the suites alone decide"
    ]


def _skipped_evals(manifest: BundleManifest) -> list[dict[str, Any]]:
    detail = "the licence gate or the gain gate refused it before any eval"
    checks = [{"check": "evals", "status": "skipped", "detail": detail}]
    if not any(f.included for f in manifest.data_card.files):
        checks.append(_unverified_claim(manifest))
    return checks


def _unverified_claim(manifest: BundleManifest) -> dict[str, Any]:
    """The own-task row when the data stayed private: the claim is shown, never judged."""
    claim = ", ".join(f"{k} {v:.4g}" for k, v in manifest.evaluation.reported().items())
    return {
        "check": f"own task {manifest.task}",
        "status": "unverified",
        "detail": f"data not included: the contributor's claim is reported, not trusted: {claim}",
    }


def _record(
    store: Store, bundle: VerifiedBundle, candidate: str | None, report: dict[str, Any]
) -> None:
    """Store the bundle bytes (so a merge can be replayed), the contribution and the review."""
    manifest = bundle.manifest
    store.catalogue.add_contribution(
        {
            "id": bundle.id,
            "base": manifest.base_version,
            "task": manifest.task,
            "author": manifest.author,
            "license": manifest.license,
            "manifest": manifest.model_dump(mode="json"),
            "bundle": store.objects.put_bytes(bundle.blob),  # the bytes that were verified
        }
    )
    store.catalogue.add_review(
        {
            "contribution": bundle.id,
            "candidate": candidate,
            "verdict": report["verdict"],
            "reasons": report["reasons"],
            "report": report,
        }
    )
