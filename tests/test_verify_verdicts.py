"""`bazaar verify` through the real entry point: each verdict has its exit code and its report.

A rebuild that differs is made by a "machine" whose training differs: the replayed build runs
with a changed learning rate. A nearly equal one is equivalent (exit 3), a build that does
not train at all differs (exit 1); both reports name the largest difference per tensor group.
"""

from pathlib import Path

import pytest

import modelbazaar.workflows.build as build_module
from modelbazaar.store import Store
from tests.helpers import bazaar_exit_code


def _printed(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()  # verdicts go to stderr with the progress, like git's
    return " ".join((captured.out + captured.err).split())


def _replay_with_lr(monkeypatch: pytest.MonkeyPatch, factor: float) -> None:
    real_build = build_module.build

    def perturbed(model_dir, store, **kwargs):  # what workflows.replays calls to rebuild
        train = kwargs["recipe"].train
        kwargs["recipe"] = kwargs["recipe"].model_copy(
            update={"train": train.model_copy(update={"lr": train.lr * factor})}
        )
        return real_build(model_dir, store, **kwargs)

    monkeypatch.setattr(build_module, "build", perturbed)


def test_verify_identical_exits_0(tiny_built: tuple[Path, Store], capsys) -> None:
    model_dir, _ = tiny_built
    assert bazaar_exit_code(["verify", "main", "-C", str(model_dir)]) == 0
    assert "bit-identical" in _printed(capsys)


def test_verify_equivalent_exits_3(fresh_tiny: tuple[Path, Store], monkeypatch, capsys) -> None:
    model_dir, _ = fresh_tiny
    _replay_with_lr(monkeypatch, 1.0001)
    assert bazaar_exit_code(["verify", "main", "-C", str(model_dir)]) == 3
    out = _printed(capsys)
    assert "equivalent, not identical" in out
    assert "max |difference|" in out and "agree" in out


def test_verify_differs_exits_1(fresh_tiny: tuple[Path, Store], monkeypatch, capsys) -> None:
    model_dir, _ = fresh_tiny
    _replay_with_lr(monkeypatch, 0.0)  # the rebuild never leaves its initial weights
    assert bazaar_exit_code(["verify", "main", "-C", str(model_dir)]) == 1
    out = _printed(capsys)
    assert "differs" in out and "no" in out


def test_verify_help_documents_exit_codes(capsys) -> None:
    assert bazaar_exit_code(["verify", "--help"]) == 0
    out = _printed(capsys)
    assert "0 identical" in out and "3 equivalent" in out and "1 differs" in out
