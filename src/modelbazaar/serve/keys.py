"""API keys: a text file of hashed keys, one per line, the keys themselves never stored.

    # bazaar serve API keys: NAME sha256:HEX (the sha256 of the key; the key is shown once)
    alice sha256:3f0c...e1

`bazaar api-key add FILE --name alice` creates a key (32 random bytes, ``sk-bazaar-`` + base64url,
as OpenAI's ``sk-...`` keys look), appends its hash and prints the key once. A plain sha256 is
enough for keys with 256 random bits (nobody can guess through the hash); slow password hashes
exist for low-entropy passwords. Lookups compare hashes in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from modelbazaar.errors import BazaarError, unknown_name

PREFIX = "sk-bazaar-"
HEADER = "# bazaar serve API keys: NAME sha256:HEX (the sha256 of the key; the key is shown once)\n"
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")
LINE = re.compile(r"(?P<name>\S+)\s+sha256:(?P<digest>[0-9a-f]{64})")
MAX_FILE_BYTES = 1 << 20


class KeyFileError(BazaarError):
    """The API-key file is missing or malformed, or a key name is wrong."""


def digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class KeyRing:
    """Key hashes -> names. Example: KeyRing.read(path).name_of("sk-bazaar-...") -> "alice"."""

    names: dict[str, str]  # sha256 hex -> name

    @classmethod
    def read(cls, path: Path) -> KeyRing:
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
        if not names:
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
