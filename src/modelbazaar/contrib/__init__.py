"""Contribution bundles: ed25519 identities, the signed bundle format, hostile-input checks.

Every bundle is treated as hostile until :func:`open_bundle` has verified it; nothing in this
package executes code from a bundle (no pickle, no eval) or writes a bundle's members to disk.

Example::

    pub = generate_keypair(Path("me"))
    priv = load_private_key(Path("me"))
    write_bundle(Path("t.bazaar"), manifest, {"adapter.safetensors": blob}, priv)
    bundle = open_bundle(Path("t.bazaar"), trusted_keys={pub})
    check_base_known(bundle.manifest, store_has_version)
    check_adapter_against_base(bundle.adapter, base_shapes, bundle.manifest.adapter_config)
"""

from modelbazaar.contrib.basecheck import check_adapter_against_base, check_base_known
from modelbazaar.contrib.bundle import VerifiedBundle, open_bundle, write_bundle
from modelbazaar.contrib.keys import (
    PublicKeyText,
    default_key_path,
    generate_keypair,
    load_private_key,
    public_key_path,
    public_key_text,
    sign,
    verify_signature,
)
from modelbazaar.contrib.manifest import (
    AdapterConfig,
    BundleManifest,
    DataCard,
    DataFile,
    PayloadEntry,
)
from modelbazaar.contrib.zipcheck import BundleLimits

__all__ = [
    "AdapterConfig",
    "BundleLimits",
    "BundleManifest",
    "DataCard",
    "DataFile",
    "PayloadEntry",
    "PublicKeyText",
    "VerifiedBundle",
    "check_adapter_against_base",
    "check_base_known",
    "default_key_path",
    "generate_keypair",
    "load_private_key",
    "open_bundle",
    "public_key_path",
    "public_key_text",
    "sign",
    "verify_signature",
    "write_bundle",
]
