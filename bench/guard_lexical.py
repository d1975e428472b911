"""How much should the lexical half weigh? Network, lexical model and blends on VALIDATION rows.

For a built guard (its network and its lexical half, both fitted on the train rows), each
detector's threshold is chosen on the validation rows by the recipe's rule, as a build does, and
OpenAI AUPRC, XSTest F1 / FPR and harmful recall are printed for the network alone, the lexical
model alone and the blend ``(1 - w) * network + w * lexical`` at several weights. The test split
stays unseen (bench/guard_quality.py measures the guard as built). The template's
``lexical_weight`` is the choice from this table (README "The guard").

Run: python bench/guard_lexical.py --guard DIR   (a guard source or release; ~1 min)
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import torch
from guard_quality import TEMPLATE, validation_scores
from rich.console import Console
from rich.table import Table

from modelbazaar.data.manifest import load_manifests
from modelbazaar.recipe import load_recipe
from modelbazaar.safety.guard import load_guard
from modelbazaar.safety.guard.lexical import blend, probabilities
from modelbazaar.safety.guard.rows import rows_of
from modelbazaar.train.guard import cap_rows, choose_threshold
from modelbazaar.train.guard_lexical import fit_lexical

WEIGHTS = (0.0, 0.3, 0.5, 0.7, 1.0)  # 0: the network alone; 1: the lexical model alone


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--guard", type=Path, default=None, help="guard source or release folder")
    args = parser.parse_args()
    torch.set_num_threads(2)
    recipe = load_recipe(TEMPLATE)
    config = recipe.guard
    assert config is not None
    manifests = load_manifests(TEMPLATE)
    validation = rows_of(manifests, TEMPLATE, "validation", config)
    guard = load_guard(args.guard)
    # a guard built without a lexical half is compared with one fitted here on the same rows
    lexical = guard.lexical or fit_lexical(rows_of(manifests, TEMPLATE, "train", config))
    texts = [r.text for r in validation]
    # as the build scores validation rows: the network on a row's first window, the lexical
    # model on the whole row
    network = guard._logits(guard.framing.first_windows(texts)).double().numpy()
    words = np.where(lexical.present, lexical.logits(texts), network)
    labels = [r.unsafe for r in validation]
    counted = cap_rows(validation, config.false_positive_datasets)
    table = Table(title=f"lexical weight on the validation split ({len(validation)} rows)")
    for column in ("w", "OpenAI AUPRC", "XSTest F1", "XSTest FPR", "harmful recall", "threshold"):
        table.add_column(column, justify="right")
    for w in WEIGHTS:
        p = probabilities(blend(network, words, lexical.present, w))[:, 0].tolist()
        threshold = choose_threshold(
            labels, p, config.threshold, config.max_false_positive_rate, counted
        )
        r = validation_scores(p, validation, threshold)
        name = {0.0: "0 (network)", 1.0: "1 (lexical)"}.get(w, f"{w}")
        table.add_row(name, *(f"{r[k]:.3f}" for k in ("auprc", "f1", "fpr", "recall", "threshold")))
    Console().print(table)


if __name__ == "__main__":
    main()
