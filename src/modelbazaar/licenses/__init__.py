"""One home for licence knowledge: SPDX ids, licence families and the inflow gate, licence-text
identification, restrictive clauses and the open-source verdict.

Modules: ``spdx`` (is this an SPDX id?), ``facts`` (canonical ids, OSI / open-data status),
``gate`` (may licence X flow into a model under Y?), ``identify`` (which licence is this text?),
``clauses`` + ``sections`` (restrictive clauses with section numbers), ``corpus`` (clauses of
the shipped licence texts), ``verdict`` (open source / open weights / closed).
This package is a bottom layer: it imports nothing from the rest of modelbazaar but ``errors``.
"""
