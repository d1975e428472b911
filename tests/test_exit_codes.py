"""Exit codes: one table (errors.ExitCode), documented, and a crash never looks like a verdict.

Issue 9, 3.4: a traceback exited 1, the code of "reject", so CI could not tell a crash from a
verdict. Now a refusal is 2, a crash 70 (with its traceback), a reject 1.
"""

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import modelbazaar.cli.source as source_cli
from modelbazaar.cli.main import app
from modelbazaar.errors import ExitCode
from tests.helpers import bazaar_exit_code

README = Path(__file__).parents[1] / "README.md"


def test_codes_are_distinct_and_conventional() -> None:
    assert [int(c) for c in ExitCode] == [0, 1, 2, 3, 70, 130]
    assert ExitCode.INTERNAL == 70  # EX_SOFTWARE of sysexits.h
    assert ExitCode.REFUSED == 2  # what click uses for usage errors


def test_every_code_is_documented_in_the_readme_and_review_help() -> None:
    readme = README.read_text()
    table = readme[readme.index("### Exit codes") :]
    help_text = CliRunner().invoke(app, ["review", "--help"], env={"COLUMNS": "120"}).output
    for code in ExitCode:
        assert re.search(rf"^\|\s*`?{int(code)}`?\s*\|", table, re.MULTILINE), code
    for code in (0, 1, 2, 70, 130):  # 3 belongs to verify
        assert re.search(rf"^\s*│?\s*{code}\s", help_text, re.MULTILINE), (code, help_text)


def test_a_crash_exits_70_with_its_traceback(monkeypatch, capsys) -> None:
    def broken() -> dict[str, str]:  # a bug anywhere below a command
        return {}["missing"]

    monkeypatch.setattr(source_cli.templates, "available", broken)
    assert bazaar_exit_code(["init", "--list-templates"]) == ExitCode.INTERNAL
    err = capsys.readouterr().err
    assert "Traceback" in err and "KeyError: 'missing'" in err
    assert "internal error" in err and "bug in modelbazaar" in err


def test_a_refusal_exits_2_with_one_line_and_no_traceback(tmp_path: Path, capsys) -> None:
    (tmp_path / "bazaar.toml").write_bytes(b'description = "caf\xe9"\n')  # Latin-1, not UTF-8
    assert bazaar_exit_code(["build", "-C", str(tmp_path)]) == ExitCode.REFUSED
    err = " ".join(capsys.readouterr().err.split())
    assert "bazaar.toml is not UTF-8 text (invalid byte 0xe9 at offset 18)" in err
    assert "Traceback" not in err


def test_a_message_quoting_markup_is_printed_verbatim(tmp_path: Path, capsys) -> None:
    # a refused name may be a stranger's text: "[/]" must not crash rich or restyle the output
    assert bazaar_exit_code(["init", str(tmp_path / "m"), "--template", "[/]x[bold]"]) == 2
    assert "[/]x[bold]" in capsys.readouterr().err


@pytest.mark.parametrize("args", [["no-such-command"], ["review"]])
def test_usage_errors_are_refusals(args: list[str], capsys) -> None:
    assert bazaar_exit_code(args) == ExitCode.REFUSED
