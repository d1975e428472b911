"""Data donations at the command line: `bazaar contribute --kind data` and `bazaar merge` of one.

`cli/contrib.py` owns the commands; this module prints what a donation did, so the adapter
commands stay as they were. Example session::

    bazaar contribute --kind data --data sonnets.txt --data more.jsonl --license CC0-1.0 \\
        --provenance human --consent "I wrote these and donate them" --out sonnets.bazaar
    bazaar review sonnets.bazaar       # duplicates, contamination, PII, language, trial, ...
    bazaar merge sonnets.bazaar        # data/sonnets-1a2b3c4d.toml + files; a source revision
    bazaar build                       # trains on it
"""

from __future__ import annotations

from pathlib import Path

from rich.markup import escape

from modelbazaar.errors import BazaarError, BundleError
from modelbazaar.progress import console, out
from modelbazaar.store import Store, VersionRecord


def run_donate(directory: Path, data: list[Path], **options: object) -> None:
    """Write the donation bundle and say what is in it."""
    from modelbazaar.workflows.donate import donate  # noqa: PLC0415 (log/show use this module: no torch)

    outcome = donate(directory, data=data, **options)  # type: ignore[arg-type]
    size = sum(outcome.files.values())
    console.print(
        f"wrote [bold]{escape(str(outcome.bundle))}[/]: {len(outcome.files)} files, "
        f"{outcome.documents} documents, {size:,} bytes (base {outcome.base[:12]}); next: "
        f"bazaar review {escape(str(outcome.bundle))}",
        highlight=False,
    )


def is_donation(path: Path) -> bool:
    """True for a data bundle. The bundle is verified again by the merge that follows; a broken
    one is reported there, so here any refusal just means "not a donation"."""
    try:
        from modelbazaar.contrib import open_bundle  # noqa: PLC0415 (keeps log/show torch-free)

        return open_bundle(path, require_signature=False).manifest.kind == "data"
    except BundleError:
        return False


def run_merge_donations(directory: Path, bundles: list[Path]) -> None:
    """Merge each accepted donation into the model source, one source revision each."""
    adapters = [str(b) for b in bundles if not is_donation(b)]
    if adapters:
        raise BazaarError(
            f"{', '.join(adapters)}: not data donations; merge adapters and donations with "
            "separate `bazaar merge` commands"
        )
    from modelbazaar.workflows.donate import merge_donation  # noqa: PLC0415 (see run_donate)

    for bundle in bundles:
        merged = merge_donation(directory, bundle, show_progress=False)
        if merged.already:
            out.print(f"already merged: {escape(str(merged.manifest))} (nothing changed)")
            continue
        dropped = f", {merged.dropped} duplicates dropped" if merged.dropped else ""
        out.print(
            f"[green]merged[/] {escape(str(bundle))}: {merged.kept} documents into "
            f"{escape(str(merged.manifest))}{dropped}; source revision {merged.revision[:12]} "
            f"(from {merged.parent[:12]}). Next: bazaar build",
            highlight=False,
        )


def source_of(record: VersionRecord) -> str:
    """A built version's parent is its source: 'source 5be1c0ffee12' (or '—')."""
    revision = record.info.get("source_revision")
    return f"source {revision[:12]}" if revision else "—"


def print_revisions(store: Store) -> None:
    """The source revisions that merged data donations, newest first, one line each (ids
    whole even in a narrow terminal), with the refs whose build trained on them."""
    revisions = store.catalogue.source_revisions()
    if not revisions:
        return
    built: dict[str, list[str]] = {}
    for name, ref in store.catalogue.refs().items():
        revision = store.version(ref["version"]).info.get("source_revision")
        built.setdefault(revision or "", []).append(name)
    out.print("\nsource revisions (data donations merged into data/), newest first:")
    for row in revisions:
        refs = ", ".join(built.get(row["id"], [])) or "not built yet: run `bazaar build`"
        origin = f"from {row['parent'][:12]}" if row["parent"] else "first recorded"
        out.print(
            f"  {row['id'][:12]}  {row['created_at'][:16].replace('T', ' ')}  "
            f"{row['message']}  (donation {(row['contribution'] or '')[:12]}, "
            f"{origin}; built: {refs})",
            highlight=False,
            markup=False,  # plain text: brackets and a donor's words are never rich markup
        )
