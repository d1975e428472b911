"""Openness audits: MOF class, OSAID checklist, EU open-source AI index, licences and verdict.

Public API (everything else is private)::

    audit_folder(path, *, extra_components=None) -> AuditReport    a model / release folder
    audit_mof_yaml(path) -> AuditReport                            a MOF YAML file
    audit_components(components, *, global_licenses=None, ...) -> AuditReport
    mof_score(components, global_licenses=None) -> MofResult       no files needed
    verdict(components, findings=()) -> (verdict, reasons)
    identify_license(text, source="text") -> LicenseMatch
    find_clauses(text, source) -> list[ClauseFinding]
    osaid_checklist(mof, findings=()) / osai_index(mof, findings=())
    write_report(report, out_dir) -> {"json": path, "md": path, "html": path}

Example: `audit_folder(Path("llama-folder")).verdict` -> "open weights", with reasons naming the
700,000,000 monthly-active-user cap, the incorporated use policy, the naming rule and the
litigation termination. Errors are `AuditError` with a sentence saying what to do.
"""

from modelbazaar.audit.core import audit_components, audit_mof_yaml
from modelbazaar.audit.folder import audit_folder
from modelbazaar.audit.frameworks import osai_index, osai_score, osaid_checklist
from modelbazaar.audit.models import (
    AuditReport,
    ClauseFinding,
    ComponentStatus,
    LicenseMatch,
    MofResult,
    OsaidResult,
    OsaiResult,
)
from modelbazaar.audit.mof import mof_score
from modelbazaar.audit.report import write_report
from modelbazaar.errors import AuditError
from modelbazaar.licenses.clauses import find_clauses
from modelbazaar.licenses.corpus import corpus_clauses
from modelbazaar.licenses.identify import identify_license
from modelbazaar.licenses.verdict import verdict

__all__ = [
    "AuditError",
    "AuditReport",
    "ClauseFinding",
    "ComponentStatus",
    "LicenseMatch",
    "MofResult",
    "OsaiResult",
    "OsaidResult",
    "audit_components",
    "audit_folder",
    "audit_mof_yaml",
    "corpus_clauses",
    "find_clauses",
    "identify_license",
    "mof_score",
    "osai_index",
    "osai_score",
    "osaid_checklist",
    "verdict",
    "write_report",
]
