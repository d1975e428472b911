"""`bazaar audit`: how open is a model folder or a Model Openness Framework YAML?"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from modelbazaar.audit import AuditReport, audit_folder, audit_mof_yaml, write_report
from modelbazaar.errors import AuditError

STYLE = {"open source": "bold green", "open weights": "bold yellow", "closed": "bold red"}


def audit(
    path: Annotated[
        Path | None, typer.Argument(help="Model folder (HF format, a release, or card + licences).")
    ] = None,
    mof: Annotated[
        Path | None, typer.Option("--mof", help="Audit a Model Openness Framework YAML instead.")
    ] = None,
    out: Annotated[
        Path, typer.Option("--out", help="Folder for audit.json, audit.md and audit.html.")
    ] = Path("audit-report"),
) -> None:
    """Audit how open a model is: MOF class, OSAID 1.0, EU open-source AI index, licences,
    restrictive clauses and the verdict (open source / open weights / closed).

    Example: bazaar audit ./my-model --out ./report
    """
    if (path is None) == (mof is None):
        raise AuditError("Give either a PATH to a model folder or --mof FILE.yml (exactly one).")
    if mof is not None:
        if not mof.is_file():
            raise AuditError(f"{mof}: no such folder or file; give the path of a MOF YAML file.")
        report = audit_mof_yaml(mof)
    else:
        assert path is not None
        if not path.exists():
            raise AuditError(f"{path}: no such folder or file; give the path of a model folder.")
        report = audit_mof_yaml(path) if path.is_file() else audit_folder(path)
    paths = write_report(report, out)
    print_summary(report, Console())
    Console().print(f"report: {paths['html']} (also audit.json, audit.md)", highlight=False)


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
    for problem in report.problems:
        console.print(f"[yellow]warning:[/] {problem}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add the `audit` command to the `bazaar` app."""
    app.command("audit")(audit)
