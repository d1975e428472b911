"""One test per kind of hostile bundle, each zip built by hand, each asserting the exact refusal.

The helpers below re-implement the bundle format independently of write_bundle, so a hostile
payload can carry a *valid* signature and matching hashes and reach the check it targets.
"""

import hashlib
import io
import json
import os
import pathlib
import pickle
import random
import stat
import struct
import tracemalloc
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
import safetensors.torch
import torch
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from modelbazaar.contrib import (
    BundleLimits,
    check_adapter_against_base,
    check_base_known,
    open_bundle,
    public_key_text,
)
from modelbazaar.errors import BundleError

BASE_SHAPES = {"model.layers.0.mlp.up_proj.weight": (16, 12)}  # (out_features, in_features)
R = 4
A_NAME = "base_model.model.model.layers.0.mlp.up_proj.lora_A.weight"
B_NAME = "base_model.model.model.layers.0.mlp.up_proj.lora_B.weight"
KEY = Ed25519PrivateKey.generate()
PUB = public_key_text(KEY)


def adapter_bytes(a: torch.Tensor | None = None, b: torch.Tensor | None = None) -> bytes:
    g = torch.Generator().manual_seed(0)
    a = torch.randn(R, 12, generator=g) if a is None else a
    b = torch.randn(16, R, generator=g) if b is None else b
    return safetensors.torch.save({A_NAME: a, B_NAME: b})


def manifest_bytes(payload: dict[str, bytes], **over: object) -> bytes:
    """A valid manifest.json listing ``payload`` with correct hashes, as write_bundle would."""
    doc = {
        "format_version": 1,
        "base_version": "ab" * 32,
        "kind": "adapter",
        "task": "arith",
        "author": PUB,
        "license": "MIT",
        "adapter_config": {"r": R, "alpha": 8.0, "target_modules": ["up_proj"], "dropout": 0.0},
        "created": datetime(2025, 1, 1, tzinfo=UTC).isoformat(),
        "payload": [
            {"name": n, "sha256": hashlib.sha256(b).hexdigest(), "bytes": len(b)}
            for n, b in sorted(payload.items())
        ],
    }
    doc.update(over)
    return json.dumps(doc, sort_keys=True, indent=2).encode()


def write_zip(path: Path, members: list[tuple[str | zipfile.ZipInfo, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            zf.writestr(name, data)
    return path


def signed_bundle(
    path: Path,
    payload: dict[str, bytes] | None = None,
    *,
    key: Ed25519PrivateKey = KEY,
    extra: list[tuple[str | zipfile.ZipInfo, bytes]] = (),
    **manifest_over: object,
) -> Path:
    """A correctly signed bundle whose manifest lists exactly ``payload``, plus ``extra``."""
    payload = {"adapter.safetensors": adapter_bytes()} if payload is None else payload
    mb = manifest_bytes(payload, author=public_key_text(key), **manifest_over)
    members = [("manifest.json", mb), ("manifest.sig", key.sign(mb)), *payload.items(), *extra]
    return write_zip(path, members)


def refused(path: Path, match: str, **kwargs: object) -> BundleError:
    with pytest.raises(BundleError, match=match) as info:
        open_bundle(path, **kwargs)
    return info.value


def test_baseline_hand_built_bundle_opens(tmp_path: Path) -> None:
    # Proves the helpers build a valid bundle, so each refusal below is caused by its one defect.
    bundle = open_bundle(signed_bundle(tmp_path / "ok.bazaar"), trusted_keys={PUB})
    check_adapter_against_base(bundle.adapter, BASE_SHAPES, bundle.manifest.adapter_config)


# --- payloads that are not safetensors ------------------------------------------------------


class _RunsCode:
    marker: Path

    def __reduce__(self):  # unpickling calls Path.touch(marker): arbitrary code execution
        return (pathlib.Path.touch, (self.marker,))


def test_pickle_payload_is_refused_without_running_it(tmp_path: Path) -> None:
    evil = _RunsCode()
    evil.marker = tmp_path / "pwned"
    blob = pickle.dumps(evil)
    path = signed_bundle(tmp_path / "b.bazaar", {"adapter.safetensors": blob})
    refused(path, "adapter.safetensors is a Python pickle.*only safetensors is accepted")
    assert not evil.marker.exists()
    pickle.loads(blob)  # the payload really is an exploit: loading it the unsafe way runs it
    assert evil.marker.exists()


def test_torch_save_checkpoint_is_refused(tmp_path: Path) -> None:
    buf = io.BytesIO()
    torch.save({A_NAME: torch.zeros(R, 12)}, buf)
    path = signed_bundle(tmp_path / "b.bazaar", {"adapter.safetensors": buf.getvalue()})
    refused(path, r"zip archive, e\.g\. a torch\.save checkpoint")


def test_non_safetensors_payload_is_refused(tmp_path: Path) -> None:
    path = signed_bundle(tmp_path / "b.bazaar", {"adapter.safetensors": b"hello, I am text" * 4})
    refused(path, "adapter.safetensors is not safetensors; only safetensors is accepted")


def _raw_safetensors(header: dict, data: bytes) -> bytes:
    h = json.dumps(header).encode()
    return struct.pack("<Q", len(h)) + h + data


@pytest.mark.parametrize(
    ("blob", "message"),
    [
        (
            _raw_safetensors(
                {
                    "a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
                    "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]},
                },
                bytes(12),
            ),
            "contiguous and non-overlapping",
        ),
        (
            _raw_safetensors(
                {"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}, bytes(8) + b"hidden"
            ),
            "hidden or missing bytes",
        ),
        (
            _raw_safetensors(
                {"a": {"dtype": "I64", "shape": [1], "data_offsets": [0, 8]}}, bytes(8)
            ),
            "dtype 'I64'",
        ),
        (
            _raw_safetensors(
                {"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 8]}}, bytes(8)
            ),
            "needs 16",
        ),
        (
            struct.pack("<Q", 2 << 20) + b"{" + random.Random(0).randbytes(2 << 20),
            "header, the limit is 1048576",
        ),
        (struct.pack("<Q", 10) + b'{"a": [}  ', "malformed safetensors header"),
        (b'\x0f\x00\x00\x00\x00\x00\x00\x00{"a":1,"a":2}  ', "names a tensor twice"),
    ],
    ids=["overlap", "trailing", "int-dtype", "size", "huge-header", "bad-json", "dup-key"],
)
def test_malformed_safetensors_header_is_refused(tmp_path: Path, blob: bytes, message: str) -> None:
    refused(signed_bundle(tmp_path / "b.bazaar", {"adapter.safetensors": blob}), message)


# --- hostile zip structure -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("../evil.txt", "'..' component \\(path traversal\\)"),
        ("data/../../evil.txt", "'..' component \\(path traversal\\)"),
        ("/etc/passwd", "is an absolute path"),
        ("data\\evil.txt", "contains a backslash"),
        ("C:/evil.txt", "has a drive letter"),
        ("setup.py", "is not allowed in a bundle"),
        ("data/.hidden", "is not allowed in a bundle"),
    ],
    ids=["traversal", "nested-traversal", "absolute", "backslash", "drive", "unknown", "hidden"],
)
def test_hostile_member_names_are_refused(tmp_path: Path, name: str, message: str) -> None:
    refused(signed_bundle(tmp_path / "b.bazaar", extra=[(name, b"x")]), message)


def test_symlink_member_is_refused(tmp_path: Path) -> None:
    link = zipfile.ZipInfo("data/notes.txt")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16  # how zip -y stores a symlink
    refused(signed_bundle(tmp_path / "b.bazaar", extra=[(link, b"/etc/passwd")]), "is a symlink")


def test_duplicate_member_is_refused(tmp_path: Path) -> None:
    with pytest.warns(UserWarning, match="Duplicate name"):
        path = signed_bundle(tmp_path / "b.bazaar", extra=[("adapter.safetensors", b"other")])
    refused(path, "appears twice")


def test_member_not_listed_in_manifest_is_refused(tmp_path: Path) -> None:
    extra = [("data/extra.txt", b"smuggled")]
    refused(signed_bundle(tmp_path / "b.bazaar", extra=extra), "not listed in the signed manifest")


def test_not_a_zip_and_truncated_zip_are_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk.bazaar"
    junk.write_bytes(b"this is not a zip at all")
    refused(junk, "is not a valid zip bundle")
    good = signed_bundle(tmp_path / "good.bazaar").read_bytes()
    cut = tmp_path / "cut.bazaar"
    cut.write_bytes(good[: len(good) // 2])
    refused(cut, "is not a valid zip bundle")


def _zeros_bomb(path: Path, mib: int) -> Path:
    """A signed bundle whose data/zeros.txt inflates to ``mib`` MiB, so that without the limits
    open_bundle would really decompress it (the manifest lists it; its hash is checked last)."""
    adapter = adapter_bytes()
    zeros = {"name": "zeros.txt", "bytes": mib << 20, "sha256": hashlib.sha256(b"").hexdigest()}
    card = {"files": [{**zeros, "provenance": "human", "license": "MIT", "included": True}]}
    mb = manifest_bytes({"adapter.safetensors": adapter}, data_card=card)
    doc = json.loads(mb)
    doc["payload"].append({k: zeros[k] for k in ("sha256", "bytes")} | {"name": "data/zeros.txt"})
    mb = json.dumps(doc).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in [("manifest.json", mb), ("manifest.sig", KEY.sign(mb))]:
            zf.writestr(name, data)
        zf.writestr("adapter.safetensors", adapter)
        with zf.open("data/zeros.txt", "w", force_zip64=True) as f:
            chunk = bytes(1 << 20)
            for _ in range(mib):
                f.write(chunk)
    return path


def test_zip_bomb_is_refused_from_the_central_directory(tmp_path: Path) -> None:
    bomb = _zeros_bomb(tmp_path / "bomb.bazaar", 200)  # 200 MiB of zeros
    assert bomb.stat().st_size < 1 << 20  # ~200 KiB on disk
    tracemalloc.start()
    try:
        err = refused(bomb, r"compression ratio \d+:1 .* refusing a likely zip bomb")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 << 20, peak  # never inflated: 200 MiB would have shown up here
    assert "data/zeros.txt" in str(err)


def test_member_and_total_size_limits(tmp_path: Path) -> None:
    path = signed_bundle(tmp_path / "b.bazaar", extra=[("data/a.txt", bytes(5000))])
    refused(
        path,
        "claims 5000 bytes uncompressed, the limit is 4096",
        limits=BundleLimits(max_member_bytes=4096),
    )
    refused(path, "add up to more than 5000 bytes", limits=BundleLimits(max_total_bytes=5000))


def test_lying_size_header_is_caught_while_inflating(tmp_path: Path) -> None:
    data = b"abcdefgh" * 300_000  # 2.4 MB that deflates ~500:1 into a few KiB
    card = {"files": [_card_entry("a.txt", data)]}
    path = signed_bundle(
        tmp_path / "lie.bazaar",
        {"adapter.safetensors": adapter_bytes(), "data/a.txt": data},
        data_card=card,
    )
    blob = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        local = zf.getinfo("data/a.txt").header_offset
    central = blob.index(b"data/a.txt", blob.index(b"PK\x01\x02")) - 46  # 46: fixed header
    # Both headers now claim 1000 bytes: small enough to pass every central-directory limit.
    struct.pack_into("<I", blob, local + 22, 1000)  # uncompressed size in the local header
    struct.pack_into("<I", blob, central + 24, 1000)  # ... and in the central directory
    path.write_bytes(bytes(blob))
    with zipfile.ZipFile(path) as zf:
        assert zf.getinfo("data/a.txt").file_size == 1000  # the header now lies
    # The capped read stops at the claimed 1000 bytes; the CRC then exposes the lie.
    refused(path, "not a valid zip bundle .*Bad CRC-32 for file 'data/a.txt'")


def _card_entry(name: str, data: bytes) -> dict:
    return {
        "name": name,
        "bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "provenance": "human",
        "license": "MIT",
        "included": True,
    }


def test_bundle_with_included_data_opens(tmp_path: Path) -> None:
    data = b"2+2=4\n"
    path = signed_bundle(
        tmp_path / "b.bazaar",
        {"adapter.safetensors": adapter_bytes(), "data/a.txt": data},
        data_card={"files": [_card_entry("a.txt", data)]},
    )
    assert open_bundle(path).data_files == {"a.txt": data}


def test_too_many_files_is_refused(tmp_path: Path) -> None:
    extra = [(f"data/f{i}.txt", b"x") for i in range(70)]
    refused(
        signed_bundle(tmp_path / "b.bazaar", extra=extra), "bundle has 73 files, the limit is 64"
    )


def test_overlapping_members_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "overlap.bazaar"
    write_zip(path, [("data/a.txt", b"x" * 100)])
    blob = bytearray(path.read_bytes())
    central = blob.index(b"PK\x01\x02")
    entry = bytes(blob[central : blob.index(b"PK\x05\x06")])
    second = entry.replace(b"data/a.txt", b"data/b.txt")  # same local header offset, new name
    end = blob.index(b"PK\x05\x06")
    eocd = bytearray(blob[end:])
    struct.pack_into("<HH", eocd, 8, 2, 2)  # entries on disk, total entries
    struct.pack_into("<I", eocd, 12, 2 * len(entry))  # central directory size
    path.write_bytes(bytes(blob[:end]) + second + bytes(eocd))
    refused(path, "overlap; refusing a likely zip bomb", require_signature=False)


# --- manifest ----------------------------------------------------------------------------------


def test_oversized_manifest_is_refused(tmp_path: Path) -> None:
    payload = {"adapter.safetensors": adapter_bytes()}
    big = manifest_bytes(payload, data_card={"files": [], "description": "x" * (2 << 20)})
    path = write_zip(tmp_path / "b.bazaar", [("manifest.json", big), *payload.items()])
    refused(path, r"manifest claims \d+ bytes uncompressed, the limit is 1048576")


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        (b"{not json", "manifest.json is not valid JSON"),
        (b'{"format_version": 2}', "format_version 2 is not supported"),
        (manifest_bytes({}, base_version="main"), "field 'base_version' is invalid"),
        (
            manifest_bytes({}, evaluation={"task_loss_base": "NaN"}),
            "field .evaluation.task_loss_base. is invalid",
        ),
        (manifest_bytes({}, run="rm -rf /"), "field 'run' is invalid: Extra inputs"),
    ],
    ids=["json", "version", "base-hash", "nan-eval", "extra-field"],
)
def test_malformed_manifest_names_the_field(tmp_path: Path, manifest: bytes, message: str) -> None:
    path = write_zip(tmp_path / "b.bazaar", [("manifest.json", manifest)])
    refused(path, message)


# --- tensors -----------------------------------------------------------------------------------


def test_nan_tensor_is_refused(tmp_path: Path) -> None:
    a = torch.zeros(R, 12)
    a[1, 3] = float("nan")
    path = signed_bundle(tmp_path / "b.bazaar", {"adapter.safetensors": adapter_bytes(a=a)})
    refused(path, f"tensor '{A_NAME}' contains NaN")


def test_inf_tensor_is_refused(tmp_path: Path) -> None:
    b = torch.zeros(16, R, dtype=torch.bfloat16)
    b[0, 0] = float("-inf")
    path = signed_bundle(tmp_path / "b.bazaar", {"adapter.safetensors": adapter_bytes(b=b)})
    refused(path, f"tensor '{B_NAME}' contains Inf")


def test_tensor_for_a_module_not_in_the_base_is_refused(tmp_path: Path) -> None:
    bogus = "base_model.model.model.layers.7.mlp.up_proj.lora_A.weight"
    blob = safetensors.torch.save({bogus: torch.zeros(R, 12), B_NAME: torch.zeros(16, R)})
    bundle = open_bundle(signed_bundle(tmp_path / "b.bazaar", {"adapter.safetensors": blob}))
    with pytest.raises(BundleError, match=f"'{bogus}' targets module .* base model does not have"):
        check_adapter_against_base(bundle.adapter, BASE_SHAPES, bundle.manifest.adapter_config)


def test_tensor_with_wrong_shape_is_refused(tmp_path: Path) -> None:
    blob = adapter_bytes(a=torch.zeros(R, 13))  # in_features of up_proj is 12
    bundle = open_bundle(signed_bundle(tmp_path / "b.bazaar", {"adapter.safetensors": blob}))
    with pytest.raises(BundleError, match=rf"'{A_NAME}' has shape \(4, 13\), expected \(4, 12\)"):
        check_adapter_against_base(bundle.adapter, BASE_SHAPES, bundle.manifest.adapter_config)


def test_unknown_base_hash_is_refused(tmp_path: Path) -> None:
    bundle = open_bundle(signed_bundle(tmp_path / "b.bazaar", base_version="cd" * 32))
    with pytest.raises(BundleError, match=f"base version {'cd' * 32} is not in this store"):
        check_base_known(bundle.manifest, {"ab" * 32}.__contains__)


# --- signatures and hashes ---------------------------------------------------------------------


def test_missing_signature_is_refused(tmp_path: Path) -> None:
    payload = {"adapter.safetensors": adapter_bytes()}
    path = write_zip(
        tmp_path / "b.bazaar", [("manifest.json", manifest_bytes(payload)), *payload.items()]
    )
    refused(path, r"no manifest\.sig \(missing signature\)")


def test_malformed_signature_is_refused(tmp_path: Path) -> None:
    payload = {"adapter.safetensors": adapter_bytes()}
    mb = manifest_bytes(payload)
    path = write_zip(
        tmp_path / "b.bazaar", [("manifest.json", mb), ("manifest.sig", b"sig"), *payload.items()]
    )
    refused(path, "signature is 3 bytes, an ed25519 signature is 64")


def test_manifest_modified_after_signing_is_refused(tmp_path: Path) -> None:
    payload = {"adapter.safetensors": adapter_bytes()}
    mb = manifest_bytes(payload)
    sig = KEY.sign(mb)
    tampered = mb.replace(b'"license": "MIT"', b'"license": "CC0-1.0"')
    assert tampered != mb
    path = write_zip(
        tmp_path / "b.bazaar",
        [("manifest.json", tampered), ("manifest.sig", sig), *payload.items()],
    )
    refused(path, "bad signature: the manifest was not signed by .* or was modified after signing")


def test_foreign_signature_is_refused(tmp_path: Path) -> None:
    stranger = Ed25519PrivateKey.generate()
    path = signed_bundle(tmp_path / "b.bazaar", key=stranger)
    open_bundle(path)  # a valid signature...
    err = refused(path, "foreign signature", trusted_keys={PUB})  # ...by a key nobody trusts
    assert public_key_text(stranger) in str(err)


def test_payload_hash_mismatch_is_refused(tmp_path: Path) -> None:
    signed = {"adapter.safetensors": adapter_bytes()}
    swapped = adapter_bytes(a=torch.ones(R, 12))  # a different, perfectly valid adapter
    mb = manifest_bytes(signed)
    members = [
        ("manifest.json", mb),
        ("manifest.sig", KEY.sign(mb)),
        ("adapter.safetensors", swapped),
    ]
    refused(
        write_zip(tmp_path / "b.bazaar", members),
        "payload hash mismatch for 'adapter.safetensors'.*changed after signing",
    )


def test_listed_but_missing_payload_is_refused(tmp_path: Path) -> None:
    payload = {"adapter.safetensors": adapter_bytes(), "data/train.txt": b"text"}
    mb = manifest_bytes(payload)
    members = [
        ("manifest.json", mb),
        ("manifest.sig", KEY.sign(mb)),
        ("adapter.safetensors", payload["adapter.safetensors"]),
    ]
    refused(write_zip(tmp_path / "b.bazaar", members), "lists 'data/train.txt' but the bundle has")


def test_data_member_missing_from_the_data_card_is_refused(tmp_path: Path) -> None:
    # Listed in the signed payload but not declared in the data card: the card must not lie.
    payload = {"adapter.safetensors": adapter_bytes(), "data/a.txt": b"x"}
    path = signed_bundle(tmp_path / "b.bazaar", payload)
    refused(path, "'data/a.txt' is in the bundle but not in the data card as included")


def test_data_kind_must_not_carry_an_adapter(tmp_path: Path) -> None:
    refused(signed_bundle(tmp_path / "b.bazaar", kind="data"), "kind 'data' must hold data/")


def test_deeply_nested_manifest_json_is_refused(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "b.bazaar", [("manifest.json", b"[" * 200_000)])
    refused(path, "manifest.json is not valid JSON")


def test_exotic_compression_is_refused(tmp_path: Path) -> None:
    info = zipfile.ZipInfo("data/a.txt")
    info.compress_type = zipfile.ZIP_LZMA  # costs far more to inflate; write_bundle never uses it
    refused(signed_bundle(tmp_path / "b.bazaar", extra=[(info, b"x")]), "compression method 14")


# --- data members: UTF-8 text or JSON Lines, by rule (issue 9, 3.4) ---------------------------


def _with_data(path: Path, name: str, data: bytes) -> Path:
    """A correctly signed bundle carrying ``data/<name>`` with matching card and payload."""
    return signed_bundle(
        path,
        {"adapter.safetensors": adapter_bytes(), f"data/{name}": data},
        data_card={"files": [_card_entry(name, data)]},
    )


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("evil.pt", pickle.dumps({"a": 1}), r"data/evil.pt: data files must be UTF-8 text"),
        ("bad.txt", b"caf\xe9 au lait\n", r"data/bad.txt is not UTF-8 text \(byte 3"),
        ("nul.txt", b"text\x00more", r"data/nul.txt is binary \(it contains NUL bytes\)"),
        (
            "deep.jsonl",
            b'{"prompt": "a", "response": "b"}\n' + b"[" * 100_000 + b"]" * 100_000 + b"\n",
            r"data/deep.jsonl line 2: JSON nested deeper than 32",
        ),
        ("row.jsonl", b"[1, 2]\n", r"data/row.jsonl line 1: expected a JSON object"),
        ("half.jsonl", b'{"prompt": \n', r"data/half.jsonl line 1 is not JSON"),
    ],
    ids=["pickle-name", "latin1", "nul", "deep-json", "not-object", "broken-json"],
)
def test_data_members_must_be_utf8_text_or_jsonl(
    tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    refused(_with_data(tmp_path / "b.bazaar", name, data), message)


def test_text_and_jsonl_data_members_open(tmp_path: Path) -> None:
    rows = b'{"prompt": "[[[{{{", "response": "\\"]]]"}\n{"text": "caf\xc3\xa9"}\n'
    assert open_bundle(_with_data(tmp_path / "j.bazaar", "qa.jsonl", rows)).data_files
    assert open_bundle(_with_data(tmp_path / "t.bazaar", "notes.md", b"# Notes\n\nok\n"))


# --- what is read at all: decided by stat before a byte is read (issue 9, 3.8) ----------------


def test_dev_zero_is_refused_without_reading_it() -> None:
    tracemalloc.start()
    try:
        refused(Path("/dev/zero"), "/dev/zero is not a regular file")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1 << 20, peak  # before: read to the 1 GiB cap (2.5 GB peak) then refused


def test_fifo_and_folder_are_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.bazaar"
    os.mkfifo(fifo)  # opening a FIFO for reading blocks until a writer comes: never open it
    refused(fifo, "is not a regular file")
    refused(tmp_path, "is not a regular file")


def test_oversized_file_is_refused_from_its_size(tmp_path: Path) -> None:
    path = signed_bundle(tmp_path / "b.bazaar")
    refused(path, r"is \d+ bytes, the limit is 100", limits=BundleLimits(max_archive_bytes=100))
