"""`bazaar review` on validly signed hostile bundles, through the real entry point (issue 9, 3.4).

Before: non-UTF-8 data, a pickle named data/evil.pt, held_out_every = 0 and a 100k-deep JSON line
each crashed the review with a traceback and exit 1 — the code of a "reject" verdict. Now each is
refused when the bundle opens: exit 2, a message naming the problem, the store byte-identical.
"""

import hashlib
import json
import pickle
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from modelbazaar.contrib import generate_keypair
from modelbazaar.contrib.keys import load_private_key
from modelbazaar.errors import ExitCode
from modelbazaar.recipe import add_trusted_key
from modelbazaar.train.lora import LoraTrainConfig
from modelbazaar.workflows.contribute import contribute
from modelbazaar.workflows.review import review
from tests.helpers import bazaar_exit_code, tree_digest


def resign(
    bundle: Path, key: Path, out: Path, mutate: Callable[[dict], None], data: dict[str, bytes]
) -> Path:
    """Rewrite ``bundle`` with a mutated manifest and extra data members, signed again with
    ``key``: hostile, yet every hash and the signature check out (an insider's bundle)."""
    with zipfile.ZipFile(bundle) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    manifest = json.loads(members.pop("manifest.json"))
    members.pop("manifest.sig")
    for name, blob in data.items():
        members[f"data/{name}"] = blob
        entry = manifest["data_card"]["files"][0] | {"name": name, "included": True}
        entry |= {"bytes": len(blob), "sha256": hashlib.sha256(blob).hexdigest()}
        manifest["data_card"]["files"].append(entry)
    mutate(manifest)
    manifest["payload"] = [
        {"name": n, "sha256": hashlib.sha256(b).hexdigest(), "bytes": len(b)}
        for n, b in sorted(members.items())
    ]
    signed = json.dumps(manifest, sort_keys=True, indent=2).encode()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", signed)
        zf.writestr("manifest.sig", load_private_key(key).sign(signed))
        for name, blob in sorted(members.items()):
            zf.writestr(name, blob)
    return out


@pytest.fixture(scope="module")
def trusted(tiny_built, tmp_path_factory) -> tuple[Path, Path, Path]:
    """(model dir trusting `key`, key, a genuine bundle with its data included)."""
    root = tmp_path_factory.mktemp("hostile-review")
    model_dir = root / "model"
    shutil.copytree(tiny_built[0], model_dir)
    with (model_dir / "bazaar.toml").open("a") as f:
        f.write("limit = 8\n")  # [policy] is the recipe's last table
    key = root / "key"
    add_trusted_key(model_dir, generate_keypair(key))
    text = (model_dir / "data" / "tinyshakespeare" / "train.txt").read_text()
    (root / "verse.txt").write_text(text[20_000:30_000])
    bundle = contribute(
        model_dir,
        data=root / "verse.txt",
        task="verse",
        license="CC0-1.0",
        key=key,
        include_data=True,
        out=root / "verse.bazaar",
        train=LoraTrainConfig(steps=2, lr=1e-5, batch_size=2),  # next to no change at all
        show_progress=False,
    ).bundle
    return model_dir, key, bundle


def _set_every(every: int) -> Callable[[dict], None]:
    return lambda m: m["evaluation"].update(held_out_every=every)


HOSTILE = {
    "latin1": ({"notes.txt": "café\n\n".encode("latin-1")}, None, "not UTF-8 text"),
    "pickle": ({"evil.pt": pickle.dumps({"a": 1})}, None, "data/evil.pt: data files must be"),
    "held-out-every-0": ({}, _set_every(0), "evaluation.held_out_every"),
    "deep-json": ({"deep.jsonl": b"[" * 100_000 + b"]" * 100_000}, None, "nested deeper than 32"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_signed_hostile_data_is_refused_with_exit_2(
    trusted, tmp_path: Path, capsys, case: str
) -> None:
    model_dir, key, genuine = trusted
    data, mutate, message = HOSTILE[case]
    hostile = resign(genuine, key, tmp_path / f"{case}.bazaar", mutate or (lambda m: None), data)
    before = tree_digest(model_dir / ".bazaar")
    code = bazaar_exit_code(["review", str(hostile), "-C", str(model_dir)])
    captured = capsys.readouterr()
    assert code == ExitCode.REFUSED, captured.err
    assert message in " ".join(captured.err.split())
    assert "Traceback" not in captured.err
    assert tree_digest(model_dir / ".bazaar") == before


def test_a_gain_too_small_to_matter_is_rejected(trusted) -> None:
    # Issue 9, 3.8: an adapter that barely moves the loss passed when min_task_gain = 0, because
    # its CI excluded zero. The default policy now asks for 0.01 nats (min_task_gain_nats).
    model_dir, _, genuine = trusted
    outcome = review(model_dir, genuine, show_progress=False)
    (own,) = [c for c in outcome.report["checks"] if c["check"].startswith("own task")]
    assert abs(own["delta"]) < 0.01  # a change nobody would notice (here ~2e-5 nats) …
    assert own["ci_high"] < 0  # … whose CI excludes zero: the old rule accepted exactly this
    assert own["status"] == "fail" and own["bound"] == "whole CI below -0.0100"
    assert outcome.verdict == "reject"
    assert any(
        "no meaningful gain" in r and "min_task_gain_nats = 0.01" in r for r in outcome.reasons
    )


def test_private_data_cannot_skip_the_gain_gate(trusted, tmp_path: Path) -> None:
    # Leaving the data out used to turn the gain gate into "unverified", so a random adapter
    # passed whenever the suites did not regress. Now it is rejected before any eval runs.
    model_dir, key, _ = trusted
    private = contribute(
        model_dir,
        data=model_dir / "contributions" / "noise" / "train.txt",
        task="noise",
        license="CC0-1.0",
        key=key,
        out=tmp_path / "private.bazaar",
        train=LoraTrainConfig(steps=1, batch_size=2),
        show_progress=False,
    ).bundle
    outcome = review(model_dir, private, show_progress=False)
    assert outcome.verdict == "reject"
    assert "no measurable gain" in outcome.reasons[0] and "--include-data" in outcome.reasons[0]
    assert "accept_unmeasured_gain = true" in outcome.reasons[0]
    assert [c["status"] for c in outcome.report["checks"]] == ["skipped", "unverified"]
