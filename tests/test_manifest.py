"""A build refuses bad data manifests, names the file and the problem, and stores nothing."""

import re
from pathlib import Path

import pytest

from modelbazaar import templates
from modelbazaar.errors import DataError, RecipeError
from modelbazaar.workflows.build import build
from tests.helpers import tree_digest


@pytest.fixture
def source(tmp_path: Path) -> Path:
    return templates.create(tmp_path / "model", "tiny")


def _manifest(source: Path) -> Path:
    return source / "data" / "tinyshakespeare.toml"


def _refused(source: Path, error: type[Exception], pattern: str) -> None:
    before = tree_digest(source / ".bazaar")
    with pytest.raises(error, match=pattern):
        build(source, show_progress=False)
    assert tree_digest(source / ".bazaar") == before  # nothing stored, nothing changed


def test_hash_mismatch_is_refused(source: Path) -> None:
    with (source / "data/tinyshakespeare/train.txt").open("a", encoding="utf-8") as handle:
        handle.write("x")
    text = _manifest(source).read_text()
    size = (source / "data/tinyshakespeare/train.txt").stat().st_size
    text = re.sub(r"bytes = 156299", f"bytes = {size}", text)  # size fixed, hash stale
    _manifest(source).write_text(text)
    _refused(source, DataError, r"tinyshakespeare.toml: sha256 of 'tinyshakespeare/train.txt'")


def test_size_mismatch_is_refused(source: Path) -> None:
    (source / "data/tinyshakespeare/validation.txt").write_text("short")
    _refused(source, DataError, r"'tinyshakespeare/validation.txt' has 5 bytes")


def test_missing_file_is_refused(source: Path) -> None:
    (source / "data/tinyshakespeare/train.txt").unlink()
    _refused(
        source, DataError, r"tinyshakespeare.toml: file 'tinyshakespeare/train.txt' is missing"
    )


def test_missing_license_is_refused(source: Path) -> None:
    text = re.sub(r"(?m)^license = .*\n", "", _manifest(source).read_text())
    _manifest(source).write_text(text)
    _refused(source, RecipeError, r"tinyshakespeare.toml: license: field required")


def test_non_spdx_license_is_refused_with_a_hint(source: Path) -> None:
    text = _manifest(source).read_text().replace("LicenseRef-Public-Domain", "apache-2.0")
    _manifest(source).write_text(text)
    _refused(source, DataError, r"'apache-2.0' is not an SPDX id; did you mean 'Apache-2.0'")


def test_synthetic_data_must_name_its_generator(source: Path) -> None:
    text = _manifest(source).read_text().replace('provenance = "human"', 'provenance = "synthetic"')
    _manifest(source).write_text(text)
    _refused(source, RecipeError, r"needs `generator`")


def test_path_outside_data_is_refused(source: Path) -> None:
    text = (
        _manifest(source)
        .read_text()
        .replace('path = "tinyshakespeare/train.txt"', 'path = "../bazaar.toml"')
    )
    _manifest(source).write_text(text)
    _refused(source, DataError, r"points outside")
