"""bazaar.toml errors name the key, the line and what was expected."""

import pytest

from modelbazaar.errors import RecipeError
from modelbazaar.recipe import parse_recipe

GOOD = """\
description = "x"

[model]
name = "m"
hidden_size = 32
num_layers = 2
num_heads = 2

[train]
lr = 0.01
max_steps = 5
"""


def test_valid_recipe_parses_with_defaults() -> None:
    recipe = parse_recipe(GOOD)
    assert recipe.model.hidden_size == 32
    assert recipe.train.max_steps == 5
    assert recipe.tokenizer.vocab_size == 2048  # default


def test_wrong_type_names_key_line_and_expected_type() -> None:
    with pytest.raises(RecipeError) as err:
        parse_recipe(GOOD.replace("lr = 0.01", 'lr = "fast"'))
    assert "line 10" in str(err.value)
    assert "train.lr" in str(err.value)
    assert "expected a number" in str(err.value)


def test_unknown_key_is_an_error_not_ignored() -> None:
    with pytest.raises(RecipeError, match=r"line 11: train.max_step: unknown key"):
        parse_recipe(GOOD.replace("max_steps", "max_step"))


def test_malformed_toml_names_the_line() -> None:
    with pytest.raises(RecipeError, match=r"not valid TOML.*line 5"):
        parse_recipe(GOOD.replace("hidden_size = 32", "hidden_size = = 32"))


def test_missing_required_table() -> None:
    with pytest.raises(RecipeError, match="model: required key is missing"):
        parse_recipe('description = "no model"\n')


def test_contradictory_width_and_heads() -> None:
    with pytest.raises(RecipeError, match="divisible by num_heads"):
        parse_recipe(GOOD.replace("num_heads = 2", "num_heads = 3"))


def test_build_part_excludes_evals_and_policy() -> None:
    recipe = parse_recipe(GOOD)
    assert set(recipe.build_part()) == {"model", "tokenizer", "train"}
