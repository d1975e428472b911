"""`bazaar audit`: how open is a model folder or a Model Openness Framework YAML?"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from modelbazaar.audit import AuditReport, audit_folder, audit_mof_yaml, write_report
from modelbazaar.errors import AuditError
from modelbazaar.licenses.models import LicenseMatch

DEFAULT_OUT = Path("audit-report")
STYLE = {"open source": "bold green", "open weights": "bold yellow", "closed": "bold red"}


def audit(
    path: Annotated[
        Path | None, typer.Argument(help="Model folder (HF format, a release, or card + licences).")
    ] = None,
    mof: Annotated[
        Path | None, typer.Option("--mof", help="Audit a Model Openness Framework YAML instead.")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Folder for audit.json, audit.md and audit.html."),
    ] = None,
    directory: Annotated[
        Path, typer.Option("--dir", "-C", help="Model folder whose store resolves a REF.")
    ] = Path("."),
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the JSON report (audit.json) to stdout only.")
    ] = False,
    deep: Annotated[
        bool,
        typer.Option(
            "--deep",
            help="A fine-tuned sentence encoder reads the clauses beside the rules: more "
            "clauses in new wording found, fewer false ones (measured: README); seconds per "
            "licence instead of a fraction of one.",
        ),
    ] = False,
) -> None:
    """Audit how open a model is: MOF class, OSAID 1.0, EU open-source AI index, licences,
    restrictive clauses and the verdict (open source / open weights / closed).

    PATH may also be a version REF of the model folder's store (-C DIR): the version is audited
    through its lineage (data, merged contributions, imported parents) and the obligations their
    licences impose are listed. A folder holding mof.yml (a release) is audited with it.

    Reports go to --out (default ./audit-report); with --json the report is printed to stdout
    instead (and written to --out only when it is given).

    Example: bazaar audit ./my-model --out ./report ;  bazaar audit main -C ./my-model --json
    """
    if (path is None) == (mof is None):
        raise AuditError("Give either a PATH to a model folder or --mof FILE.yml (exactly one).")
    if deep and (mof is not None or path is None or not path.is_dir()):
        raise AuditError(
            "--deep reads the licence texts of a model folder; give a folder PATH (a MOF YAML "
            "or a stored version is audited without it)"
        )
    if mof is not None:
        if not mof.is_file():
            raise AuditError(f"{mof}: no such folder or file; give the path of a MOF YAML file.")
        report = audit_mof_yaml(mof)
    else:
        assert path is not None
        if not path.exists():
            return _audit_ref(str(path), directory, out, as_json)
        if path.is_file():
            report = audit_mof_yaml(path)
        elif (path / "mof.yml").is_file():
            from modelbazaar.audit.release_audit import audit_release

            report = audit_release(path, deep=deep)
        else:
            report = audit_folder(path, deep=deep)
    _deliver(report, out, as_json)


def _deliver(report: AuditReport, out: Path | None, as_json: bool) -> Path | None:
    """Write the report files (unless only JSON on stdout was asked for) and show it."""
    paths = write_report(report, out or DEFAULT_OUT) if out or not as_json else None
    if as_json:
        typer.echo(report.to_json())
        return None
    print_summary(report, Console())
    assert paths is not None
    Console().print(f"report: {paths['html']} (also audit.json, audit.md)", highlight=False)
    return paths["html"].parent


def _audit_ref(ref: str, directory: Path, out: Path | None, as_json: bool) -> None:
    """Audit a stored version through its lineage; not a path and not a ref is an error."""
    from modelbazaar.audit.components import audit_version
    from modelbazaar.errors import StoreError
    from modelbazaar.store import Store, store_root

    # Opening a Store creates one; only look where a store already is.
    if not (store_root(directory) / "catalogue.db").exists() and not os.environ.get(
        "BAZAAR_DATABASE_URL"
    ):
        raise AuditError(f"{ref}: no such folder or file, and {directory} has no model store.")
    try:
        report, lineage = audit_version(Store.existing(directory), ref)
    except StoreError as exc:
        raise AuditError(f"{ref}: no such folder or file, and not a version: {exc}") from exc
    folder = _deliver(report, out, as_json)
    if folder is not None or out is not None:
        target = folder or out
        assert target is not None
        (target / "lineage.json").write_text(json.dumps(lineage.to_json(), indent=2) + "\n")
    if as_json:
        return
    console = Console()
    if lineage.obligations:
        console.print("[bold]Obligations through the lineage:[/]")
    for ob in lineage.obligations:
        console.print(f"  • {ob.text} — {ob.license}, from {ob.origin}", highlight=False)
    console.print("(lineage.json written beside the report)", highlight=False)


SHOWN_PASSAGES = 3  # per direction; the JSON report has them all
SHOWN_CHARS = 300


def variant_lines(match: LicenseMatch) -> list[str]:
    """What a variant adds to and removes from the licence it resembles, briefly: the first
    passages of each, cut at SHOWN_CHARS, and how many more the JSON report holds.

    Example: Gemma's 2024-04-01 terms -> ['  LICENSE removes (from
    LicenseRef-Gemma-Terms-of-Use-2024-02-21): “and you must make reasonable efforts …”'].
    """
    lines = []
    for verb, done, passages in (
        ("adds", "added", match.added),
        ("removes", "removed", match.removed),
    ):
        where = f" (from {match.license_id})" if verb == "removes" else ""
        for passage in passages[:SHOWN_PASSAGES]:
            shown = passage if len(passage) < SHOWN_CHARS else passage[:SHOWN_CHARS] + " …"
            lines.append(f"  {match.source} {verb}{where}: “{shown}”")
        if len(passages) > SHOWN_PASSAGES:
            more = len(passages) - SHOWN_PASSAGES
            lines.append(f"  … {more} more passage(s) {done}: see the report's audit.json")
    return lines


def print_summary(report: AuditReport, console: Console) -> None:
    """Verdict, reasons, licences, MOF progress and the other frameworks, as rich output."""
    console.print(f"[{STYLE[report.verdict]}]{report.verdict}[/] · {report.subject}")
    for reason in report.reasons:
        console.print(f"  • {reason}", highlight=False)
    if report.licenses:
        table = Table("licence source", "identified as", "confidence", "kind")
        for m in report.licenses:
            table.add_row(m.source, m.label, f"{m.confidence:.2f}", m.problem or m.kind)
        console.print(table)
    p = report.mof.progress
    console.print(
        f"MOF: {report.mof.label} (Class III {p[3]:.0f}%, Class II {p[2]:.0f}%, "
        f"Class I {p[1]:.0f}%)",
        highlight=False,
    )
    missing = [m for item in report.osaid.items for m in item.missing]
    console.print(
        f"OSAID 1.0: {'conformant' if report.osaid.conformant else 'not conformant'}"
        + (
            f" (missing: {'; '.join(missing[:4])}{' …' if len(missing) > 4 else ''})"
            if missing
            else ""
        ),
        highlight=False,
    )
    console.print(f"EU open-source AI index: {report.osai.score}/{report.osai.max_score}")
    for match in report.licenses:
        for line in variant_lines(match):
            console.print(line, highlight=False)
    for note in report.notes:
        console.print(f"note: {note}", highlight=False)
    for problem in report.problems:
        console.print(f"[yellow]warning:[/] {problem}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add the `audit` command to the `bazaar` app."""
    app.command("audit")(audit)
