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
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from modelbazaar.audit.core import audit_components
from modelbazaar.audit.models import AuditReport, ClauseFinding, LicenseMatch
from modelbazaar.audit.mof import component_named
from modelbazaar.errors import AuditError
from modelbazaar.licenses.additions import unclassified_conditions
from modelbazaar.licenses.clause_model import ClauseClassifier
from modelbazaar.licenses.corpus import mark_updatable
from modelbazaar.licenses.identify import declared_license, read_license, read_license_file

LICENSE_FILE = re.compile(
    r"^(licen[cs]e|copying|notice|.*use[_-]?policy|.*\baup\b|.*acceptable[_-]use)", re.I
)
POLICY_FILE = re.compile(r"use[_-]?policy|aup|acceptable[_-]use|notice", re.I)
# Type-specific licence files a release may carry: LICENSE-code, LICENSE-data, LICENSE-docs.
TYPE_SUFFIX = {"code": "code", "data": "data", "doc": "document", "weights": "data"}
UNKNOWN_TEXT = "LicenseRef-unknown-"  # the label of a licence text nobody could identify

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


@dataclass
class _Read:
    """What the licence files of a folder say."""

    matches: list[LicenseMatch] = field(default_factory=list)
    findings: list[ClauseFinding] = field(default_factory=list)
    typed: dict[str, str | None] = field(default_factory=dict)  # scope -> licence id
    claims: dict[str, str] = field(default_factory=dict)  # file -> id, distribution scope
    problems: list[str] = field(default_factory=list)
    blockers: list[str] = field(default_factory=list)  # rule out "open source" on their own


def _read_files(files: list[Path], classifier: ClauseClassifier | None = None) -> _Read:
    """Identify every licence file and read its clauses; note unusable and disagreeing files."""
    read = _Read()
    policy_texts: list[str] = []
    for file in files:
        text, problem = read_license_file(file)
        if text is None:
            read.matches.append(
                LicenseMatch(
                    source=file.name, license_id=None, method="unreadable", problem=problem
                )
            )
            read.problems.append(f"{problem}; it was not used")
            read.blockers.append(f"{file.name} cannot be read as a licence text")
            continue
        match, found = read_license(text, file.name, classifier)
        read.matches.append(match)
        read.findings += found
        conditions = unclassified_conditions(match, found)
        if conditions:
            read.problems.append(
                f"{file.name} adds conditions to {match.license_id} that no rule could classify "
                f"(“{conditions[0]}”{f' and {len(conditions) - 1} more' if conditions[1:] else ''})"
                "; read them: until a person has, the folder is not counted as open source"
            )
            read.blockers.append(
                f"{file.name} adds conditions to {match.license_id} that a person must read"
            )
        if match.method == "empty":
            read.problems.append(f"{match.problem}; put the licence text in it")
            read.blockers.append(f"{file.name} is empty")
            continue
        if POLICY_FILE.search(file.name):
            policy_texts.append(text)
            continue
        scope = next((t for k, t in TYPE_SUFFIX.items() if k in file.name.lower()), "distribution")
        label = match.license_id or f"{UNKNOWN_TEXT}{file.name}"
        read.typed.setdefault(scope, label)
        if scope == "distribution":
            read.claims[file.name] = label
    mark_updatable(read.findings, policy_texts)
    claimed = sorted(set(read.claims.values()))
    if len(claimed) > 1:
        named = ", ".join(f"{name} is {lid}" for name, lid in read.claims.items())
        read.problems.append(
            f"conflict: the licence files disagree ({named}); say which one governs the model "
            "(LICENSE-code / LICENSE-data name a scope) or keep one"
        )
    return read


def audit_folder(
    path: Path, *, extra_components: dict[str, str | None] | None = None, deep: bool = False
) -> AuditReport:
    """Audit a model folder; a folder without any licence is "closed", not an error.

    `extra_components` adds or overrides MOF components (name -> licence id) that the folder
    cannot show, e.g. `{"Datasets": "CC-BY-4.0"}` from data manifests. `deep`: a fine-tuned
    sentence encoder reads the clauses beside the rules (audit/clause_encoder.py: more clauses
    in new wording found, fewer false ones; a second or more per licence, torch imported).
    """
    folder = Path(path)
    if not folder.is_dir():
        raise AuditError(f"{folder} is not a folder; give a model folder or use --mof FILE.yml.")
    meta, problems = read_card(folder)
    files = sorted(p for p in folder.iterdir() if p.is_file() and LICENSE_FILE.match(p.name))
    classifier = None
    if deep:
        from modelbazaar.audit.clause_encoder import shipped_deep_model

        classifier = shipped_deep_model()
    read = _read_files(files, classifier)
    problems += read.problems
    typed = read.typed
    declared_name = (
        meta.get("license_name") if meta.get("license") == "other" else meta.get("license")
    )
    if declared_name:
        declared = declared_license(str(declared_name), "README.md:license")
        read.matches.append(declared)
        problems += _card_problems(declared, typed.get("distribution"), bool(read.claims))
        if declared.license_id:
            typed.setdefault("distribution", declared.license_id)

    comps: dict[str, str | None] = {name: None for name in _present(folder)}
    comps.update(extra_components or {})
    main = typed.get("distribution")
    # The folder's licence governs its weights even when the weight files are not in it.
    verdict_map = {name: _resolve(name, lic_id, typed) for name, lic_id in comps.items()}
    if main is not None:
        verdict_map.setdefault("Model parameters (Final)", typed.get("data", main))
    for name, license_id in list(read.claims.items())[1:]:  # the other claimants count too
        verdict_map.setdefault(name, license_id)
    if not files and not declared_name:
        problems.append("no LICENSE, NOTICE or use-policy file and no licence in the model card")
    return audit_components(
        comps,
        global_licenses=typed,
        findings=read.findings,
        licenses=read.matches,
        subject=str(folder),
        kind="folder",
        problems=problems,
        verdict_components=verdict_map if typed else {},
        blockers=read.blockers,
    )


def _card_problems(declared: LicenseMatch, text_id: str | None, has_text: bool) -> list[str]:
    """What is wrong between the card's `license:` and the licence files."""
    if not declared.license_id:
        return []
    if not has_text:
        return [
            f"README.md declares {declared.license_id} but the folder has no licence text: "
            "nobody can read the terms it grants; add the licence text as LICENSE"
        ]
    custom = declared.status == "unknown" and (text_id or "").startswith(UNKNOWN_TEXT)
    if text_id and declared.license_id != text_id and not custom:
        # A name we cannot check beside a text we cannot identify is the Hub's way of naming a
        # custom licence (`license: other` + `license_name:`): the text is that licence.
        return [
            f"conflict: README.md declares {declared.license_id} but the LICENSE text is "
            f"{text_id}; the text was used"
        ]
    return []


def _resolve(name: str, own: str | None, typed: dict[str, str | None]) -> str | None:
    if own is not None:
        return own
    kind = component_named(name)["content_type"]
    return typed.get(kind) or typed.get("distribution")
