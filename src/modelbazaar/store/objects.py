"""Content-addressed object storage: every blob is named by the sha256 of its bytes.

Writes go to a temporary file in the same directory and are renamed into place, so a reader
never sees half an object and a crash leaves at most a stray temp file. Reads re-hash the
bytes, so a corrupted object is reported instead of silently used.

Example: put_bytes(b"hi") -> "8f434346...", stored at objects/8f/434346...
"""

import hashlib
import os
import secrets
from pathlib import Path

from modelbazaar.errors import StoreError

CHUNK = 1 << 20  # 1 MiB: hashing large weight files without holding them twice in memory


def sha256_bytes(data: bytes) -> str:
    """Hex sha256 of `data`."""
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file, streamed."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def atomic_write(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Write `data` to `path` all-or-nothing: temp file + fsync + rename.

    The temp file is *created* with `mode` (O_EXCL, never chmod-ed afterwards), so a private
    key written here is never readable by others, not even for an instant.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    # The writer's pid in the name lets `bazaar fsck` prove a leftover temp file is garbage.
    tmp = path.parent / f".tmp-{path.name}.{os.getpid()}.{secrets.token_hex(8)}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


class ObjectStore:
    """Blobs under `root/xx/yyyy...` named by their sha256."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_of(self, digest: str) -> Path:
        if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise StoreError(f"'{digest}' is not a sha256 object name (64 lowercase hex digits)")
        return self.root / digest[:2] / digest[2:]

    def has(self, digest: str) -> bool:
        return self.path_of(digest).exists()

    def put_bytes(self, data: bytes) -> str:
        digest = sha256_bytes(data)
        target = self.path_of(digest)
        if not target.exists():  # content-addressed: an existing object is already right
            atomic_write(target, data)
        return digest

    def put_file(self, source: Path) -> str:
        return self.put_bytes(Path(source).read_bytes())

    def get_bytes(self, digest: str) -> bytes:
        target = self.path_of(digest)
        if not target.exists():
            raise StoreError(
                f"object {digest[:12]} is missing from {self.root}; the store is "
                "incomplete — rebuild the version or restore the store from a backup"
            )
        data = target.read_bytes()
        if sha256_bytes(data) != digest:
            raise StoreError(
                f"object {digest[:12]} is corrupt (its bytes no longer hash to its "
                f"name); delete {target} and rebuild the version that needs it"
            )
        return data
