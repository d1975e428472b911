"""Examples/s of `bazaar eval` against lm-evaluation-harness, same model and tasks, one run.

Builds a template (tiny by default) in a temp dir, exports it as an HF folder, and times, for a
perplexity task (TinyStories, whole documents) and a multiple-choice task (WordNet definitions
that fit the context): our runner (model load + scoring) and lm-eval's `simple_evaluate` (HF
backend, CPU, same batch size; its one-off task indexing is excluded). Prints both and the ratio,
and the metric each side got.

    python bench/eval_throughput.py [--template tiny] [--batch-size 16] [--repeats 2]
"""

import argparse
import logging
import tempfile
import time
from pathlib import Path

import torch

from modelbazaar import templates
from modelbazaar.evals import load_suite, run_suite_on_model
from modelbazaar.evals.examples import suite_examples
from modelbazaar.evals.lm_eval_ref import fitting_rows, local_suite, run_lm_eval, task_manager
from modelbazaar.export import export
from modelbazaar.model import load_version
from modelbazaar.store import Store
from modelbazaar.workflows.build import build


def best_of(repeats: int, fn) -> tuple[float, object]:
    """Fastest wall time of `repeats` calls (the first call also warms caches)."""
    times, out = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return min(times), out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--template", default="tiny")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    logging.getLogger("lm-eval").setLevel(logging.ERROR)
    work = Path(tempfile.mkdtemp(prefix="eval-bench-"))
    model_dir = templates.create(work / "model", args.template)
    build(model_dir, show_progress=False)
    store = Store.for_model(model_dir)
    export(store, "main", work / "hf")
    loaded = load_version(store, "main")
    max_len = loaded.model.config.max_position_embeddings
    stories = [{"text": r["text"]} for r in suite_examples(load_suite("tinystories"))]
    rows = fitting_rows(loaded.tokenizer, suite_examples(load_suite("wordnet_mc")), max_len)
    rows = [{k: r[k] for k in ("question", "choices", "answer")} for r in rows]
    tasks = {"perplexity": ({"stories": stories}, {}), "multiple_choice": ({}, {"wordnet": rows})}
    manager = task_manager(work / "lm_eval", {"stories": stories}, {"wordnet": rows})
    suites = {
        "perplexity": load_suite("tinystories"),
        "multiple_choice": local_suite(
            work / "evals", "wordnet_fit", "multiple_choice", rows, batch_size=args.batch_size
        ),
    }
    print(
        f"model: {args.template} ({sum(p.numel() for p in loaded.model.parameters()) / 1e6:.2f}M"
        f" params), torch threads {torch.get_num_threads()}, batch {args.batch_size}"
    )
    for kind, (ppl, mc) in tasks.items():
        n = len(stories) if kind == "perplexity" else len(rows)

        def ours(kind=kind):
            model = load_version(store, "main")
            return run_suite_on_model(model.model, model.tokenizer, suites[kind])

        def theirs(ppl=ppl, mc=mc):
            return run_lm_eval(work / "hf", ppl, mc, work / "lm_eval", args.batch_size, manager)

        t_ours, r_ours = best_of(args.repeats, ours)
        t_theirs, r_theirs = best_of(args.repeats, theirs)
        metric, key = ("bits_per_byte", "bits_per_byte,none") if ppl else ("acc", "acc,none")
        theirs_value = next(iter(r_theirs.values()))[key]
        print(
            f"{kind:16s} n={n:4d}  bazaar eval {n / t_ours:8.1f} ex/s  lm-eval "
            f"{n / t_theirs:8.1f} ex/s  ratio {t_theirs / t_ours:5.2f}x  "
            f"{metric}: {r_ours.metrics[metric]:.6f} vs {theirs_value:.6f}"
        )


if __name__ == "__main__":
    main()
