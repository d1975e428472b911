"""Releases and audits through lineage.

Public API::

    release(store, ref, out, *, license_id, model_dir=None, paper=None) -> ReleaseOutcome
    audit_release(folder) -> AuditReport          a release folder, trusting mof.yml's files
    audit_version(store, ref) -> (AuditReport, Lineage)   a stored version through its lineage
    walk(store, ref) -> Lineage                    nodes, edges and effective obligations

Example: `release(store, "main", Path("out"), license_id="Apache-2.0").report.mof.mof_class`
-> 1 for a built template.
"""

from modelbazaar.release.components import audit_version
from modelbazaar.release.lineage import Lineage, Obligation, walk
from modelbazaar.release.openness import audit_release
from modelbazaar.release.release import ReleaseOutcome, release

__all__ = [
    "Lineage",
    "Obligation",
    "ReleaseOutcome",
    "audit_release",
    "audit_version",
    "release",
    "walk",
]
