"""API keys: a text file of hashed keys, one per line, the keys themselves never stored.

    # bazaar serve API keys: NAME sha256:HEX (the sha256 of the key; the key is shown once)
    alice sha256:3f0c...e1

`bazaar api-key add FILE --name alice` creates a key (32 random bytes, ``sk-bazaar-`` + base64url,
as OpenAI's ``sk-...`` keys look), appends its hash and prints the key once. A plain sha256 is
enough for keys with 256 random bits (nobody can guess through the hash); slow password hashes
exist for low-entropy passwords. Lookups compare hashes in constant time.

A running `bazaar serve` holds a `LiveKeyRing`: it re-reads the file whenever its modification
time, size or inode changes, so `bazaar api-key revoke` (or add) takes effect on the next request,
without a restart. A file that becomes missing, unreadable or malformed while the server runs
fails closed: every key is refused (401) and the problem is logged, until the file is fixed.
An empty file (the last key revoked) means nobody.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path

from modelbazaar.errors import BazaarError, unknown_name

PREFIX = "sk-bazaar-"
HEADER = "# bazaar serve API keys: NAME sha256:HEX (the sha256 of the key; the key is shown once)\n"
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")
LINE = re.compile(r"(?P<name>\S+)\s+sha256:(?P<digest>[0-9a-f]{64})")
MAX_FILE_BYTES = 1 << 20
log = logging.getLogger("modelbazaar.serve")


class KeyFileError(BazaarError):
    """The API-key file is missing or malformed, or a key name is wrong."""


def digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class KeyRing:
    """Key hashes -> names. Example: KeyRing.read(path).name_of("sk-bazaar-...") -> "alice"."""

    names: dict[str, str]  # sha256 hex -> name

    @classmethod
    def read(cls, path: Path, *, allow_empty: bool = False) -> KeyRing:
        """Parse a key file; any malformed line is an error naming its line number."""
        if not path.is_file():
            raise KeyFileError(
                f"API-key file {path} not found; create it with `bazaar api-key add {path} "
                "--name NAME`"
            )
        if path.stat().st_size > MAX_FILE_BYTES:
            raise KeyFileError(f"API-key file {path} is larger than 1 MiB; is it the right file?")
        names: dict[str, str] = {}
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            match = LINE.fullmatch(line.strip())
            if not match or not NAME.fullmatch(match["name"]):
                raise KeyFileError(
                    f"{path}:{number}: expected `NAME sha256:HEX` (64 lowercase hex digits, a "
                    "name of letters, digits and . _ @ -), as `bazaar api-key add` writes"
                )
            if match["name"] in names.values():
                raise KeyFileError(f"{path}:{number}: the name {match['name']!r} is used twice")
            names[match["digest"]] = match["name"]
        if not names and not allow_empty:
            raise KeyFileError(f"{path} holds no keys; add one with `bazaar api-key add {path}`")
        return cls(names)

    def name_of(self, key: str) -> str | None:
        """The name a presented key belongs to, or None (constant-time comparison of hashes)."""
        presented = digest(key)
        found = None
        for stored, name in self.names.items():
            if hmac.compare_digest(stored, presented):
                found = name
        return found


class LiveKeyRing:
    """The key file as it is now (see the module docstring): re-read when it changes.

    Example: ring = LiveKeyRing(path); revoke_key(path, "alice"); ring.name_of(alices_key) -> None
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._stamp = self._stat()
        self._ring = KeyRing.read(self.path)  # at start a bad file refuses to start, saying why

    def _stat(self) -> tuple[int, int, int] | None:
        try:
            status = os.stat(self.path)
        except OSError:
            return None
        return (status.st_mtime_ns, status.st_size, status.st_ino)

    def current(self) -> KeyRing:
        """The ring for the file's present state (one stat per call; a re-read on change)."""
        stamp = self._stat()
        if stamp != self._stamp:
            with self._lock:
                if stamp != self._stamp:
                    self._ring, self._stamp = self._reread(stamp), stamp
        return self._ring

    def _reread(self, stamp: tuple[int, int, int] | None) -> KeyRing:
        try:
            if stamp is None:
                raise KeyFileError(f"API-key file {self.path} is gone")
            ring = KeyRing.read(self.path, allow_empty=True)
        except (KeyFileError, OSError, UnicodeDecodeError) as problem:
            log.error("%s: refusing every API key until the file is fixed", problem)
            return KeyRing({})
        log.info("API-key file %s re-read: %d key(s)", self.path, len(ring.names))
        return ring

    def name_of(self, key: str) -> str | None:
        return self.current().name_of(key)


KeyLookup = KeyRing | LiveKeyRing  # what the server asks "whose key is this?"


def add_key(path: Path, name: str) -> str:
    """Create a key called `name`, append its hash to `path` (created 0600) and return the key."""
    if not NAME.fullmatch(name):
        raise KeyFileError(
            f"key name {name!r}: use 1-64 letters, digits and . _ @ - (starting with a letter "
            "or digit)"
        )
    existing = KeyRing.read(path).names.values() if path.is_file() and _has_keys(path) else []
    if name in existing:
        raise KeyFileError(
            f"{path} already has a key named {name!r}; revoke it first or pick another"
        )
    key = PREFIX + secrets.token_urlsafe(32)
    fresh = not path.exists()
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(descriptor, "a", encoding="utf-8") as handle:
        if fresh:
            handle.write(HEADER)
        handle.write(f"{name} sha256:{digest(key)}\n")
    return key


def revoke_key(path: Path, name: str) -> None:
    """Remove the key called `name` (rewrites the file atomically)."""
    ring = KeyRing.read(path)
    if name not in ring.names.values():
        raise KeyFileError(unknown_name("key", name, sorted(ring.names.values())))
    kept = [
        line
        for line in path.read_text(encoding="utf-8").splitlines(keepends=True)
        if not (LINE.fullmatch(line.strip()) and line.split()[0] == name)
    ]
    temporary = path.with_name(path.name + ".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.writelines(kept)
    temporary.replace(path)


def _has_keys(path: Path) -> bool:
    text = path.read_text(encoding="utf-8")
    return any(line.strip() and not line.lstrip().startswith("#") for line in text.splitlines())
