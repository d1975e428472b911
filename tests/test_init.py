"""`bazaar init` never overwrites a file and refuses what is not a folder name (issue 9, 3.7).

Before: over an existing folder without bazaar.toml it replaced the user's files with the
template's; `bazaar init ''` silently filled the current folder; a path that is a file gave a
traceback. Each case runs through the real entry point and checks the exit code and the files.
"""

from pathlib import Path

import pytest

from modelbazaar.errors import ExitCode
from modelbazaar.recipe import load_recipe
from tests.helpers import bazaar_exit_code, tree_digest


def init(capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str]:
    code = bazaar_exit_code(["init", *args, "--template", "tiny"])
    captured = capsys.readouterr()
    return code, " ".join((captured.out + captured.err).split())


def test_new_folder_is_created_and_says_nobody_is_trusted(tmp_path: Path, capsys) -> None:
    code, said = init(capsys, str(tmp_path / "m"))
    assert code == ExitCode.OK
    assert load_recipe(tmp_path / "m").model.name  # a complete source
    assert "nobody is trusted yet" in said and "bazaar keys trust" in said


def test_non_empty_folder_is_refused_without_force(tmp_path: Path, capsys) -> None:
    target = tmp_path / "mine"
    (target / "data").mkdir(parents=True)
    (target / "README.md").write_text("my notes")
    (target / "data" / "tinyshakespeare.toml").write_text("my manifest")  # a template name
    before = tree_digest(target)
    code, said = init(capsys, str(target))
    assert code == ExitCode.REFUSED
    assert "is not empty (2 entries: README.md, data)" in said and "--force" in said
    assert tree_digest(target) == before


def test_force_never_overwrites_a_file(tmp_path: Path, capsys) -> None:
    target = tmp_path / "mine"
    (target / "data").mkdir(parents=True)
    (target / "data" / "tinyshakespeare.toml").write_text("my manifest")
    before = tree_digest(target)
    code, said = init(capsys, str(target), "--force")
    assert code == ExitCode.REFUSED
    assert "already has 1 of the template's files (data/tinyshakespeare.toml)" in said
    assert "nothing was written" in said
    assert tree_digest(target) == before  # not one file added or changed


def test_force_adds_the_template_beside_other_files(tmp_path: Path, capsys) -> None:
    target = tmp_path / "repo"
    (target / ".git").mkdir(parents=True)
    (target / "README.md").write_text("my project")
    code, _ = init(capsys, str(target), "--force")
    assert code == ExitCode.OK
    assert (target / "README.md").read_text() == "my project"
    assert load_recipe(target).model.name


@pytest.mark.parametrize("name", ["", "   "])
def test_empty_name_is_refused(tmp_path: Path, capsys, monkeypatch, name: str) -> None:
    monkeypatch.chdir(tmp_path)
    code, said = init(capsys, name)
    assert code == ExitCode.REFUSED
    assert "needs a folder name" in said and "bazaar init ." in said
    assert list(tmp_path.iterdir()) == []  # the current folder was not filled


def test_a_file_is_refused_without_a_traceback(tmp_path: Path, capsys) -> None:
    path = tmp_path / "afile"
    path.write_text("x")
    code, said = init(capsys, str(path))
    assert code == ExitCode.REFUSED
    assert "is a file, not a folder" in said and "Traceback" not in said
    assert path.read_text() == "x"


def test_a_folder_on_the_way_that_is_a_file_counts_as_a_clash(tmp_path: Path, capsys) -> None:
    target = tmp_path / "mine"
    target.mkdir()
    (target / "data").write_text("a file where the template has a folder")
    code, said = init(capsys, str(target), "--force")
    assert code == ExitCode.REFUSED and "already has" in said
    assert (target / "data").read_text().startswith("a file")


def test_keys_trust_edits_only_the_trust_line(tmp_path: Path, capsys, monkeypatch) -> None:
    assert init(capsys, str(tmp_path / "m"))[0] == ExitCode.OK
    monkeypatch.setenv("BAZAAR_KEYS", str(tmp_path / "k"))
    assert bazaar_exit_code(["keys", "generate"]) == ExitCode.OK
    key = capsys.readouterr().out.strip()
    before = (tmp_path / "m" / "bazaar.toml").read_text()
    assert bazaar_exit_code(["keys", "trust", "-C", str(tmp_path / "m")]) == ExitCode.OK
    after = (tmp_path / "m" / "bazaar.toml").read_text()
    assert load_recipe(tmp_path / "m").trusted_contributors == [key]
    changed = [
        (a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b
    ]
    assert changed == [("trusted_contributors = []", f'trusted_contributors = ["{key}"]')]
    assert bazaar_exit_code(["keys", "trust", "-C", str(tmp_path / "m")]) == ExitCode.OK
    assert "already trusted" in capsys.readouterr().out
    bad = bazaar_exit_code(["keys", "trust", "ed25519:nope", "-C", str(tmp_path / "m")])
    assert bad == ExitCode.REFUSED
