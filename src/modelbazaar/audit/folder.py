"""Audit a folder: an HF-format model, a modelbazaar release, or any folder with a model card
and licence files.

What the folder holds decides which MOF components are present (weights files -> final
parameters, config.json or *.py -> architecture, README.md -> model card, ...); the licence
files and the card's `license:` field decide their licence; every licence text is identified
and read for restrictive clauses.

Example: a folder with `LICENSE` (Apache text), `README.md` (`license: apache-2.0`) and
`model.safetensors` -> components under Apache-2.0, verdict "open source".
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from modelbazaar.audit.core import audit_components
from modelbazaar.audit.models import AuditReport, ClauseFinding, LicenseMatch
from modelbazaar.audit.mof import component_named
from modelbazaar.errors import AuditError
from modelbazaar.licenses.clauses import find_clauses
from modelbazaar.licenses.corpus import mark_updatable
from modelbazaar.licenses.identify import declared_license, identify_license, read_license_file

LICENSE_FILE = re.compile(
    r"^(licen[cs]e|copying|notice|.*use[_-]?policy|.*\baup\b|.*acceptable[_-]use)", re.I
)
POLICY_FILE = re.compile(r"use[_-]?policy|aup|acceptable[_-]use|notice", re.I)
# Type-specific licence files a release may carry: LICENSE-code, LICENSE-data, LICENSE-docs.
TYPE_SUFFIX = {"code": "code", "data": "data", "doc": "document", "weights": "data"}

# MOF component -> glob patterns whose presence shows it is released (top level, or one down).
EVIDENCE: dict[str, list[str]] = {
    "Model parameters (Final)": ["*.safetensors", "*.gguf", "pytorch_model*.bin", "*.pt", "*.pth"],
    "Model architecture": ["config.json", "modeling*.py", "model.py"],
    "Model card": ["README.md"],
    "Data card": ["DATASHEET*.md", "datasheet*.md", "data_card*.md", "DATA_CARD*.md"],
    "Evaluation results": ["eval*.json", "evals/*", "results*.json", "openness*"],
    "Technical report": ["*report*.pdf", "TECHNICAL_REPORT*", "technical_report*"],
    "Research paper": ["paper*.pdf", "PAPER*"],
    "Training code": ["train*.py", "source/*", "src/*"],
    "Inference code": ["inference*.py", "generate*.py", "run*.py"],
    "Evaluation code": ["eval*.py", "evaluate*.py"],
    "Datasets": ["data/*", "datasets/*"],
    "Data preprocessing code": ["preprocess*.py", "prepare*.py"],
    "Model metadata": ["bazaar.toml", "trainer_state.json", "training_args*", "metrics*.json"],
    "Model parameters (Intermediate)": ["checkpoints/*", "checkpoint-*"],
}


def read_card(folder: Path) -> tuple[dict, list[str]]:
    """The YAML front matter of README.md ({} when absent) and any problem reading it."""
    readme = folder / "README.md"
    if not readme.is_file():
        return {}, []
    text, problem = read_license_file(readme)
    if text is None:
        return {}, [f"README.md: {problem}"]
    match = re.match(r"^---\s*\n(.*?)\n---\s*(\n|$)", text, re.S)
    if not match:
        return {}, []
    try:
        meta = yaml.safe_load(match[1]) or {}
    except yaml.YAMLError as exc:
        return {}, [f"README.md front matter is not valid YAML ({exc}); its licence was ignored"]
    return (meta if isinstance(meta, dict) else {}), []


def _present(folder: Path) -> list[str]:
    found = []
    for name, patterns in EVIDENCE.items():
        if any(next(folder.glob(p), None) for p in patterns):
            found.append(name)
    return found


def audit_folder(
    path: Path, *, extra_components: dict[str, str | None] | None = None
) -> AuditReport:
    """Audit a model folder; a folder without any licence is "closed", not an error.

    `extra_components` adds or overrides MOF components (name -> licence id) that the folder
    cannot show, e.g. `{"Datasets": "CC-BY-4.0"}` from data manifests.
    """
    folder = Path(path)
    if not folder.is_dir():
        raise AuditError(f"{folder} is not a folder; give a model folder or use --mof FILE.yml.")
    meta, problems = read_card(folder)
    matches: list[LicenseMatch] = []
    findings: list[ClauseFinding] = []
    policy_texts: list[str] = []
    typed: dict[str, str | None] = {}
    files = sorted(p for p in folder.iterdir() if p.is_file() and LICENSE_FILE.match(p.name))
    for file in files:
        text, problem = read_license_file(file)
        if text is None:
            matches.append(
                LicenseMatch(
                    source=file.name, license_id=None, method="unreadable", problem=problem
                )
            )
            problems.append(f"{problem}; it was not used")
            continue
        match = identify_license(text, file.name)
        matches.append(match)
        findings += find_clauses(text, file.name)
        if POLICY_FILE.search(file.name):
            policy_texts.append(text)
            continue
        scope = next((t for k, t in TYPE_SUFFIX.items() if k in file.name.lower()), "distribution")
        label = match.license_id or f"LicenseRef-unknown-{file.name}"
        typed.setdefault(scope, label)
    mark_updatable(findings, policy_texts)

    declared_name = (
        meta.get("license_name") if meta.get("license") == "other" else meta.get("license")
    )
    if declared_name:
        declared = declared_license(str(declared_name), "README.md:license")
        matches.append(declared)
        text_id = typed.get("distribution")
        if declared.license_id and text_id and declared.license_id != text_id:
            problems.append(
                f"README.md declares {declared.license_id} but the LICENSE text is {text_id}; "
                "the text was used"
            )
        if declared.license_id:
            typed.setdefault("distribution", declared.license_id)

    comps: dict[str, str | None] = {name: None for name in _present(folder)}
    comps.update(extra_components or {})
    main = typed.get("distribution")
    # The folder's licence governs its weights even when the weight files are not in it.
    verdict_map = {name: _resolve(name, lic_id, typed) for name, lic_id in comps.items()}
    if main is not None:
        verdict_map.setdefault("Model parameters (Final)", typed.get("data", main))
    if not files and not declared_name:
        problems.append("no LICENSE, NOTICE or use-policy file and no licence in the model card")
    return audit_components(
        comps,
        global_licenses=typed,
        findings=findings,
        licenses=matches,
        subject=str(folder),
        kind="folder",
        problems=problems,
        verdict_components=verdict_map if typed else {},
    )


def _resolve(name: str, own: str | None, typed: dict[str, str | None]) -> str | None:
    if own is not None:
        return own
    kind = component_named(name)["content_type"]
    return typed.get(kind) or typed.get("distribution")
