"""Content-addressed object storage: every blob is named by the sha256 of its bytes.

Writes go to a temporary file in the same directory and are renamed into place, so a reader
never sees half an object and a crash leaves at most a stray temp file. Reads re-hash the
bytes, so a corrupted object is reported instead of silently used.

Example: put_bytes(b"hi") -> "8f434346...", stored at objects/8f/434346...
"""

import hashlib
import os
import secrets
from collections.abc import Iterator
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


def temp_path(folder: Path, label: str = "upload") -> Path:
    """A fresh temp-file name in `folder`, in the form `bazaar fsck` can prove is garbage
    once its writing process is dead (`.tmp-<label>.<pid>.<random>`)."""
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f".tmp-{label}.{os.getpid()}.{secrets.token_hex(8)}"


def check_digest(digest: str) -> str:
    """`digest` if it is a sha256 object name (64 lowercase hex digits), else StoreError."""
    if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise StoreError(f"'{digest[:80]}' is not a sha256 object name (64 lowercase hex digits)")
    return digest


class ObjectStore:
    """Blobs under `root/xx/yyyy...` named by their sha256.

    Besides whole-bytes reads and writes, objects can be received from a file (the hub streams
    an upload into a temp file, hashing as it goes, then calls `put_verified_file`) and read in
    chunks (`iter_chunks`) so a large object never sits in memory whole.
    """

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_of(self, digest: str) -> Path:
        check_digest(digest)
        return self.root / digest[:2] / digest[2:]

    @property
    def incoming(self) -> Path:
        """Where received files wait to be verified: beside the objects (same file system, so
        the final rename is atomic)."""
        return self.root / "incoming"

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

    def put_verified_file(self, source: Path, digest: str, *, hashed: bool = False) -> None:
        """Make the file `source` the object `digest`, re-hashing it first (unless `hashed`:
        the caller computed the hash of exactly the bytes it wrote there); `source` is
        consumed (renamed into place, or deleted when the object is already stored).

        A mismatch raises StoreError and stores nothing: an object is visible only once its
        bytes are known to hash to its name.
        """
        target = self.path_of(digest)
        try:
            # `hashed`: the caller wrote `source` itself and hashed those bytes as it wrote them
            actual = digest if hashed else sha256_file(source)
            if actual != digest:
                raise StoreError(
                    f"received bytes hash to {actual[:12]}, not to {digest[:12]}; nothing stored"
                )
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                with open(source, "rb") as handle:  # durable before it becomes visible
                    os.fsync(handle.fileno())
                os.replace(source, target)
        finally:
            Path(source).unlink(missing_ok=True)

    def size(self, digest: str) -> int | None:
        """Bytes of object `digest`, or None when it is not stored."""
        target = self.path_of(digest)
        return target.stat().st_size if target.exists() else None

    def iter_chunks(self, digest: str) -> Iterator[bytes]:
        """The object's bytes in chunks, re-hashed on the way: a corrupt object raises
        StoreError before its last chunk, so a streamed reader never gets all of it."""
        target = self.path_of(digest)
        if not target.exists():
            raise StoreError(f"object {digest[:12]} is missing from {self.root}")
        hasher = hashlib.sha256()
        with open(target, "rb") as handle:
            previous = handle.read(CHUNK)
            while previous:
                hasher.update(previous)
                chunk = handle.read(CHUNK)
                if not chunk and hasher.hexdigest() != digest:
                    raise StoreError(f"object {digest[:12]} is corrupt; run `bazaar fsck`")
                yield previous
                previous = chunk

    def digests(self) -> Iterator[str]:
        """Names of every stored object (not re-hashed: `bazaar fsck` does that)."""
        if not self.root.exists():
            return
        for folder in sorted(p for p in self.root.iterdir() if len(p.name) == 2 and p.is_dir()):
            for path in sorted(folder.iterdir()):
                if not path.name.startswith(".tmp-"):
                    yield folder.name + path.name
