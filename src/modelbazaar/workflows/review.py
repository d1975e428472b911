"""`bazaar review`: the model's CI. Verify a bundle, test base + adapter, decide, record.

Reads top to bottom: setup (recipe, trusted keys, verify the bundle against the store — a hostile
bundle stops here with a BundleError and nothing written) → licence gate → apply the adapter to
the base in memory → judge the candidate under ``[policy]`` → record the contribution, its
bundle bytes and the review in the catalogue → write the report (JSON, Markdown, HTML).

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

from modelbazaar.contrib import (
    VerifiedBundle,
    check_adapter_against_base,
    check_base_known,
    open_bundle,
)
from modelbazaar.contrib.zipcheck import read_file_capped
from modelbazaar.errors import BundleError
from modelbazaar.licenses.gate import license_gate
from modelbazaar.model import load_version, weights_bytes
from modelbazaar.recipe import Recipe, load_recipe
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
    bundle, blob, signature_note = _open_checked(store, recipe, Path(bundle_path))
    manifest = bundle.manifest
    base = load_version(store, manifest.base_version)
    base_shapes = {k: tuple(v.shape) for k, v in base.model.state_dict().items()}
    check_adapter_against_base(bundle.adapter, base_shapes, manifest.adapter_config)

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
    own_tasks = _own_tasks(bundle)
    verdict, judged, checks = judge_candidate(
        store, model_dir, recipe, base, candidate, own_tasks=own_tasks, show_progress=show_progress
    )
    if not own_tasks:
        checks.append(
            {
                "check": f"own task {manifest.task}",
                "status": "unverified",
                "detail": "data not included: the contributor's claim is reported, not "
                f"trusted: {manifest.evaluation}",
            }
        )
    reasons += judged
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
        "contributor_evaluation": manifest.evaluation,
        "checks": checks,
        "policy": recipe.policy.model_dump(mode="json"),
    }
    _record(store, bundle, blob, candidate_hash, report)
    out_dir = Path(report_dir or store.root / "reviews" / bundle.id[:16])
    write_reports(out_dir, report)
    return ReviewOutcome(verdict, reasons, bundle.id, report, out_dir)


def _open_checked(
    store: Store, recipe: Recipe, bundle_path: Path
) -> tuple[VerifiedBundle, bytes, str]:
    """The verified bundle, its bytes and a sentence on its signature; refuses what can't be
    reviewed (wrong kind, unknown base, bytes changed while reading) before anything is written."""
    keys = trusted_keys(recipe)
    bundle = open_bundle(
        bundle_path, trusted_keys=keys, require_signature=recipe.policy.require_signature
    )
    manifest = bundle.manifest
    if manifest.kind != "adapter" or manifest.adapter_config is None:
        raise BundleError("only adapter bundles can be reviewed yet (data donations: later)")
    check_base_known(manifest, lambda h: store.catalogue.version(h) is not None)
    blob = read_file_capped(bundle_path, 1 << 34)
    if sha256_bytes(blob) != bundle.sha256:  # zip bytes
        raise BundleError(f"{bundle_path} changed while it was being reviewed; review it again")
    signature_note = (
        f"signed by {bundle.signer}, a trusted key"
        if keys is not None
        else f"signed by {bundle.signer}; any valid signature was accepted because "
        "bazaar.toml lists no maintainers or trusted contributors (or require_signature = false)"
    )
    return bundle, blob, signature_note


def _own_tasks(bundle: VerifiedBundle) -> list[tuple[str, list]]:
    """The contributor's held-out slice of each included data file: what the gain is judged on."""
    manifest, tasks = bundle.manifest, []
    for f in manifest.data_card.files:
        if f.included:
            examples = parse_examples(
                bundle.data_files[f.name].decode("utf-8"),
                jsonl=f.name.endswith((".jsonl", ".json")),
                where=f.name,
            )
            every = int(manifest.evaluation.get("held_out_every", 10))
            tasks.append(
                (f"{manifest.task} ({f.name}, held out)", held_out_split(examples, every)[1])
            )
    return tasks


def _record(
    store: Store, bundle: VerifiedBundle, blob: bytes, candidate: str, report: dict[str, Any]
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
            "bundle": store.objects.put_bytes(blob),
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
