"""Safety suites as one normalised prompt format, loaded from data shipped in the package.

Each suite keeps its upstream file unchanged under ``data/<suite>/`` (with SOURCE.txt and
LICENSE); this module turns its rows into :class:`SafetyPrompt` and maps its labels to MLCommons
hazard codes (see :mod:`modelbazaar.safety.hazards`).

Example:
    >>> p = load_suite("xstest")[0]
    >>> (p.id, p.harmful, p.category, p.source_label)
    ('xstest:1', False, 'benign', 'homonyms')
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import cache

from modelbazaar.errors import EvalError, unknown_name
from modelbazaar.safety.hazards import DATA, hazard_code, keyword_code, keyword_default

BENIGN = "benign"  # the category of a benign look-alike prompt (it must NOT be refused)


@dataclass(frozen=True)
class SafetyPrompt:
    """One prompt of a safety suite.

    ``category`` is an MLCommons code S1..S13 for a harmful prompt and ``"benign"`` otherwise;
    ``source_label`` is the dataset's own label (e.g. HarmBench "chemical_biological").
    """

    id: str  # "<suite>:<row id>", unique across all suites
    suite: str  # the suite the row comes from (also inside safety_smoke)
    prompt: str
    harmful: bool
    category: str
    source_label: str

    def to_dict(self) -> dict[str, str | bool]:
        return asdict(self)


def _rows(*parts: str) -> list[dict[str, str]]:
    text = DATA.joinpath(*parts).read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def _simplesafetytests() -> list[SafetyPrompt]:
    return [
        SafetyPrompt(
            id=f"simplesafetytests:{r['id']}",
            suite="simplesafetytests",
            prompt=r["prompts_final"],
            harmful=True,
            category=hazard_code("simplesafetytests_harm_area", r["harm_area"]),
            source_label=r["harm_area"],
        )
        for r in _rows("simplesafetytests", "simplesafetytests.csv")
    ]


def _strongreject() -> list[SafetyPrompt]:
    return [
        SafetyPrompt(
            id=f"strongreject:{i}",  # the file has no id column: the row number is stable
            suite="strongreject",
            prompt=r["forbidden_prompt"],
            harmful=True,
            category=hazard_code("strongreject_category", r["category"]),
            source_label=r["category"],
        )
        for i, r in enumerate(_rows("strongreject", "strongreject_dataset.csv"))
    ]


def _harmbench() -> list[SafetyPrompt]:
    # Copyright rows are left out: they ask for song lyrics / book passages and are scored by
    # hashing the output for verbatim reproduction, not by refusal. See data/harmbench/DECISION.md.
    out = []
    for r in _rows("harmbench", "harmbench_behaviors_text_all.csv"):
        if r["FunctionalCategory"] == "copyright":
            continue
        prompt = r["Behavior"]
        if r["FunctionalCategory"] == "contextual":  # HarmBench's own template for these rows
            prompt = f"{r['ContextString']}\n\n---\n\n{r['Behavior']}"
        label = r["SemanticCategory"]
        out.append(
            SafetyPrompt(
                id=f"harmbench:{r['BehaviorID']}",
                suite="harmbench",
                prompt=prompt,
                harmful=True,
                category=hazard_code("harmbench_semantic", label),
                source_label=label,
            )
        )
    return out


def _jailbreakbench() -> list[SafetyPrompt]:
    out = []
    for part, harmful in (("harmful", True), ("benign", False)):
        for r in _rows("jailbreakbench", f"jbb_behaviors_{part}.csv"):
            code = hazard_code("jbb_category", r["category"]) if harmful else BENIGN
            out.append(
                SafetyPrompt(
                    id=f"jailbreakbench:{part}:{r['index']}",
                    suite="jailbreakbench",
                    prompt=r["goal"],
                    harmful=harmful,
                    category=code,
                    source_label=r["category"],
                )
            )
    return out


def _advbench() -> list[SafetyPrompt]:
    default = keyword_default("advbench")  # AdvBench has no categories: keyword rules decide
    return [
        SafetyPrompt(
            id=f"advbench:{i}",
            suite="advbench",
            prompt=r["goal"],
            harmful=True,
            category=keyword_code(r["goal"], default),
            source_label="unlabelled",
        )
        for i, r in enumerate(_rows("advbench", "harmful_behaviors.csv"))
    ]


def _xstest() -> list[SafetyPrompt]:
    out = []
    for r in _rows("xstest", "xstest_prompts.csv"):
        harmful = r["label"] == "unsafe"
        code = BENIGN
        if harmful:
            code = hazard_code("xstest_type", r["type"])
            if code == "keywords":
                code = keyword_code(r["prompt"], keyword_default("xstest"))
        out.append(
            SafetyPrompt(
                id=f"xstest:{r['id']}",
                suite="xstest",
                prompt=r["prompt"],
                harmful=harmful,
                category=code,
                source_label=r["type"],
            )
        )
    return out


def _smoke() -> list[SafetyPrompt]:
    lines = DATA.joinpath("smoke.jsonl").read_text(encoding="utf-8").splitlines()
    return [SafetyPrompt(**json.loads(line)) for line in lines if line.strip()]


_LOADERS: dict[str, Callable[[], list[SafetyPrompt]]] = {
    "simplesafetytests": _simplesafetytests,
    "strongreject": _strongreject,
    "harmbench": _harmbench,
    "jailbreakbench": _jailbreakbench,
    "advbench": _advbench,
    "xstest": _xstest,
    "safety_smoke": _smoke,
}
SAFETY_SUITES: tuple[str, ...] = tuple(_LOADERS)


@cache
def _load(name: str) -> tuple[SafetyPrompt, ...]:
    return tuple(_LOADERS[name]())


def load_suite(name: str) -> list[SafetyPrompt]:
    """All prompts of one safety suite, in file order.

    Example: ``load_suite("harmbench")[0].category`` -> ``"S9"`` (chemical_biological).
    Raises EvalError naming the known suites when ``name`` is not one of them.
    """
    if name not in _LOADERS:
        raise EvalError(unknown_name("safety suite", name, list(SAFETY_SUITES)))
    return list(_load(name))
