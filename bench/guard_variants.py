"""Which guard recipe? Variants compared on the VALIDATION split (the test split stays unseen).

Every variant trains on the guard template's train rows with the template's recipe and picks
its threshold on the validation rows by its rule; what changes is the [guard] and [train] keys
the variant sets (by default how much of the encoder is fine-tuned: 0 = frozen MiniLM + heads,
the approach of an earlier attempt; 1, 2 top layers). Row selection (`max_rows`, `exclude`) is
the template's for every variant. The frozen lower layers are computed once for all variants.
Validation figures of a variant whose threshold cap counts XSTest rows are optimistic (the
threshold was chosen on them): the test split (bench/guard_quality.py) judges. Reported per
variant: OpenAI moderation AUPRC, XSTest F1 and FPR at the chosen threshold, harmful-suite
recall, training seconds. The TF-IDF + LR baseline is printed beside, trained on the same rows.
The template's `trainable_layers` is the winner of this table (README "The guard").

Run: python bench/guard_variants.py [--variant "NAME:key=JSON;key=JSON" ...]
     e.g. --variant "template:" --variant "look-alikes x4:row_weight.xstest=4"
"""

from __future__ import annotations

import argparse
import json
import time

from modelbazaar.train import portable

portable.activate()

import torch  # noqa: E402
from guard_quality import TEMPLATE, TfidfDetector, validation_scores  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from modelbazaar.data.manifest import load_manifests  # noqa: E402
from modelbazaar.progress import progress_bar  # noqa: E402
from modelbazaar.recipe import GuardConfig, TrainConfig, load_recipe  # noqa: E402
from modelbazaar.safety.guard.backbones import find_backbone  # noqa: E402
from modelbazaar.safety.guard.framing import framing_of  # noqa: E402
from modelbazaar.safety.guard.model import Guard  # noqa: E402
from modelbazaar.safety.guard.network import empty_guard  # noqa: E402
from modelbazaar.safety.guard.rows import rows_of  # noqa: E402
from modelbazaar.train.guard import train_guard  # noqa: E402
from modelbazaar.train.guard_loop import frozen_features  # noqa: E402


def variant_of(recipe, spec: str):  # noqa: ANN001, ANN201
    """(name, recipe) from "NAME:key=JSON;key=JSON" ([guard] or [train] keys; a.b sets a dict)."""
    name, _, assignments = spec.partition(":")
    guard, train = recipe.guard.model_dump(), recipe.train.model_dump()
    for assignment in filter(None, assignments.split(";")):
        key, _, raw = assignment.partition("=")
        try:
            value = json.loads(raw)
        except json.JSONDecodeError:
            value = raw
        top, _, sub = key.strip().partition(".")
        section = guard if top in guard else train
        if top not in section:
            raise SystemExit(f"{key}: neither a [guard] nor a [train] key")
        if sub:
            section[top] = {**section[top], sub: value}
        else:
            section[top] = value
    updated = recipe.model_copy(
        update={"guard": GuardConfig(**guard), "train": TrainConfig(**train)}
    )
    return name, updated


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--variant",
        action="append",
        default=None,
        help='NAME:key=JSON;key=JSON, e.g. "w4:row_weight.xstest=4" (default: the template, and '
        "0, 1, 2 trainable layers)",
    )
    args = parser.parse_args()
    console = Console()
    recipe = load_recipe(TEMPLATE)
    assert recipe.guard is not None
    specs = args.variant or [f"top {n} layers:trainable_layers={n}" for n in (0, 1, 2)]
    variants = [variant_of(recipe, spec) for spec in specs]
    manifests = load_manifests(TEMPLATE)
    train = rows_of(manifests, TEMPLATE, "train", recipe.guard)
    validation = rows_of(manifests, TEMPLATE, "validation", recipe.guard)
    backbone = find_backbone(recipe.guard.backbone, recipe.guard.backbone_layers)
    torch.set_num_threads(recipe.train.threads)
    net = empty_guard(backbone.config())
    net.encoder.load_state_dict(
        {k: v for k, v in backbone.state().items() if k in net.encoder.state_dict()}
    )
    framing = framing_of(backbone.tokenizer_text(), recipe.train.seq_len, backbone.frame())
    layer = len(net.blocks) - max(v.guard.trainable_layers for _, v in variants)
    with progress_bar() as bar:
        train_x = frozen_features(net, framing, [r.text for r in train], layer, bar)
        validation_x = frozen_features(net, framing, [r.text for r in validation], layer, bar)
    features = (train_x, validation_x, layer)
    results = {}
    tfidf = TfidfDetector(train, validation, recipe.guard)
    scores, _ = tfidf.score([r.text for r in validation])
    results["TF-IDF + LR"] = validation_scores(scores, validation, tfidf.threshold) | {"s": 0.0}
    for name, variant in variants:
        started = time.perf_counter()
        # rows_of with the variant's config: its caps and exclusions are the template's here
        result = train_guard(train, validation, variant, backbone, False, None, features)
        guard = Guard(result.config, result.weights, result.tokenizer)
        verdicts = guard.check([r.text for r in validation])
        scores = [v.probability for v in verdicts]
        results[name] = validation_scores(scores, validation, guard.threshold)
        results[name]["s"] = time.perf_counter() - started
        console.print(name, results[name])
    table = Table(title="guard variants on the validation split")
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
