"""Which guard recipe? Variants compared on the VALIDATION split (the test split stays unseen).

Every variant trains on the guard template's train rows with the template's optimiser settings
and picks its threshold on the validation rows by the same rule; what changes is how much of
the encoder is fine-tuned (0 = frozen MiniLM + heads, the approach of an earlier attempt; 1, 2,
... top layers). The frozen lower layers are computed once for all variants. Reported per
variant: OpenAI moderation AUPRC, XSTest F1 and FPR at the chosen threshold, harmful-suite
recall, training seconds. The TF-IDF + LR baseline is printed beside, trained on the same rows.
The template's `trainable_layers` is the winner of this table (README "The guard").

Run: python bench/guard_variants.py [--layers 0 1 2] [--steps 400]
"""

from __future__ import annotations

import argparse
import time

from modelbazaar.train import portable

portable.activate()

import torch  # noqa: E402
from guard_quality import TEMPLATE, TfidfDetector  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from modelbazaar.data.manifest import load_manifests  # noqa: E402
from modelbazaar.progress import progress_bar  # noqa: E402
from modelbazaar.recipe import load_recipe  # noqa: E402
from modelbazaar.safety.guard.model import Guard  # noqa: E402
from modelbazaar.safety.guard.network import (  # noqa: E402
    empty_guard,  # noqa: E402
    find_backbone,
    load_tokenizer,
)
from modelbazaar.safety.guard.quality import HARMFUL_SUITES, auprc, rates  # noqa: E402
from modelbazaar.safety.guard.rows import GuardRow, rows_of  # noqa: E402
from modelbazaar.train.guard import train_guard  # noqa: E402
from modelbazaar.train.guard_loop import frozen_features  # noqa: E402


def validation_scores(scores: list[float], rows: list[GuardRow], threshold: float) -> dict:
    by = lambda name: [(r, s) for r, s in zip(rows, scores, strict=True) if r.dataset == name]  # noqa: E731
    om = by("openai_moderation")
    xs = by("xstest")
    r = rates([x.unsafe for x, _ in xs], [s >= threshold for _, s in xs])
    harmful = [(x, s) for name in HARMFUL_SUITES for x, s in by(name) if x.unsafe]
    return {
        "auprc": auprc([x.unsafe for x, _ in om], [s for _, s in om]),
        "f1": r.f1, "fpr": r.fpr,
        "recall": sum(s >= threshold for _, s in harmful) / len(harmful),
        "threshold": threshold,
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--layers", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--steps", type=int, default=None)
    args = parser.parse_args()
    console = Console()
    recipe = load_recipe(TEMPLATE)
    assert recipe.guard is not None
    if args.steps:
        recipe = recipe.model_copy(
            update={"train": recipe.train.model_copy(update={"max_steps": args.steps})}
        )
    manifests = load_manifests(TEMPLATE)
    train = rows_of(manifests, TEMPLATE, "train", recipe.guard)
    validation = rows_of(manifests, TEMPLATE, "validation", recipe.guard)
    backbone = find_backbone(recipe.guard.backbone)
    torch.set_num_threads(recipe.train.threads)
    net = empty_guard(backbone.config())
    net.encoder.load_state_dict(
        {k: v for k, v in backbone.state().items() if k in net.encoder.state_dict()}
    )
    tokenizer = load_tokenizer(backbone.tokenizer_text(), recipe.train.seq_len)
    layer = 6 - max(args.layers)
    with progress_bar() as bar:
        features = (frozen_features(net, tokenizer, train, layer, bar),
                    frozen_features(net, tokenizer, validation, layer, bar), layer)  # fmt: skip
    results = {}
    tfidf = TfidfDetector(train, validation, recipe.guard)
    scores, _ = tfidf.score([r.text for r in validation])
    results["TF-IDF + LR"] = validation_scores(scores, validation, tfidf.threshold) | {"s": 0.0}
    for layers in args.layers:
        variant = recipe.model_copy(
            update={"guard": recipe.guard.model_copy(update={"trainable_layers": layers})}
        )
        started = time.perf_counter()
        result = train_guard(train, validation, variant, backbone, False, None, features)
        guard = Guard(result.config, result.weights, result.tokenizer)
        verdicts = guard.check([r.text for r in validation])
        scores = [v.probability for v in verdicts]
        name = "frozen MiniLM + heads" if layers == 0 else f"top {layers} layers fine-tuned"
        results[name] = validation_scores(scores, validation, guard.threshold)
        results[name]["s"] = time.perf_counter() - started
        console.print(name, results[name])
    table = Table(title=f"guard variants on the validation split ({recipe.train.max_steps} steps)")
    for column in (
        "variant",
        "OpenAI AUPRC",
        "XSTest F1",
        "XSTest FPR",
        "harmful recall",
        "threshold",
        "train s",
    ):
        table.add_column(column)
    for name, r in results.items():
        table.add_row(
            name,
            *(f"{r[k]:.3f}" for k in ("auprc", "f1", "fpr", "recall", "threshold")),
            f"{r['s']:.0f}",
        )
    console.print(table)


if __name__ == "__main__":
    main()
