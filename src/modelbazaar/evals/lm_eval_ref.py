"""Run the reference evaluator (lm-evaluation-harness, HF backend, CPU, offline) on an exported
version, with local task YAMLs written from our suites' own rows, so the numbers can be compared.

Used by the agreement test and `bench/eval_throughput.py`; lm-eval is a dev dependency only.
    out = run_lm_eval(hf_dir, {"tinystories": rows}, {"wordnet_mc": rows}, work_dir)
    out["tinystories"]["bits_per_byte,none"], out["wordnet_mc"]["acc,none"]
"""

import json
import os
from pathlib import Path
from typing import Any

import yaml

from modelbazaar.evals.loglik import encode
from modelbazaar.evals.suite import Suite, parse_suite
from modelbazaar.store.objects import sha256_file

PERPLEXITY_TASK = """task: {name}
dataset_path: json
dataset_kwargs:
  data_files:
    test: {data}
test_split: test
output_type: loglikelihood_rolling
doc_to_text: ""
doc_to_target: "{{{{text}}}}"
should_decontaminate: false
metric_list:
  - metric: word_perplexity
  - metric: byte_perplexity
  - metric: bits_per_byte
metadata:
  version: 1.0
"""

CHOICE_TASK = """task: {name}
dataset_path: json
dataset_kwargs:
  data_files:
    test: {data}
test_split: test
output_type: multiple_choice
doc_to_text: "{{{{question}}}}"
doc_to_choice: "{{{{choices}}}}"
doc_to_target: "{{{{answer}}}}"
metric_list:
  - metric: acc
  - metric: acc_norm
metadata:
  version: 1.0
"""


def fitting_rows(tokenizer, rows: list[dict], max_len: int) -> list[dict]:
    """Multiple-choice rows whose every question + choice fits the context (lm-eval asserts it).

    Example: with max_len 64 a row whose longest definition needs 70 tokens is left out.
    """

    def fits(row: dict) -> bool:
        return all(
            len(encode(tokenizer, f"{row['question']} {c}")) < max_len for c in row["choices"]
        )

    return [r for r in rows if fits(r)]


def local_suite(folder: Path, name: str, kind: str, rows: list[dict], **parameters: Any) -> Suite:
    """Write rows as a suite (YAML + hashed JSON lines) in `folder` and load it.

    Example: local_suite(tmp / "evals", "mc_fit", "multiple_choice", rows).kind -> "multiple_choice"
    """
    folder.mkdir(parents=True, exist_ok=True)
    data = folder / f"{name}.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    spec = {
        "name": name,
        "version": "1",
        "kind": kind,
        "parameters": parameters,
        "data": {
            "path": data.name,
            "sha256": sha256_file(data),
            "bytes": data.stat().st_size,
            "license": "LicenseRef-Mixed",
            "source": "rows of shipped suites (see their SOURCE)",
        },
    }
    (folder / f"{name}.yaml").write_text(yaml.safe_dump(spec), encoding="utf-8")
    return parse_suite(folder / f"{name}.yaml")


def write_tasks(
    work: Path, perplexity: dict[str, list[dict]], choice: dict[str, list[dict]]
) -> Path:
    """One task YAML + JSON-lines data file per suite in `work/tasks`."""
    tasks = work / "tasks"
    tasks.mkdir(parents=True, exist_ok=True)
    for template, suites in ((PERPLEXITY_TASK, perplexity), (CHOICE_TASK, choice)):
        for name, rows in suites.items():
            data = tasks / f"{name}.jsonl"
            data.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
            (tasks / f"{name}.yaml").write_text(template.format(name=name, data=data))
    return tasks


def task_manager(work: Path, perplexity: dict[str, list[dict]], choice: dict[str, list[dict]]):
    """lm-eval's TaskManager over our local tasks only (its start-up indexing: ~13 s, once)."""
    os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ["HF_DATASETS_CACHE"] = str(work / "hf_datasets")  # hermetic: no shared cache
    from lm_eval.tasks import TaskManager  # imported late: slow, and a dev dependency

    tasks = write_tasks(work, perplexity, choice)
    return TaskManager(include_path=str(tasks), include_defaults=False)


def run_lm_eval(
    hf_dir: Path,
    perplexity: dict[str, list[dict]],
    choice: dict[str, list[dict]],
    work: Path,
    batch_size: int = 16,
    manager: Any = None,
) -> dict[str, Any]:
    """lm-eval's results per task (keys like "acc,none"), from one `simple_evaluate` call."""
    manager = manager or task_manager(work, perplexity, choice)
    from lm_eval import simple_evaluate

    out = simple_evaluate(
        model="hf",
        model_args=f"pretrained={hf_dir},dtype=float32",
        tasks=[*perplexity, *choice],
        task_manager=manager,
        device="cpu",
        batch_size=batch_size,
        num_fewshot=0,
        log_samples=False,
        bootstrap_iters=0,
    )
    return out["results"]
