"""`bazaar init NAME --from SOURCE` (issue 15, 1): an imported open model as a bazaar base.

Runs on a tiny stand-in (tests/imported_kit.py: a random width-48 Llama saved with
save_pretrained plus a BPE tokenizer with a chat template); `test_smollm2_slow.py` does the
real SmolLM2. The loop test takes the stand-in through init, eval, contribute, review, merge,
verify, release and audit, as a built model goes through them.
"""

import json
import shutil
from pathlib import Path

import pytest

from modelbazaar.contrib import generate_keypair
from modelbazaar.errors import ExitCode, RecipeError
from modelbazaar.recipe import add_trusted_key, load_recipe, parse_recipe
from modelbazaar.store import Store
from modelbazaar.train.lora import LoraTrainConfig
from modelbazaar.workflows.build import build
from modelbazaar.workflows.contribute import contribute
from modelbazaar.workflows.init_from import create_from
from modelbazaar.workflows.merge import merge
from modelbazaar.workflows.release import release
from modelbazaar.workflows.review import review
from modelbazaar.workflows.verify import verify
from tests.helpers import bazaar_exit_code, tree_digest
from tests.imported_kit import tiny_hf_folder

# A review of the stand-in in seconds: few examples per suite (the recipe's are for SmolLM2)
SMALL_LIMITS = "limits = { tinystories = 4, wordnet_mc = 16, gsm8k_chat = 2, safety_smoke = 8 }"


@pytest.fixture(scope="module")
def standin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tiny_hf_folder(tmp_path_factory.mktemp("standin") / "tiny-llama")


def said(capsys: pytest.CaptureFixture) -> str:
    captured = capsys.readouterr()
    return " ".join((captured.out + captured.err).split())


def init_from(standin: Path, tmp_path: Path, name: str = "model") -> Path:
    source = tmp_path / "source"
    shutil.copytree(standin, source)  # a private copy: some tests change it
    target = tmp_path / name
    create_from(target, str(source), "MIT")
    recipe = target / "bazaar.toml"
    text = recipe.read_text()
    start = text.index("limits = {")
    recipe.write_text(text[:start] + SMALL_LIMITS + text[text.index("\n", start) :])
    return target


def test_init_from_folder_makes_main_the_imported_version(standin, tmp_path, capsys) -> None:
    code = bazaar_exit_code(
        ["init", str(tmp_path / "m"), "--from", str(standin), "--license", "MIT"]
    )
    text = said(capsys)
    assert code == ExitCode.OK, text
    assert "main is the imported version" in text and "nothing to build" in text
    recipe = load_recipe(tmp_path / "m")
    assert recipe.model is None and recipe.imported is not None
    assert recipe.name == "tiny-llama" and recipe.license.weights == "MIT"
    store = Store.for_model(tmp_path / "m")
    main = store.version("main")
    assert main.relation == "imported" and main.hash == recipe.imported.version
    assert main.info["license"] == "MIT"
    files = main.info["source"]["files"]
    assert set(files) >= {"config.json", "model.safetensors", "tokenizer.json"}
    assert files == recipe.imported.files  # provenance: every source file's sha256


def test_init_from_needs_a_licence_for_a_path(standin, tmp_path, capsys) -> None:
    code = bazaar_exit_code(["init", str(tmp_path / "m"), "--from", str(standin)])
    assert code != ExitCode.OK
    assert "--license" in said(capsys)
    assert not (tmp_path / "m").exists()


def test_from_a_folder_that_is_not_a_causal_lm_names_what_is_missing(tmp_path, capsys) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "README.md").write_text("not a model")
    code = bazaar_exit_code(["init", str(tmp_path / "m"), "--from", str(notes), "--license", "MIT"])
    text = said(capsys)
    assert code != ExitCode.OK
    assert "has no config.json" in text
    assert not (tmp_path / "m").exists()  # nothing left behind


@pytest.mark.parametrize(
    ("damage", "named"),
    [
        ("bert", "model_type 'bert' (BertForMaskedLM)"),
        ("no-weights", "has no *.safetensors weights"),
        ("pickled", "pytorch_model.bin: pickles, never loaded"),
        ("no-tokenizer", "has no tokenizer (tokenizer.json"),
    ],
)
def test_from_a_folder_that_is_no_llama_lm_names_the_problem(
    standin, tmp_path, capsys, damage: str, named: str
) -> None:
    source = tmp_path / "source"
    shutil.copytree(standin, source)
    if damage == "bert":
        config = json.loads((source / "config.json").read_text())
        config |= {"model_type": "bert", "architectures": ["BertForMaskedLM"]}
        (source / "config.json").write_text(json.dumps(config))
    elif damage in ("no-weights", "pickled"):
        (source / "model.safetensors").unlink()
        if damage == "pickled":
            (source / "pytorch_model.bin").write_bytes(b"\x80\x04not loaded")
    else:
        (source / "tokenizer.json").unlink()
    code = bazaar_exit_code(
        ["init", str(tmp_path / "m"), "--from", str(source), "--license", "MIT"]
    )
    assert code == ExitCode.REFUSED
    assert named in said(capsys)
    assert not (tmp_path / "m").exists()


def test_init_from_into_a_non_empty_folder_is_refused_untouched(standin, tmp_path) -> None:
    target = tmp_path / "mine"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    before = tree_digest(target)
    code = bazaar_exit_code(["init", str(target), "--from", str(standin), "--license", "MIT"])
    assert code == ExitCode.REFUSED
    assert tree_digest(target) == before


def test_recipe_accepts_imported_and_refuses_a_build_part_beside_it() -> None:
    imported = (
        '[imported]\nsource = "smollm2"\nname = "s"\nkind = "gguf"\n'
        f'version = "{"a" * 64}"\nfiles = {{ "s.gguf" = "{"b" * 64}" }}\n'
    )
    recipe = parse_recipe(imported)
    assert recipe.model is None and recipe.name == "s"
    with pytest.raises(RecipeError, match=r"takes no \[train\]; remove them"):
        parse_recipe("[train]\nmax_steps = 3\n" + imported)
    with pytest.raises(RecipeError, match="model: required key is missing"):
        parse_recipe('description = "neither"\n')
    policy = parse_recipe(imported + "[policy]\nlimit = 50\nlimits = { gsm8k_chat = 12 }\n").policy
    assert policy.limit_for("gsm8k_chat") == 12 and policy.limit_for("wordnet_mc") == 50
    with pytest.raises(RecipeError, match="limits.gsm8k_chat"):
        parse_recipe(imported + "[policy]\nlimits = { gsm8k_chat = 0 }\n")


def test_build_is_refused_clearly(standin, tmp_path) -> None:
    target = init_from(standin, tmp_path)
    before = tree_digest(target / ".bazaar")
    with pytest.raises(RecipeError, match="imported model .* nothing to build"):
        build(target, show_progress=False)
    assert tree_digest(target / ".bazaar") == before


def test_verify_reimports_and_says_so(standin, tmp_path) -> None:
    target = init_from(standin, tmp_path)
    report = verify(Store.for_model(target), target, "main")
    assert report.verdict == "identical"
    assert "imported, not built" in report.message and "re-importing" in report.message


def test_verify_names_a_changed_source_file(standin, tmp_path) -> None:
    target = init_from(standin, tmp_path)
    config = tmp_path / "source" / "config.json"
    config.write_text(json.dumps(json.loads(config.read_text()) | {"rms_norm_eps": 1e-5}))
    report = verify(Store.for_model(target), target, "main")
    assert report.verdict == "differs" and report.exit_code == 1
    assert "config.json: sha256" in report.message and "no longer matches" in report.message


def test_the_bazaar_loop_runs_on_an_imported_model(standin, tmp_path, monkeypatch) -> None:
    """eval, maintainers, contribute, review, merge, verify, release and audit on the stand-in."""
    from modelbazaar.audit.folder import audit_folder
    from modelbazaar.evals import run_suite

    target = init_from(standin, tmp_path)
    store = Store.for_model(target)
    imported = store.resolve("main")
    # evals: the policy's suites run on the imported version (chat template for gsm8k_chat)
    result = run_suite(store, "main", "tinystories", 4, model_dir=target)
    assert result.metrics["loss"] > 0 and result.n == 4
    # maintainers: nobody is trusted until listed
    monkeypatch.setenv("BAZAAR_KEYS", str(tmp_path / "keys" / "me"))
    add_trusted_key(target, generate_keypair(tmp_path / "keys" / "me"), maintainer=True)
    rows = [
        {"prompt": f"What is {a} plus {b}?", "response": f" {a} plus {b} is {a + b}."}
        for a in range(1, 9)
        for b in range(1, 9)
    ]
    data = tmp_path / "arith.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows))
    bundle = contribute(
        target,
        data=data,
        task="arith",
        license="MIT",
        include_data=True,
        out=tmp_path / "arith.bazaar",
        train=LoraTrainConfig(steps=20, lr=1e-2, batch_size=8),
        show_progress=False,
    ).bundle
    outcome = review(target, bundle, show_progress=False)
    assert outcome.verdict == "accept", outcome.reasons
    checked = {c["check"].split(":")[0] for c in outcome.report["checks"]}
    assert {"tinystories", "wordnet_mc", "gsm8k_chat", "safety_smoke"} <= checked
    merged = merge(target, [bundle], method="linear", show_progress=False)
    assert merged.verdict == "accept" and store.resolve("main") == merged.version
    assert store.version("main").relation == "merged"
    assert imported in [p["parent"] for p in store.catalogue.parents_of(merged.version)]
    assert verify(store, target, "main").verdict == "identical"  # the merge replays
    out = tmp_path / "release"
    release(store, "main", out, license_id="MIT", model_dir=target)
    assert (out / "model.safetensors").is_file() and (out / "LINEAGE.json").is_file()
    lineage = json.loads((out / "LINEAGE.json").read_text())
    assert "imported" in json.dumps(lineage)
    report = audit_folder(out)
    assert report.components["Model parameters (Final)"] == "MIT"
    # the release's source is the [imported] recipe: the source and every file's sha256
    released = parse_recipe((out / "source" / "bazaar.toml").read_text())
    assert released.imported is not None and released.imported.version == imported
    assert released.imported.files == load_recipe(target).imported.files
    recorded = tmp_path / "release-without-folder"  # written again from the recorded import
    release(store, "main", recorded, license_id="MIT")
    again = parse_recipe((recorded / "source" / "bazaar.toml").read_text())
    assert again.imported == released.imported


def test_adapters_of_a_chat_model_learn_answers_in_its_chat_format(standin) -> None:
    """An instruct model is evaluated through its chat template, so its LoRA trains in it."""
    from transformers import AutoTokenizer

    from modelbazaar.train.lora import Example, encode, prompt_text

    tokenizer = AutoTokenizer.from_pretrained(standin, local_files_only=True)
    rendered = prompt_text(tokenizer, "2+2?")
    assert rendered == "<|im_start|>user\n2+2?<|im_end|>\n<|im_start|>assistant\n"
    (ids, labels), *_ = encode(tokenizer, [Example("2+2?", "4")], 64)
    prompt = tokenizer(rendered, add_special_tokens=False)["input_ids"]
    assert ids[: len(prompt)] == prompt and labels[: len(prompt)] == [-100] * len(prompt)
    assert ids[-1] == tokenizer.eos_token_id  # the answer ends its turn
    tokenizer.chat_template = None  # a built model: "prompt\n", as before
    assert prompt_text(tokenizer, "2+2?") == "2+2?\n"


def test_a_perplexity_suite_is_judged_on_loss_whether_or_not_the_base_was_cached(
    standin, tmp_path, monkeypatch
) -> None:
    """The catalogue stores metrics with sorted keys; the gate must not switch to bits/byte."""
    import torch

    from modelbazaar.model import load_version
    from modelbazaar.recipe import PolicyConfig
    from modelbazaar.review.suites import suite_checks

    target = init_from(standin, tmp_path)
    store = Store.for_model(target)
    base = load_version(store, "main")
    policy = PolicyConfig(suites=["tinystories"], limit=2)
    candidate = base.model  # same weights: only the metric choice matters here
    with torch.no_grad():
        first = suite_checks(store, target, policy, base, candidate)[1]
        cached = suite_checks(store, target, policy, base, candidate)[1]
    assert [c["check"] for c in first] == [c["check"] for c in cached] == ["tinystories: loss"]
