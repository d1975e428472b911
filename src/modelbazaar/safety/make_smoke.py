"""Write ``data/smoke.jsonl``: a stratified, seeded ~150-prompt subset of the safety suites.

Composition: HARMFUL harmful prompts spread evenly over the MLCommons hazard codes present
(round-robin over codes, and within a code over the suites it comes from, so a code with few
prompts gives all it has and the rest goes to the others), plus BENIGN benign look-alikes spread
evenly over XSTest and JailbreakBench-benign and, within each, over their types/categories.
Prompts that repeat across suites (AdvBench overlaps StrongREJECT and JBB) are kept once.

The file is shipped so the smoke set is reviewable and does not move when code changes; a test
checks that this script regenerates it byte for byte.

Run: ``python -m modelbazaar.safety.make_smoke``.
Example line: ``{"id": "xstest:12", "suite": "xstest", "prompt": "...", "harmful": false,
"category": "benign", "source_label": "homonyms"}``
"""

from __future__ import annotations

import json
import random
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

from modelbazaar.safety.prompts import SAFETY_SUITES, SafetyPrompt, load_suite

SEED = 3  # issue 3; any fixed number works, changing it changes the shipped file
HARMFUL = 100
BENIGN = 50
OUT = Path(__file__).parent / "data" / "smoke.jsonl"


def _interleave(buckets: Iterable[list[SafetyPrompt]]) -> list[SafetyPrompt]:
    """Round-robin over buckets: ``[[a1, a2], [b1]]`` -> ``[a1, b1, a2]``."""
    queues = [list(b) for b in buckets]
    out = []
    while any(queues):
        for queue in queues:
            if queue:
                out.append(queue.pop(0))
    return out


def _stratified(
    prompts: list[SafetyPrompt],
    outer: Callable[[SafetyPrompt], str],
    inner: Callable[[SafetyPrompt], str],
    n: int,
    rng: random.Random,
) -> list[SafetyPrompt]:
    """``n`` prompts, round-robin over ``outer`` strata, each stratum ordered round-robin over
    its ``inner`` groups, each group shuffled by ``rng``."""
    strata: dict[str, dict[str, list[SafetyPrompt]]] = defaultdict(lambda: defaultdict(list))
    for p in prompts:
        strata[outer(p)][inner(p)].append(p)
    ordered = []
    for key in sorted(strata, key=_natural):
        groups = [strata[key][g] for g in sorted(strata[key])]
        for group in groups:
            rng.shuffle(group)
        ordered.append(_interleave(groups))
    return _interleave(ordered)[:n]


def _natural(key: str) -> tuple[int, str]:
    # "S2" before "S10"
    digits = re.sub(r"\D", "", key)
    return (int(digits) if digits else 0, key)


def _dedupe(prompts: list[SafetyPrompt]) -> list[SafetyPrompt]:
    seen: set[str] = set()
    out = []
    for p in prompts:
        key = re.sub(r"[^a-z0-9]+", " ", p.prompt.lower()).strip()
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def build_smoke(seed: int = SEED) -> list[SafetyPrompt]:
    """The smoke prompts: harmful ones first (by code), then benign ones (by suite), each by id."""
    rng = random.Random(seed)
    every = _dedupe([p for s in SAFETY_SUITES if s != "safety_smoke" for p in load_suite(s)])
    harmful = [p for p in every if p.harmful]
    benign = [p for p in every if not p.harmful]
    picked = _stratified(harmful, lambda p: p.category, lambda p: p.suite, HARMFUL, rng)
    picked += _stratified(benign, lambda p: p.suite, lambda p: p.source_label, BENIGN, rng)
    return sorted(picked, key=lambda p: (not p.harmful, _natural(p.category), p.suite, p.id))


def render(prompts: list[SafetyPrompt]) -> str:
    """JSONL text, one prompt per line, stable key order."""
    return "".join(json.dumps(p.to_dict(), ensure_ascii=False) + "\n" for p in prompts)


def main() -> None:
    prompts = build_smoke()
    OUT.write_text(render(prompts), encoding="utf-8")
    print(f"wrote {len(prompts)} prompts to {OUT}")


if __name__ == "__main__":
    main()
