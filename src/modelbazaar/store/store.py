"""`Store`: the object store and the catalogue of one model source, opened together.

Location: `$BAZAAR_HOME` if set, else `<model folder>/.bazaar`. The catalogue is SQLite at
`<store>/catalogue.db` unless `$BAZAAR_DATABASE_URL` names another SQLAlchemy URL (PostgreSQL).
"""

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from modelbazaar.errors import StoreError
from modelbazaar.store.catalogue import Catalogue, canonical_json
from modelbazaar.store.objects import ObjectStore, sha256_bytes

HEX = set("0123456789abcdef")


def store_root(model_dir: Path) -> Path:
    """Where the store of the model source in `model_dir` lives."""
    env = os.environ.get("BAZAAR_HOME")
    return Path(env) if env else Path(model_dir) / ".bazaar"


@dataclass(frozen=True)
class VersionRecord:
    """One model state: object hashes of its weights, tokenizer and config, plus lineage."""

    hash: str
    relation: str
    weights: str
    tokenizer: str
    config: str
    info: dict[str, Any]
    message: str
    created_at: str
    parents: list[dict[str, Any]] = field(default_factory=list)

    @property
    def short(self) -> str:
        return self.hash[:12]


def version_hash(weights: str, tokenizer: str, config: str) -> str:
    """A version is named by the hash of what it is: weights, tokenizer and config objects."""
    return sha256_bytes(
        canonical_json({"config": config, "tokenizer": tokenizer, "weights": weights}).encode()
    )


class Store:
    """Objects + catalogue under one root."""

    def __init__(self, root: Path, database_url: str | None = None) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.objects = ObjectStore(self.root / "objects")
        url = database_url or os.environ.get("BAZAAR_DATABASE_URL")
        self.catalogue = Catalogue(url or f"sqlite:///{self.root / 'catalogue.db'}")

    @classmethod
    def for_model(cls, model_dir: Path) -> "Store":
        return cls(store_root(model_dir))

    @property
    def scratch(self) -> Path:
        """A place for resumable work (checkpoints) that is not yet an object."""
        path = self.root / "work"
        path.mkdir(exist_ok=True)
        return path

    # versions ---------------------------------------------------------------------------
    def add_version(
        self,
        *,
        weights: str,
        tokenizer: str,
        config: str,
        relation: str,
        info: dict[str, Any],
        parents: list[tuple[str, str, dict]] | None = None,
        message: str = "",
    ) -> str:
        for name, digest in (("weights", weights), ("tokenizer", tokenizer), ("config", config)):
            if not self.objects.has(digest):
                raise StoreError(f"cannot record a version whose {name} object is not stored")
        digest = version_hash(weights, tokenizer, config)
        row = {
            "hash": digest,
            "relation": relation,
            "weights": weights,
            "tokenizer": tokenizer,
            "config": config,
            "info": canonical_json(info),
            "message": message,
        }
        self.catalogue.add_version(row, parents or [])
        return digest

    def resolve(self, ref: str) -> str:
        """A ref name, a full hash or a unique hash prefix (6+ digits) -> full version hash."""
        refs = self.catalogue.refs()
        if ref in refs:
            return refs[ref]["version"]
        if len(ref) >= 6 and set(ref) <= HEX:
            matches = self.catalogue.versions_with_prefix(ref)
            if len(matches) == 1:
                return matches[0]
            if len(matches) > 1:
                raise StoreError(f"'{ref}' matches {len(matches)} versions; give more digits")
        known = ", ".join(refs) or "none yet (run `bazaar build` or `bazaar import`)"
        raise StoreError(f"no ref or version '{ref}' in {self.root}; refs: {known}")

    def version(self, ref: str) -> VersionRecord:
        digest = self.resolve(ref)
        row = self.catalogue.version(digest)
        if row is None:
            raise StoreError(f"ref '{ref}' points at {digest[:12]}, which is not in the catalogue")
        return VersionRecord(
            hash=row["hash"],
            relation=row["relation"],
            weights=row["weights"],
            tokenizer=row["tokenizer"],
            config=row["config"],
            info=json.loads(row["info"]),
            message=row["message"],
            created_at=row["created_at"],
            parents=self.catalogue.parents_of(digest),
        )

    def history(self, ref: str = "main", limit: int = 100) -> list[VersionRecord]:
        """The first-parent chain from `ref` back to a root."""
        chain: list[VersionRecord] = []
        current: str | None = self.resolve(ref)
        while current and len(chain) < limit:
            record = self.version(current)
            chain.append(record)
            current = record.parents[0]["parent"] if record.parents else None
        return chain
