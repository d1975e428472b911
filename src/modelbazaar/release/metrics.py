"""Training metrics, compute used and evaluation results of a version, for its release.

CPU-hours = Σ over build stages of wall-clock seconds × threads × processes / 3600: the cores
the build held, not a measure of useful work. Evaluation results are the stored eval runs plus
the build's own held-out validation loss (perplexity = exp(loss)), so a fresh build still has a
measured result.

Example: a 20 s pretrain on 2 threads, 1 process -> 0.011 CPU-hours.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path
from typing import Any

from modelbazaar.store import Store, VersionRecord


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def compute_used(store: Store, record: VersionRecord) -> dict[str, Any]:
    """Per-stage duration, cores and tokens, and the totals (CPU-hours, training tokens)."""
    stages = {}
    for stage, key in (record.info.get("builds") or {}).items():
        row = store.catalogue.build(key)
        if row is None:
            continue
        machine = _json(row["machine"]) or {}
        cores = int(machine.get("threads", 1)) * int(machine.get("world_size", 1))
        stages[stage] = {
            "duration_s": row["duration_s"],
            "cores": cores,
            "cpu_hours": row["duration_s"] * cores / 3600,
            "tokens": row["tokens"],
            "final_train_loss": row["final_train_loss"],
            "final_val_loss": row["final_val_loss"],
            "machine": machine,
        }
    return {
        "stages": stages,
        "cpu_hours": sum(s["cpu_hours"] for s in stages.values()),
        "training_tokens": training_stage(stages).get("tokens", 0),
    }


def training_stage(stages: dict[str, Any]) -> Any:
    """The stage that trained the weights: `pretrain` of a Llama, `guard` of a guard."""
    return stages.get("pretrain") or stages.get("guard") or {}


def write_metrics(store: Store, record: VersionRecord, out: Path) -> dict[str, Any]:
    """Write metrics/train_metrics.csv, metrics/compute.json and metrics/loss.png."""
    out.mkdir(parents=True, exist_ok=True)
    compute = compute_used(store, record)
    (out / "compute.json").write_text(json.dumps(compute, indent=2) + "\n", "utf-8")
    key = training_stage(record.info.get("builds") or {})
    rows = store.catalogue.train_metrics(key) if key else []
    fields = ["step", "tokens", "loss", "val_loss", "lr", "tokens_per_s"]
    with open(out / "train_metrics.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    if rows:
        loss_plot(rows, out / "loss.png")
    return compute | {"steps": len(rows)}


def loss_plot(rows: list[dict[str, Any]], path: Path) -> None:
    """Training loss per step and validation loss where measured, as a PNG."""
    import matplotlib

    matplotlib.use("Agg")  # no display on servers and in tests
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3.5), dpi=100)
    ax.plot([r["step"] for r in rows], [r["loss"] for r in rows], label="train loss")
    val = [(r["step"], r["val_loss"]) for r in rows if r.get("val_loss") is not None]
    if val:
        ax.plot(*zip(*val, strict=True), marker="o", label="validation loss")
    ax.set_xlabel("step")
    ax.set_ylabel("cross-entropy (nats/token)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, metadata={"Software": None})  # no version stamp: same data, same bytes
    plt.close(fig)


def eval_results(store: Store, record: VersionRecord) -> list[dict[str, Any]]:
    """Stored eval results, then the build's validation loss: [{suite, metrics, n, ...}]."""
    results = [
        {
            "suite": r["suite"],
            "suite_version": r["suite_version"],
            "metrics": r["metrics"],
            "n": r["n"],
        }
        for r in store.catalogue.eval_results_for(record.hash)
    ]
    key = training_stage(record.info.get("builds") or {})
    row = store.catalogue.build(key) if key else None
    guard = record.info.get("kind") == "guard"
    if row and row.get("final_val_loss") is not None and not guard:
        loss = float(row["final_val_loss"])
        results.append(
            {
                "suite": "build-validation",
                "suite_version": "build",
                "metrics": {"loss": loss, "perplexity": math.exp(loss)},
                "n": None,
                "note": "mean next-token loss on the validation split, measured by the build",
            }
        )
    return results
