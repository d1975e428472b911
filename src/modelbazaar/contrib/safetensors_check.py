"""Strict parsing of a safetensors payload before any tensor library touches it.

safetensors is: 8 bytes little-endian header length N, N bytes of JSON header
``{"name": {"dtype": "F32", "shape": [r, n], "data_offsets": [start, end]}, ...}``, then the
tensor bytes. We parse the header ourselves with tight bounds, so a pickle, a torch.save zip or a
malformed file is refused with a clear message, and only then hand the bytes to
``safetensors.torch.load`` (which never executes code). Never torch.load, never pickle.

Example::

    tensors = load_safetensors_strict(safetensors.torch.save({"a": torch.zeros(2, 3)}), "x")
    tensors["a"].shape  # torch.Size([2, 3])
"""

from __future__ import annotations

import json
import math
import struct

import torch
from safetensors.torch import load as safetensors_load

from modelbazaar.contrib.zipcheck import BundleLimits
from modelbazaar.errors import BundleError

# Floating dtypes only: an adapter holds weights; integer or bool tensors mean someone is hiding
# something else in the file. Bytes per element for each.
ALLOWED_DTYPES: dict[str, int] = {"F16": 2, "BF16": 2, "F32": 4, "F64": 8}
MAX_NAME_CHARS = 512
MAX_DIMS = 8


def _describe_foreign(data: bytes) -> str:
    """Name the format of a non-safetensors payload, to make the refusal message useful."""
    if data[:1] == b"\x80" and data[1:2] in (b"\x02", b"\x03", b"\x04", b"\x05"):
        return "a Python pickle (which can run arbitrary code when loaded)"
    if data[:4] == b"PK\x03\x04":
        return "a zip archive, e.g. a torch.save checkpoint (pickle inside)"
    if data[:4] == b"GGUF":
        return "a GGUF file"
    return "not safetensors"


def _no_duplicate_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    # json.loads keeps the last duplicate silently; two readers could then disagree on a tensor.
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise BundleError("safetensors header names a tensor twice; refusing an ambiguous file")
    return dict(pairs)


def _reject_constant(token: str) -> float:
    raise BundleError(f"safetensors header contains {token}; it is not valid JSON")


def parse_header(data: bytes, what: str, limits: BundleLimits) -> dict[str, dict]:
    """Return the tensor entries of a safetensors header after checking every bound.

    Checks: length prefix within the file and the limit; JSON object, no duplicate names;
    only floating dtypes; shapes of non-negative ints; offsets that tile the data area exactly,
    in order, with no gaps, overlaps or trailing bytes.
    """
    foreign = f"{what} is {_describe_foreign(data)}; only safetensors is accepted (never pickle)"
    if len(data) < 8:
        raise BundleError(foreign)
    (n,) = struct.unpack("<Q", data[:8])  # header length, unsigned 64-bit little-endian
    if n > limits.max_header_bytes or n > len(data) - 8 or data[8:9] != b"{":
        # A pickle's first 8 bytes read as an absurd length; "{" is where every real header starts.
        if data[8:9] == b"{" and n <= len(data) - 8:
            raise BundleError(
                f"{what} has a {n}-byte safetensors header, the limit is {limits.max_header_bytes}"
            )
        raise BundleError(foreign)
    try:
        header = json.loads(
            data[8 : 8 + n].decode("utf-8"),
            object_pairs_hook=_no_duplicate_keys,
            parse_constant=_reject_constant,
        )
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise BundleError(f"{what} has a malformed safetensors header ({exc})") from None
    if not isinstance(header, dict):
        raise BundleError(f"{what} safetensors header is not a JSON object")
    metadata = header.pop("__metadata__", {})
    if not isinstance(metadata, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()
    ):
        raise BundleError(f"{what} safetensors __metadata__ must map strings to strings")
    if len(header) > limits.max_tensors:
        raise BundleError(f"{what} has {len(header)} tensors, the limit is {limits.max_tensors}")
    data_len = len(data) - 8 - n
    spans: list[tuple[int, int, str]] = []
    for name, entry in header.items():
        spans.append(_check_entry(name, entry, what))
    spans.sort()
    expected = 0  # tensors must tile [0, data_len) exactly: no gaps, overlaps or hidden bytes
    for start, end, name in spans:
        if start != expected:
            raise BundleError(
                f"{what} tensor {name!r} starts at byte {start}, expected {expected}; "
                "tensor data must be contiguous and non-overlapping"
            )
        expected = end
    if expected != data_len:
        raise BundleError(
            f"{what} tensor data is {data_len} bytes but the header accounts for {expected}; "
            "refusing a file with hidden or missing bytes"
        )
    return header


def _check_entry(name: object, entry: object, what: str) -> tuple[int, int, str]:
    if not isinstance(name, str) or not 0 < len(name) <= MAX_NAME_CHARS:
        raise BundleError(f"{what} has a tensor name that is empty or too long")
    if not isinstance(entry, dict) or set(entry) != {"dtype", "shape", "data_offsets"}:
        raise BundleError(f"{what} tensor {name!r} needs exactly dtype, shape and data_offsets")
    dtype, shape, offsets = entry["dtype"], entry["shape"], entry["data_offsets"]
    if dtype not in ALLOWED_DTYPES:
        raise BundleError(
            f"{what} tensor {name!r} has dtype {dtype!r}; allowed: {', '.join(ALLOWED_DTYPES)}"
        )

    def is_int(x: object) -> bool:
        return type(x) is int and x >= 0  # type(): bool is an int subclass, True is not a size

    if not isinstance(shape, list) or len(shape) > MAX_DIMS or not all(map(is_int, shape)):
        raise BundleError(f"{what} tensor {name!r} has a malformed shape {shape!r:.80}")
    if not isinstance(offsets, list) or len(offsets) != 2 or not all(map(is_int, offsets)):
        raise BundleError(f"{what} tensor {name!r} has malformed data_offsets {offsets!r:.80}")
    start, end = offsets
    if end - start != math.prod(shape) * ALLOWED_DTYPES[dtype]:
        raise BundleError(
            f"{what} tensor {name!r}: data_offsets span {end - start} bytes, but shape {shape} "
            f"of {dtype} needs {math.prod(shape) * ALLOWED_DTYPES[dtype]}"
        )
    return start, end, name


def load_safetensors_strict(data: bytes, what: str, limits: BundleLimits | None = None) -> dict:
    """Parse the header strictly, load the tensors from bytes, refuse NaN and Inf.

    ``what`` names the payload in messages, e.g. "adapter.safetensors".
    """
    header = parse_header(data, what, limits or BundleLimits())
    try:
        tensors: dict[str, torch.Tensor] = safetensors_load(data)
    except Exception as exc:  # the library's own errors; our parse above should make this rare
        raise BundleError(f"{what} could not be read as safetensors ({exc})") from None
    if set(tensors) != set(header):  # belt and braces: both parsers must agree
        raise BundleError(f"{what}: safetensors library and header disagree on tensor names")
    for name in sorted(tensors):
        t = tensors[name]
        if list(t.shape) != header[name]["shape"]:
            raise BundleError(f"{what}: tensor {name!r} shape disagrees with its header")
        # A NaN or Inf in an adapter poisons every weight it is merged into.
        if not bool(torch.isfinite(t).all()):
            bad = "NaN" if bool(torch.isnan(t).any()) else "Inf"
            raise BundleError(
                f"{what} tensor {name!r} contains {bad} values; refusing it "
                "(training diverged, or the file is hostile)"
            )
    return tensors
