"""`bazaar release`: a version -> a folder anyone can rebuild, study, reuse and audit.

Reads top to bottom: check the licence against the lineage -> model files -> source (recipe,
manifests, data, code) -> intermediate checkpoint -> metrics and evals -> samples -> licences
-> documents (datasheet, technical report, paper) -> mof.yml -> model card -> audit of the
folder itself (the card states the verdict the audit of this very folder gives).

OUT/ README.md DATASHEET.md TECHNICAL_REPORT.md PAPER.md samples.md eval_results.json
     LICENSE LICENSE-code LICENSE-docs LICENSE-data LINEAGE.json mof.yml
     config.json model.safetensors tokenizer* generation_config.json
     checkpoints/step-N/{model.safetensors,optimizer.safetensors,config.json}
     metrics/{train_metrics.csv,compute.json,loss.png}  openness/{audit.*,badge.svg}
     source/{bazaar.toml,data/,code/modelbazaar/,CODE_VERSION.json}
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from safetensors.torch import save_file

from modelbazaar.audit import AuditReport, write_report
from modelbazaar.audit.components import data_license, effective_weights_license, package_license
from modelbazaar.audit.release_audit import audit_release, write_licenses, write_mof_yaml
from modelbazaar.audit.report import badge_svg
from modelbazaar.data.manifest import Manifest
from modelbazaar.errors import BazaarError
from modelbazaar.export import export
from modelbazaar.licenses.spdx import is_license_id
from modelbazaar.release import card, metrics, source
from modelbazaar.release.guard import export_guard, guard_evaluation, write_guard_samples
from modelbazaar.release.samples import write_samples
from modelbazaar.store import Store, VersionRecord
from modelbazaar.store.lineage import Lineage, is_open, mof_license, walk
from modelbazaar.train.replay import intermediate

CODE = "source/code/modelbazaar"


@dataclass
class ReleaseOutcome:
    """Where the release went and how open its own audit found it."""

    out: Path
    version: str
    report: AuditReport
    notes: list[str]


def release(
    store: Store,
    ref: str,
    out: Path,
    *,
    license_id: str,
    model_dir: Path | None = None,
    paper: Path | None = None,
) -> ReleaseOutcome:
    """Write release folder `out` for version `ref` with weights under `license_id`."""
    record = store.version(ref)
    if not is_license_id(license_id):
        raise BazaarError(f"--license '{license_id}' is not an SPDX id or LicenseRef-…")
    lineage = walk(store, record.hash)
    inherited = effective_weights_license(record, lineage)
    if inherited and not is_open(inherited) and inherited != license_id:
        raise BazaarError(
            f"version {record.short} descends from a model under {inherited}; its terms still "
            f"apply, so release it with --license {inherited}"
        )
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    notes: list[str] = []

    # 1. the model files, as `bazaar export` writes them (a guard: what load_guard reads)
    guard = export_guard(store, record, out) if record.info.get("kind") == "guard" else None
    if guard is None:
        export(store, record.hash, out)
    recipe: dict[str, Any] = record.info.get("recipe") or {}
    licences = recipe.get("license") or {}
    data = record.info.get("data") or []

    # 2. the source: recipe, manifests + data files, the exact code
    src = out / "source"
    src.mkdir(exist_ok=True)
    if recipe:
        notes.append(f"recipe {source.write_recipe(src, recipe, model_dir)}")
    missing = source.write_data(src, data, model_dir) if data else []
    if missing:
        notes.append(f"data files not shipped (absent or changed): {', '.join(missing)}")
    code_version = source.write_code(src)

    # 3. intermediate parameters (replayed when the build did not keep them)
    step, why = _write_intermediate(store, record, out)
    notes.append(f"intermediate parameters: step {step}" if step else f"no intermediate: {why}")

    # 4. metrics, evaluation results, samples
    compute = metrics.write_metrics(store, record, out / "metrics")
    results = metrics.eval_results(store, record)
    if guard is not None and data and not missing:  # measured on the shipped test split
        shipped = [Manifest.model_validate(_manifest_fields(d)) for d in data]
        results += guard_evaluation(guard, shipped, src)
    (out / "eval_results.json").write_text(json.dumps(results, indent=2) + "\n", "utf-8")
    if guard is not None:
        params = write_guard_samples(guard, out / "samples.md")
    else:
        params = write_samples(store, record.hash, out / "samples.md")
    (out / "LINEAGE.json").write_text(json.dumps(lineage.to_json(), indent=2) + "\n", "utf-8")

    # 5. licences and documents
    ids = {
        "weights": license_id,
        "code": licences.get("code") or package_license(),
        "documentation": licences.get("documentation") or "CC-BY-4.0",
    }
    write_licenses(out, ids, data)
    extra = {"results": results, "compute": compute, "params": params, "missing": missing}
    extra |= {"code_version": code_version, "step": step, "why": why}
    ctx = _card_context(store, record, lineage, ids, extra)
    _write_documents(out, ctx, recipe, paper)
    parts = _guard_components(out, ctx, ids) if guard else _components(out, ctx, ids)
    write_mof_yaml(out, ctx, _with_data(parts, out, ctx, bool(data) and not missing))

    # 6. the card states what the audit of this folder finds; audit again to confirm it
    report = _card_and_audit(out, ctx | {"verdict": "pending", "mof_class": 0})
    report = _card_and_audit(out, _with_report(ctx, report))
    openness = out / "openness"
    write_report(report, openness)
    (openness / "badge.svg").write_text(badge_svg(report), encoding="utf-8")
    return ReleaseOutcome(out=out, version=record.hash, report=report, notes=notes)


def _card_context(
    store: Store,
    record: VersionRecord,
    lineage: Lineage,
    ids: dict[str, str],
    extra: dict[str, Any],
) -> dict[str, Any]:
    """Everything the card, datasheet, report and MOF file say about the version."""
    recipe: dict[str, Any] = record.info.get("recipe") or {}
    data = record.info.get("data") or []
    step, why = extra["step"], extra["why"]
    return {
        "name": record.info.get("name") or record.short,
        "short": record.short,
        "version": record.hash,
        "relation": record.relation,
        "description": recipe.get("description", ""),
        "license": ids["weights"],
        "code_license": ids["code"],
        "doc_license": ids["documentation"],
        "mof_data_license": data_license(lineage.licenses("data")),
        "data": data,
        "synthetic_share": record.info.get("synthetic_token_share", 0.0),
        "recipe": recipe,
        "parents": [
            {"name": store.version(p["parent"]).info.get("name", p["parent"][:12])}
            | {"relation": p["relation"], "hash": p["parent"]}
            for p in record.parents
        ],
        "eval_results": extra["results"],
        "compute": extra["compute"],
        "steps": extra["compute"]["steps"],
        "params": extra["params"],
        "obligations": lineage.obligations,
        "mermaid": lineage.mermaid(),
        "missing_data": extra["missing"],
        "code_version": extra["code_version"],
        "intermediate_note": f"step {step} ({why or 'see checkpoints/'})" if step else why,
        "producer": ", ".join(recipe.get("maintainers") or []),
        "kind": record.info.get("kind", "llama"),
        "backbone": record.info.get("backbone"),
        "threshold": json.loads(store.objects.get_bytes(record.config)).get("threshold"),
    }


def _manifest_fields(recorded: dict[str, Any]) -> dict[str, Any]:
    """A manifest as recorded with a version, without the build's own counts."""
    return {k: v for k, v in recorded.items() if k not in ("train_tokens", "train_rows")}


def _write_documents(
    out: Path, ctx: dict[str, Any], recipe: dict[str, Any], paper: Path | None
) -> None:
    """Datasheet, technical report and paper (the user's own paper replaces the generated one)."""
    if not recipe:
        return
    (out / "DATASHEET.md").write_text(card.render("datasheet.md.j2", ctx), "utf-8")
    (out / "TECHNICAL_REPORT.md").write_text(card.render("report.md.j2", ctx), "utf-8")
    if paper:
        shutil.copyfile(paper, out / ("PAPER" + paper.suffix))
    else:
        (out / "PAPER.md").write_text(card.render("paper.md.j2", ctx), "utf-8")


def _with_report(ctx: dict[str, Any], report: AuditReport) -> dict[str, Any]:
    mof = report.mof
    return ctx | {
        "verdict": report.verdict,
        "reasons": report.reasons,
        "mof_class": mof.mof_class,
        "mof_label": mof.label,
        "progress": mof.progress,
    }


def _card_and_audit(out: Path, ctx: dict[str, Any]) -> AuditReport:
    ctx = {"reasons": [], "mof_label": "not audited yet", "progress": {1: 0, 2: 0, 3: 0}} | ctx
    (out / "README.md").write_text(card.model_card(ctx), encoding="utf-8")
    return audit_release(out)


def _write_intermediate(store: Store, record: Any, out: Path) -> tuple[int | None, str]:
    found, why = intermediate(store, record)
    if found is None:
        return None, why
    folder = out / "checkpoints" / f"step-{found.step:06d}"
    folder.mkdir(parents=True, exist_ok=True)
    save_file(found.model, folder / "model.safetensors", metadata={"format": "pt"})
    if found.optimizer:
        save_file(found.optimizer, folder / "optimizer.safetensors")
    shutil.copyfile(out / "config.json", folder / "config.json")
    return found.step, found.how


def _components(out: Path, ctx: dict[str, Any], ids: dict[str, str]) -> list[tuple[str, ...]]:
    """MOF components of a Llama release: (name, description, licence, files), data aside."""
    weights, code, docs = (mof_license(ids[k]) for k in ("weights", "code", "documentation"))
    steps = sorted(p.parent.name for p in out.glob("checkpoints/*/model.safetensors"))
    return [
        ("Model architecture", "Llama decoder: config + model code", code,
         f"config.json, {CODE}/model.py"),
        ("Model parameters (Final)", "final weights", weights, "model.safetensors"),
        ("Model parameters (Intermediate)", ctx["intermediate_note"], weights,
         ", ".join(f"checkpoints/{s}/model.safetensors" for s in steps)),
        ("Model metadata", "config, recipe, per-step metrics, optimizer state", weights,
         "config.json, source/bazaar.toml, metrics/train_metrics.csv"),
        ("Training code", "modelbazaar build + pretraining loop", code,
         f"{CODE}/workflows/build.py, {CODE}/train/pretrain.py"),
        ("Inference code", "sampling", code, f"{CODE}/generate.py"),
        ("Evaluation code", "validation loss + eval suites", code, f"{CODE}/evals"),
        ("Data preprocessing code", "tokenizer training and packing", code,
         f"{CODE}/data/tokenizer.py, {CODE}/data/packing.py"),
        ("Supporting libraries and tools", "modelbazaar; dependency licences in "
         "CODE_VERSION.json", code, "source/CODE_VERSION.json, source/code"),
        ("Evaluation results", "stored evals + build validation loss", docs, "eval_results.json"),
        ("Model card", "", docs, "README.md"),
        ("Data card", "", docs, "DATASHEET.md"),
        ("Technical report", "generated from the recorded build", docs, "TECHNICAL_REPORT.md"),
        ("Research paper", "generated write-up unless --paper was given", docs,
         next((p.name for p in sorted(out.glob("PAPER*"))), "")),
        ("Sample model outputs", "", docs, "samples.md"),
    ]  # fmt: skip


def _guard_components(out: Path, ctx: dict[str, Any], ids: dict[str, str]) -> list[tuple]:
    """MOF components of a guard release (encoder + heads), data aside."""
    weights, code, docs = (mof_license(ids[k]) for k in ("weights", "code", "documentation"))
    steps = sorted(p.parent.name for p in out.glob("checkpoints/*/model.safetensors"))
    guard = f"{CODE}/safety/guard"
    return [
        ("Model architecture", "BERT encoder (all-MiniLM-L6-v2 shape) + linear heads", code,
         f"config.json, {guard}/network.py"),
        ("Model parameters (Final)", "final weights (encoder + heads)", weights,
         "model.safetensors"),
        ("Model parameters (Intermediate)", ctx["intermediate_note"], weights,
         ", ".join(f"checkpoints/{s}/model.safetensors" for s in steps)),
        ("Model metadata", "config (threshold), recipe, per-step metrics", weights,
         "config.json, source/bazaar.toml, metrics/train_metrics.csv"),
        ("Training code", "modelbazaar build + guard fine-tuning", code,
         f"{CODE}/workflows/build.py, {CODE}/train/guard.py"),
        ("Inference code", "Guard.check (windows, verdicts)", code, f"{guard}/model.py"),
        ("Evaluation code", "guard quality measures", code, f"{guard}/quality.py"),
        ("Data preprocessing code", "label mapping to S1-S14 and fixed splits", code,
         f"{guard}/make_data.py, {guard}/rows.py"),
        ("Supporting libraries and tools", "modelbazaar; dependency licences in "
         "CODE_VERSION.json", code, "source/CODE_VERSION.json, source/code"),
        ("Evaluation results", "quality on the shipped test split", docs, "eval_results.json"),
        ("Model card", "", docs, "README.md"),
        ("Data card", "", docs, "DATASHEET.md"),
        ("Technical report", "generated from the recorded build", docs, "TECHNICAL_REPORT.md"),
        ("Research paper", "generated write-up unless --paper was given", docs,
         next((p.name for p in sorted(out.glob("PAPER*"))), "")),
        ("Sample model outputs", "verdicts on a few prompts", docs, "samples.md"),
    ]  # fmt: skip


def _with_data(
    parts: list[tuple], out: Path, ctx: dict[str, Any], datasets: bool
) -> list[dict[str, str]]:
    """The components with the data ones added, kept only where their files exist."""
    data = ctx["mof_data_license"]
    val = [f"source/data/{f['path']}" for d in ctx["data"] for f in d["files"]]
    val = [p for p in val if "valid" in p or "test" in p]
    wanted = [
        *parts,
        ("Datasets", "training data with manifests", data, "source/data" if datasets else ""),
        ("Evaluation data", "validation and test splits", data, ", ".join(val) if datasets else ""),
    ]
    return [
        {"name": n, "description": d, "license": lic or "unlicensed", "component_path": p}
        for n, d, lic, p in wanted
        if p
        and all((out / x.strip()).exists() for x in p.split(",") if x.strip())
        or n == "Model card"
    ]
