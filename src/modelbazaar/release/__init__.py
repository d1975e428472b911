"""Release artefacts: model card, datasheet, metrics, samples and the packaged source.

The `bazaar release` story itself is `modelbazaar.workflows.release`; the openness audit of a
release is `modelbazaar.audit.release_audit`, lineage is `modelbazaar.store.lineage`.
"""
