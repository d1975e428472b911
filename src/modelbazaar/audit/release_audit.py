"""Licence files, the release's MOF YAML (`mof.yml`) and the audit of a release folder.

LICENSE holds the weights licence (the release's `--license`), LICENSE-code the code licence,
LICENSE-docs the documentation licence, LICENSE-data the data licences: the texts come from
the audit's licence corpus; an id without a text there (a LicenseRef) gets what is known about
it (id, data sets, sources). `mof.yml` lists every MOF component with its files and licence;
`audit_release` checks that those files exist before it lets the YAML speak for them, then
audits the folder as any other (licence texts identified, clauses read, verdict).

Example: `audit_release(Path("release")).mof.mof_class` -> 1 for the tiny template's release.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from modelbazaar.audit import AuditReport, audit_folder, audit_mof_yaml
from modelbazaar.licenses._data import license_text
from modelbazaar.licenses.facts import PUBLIC_DOMAIN

MOF_FILE = "mof.yml"


def corpus_text(license_id: str) -> str | None:
    """The licence text we ship (every SPDX licence, the model licences), or None."""
    return license_text(license_id)


def known_facts(license_id: str, data: list[dict[str, Any]]) -> str:
    """What we can say about a licence whose text we do not have.

    The first line is an SPDX-License-Identifier, so an audit of the release identifies the
    file by it instead of calling it an unknown text.
    """
    users = [d for d in data if d.get("license") == license_id]
    lines = [f"SPDX-License-Identifier: {license_id}", ""]
    if license_id == PUBLIC_DOMAIN:
        lines.append(
            "The material listed below is in the public domain: no copyright restricts copying, "
            "changing or sharing it. modelbazaar treats it as open data (scored as CC0-1.0)."
        )
    else:
        lines.append(
            "modelbazaar has no text for this licence identifier; read the terms at the source "
            "named below before reuse."
        )
    lines += ["", *[f"- {d['name']}: {d.get('source', 'source not recorded')}" for d in users]]
    return "\n".join(lines) + "\n"


def write_licenses(out: Path, ids: dict[str, str], data: list[dict[str, Any]]) -> None:
    """LICENSE, LICENSE-code, LICENSE-docs and LICENSE-data for `ids` {weights, code, ...}."""
    names = {"weights": "LICENSE", "code": "LICENSE-code", "documentation": "LICENSE-docs"}
    for scope, file in names.items():
        text = corpus_text(ids[scope]) or known_facts(ids[scope], data)
        (out / file).write_text(text, encoding="utf-8")
    data_ids = list(dict.fromkeys(d["license"] for d in data if d.get("license")))
    if not data_ids:
        return
    texts = [corpus_text(i) or known_facts(i, data) for i in data_ids]
    if len(texts) == 1:  # one licence: its bare text, so the audit can identify it
        (out / "LICENSE-data").write_text(texts[0], encoding="utf-8")
        return
    parts = [f"==== {i} ====\n\n{t}" for i, t in zip(data_ids, texts, strict=True)]
    (out / "LICENSE-data").write_text("\n\n".join(parts), encoding="utf-8")


def write_mof_yaml(out: Path, ctx: dict[str, Any], components: list[dict[str, str]]) -> Path:
    """Write mof.yml: release metadata, release-wide licences and every component."""
    doc = {
        "framework": {
            "name": "Model Openness Framework",
            "version": "1.0",
            "date": dt.date.today().isoformat(),
        },
        "release": {
            "name": ctx["name"],
            "version": ctx["short"],
            "date": dt.date.today().isoformat(),
            "type": "language",
            "architecture": "transformer decoder",
            "treatment": "pre-trained",
            "origin": ", ".join(p["name"] for p in ctx["parents"]) or ctx["name"],
            "producer": ctx.get("producer") or "modelbazaar",
            "contact": "",
            "license": {
                "distribution": {"name": ctx["license"], "path": "LICENSE"},
                "code": {"name": ctx["code_license"], "path": "LICENSE-code"},
                "document": {"name": ctx["doc_license"], "path": "LICENSE-docs"},
                "data": {"name": ctx["mof_data_license"], "path": "LICENSE-data"},
            },
            "components": components,
        },
    }
    path = out / MOF_FILE
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def audit_release(folder: Path, deep: bool = False) -> AuditReport:
    """Audit a release folder, letting its mof.yml declare components whose files exist
    (`deep`: as audit_folder's)."""
    folder = Path(folder)
    mof_path = folder / MOF_FILE
    if not mof_path.is_file():
        return audit_folder(folder, deep=deep)
    audit_mof_yaml(mof_path)  # schema check: an AuditError names the bad field
    release = yaml.safe_load(mof_path.read_text("utf-8"))["release"]
    extra: dict[str, str | None] = {}
    problems = []
    for comp in release.get("components") or []:
        paths = [p.strip() for p in str(comp.get("component_path", "")).split(",") if p.strip()]
        missing = [p for p in paths if not (folder / p).exists()]
        if not paths or missing:
            problems.append(
                f"mof.yml lists {comp['name']} but its files are not in the folder "
                f"({', '.join(missing) or 'no component_path'}); it was not counted"
            )
            continue
        extra[comp["name"]] = comp.get("license")
    report = audit_folder(folder, extra_components=extra, deep=deep)
    report.problems += problems
    return report
