"""The house rules of the package layout, checked on the source (an AST walk, no imports run).

Rooms: front doors (``cli``, ``hub``, ``serve``) import workflows and layers; ``workflows``
import layers (and only ``verify`` reaches other workflows, through the ``replays`` table);
layers never import workflows or front doors; ``licenses`` is the bottom layer; there is
no import cycle between modules; and a workflow reads as a short story: no function in
``workflows/`` is longer than ``MAX_WORKFLOW_LINES``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "modelbazaar"
FRONT_DOORS = {"cli", "hub", "serve", "__main__"}  # __main__: `python -m modelbazaar`
WORKFLOWS = "workflows"
# the only workflow modules allowed to import other workflows: the replay table and verify
# Workflows that compose others: verify replays them; init --from is an import plus a recipe.
WORKFLOW_HUBS = {
    "modelbazaar.workflows.replays",
    "modelbazaar.workflows.verify",
    "modelbazaar.workflows.init_from",
}
BOTTOM = {"licenses": {"licenses", "errors"}}  # a room -> the rooms it may import
# A workflow is read top to bottom; past this a function wants helpers (or its library-level
# logic belongs in a layer). Counted as the AST does: signature and docstring included.
MAX_WORKFLOW_LINES = 60


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> list[tuple[str, bool]]:
    """(imported module, at module level?) for every modelbazaar import in a file.

    ``from a.b import c`` yields ``a.b.c`` when that is a module, else ``a.b``.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top_level = {id(node) for node in tree.body}
    found: list[tuple[str, bool]] = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{a.name}" for a in node.names]
            names = [n if module_path(n) else node.module for n in names]
        for name in names:
            if name == PACKAGE or name.startswith(PACKAGE + "."):
                found.append((name, id(node) in top_level))
    return found


def module_path(name: str) -> Path | None:
    base = SRC.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.exists():
            return candidate
    return None


def room(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def all_modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted((SRC / PACKAGE).rglob("*.py"))}


def upward_imports() -> list[str]:
    problems = []
    for module, path in all_modules().items():
        here = room(module)
        for target, _ in imports_of(path):
            there = room(target)
            if here not in FRONT_DOORS and there in FRONT_DOORS and here != there:
                problems.append(f"{module} imports front door {target}")
            if here not in FRONT_DOORS | {WORKFLOWS, ""} and there == WORKFLOWS:
                problems.append(f"layer {module} imports workflow {target}")
            if here == WORKFLOWS == there and module not in WORKFLOW_HUBS:
                if target != "modelbazaar.workflows":
                    problems.append(f"workflow {module} imports another workflow {target}")
            if here in BOTTOM and there not in BOTTOM[here]:
                problems.append(f"bottom layer {module} imports {target}")
    return problems


def import_cycles() -> list[list[str]]:
    """Cycles among module-level imports (function-level imports are deliberate and lazy)."""
    modules = all_modules()
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for module, path in modules.items():
        for target, top in imports_of(path):
            if top and target in modules and target != module:
                graph[module].add(target)
    cycles, state = [], dict.fromkeys(graph, 0)  # 0 new, 1 on the stack, 2 done

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state[nxt] == 1:
                cycles.append(stack[stack.index(nxt) :] + [nxt])
            elif state[nxt] == 0:
                visit(nxt, stack + [nxt])
        state[node] = 2

    for start in sorted(graph):
        if state[start] == 0:
            visit(start, [start])
    return cycles


def long_functions(folder: Path, limit: int = MAX_WORKFLOW_LINES) -> list[str]:
    """ "path:line name (N lines)" for every function or method in `folder` longer than `limit`."""
    found = []
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1  # type: ignore[operator]
                if length > limit:
                    where = path.relative_to(SRC).as_posix()
                    found.append(f"{where}:{node.lineno} {node.name} ({length} lines)")
    return found


def test_no_upward_imports() -> None:
    assert upward_imports() == []


def test_no_import_cycles() -> None:
    assert import_cycles() == []


def test_workflow_functions_are_short() -> None:
    long = long_functions(SRC / PACKAGE / WORKFLOWS)
    assert not long, f"workflow functions over {MAX_WORKFLOW_LINES} lines: " + "; ".join(long)


def test_checks_can_fail(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A layer importing a workflow, and a two-module cycle, are both caught."""
    pkg = tmp_path / PACKAGE
    for sub in ("store", "workflows"):
        (pkg / sub).mkdir(parents=True)
        (pkg / sub / "__init__.py").write_text("")
    (pkg / "__init__.py").write_text("")
    (pkg / "store" / "a.py").write_text("from modelbazaar.workflows import b\n")
    (pkg / "workflows" / "b.py").write_text("import modelbazaar.store.a\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["SRC"]), "SRC", tmp_path)
    assert upward_imports() == [
        "layer modelbazaar.store.a imports workflow modelbazaar.workflows.b"
    ]
    assert import_cycles() == [
        ["modelbazaar.store.a", "modelbazaar.workflows.b", "modelbazaar.store.a"]
    ]


def test_length_check_can_fail(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A 61-line function (docstring included) is named; a 60-line one is not."""
    body = "\n".join(f"    x{i} = {i}" for i in range(58))
    (tmp_path / "story.py").write_text(
        f'def short():\n    """Doc."""\n{body}\n\n\n'
        f'async def long():\n    """Doc."""\n{body}\n    return x0\n'
    )
    monkeypatch.setattr(__import__(__name__, fromlist=["SRC"]), "SRC", tmp_path)
    assert long_functions(tmp_path) == ["story.py:63 long (61 lines)"]
