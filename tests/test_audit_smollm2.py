"""Audit of an imported SmolLM2-135M-Instruct (Apache-2.0): open source, no obligations."""

import pytest

from modelbazaar.audit.components import audit_version
from modelbazaar.store import Store

pytestmark = pytest.mark.slow  # the import dequantises a 135M GGUF (~50 s)


def test_imported_smollm2_audits_open_source(tmp_path):
    from modelbazaar.workflows.importer import import_model

    store = Store(tmp_path / "store")
    version = import_model(store, "smollm2", "Apache-2.0")
    report, lineage = audit_version(store, version)
    assert report.verdict == "open source", report.reasons
    assert report.components["Model parameters (Final)"] == "Apache-2.0"
    assert not lineage.obligations
    # weights without their data, code or documents: not even MOF Class III
    assert report.mof.mof_class == 0 and "Datasets" not in report.components
