"""Audits through lineage: inherited model licences and data licences become obligations."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from modelbazaar.audit.components import audit_version
from modelbazaar.cli.main import app
from modelbazaar.errors import BazaarError
from modelbazaar.store import Store
from modelbazaar.store.lineage import walk
from modelbazaar.workflows.release import release

LLAMA = "LicenseRef-Llama-3.1-Community"


def _objects(store: Store, tag: bytes) -> dict[str, str]:
    """Stand-in objects: a lineage audit reads licences, never the weights."""
    return {
        k: store.objects.put_bytes(tag + k.encode()) for k in ("weights", "tokenizer", "config")
    }


def _manifest(name: str, license_id: str) -> dict:
    files = [{"path": f"{name}/val.txt", "split": "validation", "bytes": 1, "sha256": "0" * 64}]
    return {"name": name, "license": license_id, "source": "test", "provenance": "human",
            "files": files}  # fmt: skip


def test_cc_by_nc_data_makes_the_model_non_commercial(tmp_path: Path):
    store = Store(tmp_path / "store")
    recipe = {"license": {"code": "Apache-2.0", "documentation": "CC-BY-4.0"}}
    data = [_manifest("open", "CC-BY-4.0"), _manifest("nc", "CC-BY-NC-4.0")]
    info = {"name": "m", "license": "Apache-2.0", "recipe": recipe, "data": data}
    version = store.add_version(**_objects(store, b"a"), relation="built", info=info)
    report, lineage = audit_version(store, version)
    assert report.verdict == "open weights"
    assert any("CC-BY-NC-4.0" in r for r in report.reasons)
    assert any("non-commercial" in r for r in report.reasons)
    kinds = {(o.kind, o.license) for o in lineage.obligations}
    assert ("non_commercial", "CC-BY-NC-4.0") in kinds
    assert not any(o.license == "CC-BY-4.0" for o in lineage.obligations)


def test_public_domain_data_is_open(tmp_path: Path):
    store = Store(tmp_path / "store")
    info = {"name": "m", "license": "MIT", "data": [_manifest("pd", "LicenseRef-Public-Domain")]}
    version = store.add_version(**_objects(store, b"p"), relation="built", info=info)
    report, lineage = audit_version(store, version)
    assert report.verdict == "open source", report.reasons
    assert report.components["Datasets"] == "CC0-1.0" and not lineage.obligations


def _tiny_llama_folder(folder: Path) -> Path:
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    vocab = {c: i for i, c in enumerate(["<unk>", "<s>", "</s>", *"abcdefgh "])}
    backend = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    backend.pre_tokenizer = pre_tokenizers.Split("", "isolated")
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=backend, unk_token="<unk>", bos_token="<s>", eos_token="</s>"
    )
    config = LlamaConfig(
        vocab_size=len(vocab),
        hidden_size=16,
        intermediate_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        max_position_embeddings=32,
    )
    LlamaForCausalLM(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def llama_child(tmp_path_factory) -> tuple[Path, Store, str]:
    """An import under the Llama 3.1 licence and a version tuned from it (declared Apache)."""
    from modelbazaar.workflows.importer import import_model

    root = tmp_path_factory.mktemp("llama")
    model_dir = root / "model"
    model_dir.mkdir()
    store = Store.for_model(model_dir)
    parent = import_model(store, str(_tiny_llama_folder(root / "llama-tiny")), LLAMA)
    record = store.version(parent)
    child = store.add_version(
        weights=record.weights,
        tokenizer=record.tokenizer,
        config=store.objects.put_bytes(store.objects.get_bytes(record.config) + b"\n"),
        relation="tuned",
        info=record.info | {"name": "tuned-tiny", "license": "Apache-2.0"},
        parents=[(parent, "tuned", {})],
    )
    store.tag("tuned", child)
    return model_dir, store, child


def test_llama_parent_forces_its_obligations_on_a_derivative(llama_child):
    _, store, child = llama_child
    report, lineage = audit_version(store, child)
    assert report.verdict == "open weights"
    assert report.components["Model parameters (Final)"] == LLAMA
    kinds = {o.kind for o in lineage.obligations if o.license == LLAMA}
    assert {"naming", "aup", "mau_cap", "litigation_termination"} <= kinds
    naming = next(o for o in lineage.obligations if o.kind == "naming")
    assert "Llama" in naming.quote and naming.origin.startswith("imported")
    assert any(e["relation"] == "tuned" for e in walk(store, child).edges)


def test_release_refuses_to_relicense_a_llama_derivative(llama_child, tmp_path):
    _, store, child = llama_child
    with pytest.raises(BazaarError, match=LLAMA):
        release(store, child, tmp_path / "out", license_id="Apache-2.0")


def test_cli_audits_a_ref_through_its_lineage(llama_child, tmp_path):
    model_dir, _, _ = llama_child
    out = tmp_path / "report"
    result = CliRunner().invoke(app, ["audit", "tuned", "-C", str(model_dir), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "open weights" in result.output and "Obligations" in result.output
    assert (out / "audit.json").is_file() and (out / "lineage.json").is_file()


def test_cli_unknown_ref_is_a_clear_error(llama_child):
    from modelbazaar.errors import AuditError

    model_dir, _, _ = llama_child
    result = CliRunner().invoke(app, ["audit", "nosuch", "-C", str(model_dir)])
    assert isinstance(result.exception, AuditError) and "nosuch" in str(result.exception)
