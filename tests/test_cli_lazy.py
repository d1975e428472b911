"""The lazy command table: it lists exactly what the modules register, and commands that need
no model (help, audit) never import torch, transformers or scikit-learn."""

import subprocess
import sys
from pathlib import Path

import click

from modelbazaar.cli.lazy import load_commands
from modelbazaar.cli.main import COMMANDS
from tests.helpers import bazaar_exit_code

HEAVY = ("torch", "transformers", "sklearn")  # sklearn: the clause classifier runs on numpy


def test_table_matches_what_modules_register() -> None:
    registered: dict[str, click.Command] = {}
    for module in sorted({entry.module for entry in COMMANDS.values()}):
        group = load_commands(module)
        ctx = click.Context(group)
        for name in group.list_commands(ctx):
            assert name not in registered, f"{name} registered twice"
            registered[name] = group.get_command(ctx, name)
            assert COMMANDS[name].module == module, f"{name} is in {module}, not its table row"
    assert set(registered) == set(COMMANDS), "the table and the modules disagree"
    for name, command in registered.items():
        real = " ".join((command.help or command.short_help or "").split()).split()[:4]
        assert COMMANDS[name].help.split()[:4] == real, f"{name}: table help is stale"


def _modules_loaded(args: list[str], cwd: Path) -> set[str]:
    code = (
        "import sys\nfrom modelbazaar.cli.main import main\nsys.argv = ['bazaar', *sys.argv[1:]]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print('LOADED', *sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=cwd, capture_output=True, text=True, check=True
    ).stdout
    return set(out.split("LOADED", 1)[1].split())


def test_help_and_audit_do_not_import_torch(tmp_path: Path) -> None:
    (tmp_path / "LICENSE").write_text("MIT License\n\nCopyright (c) 2026 Someone\n")
    assert _modules_loaded(["--help"], tmp_path) == set()
    audit = ["audit", str(tmp_path), "--out", str(tmp_path / "report")]
    assert _modules_loaded(audit, tmp_path) == set()


def test_unknown_command_is_a_usage_error(capsys) -> None:
    assert bazaar_exit_code(["no-such-command"]) == 2
    assert "No such command" in capsys.readouterr().err


def test_log_and_show_do_not_import_torch(tiny_built) -> None:
    model_dir, _ = tiny_built
    for args in (["log", "-C", str(model_dir)], ["show", "main", "-C", str(model_dir)]):
        assert _modules_loaded(args, model_dir) == set(), args
