"""Hostile recipes are refused before the store is touched; a diverging run records nothing.

Issue 9, 3.5: `lr = inf`, `weight_decay = inf` and `rope_theta = nan` built NaN models and moved
`main`; `num_kv_heads = 3`, `intermediate_size = -5`, `hidden_size = 1e12`, `batch_size = 1e9`,
`seq_len = 1e9`, `betas = [2, -1]`, a huge `vocab_size` (a panic in tokenizers) and a non-UTF-8
bazaar.toml gave tracebacks; `max_steps = 2**63-1` ran until killed.
"""

from pathlib import Path

import pytest

from modelbazaar.errors import ExitCode, RecipeError, TrainingError
from modelbazaar.recipe import load_recipe, parse_recipe
from modelbazaar.store import Store
from modelbazaar.train.budget import GiB, check_fits_machine, training_memory
from modelbazaar.workflows.build import build
from tests.helpers import bazaar_exit_code, tree_digest

# (what the recipe says, where it says it) -> what the refusal names
HOSTILE = {
    "lr-inf": ("lr = inf", "lr = 3e-3", "train.lr: Input should be a finite number"),
    "wd-inf": ("weight_decay = inf", "weight_decay = 0.1", "train.weight_decay: Input should"),
    "rope-nan": ("rope_theta = nan", None, "model.rope_theta: Input should be a finite number"),
    "kv-heads": ("num_kv_heads = 3", None, "num_kv_heads 3 must divide num_heads 2: one of [1, 2]"),
    "inter-neg": ("intermediate_size = -5", None, "model.intermediate_size: Input should be gr"),
    "hidden-1e12": ("hidden_size = 1e12", "hidden_size = 32", "model.hidden_size: Input should"),
    "batch-1e9": ("batch_size = 1e9", "batch_size = 8", "train.batch_size: Input should be less"),
    "seq-1e9": ("seq_len = 1e9", "seq_len = 64", "train.seq_len: Input should be less than"),
    "betas": ("betas = [2, -1]", None, "train.betas.0: Input should be less than 1"),
    "vocab": ("vocab_size = 100000000000", "vocab_size = 512", "tokenizer.vocab_size: Input"),
    "steps": ("max_steps = 9223372036854775807", "max_steps = 30", "train.max_steps: Input"),
    "seq-ctx": ("seq_len = 128", "seq_len = 64", "train.seq_len 128 is longer than the model's"),
}
AFTER = {"rope-nan": "[model]", "kv-heads": "[model]", "inter-neg": "[model]", "betas": "[train]"}


def hostile_text(case: str, text: str) -> str:
    line, replaces, _ = HOSTILE[case]
    if replaces is not None:
        assert replaces in text
        return text.replace(replaces, line, 1)
    table = AFTER[case]
    return text.replace(f"\n{table}\n", f"\n{table}\n{line}\n", 1)  # first key of its table


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_recipe_is_refused_and_the_store_unchanged(fresh_tiny, capsys, case: str) -> None:
    model_dir, store = fresh_tiny
    recipe = model_dir / "bazaar.toml"
    recipe.write_text(hostile_text(case, recipe.read_text()))
    before = tree_digest(store.root)
    assert bazaar_exit_code(["build", "-C", str(model_dir)]) == ExitCode.REFUSED
    err = " ".join(capsys.readouterr().err.split())
    assert HOSTILE[case][2] in err and "Traceback" not in err
    assert tree_digest(store.root) == before


def test_non_utf8_recipe_and_manifest_are_refused(fresh_tiny) -> None:
    model_dir, _ = fresh_tiny
    manifest = model_dir / "data" / "tinyshakespeare.toml"
    manifest.write_bytes(manifest.read_bytes() + b"# \xff\n")
    with pytest.raises(RecipeError, match="tinyshakespeare.toml is not UTF-8 text"):
        build(model_dir, show_progress=False)
    recipe = model_dir / "bazaar.toml"
    recipe.write_bytes(b"\xfe\xff" + recipe.read_bytes())
    with pytest.raises(RecipeError, match=r"bazaar.toml is not UTF-8 text \(invalid byte 0xfe"):
        load_recipe(model_dir)


def test_memory_budget_names_the_sizes_to_shrink(tmp_path: Path) -> None:
    text = (
        Path(__file__).parents[1] / "src/modelbazaar/templates/shakespeare/bazaar.toml"
    ).read_text()
    recipe = parse_recipe(text)
    estimate = training_memory(recipe)
    assert estimate.parameters == 4_212_992  # what HF's LlamaForCausalLM counts for it
    assert 0.7 * GiB < estimate.total_bytes < 0.9 * GiB  # measured peak: 0.79 GiB
    check_fits_machine(recipe, available=1 * GiB)
    with pytest.raises(RecipeError, match=r"needs about 0\.8 GiB .* has 0\.5 GiB available"):
        check_fits_machine(recipe, available=GiB // 2)


def test_a_recipe_too_big_for_any_laptop_is_refused_before_the_store(tmp_path, capsys) -> None:
    model_dir = tmp_path / "m"
    assert bazaar_exit_code(["init", str(model_dir), "--template", "tiny"]) == ExitCode.OK
    recipe = model_dir / "bazaar.toml"
    text = recipe.read_text().replace("hidden_size = 32", "hidden_size = 65536")
    recipe.write_text(text.replace("num_heads = 2", "num_heads = 512"))
    capsys.readouterr()
    assert bazaar_exit_code(["build", "-C", str(model_dir)]) == ExitCode.REFUSED
    err = " ".join(capsys.readouterr().err.split())
    assert "this recipe needs about" in err and "model.hidden_size 65536" in err
    assert not (model_dir / ".bazaar").exists()  # refused before a store was created


def test_diverging_training_records_no_version(fresh_tiny) -> None:
    model_dir, store = fresh_tiny
    refs = store.catalogue.refs()
    recipe = model_dir / "bazaar.toml"
    text = (
        recipe.read_text()
        .replace("lr = 3e-3", "lr = 10")
        .replace("grad_clip = 1.0", "grad_clip = 1e30")
    )
    recipe.write_text(text.replace("weight_decay = 0.1", "weight_decay = 10"))
    with pytest.raises(TrainingError, match="training diverged at step|hold NaN or infinite"):
        build(model_dir, show_progress=False)
    assert store.catalogue.refs() == refs  # main and built did not move
    fresh = Store.for_model(model_dir)
    assert fresh.catalogue.refs() == refs
    assert not any(store.scratch.glob("*/checkpoint.safetensors"))  # no diverged resume point
