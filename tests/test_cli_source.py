"""The CLI as a user types it, in-process."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from modelbazaar.cli.main import app
from modelbazaar.errors import BazaarError, StoreError
from modelbazaar.store import Store

runner = CliRunner()


def test_list_templates() -> None:
    result = runner.invoke(app, ["init", "--list-templates"])
    assert result.exit_code == 0
    assert "shakespeare" in result.output and "tiny" in result.output


def test_unknown_template_lists_the_known_ones(tmp_path: Path) -> None:
    result = runner.invoke(app, ["init", str(tmp_path / "m"), "--template", "shakespear"])
    assert isinstance(result.exception, BazaarError)
    assert "Known: guard, quick, shakespeare, tiny" in str(result.exception)
    assert "Did you mean 'shakespeare'" in str(result.exception)


def test_init_refuses_an_existing_source(tmp_path: Path) -> None:
    assert runner.invoke(app, ["init", str(tmp_path / "m"), "--template", "tiny"]).exit_code == 0
    result = runner.invoke(app, ["init", str(tmp_path / "m"), "--template", "tiny"])
    assert "already holds a model source" in str(result.exception)


def test_log_show_tag_generate(fresh_tiny: tuple[Path, Store]) -> None:
    model_dir, store = fresh_tiny
    main = store.resolve("main")
    result = runner.invoke(app, ["log", "-C", str(model_dir)])
    assert result.exit_code == 0 and main[:12] in result.output
    result = runner.invoke(app, ["show", "main", "-C", str(model_dir), "--json"])
    assert result.exit_code == 0
    assert (
        '"LicenseRef-Public-Domain"' in result.output
        and '"synthetic_token_share": 0.0' in result.output
    )
    assert runner.invoke(app, ["tag", "main", "v0.1", "-C", str(model_dir)]).exit_code == 0
    assert store.resolve("v0.1") == main
    args = [
        "generate",
        "v0.1",
        "ROMEO:",
        "--max-new-tokens",
        "12",
        "--seed",
        "3",
        "-C",
        str(model_dir),
    ]
    first, second = runner.invoke(app, args), runner.invoke(app, args)
    assert first.exit_code == 0 and first.output.startswith("ROMEO:")
    assert first.output == second.output  # same seed, same sample
    assert len(first.output) > len("ROMEO:\n")


def test_tag_cannot_hijack_main(fresh_tiny: tuple[Path, Store]) -> None:
    model_dir, _ = fresh_tiny
    result = runner.invoke(app, ["tag", "main", "main", "-C", str(model_dir)])
    assert isinstance(result.exception, StoreError)


def test_show_missing_ref(fresh_tiny: tuple[Path, Store]) -> None:
    model_dir, _ = fresh_tiny
    result = runner.invoke(app, ["show", "v9", "-C", str(model_dir)])
    assert isinstance(result.exception, StoreError)
    assert "refs: built, main" in str(result.exception)


def test_build_without_recipe_says_what_to_do(tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", "-C", str(tmp_path)])
    assert "bazaar init" in str(result.exception)


@pytest.mark.slow
def test_import_smollm2_and_chat(tmp_path: Path) -> None:
    pytest.importorskip("gguf")
    result = runner.invoke(app, ["import", "smollm2", "-C", str(tmp_path)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        app,
        [
            "generate",
            "smollm2",
            "What is the capital of France?",
            "--temperature",
            "0",
            "--max-new-tokens",
            "20",
            "-C",
            str(tmp_path),
        ],
    )
    assert "Paris" in result.output


@pytest.mark.parametrize(
    "args",
    [["log"], ["show", "main"], ["tag", "v1", "main"], ["fsck"], ["export", "main", "out"]],
)
def test_read_commands_refuse_a_folder_without_a_store_and_create_none(
    tmp_path: Path, args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.helpers import bazaar_exit_code

    folder = tmp_path / "not-a-model"
    assert bazaar_exit_code([*args, "-C", str(folder)]) == 2
    assert "holds no model store" in capsys.readouterr().err.replace("\n", " ")
    assert not folder.exists()  # no empty .bazaar left behind
