"""Ed25519 identities: generate, load, sign and verify.

A contributor's identity is an ed25519 key pair. The private key lives in a PEM file
(PKCS#8, unencrypted) readable only by its owner; the public key travels as short text,
``ed25519:`` followed by the standard base64 of its 32 raw bytes, so it fits in a manifest,
a ``bazaar.toml`` trust list or a chat message.

Example::

    pub = generate_keypair(tmp / "me")          # writes tmp/me (0600) and tmp/me.pub
    priv = load_private_key(tmp / "me")
    sig = sign(priv, b"hello")                  # 64 bytes, deterministic
    verify_signature(pub, b"hello", sig)        # returns None; raises BundleError if wrong
"""

from __future__ import annotations

import base64
import binascii
import os
import stat
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from modelbazaar.errors import BundleError
from modelbazaar.store.objects import atomic_write

PublicKeyText = str  # "ed25519:<base64 of 32 raw bytes>", e.g. "ed25519:11qYAYKx...HURo="

KEY_PREFIX = "ed25519:"
SIGNATURE_BYTES = 64  # an ed25519 signature is always R (32 bytes) || S (32 bytes)
PUBLIC_KEY_BYTES = 32
MAX_KEY_FILE_BYTES = 16 * 1024  # a PEM ed25519 key is ~120 bytes; refuse to slurp anything huge


def default_key_path() -> Path:
    """The private key's path: ``$BAZAAR_KEYS`` or ~/.config/modelbazaar/keys/default."""
    env = os.environ.get("BAZAAR_KEYS")
    return Path(env).expanduser() if env else Path.home() / ".config/modelbazaar/keys/default"


def public_key_path(private_path: Path) -> Path:
    """The public key sits beside the private one: keys/default -> keys/default.pub."""
    return private_path.with_name(private_path.name + ".pub")


def generate_keypair(path: Path, *, force: bool = False) -> PublicKeyText:
    """Create a key pair: private key at ``path`` (mode 0600), public key text at ``path.pub``.

    Refuses to replace an existing key unless ``force``: losing a private key loses the identity
    that earlier contributions were signed with.

    Example: generate_keypair(Path("k")) -> "ed25519:3J0y..." and files k (0600), k.pub (0644)
    """
    path = Path(path)
    pub_path = public_key_path(path)
    for existing in (path, pub_path):
        if existing.exists() and not force:
            raise BundleError(
                f"{existing} already exists; refusing to overwrite a key "
                "(use --force to replace it, or --out to write elsewhere)"
            )
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    priv = Ed25519PrivateKey.generate()
    pem = priv.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    text = public_key_text(priv)
    atomic_write(path, pem, 0o600)
    atomic_write(pub_path, (text + "\n").encode(), 0o644)
    return text


def load_private_key(path: Path) -> Ed25519PrivateKey:
    """Load an ed25519 private key from a PEM (PKCS#8) file written by :func:`generate_keypair`.

    Like ssh, refuses a key file that group or others can read: a leaked key lets anyone sign
    contributions in your name.
    """
    path = Path(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        raise BundleError(
            f"no private key at {path}; create one with `bazaar keys generate`"
        ) from None
    if os.name == "posix" and st.st_mode & 0o077:
        raise BundleError(
            f"private key {path} is readable by others (mode {stat.filemode(st.st_mode)}); "
            f"run `chmod 600 {path}` or generate a new key"
        )
    if st.st_size > MAX_KEY_FILE_BYTES:
        raise BundleError(f"{path} is {st.st_size} bytes, too large to be an ed25519 key")
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError) as exc:
        raise BundleError(f"{path} is not an unencrypted PEM private key ({exc})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise BundleError(f"{path} holds a {type(key).__name__}, not an ed25519 key")
    return key


def public_key_text(priv: Ed25519PrivateKey) -> PublicKeyText:
    """The short text form of the public half: ``ed25519:`` + base64 of the 32 raw bytes."""
    raw = priv.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return KEY_PREFIX + base64.b64encode(raw).decode("ascii")


def parse_public_key(text: str) -> Ed25519PublicKey:
    """Turn ``ed25519:<base64>`` back into a key; raise BundleError naming what is malformed."""
    if not isinstance(text, str) or not text.startswith(KEY_PREFIX):
        raise BundleError(f"public key {text!r:.80} does not start with {KEY_PREFIX!r}")
    try:
        raw = base64.b64decode(text[len(KEY_PREFIX) :], validate=True)
    except (binascii.Error, ValueError):
        raise BundleError(f"public key {text!r:.80} is not valid base64") from None
    if len(raw) != PUBLIC_KEY_BYTES:
        raise BundleError(f"public key {text!r:.80} has {len(raw)} bytes, expected 32")
    return Ed25519PublicKey.from_public_bytes(raw)


def sign(priv: Ed25519PrivateKey, data: bytes) -> bytes:
    """Sign ``data``; the 64-byte result is deterministic for a given key and data."""
    return priv.sign(data)


def verify_signature(pub_text: PublicKeyText, data: bytes, sig: bytes) -> None:
    """Return None if ``sig`` is ``pub_text``'s signature over ``data``, else raise BundleError."""
    key = parse_public_key(pub_text)
    if len(sig) != SIGNATURE_BYTES:
        raise BundleError(
            f"signature is {len(sig)} bytes, an ed25519 signature is {SIGNATURE_BYTES}; "
            "the bundle is corrupt or was not written by `bazaar contribute`"
        )
    try:
        key.verify(sig, data)
    except InvalidSignature:
        raise BundleError(
            f"bad signature: the manifest was not signed by {pub_text} or was modified after "
            "signing; do not use this bundle, ask the contributor to send it again"
        ) from None
