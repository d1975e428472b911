"""`bazaar contribute --kind data` and `bazaar merge` of a data donation.

Donate, top to bottom: refuse bad input (licence id, provenance, every file by the bundle's
rules, naming the file and line) → resolve a ``synthetic:REF`` generator against the store →
write the signed bundle: the files and a data card (licence, source, provenance, consent,
bytes and sha256 of each file), nothing else.

Merge, top to bottom: the bundle verified again, with a stored ``accept`` review → duplicates
against the corpus *as it is now* (another donation may have added the same text since the
review): a donation with nothing new is rejected with its share and nothing is written → the
files without their duplicate documents (``[policy] drop_duplicates``) and a data manifest in
``data/`` → the new source revision in the catalogue, with its parent and the donation. The
next `bazaar build` trains on it.

Example::

    donate(Path("my-model"), data=[Path("sonnets.txt")], license="CC0-1.0",
           provenance="human", consent="I wrote these and donate them.")
    merge_donation(Path("my-model"), Path("sonnets.bazaar")).manifest  # data/sonnets-1a2b3c4d.toml
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from modelbazaar.contrib import (
    BundleManifest,
    DataCard,
    DataFile,
    VerifiedBundle,
    default_key_path,
    load_private_key,
    open_bundle,
    public_key_text,
    write_bundle,
)
from modelbazaar.contrib.data_bundle import parse_provenance, read_donation_files
from modelbazaar.data.documents import read_documents
from modelbazaar.data.donations import current_revision, kept_bytes, write_donation
from modelbazaar.data.manifest import DATA_DIR
from modelbazaar.data.overlap import duplicates
from modelbazaar.errors import BazaarError, DataError, StoreError
from modelbazaar.licenses.spdx import license_id_problem
from modelbazaar.progress import console
from modelbazaar.recipe import load_recipe
from modelbazaar.review.corpus import load_corpus
from modelbazaar.review.judge import trusted_keys
from modelbazaar.store import Store
from modelbazaar.store.objects import sha256_bytes


@dataclass
class DonateOutcome:
    bundle: Path
    base: str
    files: dict[str, int]  # name -> bytes
    documents: int


@dataclass
class DonationMerge:
    manifest: Path  # data/<name>.toml
    revision: str  # the new source revision
    parent: str  # the revision it was made from
    kept: int  # documents merged
    dropped: int  # duplicate documents left out
    already: bool = False  # merged before (a re-run): nothing was changed


def donate(
    model_dir: Path,
    *,
    data: list[Path],
    license: str,
    provenance: str = "human",
    consent: str = "",
    source: str = "",
    description: str = "",
    name: str | None = None,
    base: str = "main",
    out: Path | None = None,
    key: Path | None = None,
) -> DonateOutcome:
    """Check the files and write a signed data bundle (nothing is trained, nothing uploaded)."""
    # 1. refuse bad input before anything is written
    if problem := license_id_problem(license):
        raise DataError(f"--license {problem}")
    kind, generator = parse_provenance(provenance)
    files = read_donation_files([Path(p) for p in data])
    dataset = name or _dataset_name(Path(data[0]))
    private_key = load_private_key(key or default_key_path())
    store = Store.for_model(model_dir)
    base_version = store.version(base)
    generator_version = _generator_version(store, generator)

    # 2. the data card and the bundle
    card = DataCard(
        files=[
            DataFile(
                name=file_name,
                bytes=len(raw),
                sha256=sha256_bytes(raw),
                provenance=kind,  # type: ignore[arg-type]
                generator=generator,
                generator_version=generator_version,
                license=license,
                included=True,
            )
            for file_name, raw in files.items()
        ],
        description=description,
        source=source,
        consent=consent,
    )
    manifest = BundleManifest(
        base_version=base_version.hash,
        kind="data",
        task=dataset,
        author=public_key_text(private_key),
        license=license,
        data_card=card,
        created=datetime.now(UTC),
    )
    payload = {f"data/{file_name}": raw for file_name, raw in files.items()}
    bundle = write_bundle(Path(out or f"{dataset}.bazaar"), manifest, payload, private_key)
    documents = sum(len(read_documents(n, raw)) for n, raw in files.items())
    return DonateOutcome(
        bundle, base_version.hash, {n: len(r) for n, r in files.items()}, documents
    )


def _dataset_name(path: Path) -> str:
    """A bundle task name from the first file: "My Sonnets.txt" -> "My-Sonnets"."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", path.stem).strip("-._")[:64]
    return stem or "donation"


def _generator_version(store: Store, generator: str | None) -> str | None:
    """The version a ``synthetic:REF`` generator names in this store, else None (a model
    from elsewhere, such as "gpt-4o", is recorded by name only)."""
    if generator is None:
        return None
    try:
        return store.resolve(generator)
    except StoreError:
        return None


def merge_donation(model_dir: Path, bundle_path: Path, show_progress: bool = True) -> DonationMerge:
    """Add an accepted donation to the model source as a new source revision."""
    # 1. setup: verified, accepted, not merged before
    model_dir = Path(model_dir)
    recipe = load_recipe(model_dir)
    store = Store.for_model(model_dir)
    bundle = open_bundle(
        bundle_path,
        trusted_keys=trusted_keys(recipe),
        require_signature=recipe.policy.require_signature,
    )
    _check_accepted(store, bundle, bundle_path)
    dataset = f"{bundle.manifest.task}-{bundle.id[:8]}"
    path = model_dir / DATA_DIR / f"{dataset}.toml"
    parent, summary = current_revision(model_dir)
    if path.exists():  # a re-run after the merge landed: make sure the revision is recorded
        _record_revision(store, parent, None, bundle.id, "donation merged", summary)
        return DonationMerge(path, parent, parent, 0, 0, already=True)

    # 2. duplicates against the corpus as it is now; nothing new -> rejected, nothing written
    donated = [d for n, raw in sorted(bundle.data_files.items()) for d in read_documents(n, raw)]
    report = duplicates(
        donated, load_corpus(model_dir).documents(), recipe.policy.near_duplicate_threshold
    )
    if report.share >= 1.0:
        raise BazaarError(
            f"{bundle_path} is rejected: {report.share:.0%} of its {report.documents} documents "
            "duplicate the model's corpus or each other; nothing was added to the source"
        )
    drop = set(report.ids) if recipe.policy.drop_duplicates else set()
    files = {n: kept_bytes(n, raw, drop) for n, raw in bundle.data_files.items()}

    # 3. the files and the manifest in data/, then the revision in the catalogue
    path = write_donation(model_dir, _data_manifest(bundle, dataset, len(drop)), files)
    revision, summary = current_revision(model_dir)
    message = f"donation {bundle.manifest.task}: {len(donated) - len(drop)} documents" + (
        f" ({len(drop)} duplicates dropped)" if drop else ""
    )
    _record_revision(store, revision, parent, bundle.id, message, summary)
    if show_progress:
        console.print(f"added {path}; run `bazaar build` to train on it")
    return DonationMerge(path, revision, parent, len(donated) - len(drop), len(drop))


def _record_revision(
    store: Store,
    revision: str,
    parent: str | None,
    contribution: str,
    message: str,
    summary: dict[str, object],
) -> None:
    """Record a source revision once (a re-run finds it recorded and adds nothing)."""
    if any(r["id"] == revision for r in store.catalogue.source_revisions()):
        return
    store.catalogue.add_source_revision(
        {
            "id": revision,
            "parent": parent,
            "contribution": contribution,
            "message": message,
            "manifests": summary,
        }
    )


def _check_accepted(store: Store, bundle: VerifiedBundle, path: Path) -> None:
    if bundle.manifest.kind != "data":
        raise BazaarError(f"{path} is an adapter bundle, not a data donation")
    reviews = store.catalogue.reviews_for(bundle.id)
    if not reviews or reviews[-1]["verdict"] != "accept":
        state = reviews[-1]["verdict"] if reviews else "never reviewed"
        reasons = "; ".join(reviews[-1]["reasons"]) if reviews else ""
        raise BazaarError(
            f"{path} is not accepted ({state}{': ' + reasons if reasons else ''}); run "
            f"`bazaar review {path}` and merge only donations whose review says accept"
        )


def _data_manifest(bundle: VerifiedBundle, dataset: str, dropped: int) -> dict[str, object]:
    """The data manifest of a donation (without files), from its signed data card."""
    card, manifest = bundle.manifest.data_card, bundle.manifest
    first = card.files[0]  # one licence and provenance per donation (`bazaar contribute`)
    return {
        "name": dataset,
        "license": manifest.license,
        "source": card.source or f"data donation {bundle.id[:12]} by {manifest.author}",
        "provenance": first.provenance,
        "generator": first.generator,
        "generator_version": first.generator_version,
        "donation": {
            "contribution": bundle.id,
            "author": manifest.author,
            "consent": card.consent,
            "dropped_duplicates": dropped,
        },
    }
