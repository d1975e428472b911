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
from typing import TYPE_CHECKING, Any

from safetensors.torch import save_file

from modelbazaar.audit import AuditReport, write_report
from modelbazaar.audit.components import effective_weights_license, package_license
from modelbazaar.audit.release_audit import audit_release, write_licenses, write_mof_yaml
from modelbazaar.audit.report import badge_svg
from modelbazaar.data.manifest import Manifest
from modelbazaar.errors import BazaarError
from modelbazaar.export import export
from modelbazaar.licenses.spdx import is_license_id
from modelbazaar.recipe import RECIPE_FILE, parse_recipe
from modelbazaar.recipe_imported import recipe_text
from modelbazaar.release import card, metrics, source
from modelbazaar.release.guard import export_guard, guard_evaluation, write_guard_samples
from modelbazaar.release.mof_components import model_components, with_data
from modelbazaar.release.samples import write_samples
from modelbazaar.store import Store, VersionRecord
from modelbazaar.store.lineage import Lineage, is_open, walk
from modelbazaar.train.replay import intermediate

if TYPE_CHECKING:
    from modelbazaar.safety.guard.model import Guard


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
    lineage = _checked_lineage(store, record, license_id)
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
    recipe_file = None if recipe else _imported_recipe(store, lineage, model_dir)
    missing, code_version = _write_source(src, recipe, recipe_file, data, model_dir, notes)

    # 3. intermediate parameters (replayed when the build did not keep them)
    step, why = _write_intermediate(store, record, out)
    notes.append(f"intermediate parameters: step {step}" if step else f"no intermediate: {why}")

    # 4. metrics, evaluation results, samples
    compute = metrics.write_metrics(store, record, out / "metrics")
    shipped = [] if missing else data  # a guard is measured on its shipped test split
    results, params = _write_results(store, record, out, guard, shipped)
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
    ctx = card.card_context(store, record, lineage, ids, extra)
    _write_documents(out, ctx, recipe, paper)
    parts = model_components(out, ctx, ids, "guard" if guard else "llama")
    write_mof_yaml(out, ctx, with_data(parts, out, ctx, bool(data) and not missing))

    # 6. the card states what the audit of this folder finds; audit again to confirm it
    report = _card_and_audit(out, ctx | {"verdict": "pending", "mof_class": 0})
    report = _card_and_audit(out, _with_report(ctx, report))
    openness = out / "openness"
    write_report(report, openness)
    (openness / "badge.svg").write_text(badge_svg(report), encoding="utf-8")
    return ReleaseOutcome(out=out, version=record.hash, report=report, notes=notes)


def _checked_lineage(store: Store, record: VersionRecord, license_id: str) -> Lineage:
    """The version's lineage, once `license_id` is an SPDX id that the lineage's terms allow
    (a version descending from a model under a non-open licence keeps that licence)."""
    if not is_license_id(license_id):
        raise BazaarError(f"--license '{license_id}' is not an SPDX id or LicenseRef-…")
    lineage = walk(store, record.hash)
    inherited = effective_weights_license(record, lineage)
    if inherited and not is_open(inherited) and inherited != license_id:
        raise BazaarError(
            f"version {record.short} descends from a model under {inherited}; its terms still "
            f"apply, so release it with --license {inherited}"
        )
    return lineage


def _write_source(
    src: Path,
    recipe: dict[str, Any],
    imported_recipe: tuple[str, str] | None,
    data: list[dict[str, Any]],
    model_dir: Path | None,
    notes: list[str],
) -> tuple[list[str], dict[str, Any]]:
    """Recipe, manifests + data files and the exact code under `src`; (data files not shipped,
    the code version). What was written, or could not be, is added to `notes`."""
    src.mkdir(exist_ok=True)
    if recipe:
        notes.append(f"recipe {source.write_recipe(src, recipe, model_dir)}")
    elif imported_recipe:
        text, how = imported_recipe
        (src / RECIPE_FILE).write_text(text, encoding="utf-8")
        notes.append(f"recipe {how} (imported: [imported] names the source and its sha256)")
    missing = source.write_data(src, data, model_dir) if data else []
    if missing:
        notes.append(f"data files not shipped (absent or changed): {', '.join(missing)}")
    return missing, source.write_code(src)


def _imported_recipe(
    store: Store, lineage: Lineage, model_dir: Path | None
) -> tuple[str, str] | None:
    """(bazaar.toml text, "copied" | "recorded") for a version descended from an import.

    An imported model has no build recipe; its source is the `[imported]` recipe that names the
    import source and the sha256 of every file (what `bazaar verify` re-imports). The model
    folder's recipe is copied when its `[imported]` version is in this lineage (it keeps the
    maintainers' policy and comments); otherwise it is written again from the recorded import.
    """
    imported = [node.id for node in lineage.nodes if node.kind == "imported"]
    if not imported:
        return None
    local = model_dir / RECIPE_FILE if model_dir else None
    if local and local.is_file():
        text = local.read_text("utf-8")
        try:
            part = parse_recipe(text).imported
        except Exception:  # a broken local recipe is simply not used
            part = None
        if part is not None and part.version in imported:
            return text, "copied"
    record = store.version(imported[0])
    source_spec = record.info["source"]["spec"]
    return recipe_text(str(model_dir or "."), source_spec, record.info, record.hash), "recorded"


def _write_results(
    store: Store, record: VersionRecord, out: Path, guard: Guard | None, shipped: list[dict]
) -> tuple[list[dict[str, Any]], int]:
    """eval_results.json (a guard's also measured on the `shipped` test split) and samples.md;
    returns the results and the parameter count the samples report."""
    results = metrics.eval_results(store, record)
    if guard is not None and shipped:  # measured on the shipped test split
        manifests = [Manifest.model_validate(_manifest_fields(d)) for d in shipped]
        results += guard_evaluation(guard, manifests, out / "source")
    (out / "eval_results.json").write_text(json.dumps(results, indent=2) + "\n", "utf-8")
    if guard is not None:
        return results, write_guard_samples(guard, out / "samples.md")
    return results, write_samples(store, record.hash, out / "samples.md")


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
