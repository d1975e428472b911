"""Write and open ``NAME.bazaar`` contribution bundles.

A bundle is a zip of ``manifest.json``, ``manifest.sig`` (ed25519 over the exact manifest bytes),
``adapter.safetensors``, optionally ``statistics.safetensors`` (Gram matrices for RegMean) and
``data/<name>``. The manifest lists every payload member with
its sha256, so one signature covers everything. Opening reads the bundle into memory once and never
extracts: every check happens on bytes.

Example::

    manifest = BundleManifest(base_version=h, kind="adapter", task="gsm8k", author=pub, ...)
    write_bundle(Path("gsm8k.bazaar"), manifest, {"adapter.safetensors": blob}, priv)
    bundle = open_bundle(Path("gsm8k.bazaar"), trusted_keys={pub})
    bundle.adapter["base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight"].shape
"""

from __future__ import annotations

import hashlib
import io
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import torch
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from modelbazaar.contrib.datacheck import check_data_member
from modelbazaar.contrib.keys import public_key_text, sign, verify_signature
from modelbazaar.contrib.manifest import (
    ADAPTER_NAME,
    DATA_PREFIX,
    MANIFEST_NAME,
    SIGNATURE_NAME,
    STATISTICS_NAME,
    BundleManifest,
    PayloadEntry,
    parse_manifest,
)
from modelbazaar.contrib.safetensors_check import load_safetensors_strict
from modelbazaar.contrib.stats_check import check_statistics_listed, load_statistics
from modelbazaar.contrib.zipcheck import (
    BundleLimits,
    check_central_directory,
    check_member_name,
    read_bundle_file,
    read_member,
)
from modelbazaar.errors import BundleError
from modelbazaar.store.objects import atomic_write

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # fixed member times: same inputs give the same zip bytes


@dataclass(frozen=True)
class VerifiedBundle:
    """A bundle that passed every check :func:`open_bundle` can make without the store.

    ``signer`` is the verified author key; it is None only for an unsigned bundle opened with
    ``require_signature=False``. ``id`` names the contribution: the sha256 of its signed
    manifest in canonical form, which covers every payload hash, so the same contribution
    re-zipped keeps its id. ``sha256`` is the hash of the bundle file, these exact zip bytes;
    ``blob`` its bytes, the very ones that were verified (a caller that stores the bundle stores
    these, never a second read of a file that may have changed).
    """

    manifest: BundleManifest
    adapter: dict[str, torch.Tensor] = field(repr=False)
    data_files: dict[str, bytes] = field(repr=False)  # "train.jsonl" -> bytes (no "data/" prefix)
    signer: str | None
    sha256: str
    blob: bytes = field(default=b"", repr=False)  # the bundle file's bytes, read once
    id: str = ""
    # module -> Gram of its inputs (statistics.safetensors, checked); {} when none were shipped
    statistics: dict[str, torch.Tensor] = field(default_factory=dict, repr=False)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_payload_consistency(manifest: BundleManifest, members: dict[str, bytes]) -> None:
    """The manifest's payload list, its data card and the members must tell the same story.

    ``members`` maps payload member names (everything but manifest.json/.sig) to their bytes.
    """
    listed = {p.name: p for p in manifest.payload}
    if len(listed) != len(manifest.payload):
        raise BundleError("manifest payload lists a file twice; refusing an ambiguous bundle")
    for name in sorted(members):
        if name not in listed:
            raise BundleError(
                f"zip member {name!r} is not listed in the signed manifest payload; "
                "someone added it after signing"
            )
    for name, entry in sorted(listed.items()):
        if name not in members:
            raise BundleError(f"manifest payload lists {name!r} but the bundle has no such member")
        data = members[name]
        if len(data) != entry.bytes or _sha256(data) != entry.sha256:
            raise BundleError(
                f"payload hash mismatch for {name!r}: the manifest says "
                f"sha256 {entry.sha256[:12]}… "
                f"({entry.bytes} bytes), the member is {_sha256(data)[:12]}… ({len(data)} bytes); "
                "the payload was changed after signing"
            )
    check_statistics_listed(manifest, members)
    if manifest.kind == "adapter" and ADAPTER_NAME not in members:
        raise BundleError(f"a bundle of kind 'adapter' must contain {ADAPTER_NAME}")
    if manifest.kind == "data" and (
        ADAPTER_NAME in members or not any(n.startswith(DATA_PREFIX) for n in members)
    ):
        raise BundleError(f"a bundle of kind 'data' must hold data/ files and no {ADAPTER_NAME}")
    card = {f.name: f for f in manifest.data_card.files}
    for name in sorted(members):
        if name.startswith(DATA_PREFIX):
            short = name[len(DATA_PREFIX) :]
            if short not in card or not card[short].included:
                raise BundleError(f"{name!r} is in the bundle but not in the data card as included")
    for f in card.values():
        data = members.get(DATA_PREFIX + f.name)
        if f.included and data is None:
            raise BundleError(f"data card says {f.name!r} is included but the bundle lacks it")
        if data is not None and (len(data) != f.bytes or _sha256(data) != f.sha256):
            raise BundleError(f"data card hash/size of {f.name!r} does not match the file")
        if data is not None:
            check_data_member(f.name, data)  # UTF-8 text or JSON Lines, by rule


def write_bundle(
    out_path: Path,
    manifest: BundleManifest,
    files: dict[str, bytes],
    private_key: Ed25519PrivateKey,
) -> Path:
    """Fill the payload list, sign the manifest and write the zip atomically (temp + rename).

    ``files`` maps member names ("adapter.safetensors", "data/train.jsonl") to bytes;
    ``manifest.author`` must be the public key of ``private_key``.
    """
    out_path = Path(out_path)
    if manifest.author != public_key_text(private_key):
        raise BundleError(
            f"manifest author {manifest.author} is not the public key of the signing key "
            f"({public_key_text(private_key)}); set author=public_key_text(private_key)"
        )
    for name in files:
        check_member_name(name)
        if name in (MANIFEST_NAME, SIGNATURE_NAME):
            raise BundleError(f"{name} is written by write_bundle itself; do not pass it in files")
    payload = [
        PayloadEntry(name=n, sha256=_sha256(b), bytes=len(b)) for n, b in sorted(files.items())
    ]
    manifest = manifest.model_copy(update={"payload": payload})
    manifest = BundleManifest.model_validate(manifest.model_dump())  # re-validate the update
    check_payload_consistency(manifest, files)  # never write a bundle open_bundle would refuse
    if ADAPTER_NAME in files:
        load_safetensors_strict(files[ADAPTER_NAME], ADAPTER_NAME)
    if STATISTICS_NAME in files:
        load_statistics(files[STATISTICS_NAME], manifest, BundleLimits())
    manifest_bytes = manifest.to_json_bytes()
    members = {MANIFEST_NAME: manifest_bytes, SIGNATURE_NAME: sign(private_key, manifest_bytes)}
    members.update(sorted(files.items()))

    buffer = io.BytesIO()  # bundles are adapter-sized: build in memory, then write atomically
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.external_attr = 0o100644 << 16  # regular file, rw-r--r--
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    atomic_write(Path(out_path), buffer.getvalue(), 0o644)
    return out_path


def open_bundle(
    path: Path,
    *,
    limits: BundleLimits = BundleLimits(),  # frozen, so safe as a default
    trusted_keys: set[str] | None = None,
    require_signature: bool = True,
) -> VerifiedBundle:
    """Verify a bundle completely in memory and return its contents; raise BundleError if hostile.

    Order: the file's type and size (stat, before reading a byte) → zip central directory (names,
    types, sizes, ratios) → manifest (size, JSON, schema) → signature (present, well-formed,
    valid, trusted) → payload members (capped reads, hashes against the signed manifest, data
    files UTF-8 text or JSON Lines) → adapter (strict safetensors, finite) → Gram statistics
    (declared dtype, square, symmetric, positive semi-definite: ``stats_check``).
    Nothing is written to disk.
    """
    path = Path(path)
    blob = read_bundle_file(path, limits.max_archive_bytes)  # decided by stat first
    try:
        with zipfile.ZipFile(io.BytesIO(blob)) as zf:
            return _verify(zf, blob, limits, trusted_keys, require_signature)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError) as exc:
        raise BundleError(f"{path} is not a valid zip bundle ({exc}); refusing it") from None
    except (OSError, ValueError, RuntimeError) as exc:  # zlib.error is not among these: below
        raise BundleError(f"{path} is a corrupt zip bundle ({exc}); refusing it") from None


def _verify(
    zf: zipfile.ZipFile,
    blob: bytes,
    limits: BundleLimits,
    trusted_keys: set[str] | None,
    require_signature: bool,
) -> VerifiedBundle:
    infos = check_central_directory(zf.infolist(), limits)  # before any member is inflated
    if MANIFEST_NAME not in infos:
        raise BundleError("bundle has no manifest.json; it was not written by `bazaar contribute`")

    try:
        manifest_bytes = read_member(zf, infos[MANIFEST_NAME], limits.max_manifest_bytes)
        manifest = parse_manifest(manifest_bytes)

        signer: str | None = None
        if SIGNATURE_NAME in infos:
            sig = read_member(zf, infos[SIGNATURE_NAME], limits.max_signature_bytes)
            verify_signature(manifest.author, manifest_bytes, sig)
            signer = manifest.author
        elif require_signature or trusted_keys is not None:
            raise BundleError(
                "bundle has no manifest.sig (missing signature); ask the contributor to sign it "
                "with `bazaar contribute`"
            )
        if trusted_keys is not None and signer not in trusted_keys:
            nobody = "" if trusted_keys else " (bazaar.toml trusts no key yet)"
            raise BundleError(
                f"foreign signature: the bundle is signed by {signer}, which is not a trusted "
                f"key{nobody}; if you trust its owner, add it to bazaar.toml: "
                f'trusted_contributors = ["{signer}"]'
            )

        # Only now, with a trusted signed manifest, do we inflate the payload.
        members = {
            name: read_member(zf, info, limits.max_member_bytes)
            for name, info in sorted(infos.items())
            if name not in (MANIFEST_NAME, SIGNATURE_NAME)
        }
    except zlib.error as exc:
        raise BundleError(f"bundle has a corrupt compressed member ({exc}); refusing it") from None
    check_payload_consistency(manifest, members)

    adapter: dict[str, torch.Tensor] = {}
    if ADAPTER_NAME in members:
        adapter = load_safetensors_strict(members[ADAPTER_NAME], ADAPTER_NAME, limits)
    statistics: dict[str, torch.Tensor] = {}
    if STATISTICS_NAME in members:
        statistics = load_statistics(members[STATISTICS_NAME], manifest, limits)
    data_files = {n[len(DATA_PREFIX) :]: b for n, b in members.items() if n.startswith(DATA_PREFIX)}
    return VerifiedBundle(
        manifest,
        adapter,
        data_files,
        signer,
        _sha256(blob),
        blob,
        contribution_id(manifest),
        statistics=statistics,
    )


def contribution_id(manifest: BundleManifest) -> str:
    """The id of a contribution: sha256 of its manifest's canonical bytes (what was signed).

    Example: the same manifest.json zipped twice with different compression -> the same id.
    """
    return _sha256(manifest.to_json_bytes())
