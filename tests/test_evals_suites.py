"""Suite files: every shipped suite validates and its data matches its hash; bad input is named."""

import shutil
from pathlib import Path

import pytest
from tokenizers import Tokenizer, models, pre_tokenizers
from transformers import PreTrainedTokenizerFast

from modelbazaar.errors import EvalError
from modelbazaar.evals import load_suite, suite_files
from modelbazaar.evals.examples import documents, suite_examples
from modelbazaar.evals.generation import correct, number
from modelbazaar.evals.kinds import KINDS
from modelbazaar.evals.loglik import check_encodable, rolling_requests, span_requests
from modelbazaar.evals.suite import BUILTIN_DIR

BUILTIN = sorted(suite_files())


def test_builtin_suites_include_what_templates_ask_for():
    assert {"validation", "safety_smoke", "gsm8k", "wordnet_mc", "tinystories"} <= set(BUILTIN)


@pytest.mark.parametrize("name", BUILTIN)
def test_every_shipped_suite_loads_and_its_data_matches(name):
    suite = load_suite(name)
    assert suite.kind in KINDS  # a kind the runner knows
    if suite.data is not None and suite.data.path:
        folder = suite.data_file().parent  # raises if the hash does not match
        assert (folder / "LICENSE").is_file() and (folder / "SOURCE.txt").is_file()
        rows = suite_examples(suite, limit=3)
        assert len(rows) == 3 and all("id" in r for r in rows)


def test_unknown_suite_lists_known_ones_and_a_close_match():
    with pytest.raises(EvalError, match="Did you mean 'wordnet_mc'") as err:
        load_suite("wordnet-mcq")
    assert "gsm8k" in str(err.value) and "validation" in str(err.value)


def _source_with_suite(tmp_path: Path, text: str, data: str | None = None) -> Path:
    (tmp_path / "evals").mkdir()
    (tmp_path / "evals" / "mine.yaml").write_text(text)
    if data is not None:
        (tmp_path / "evals" / "mine.jsonl").write_text(data)
    return tmp_path


MINE = """name: mine
version: 2
kind: multiple_choice
data:
  path: mine.jsonl
  sha256: {sha}
  bytes: {size}
  license: CC0-1.0
  source: written for this test
"""
ROWS = '{"id": "a", "question": "Q?", "choices": ["x", "y"], "answer": 1}\n'


def test_a_source_suite_is_found_and_its_data_hash_is_checked(tmp_path):
    import hashlib

    sha = hashlib.sha256(ROWS.encode()).hexdigest()
    src = _source_with_suite(tmp_path, MINE.format(sha=sha, size=len(ROWS)), ROWS)
    suite = load_suite("mine", src)
    assert suite.version == "2" and suite_examples(suite, src)[0]["answer"] == 1
    (src / "evals" / "mine.jsonl").write_text(ROWS.replace("Q?", "R?"))
    with pytest.raises(EvalError, match="refusing to run on changed data"):
        suite_examples(suite, src)


def test_a_missing_field_is_named(tmp_path):
    src = _source_with_suite(tmp_path, "name: mine\nversion: 1\ndata: {split: validation}\n")
    with pytest.raises(EvalError, match="kind: field required"):
        load_suite("mine", src)
    (src / "evals" / "mine.yaml").write_text(
        MINE.format(sha="ab" * 32, size=1).replace("  license: CC0-1.0\n", "")
    )
    with pytest.raises(EvalError, match="needs license"):
        load_suite("mine", src)


def test_a_source_cannot_shadow_a_builtin(tmp_path):
    src = tmp_path
    (src / "evals").mkdir()
    shutil.copy(BUILTIN_DIR / "validation.yaml", src / "evals" / "validation.yaml")
    with pytest.raises(EvalError, match="defined twice"):
        load_suite("validation", src)


def test_a_tokenizer_that_cannot_encode_the_text_is_named():
    word_level = Tokenizer(models.WordLevel({"a": 0, "[UNK]": 1}, unk_token="[UNK]"))
    word_level.pre_tokenizer = pre_tokenizers.Whitespace()
    tok = PreTrainedTokenizerFast(tokenizer_object=word_level, unk_token="[UNK]")
    check_encodable(tok, ["a a"], "s")  # fine... unless decoding loses the text
    with pytest.raises(EvalError, match="tokenizer cannot encode"):
        check_encodable(tok, ["a b"], "s")


def test_windows_are_lm_evals():
    from lm_eval.utils import get_rolling_token_windows, make_disjoint_window

    for n, width in [(1, 4), (5, 3), (9, 4), (64, 64), (130, 64)]:
        tokens = list(range(1, n + 1))
        theirs = [make_disjoint_window(w) for w in get_rolling_token_windows(tokens, 0, width, 1)]
        theirs = [((c + t)[-(width + 1) :][:-1], t) for c, t in theirs]
        assert rolling_requests(tokens, 0, width) == theirs


def test_span_requests_score_every_target_once_within_the_window():
    seq = list(range(10))
    requests = span_requests(seq, 7, 3)
    assert [t for _, ts in requests for t in ts] == seq[3:]
    assert all(len(i) <= 3 and i[-1] + 1 == t[-1] for i, t in requests)


def test_documents_and_numbers():
    assert documents("aa\n\nbb\n\ncc", 4) == ["aa\n\nbb", "cc"]
    assert number("so 3 + 4 = 1,207.") == 1207.0 and number("none") is None
    assert correct("number", "She pays $1,200.", "1200") and not correct("number", "12", "1200")
    assert correct("contains", "The answer is Paris.", "paris")
