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
from modelbazaar.store.refs import RefMove, check_tag_name

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

    def __init__(self, root: Path, database_url: str | None = None, objects: Any = None) -> None:
        """`objects` replaces the local object folder (the hub passes an `S3ObjectStore`)."""
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.objects = objects or ObjectStore(self.root / "objects")
        url = database_url or os.environ.get("BAZAAR_DATABASE_URL")
        self.catalogue = Catalogue(url or f"sqlite:///{self.root / 'catalogue.db'}")

    @classmethod
    def for_model(cls, model_dir: Path) -> "Store":
        return cls(store_root(model_dir))

    @classmethod
    def existing(cls, model_dir: Path) -> "Store":
        """The store of `model_dir` for a command that only reads it: a folder without one is
        refused (StoreError naming it), never given a fresh empty store as a side effect."""
        root = store_root(model_dir)
        if not (root / "catalogue.db").is_file() and not os.environ.get("BAZAAR_DATABASE_URL"):
            raise StoreError(
                f"{model_dir} holds no model store ({root} is missing): run the command in a "
                "model folder (or pass -C DIR), or create one with `bazaar init` / `bazaar build`"
            )
        return cls(root)

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
        """A full version hash, a ref name or a unique hash prefix (6+ digits) -> full hash.

        A full hash always names its version, and a hex name that is both a ref and a hash
        prefix is refused as ambiguous: a tag never shadows a version.
        """
        hexlike = len(ref) >= 6 and set(ref) <= HEX
        if len(ref) == 64 and hexlike and self.catalogue.version(ref):
            return ref
        refs = self.catalogue.refs()
        matches = self.catalogue.versions_with_prefix(ref) if hexlike else []
        if ref in refs and matches:  # only in stores tagged before tag names were checked
            raise StoreError(
                f"'{ref}' is both a ref (at {refs[ref]['version'][:12]}) and the start of "
                f"version {matches[0][:12]}; give the full hash of the version you mean"
            )
        if ref in refs:
            return refs[ref]["version"]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise StoreError(f"'{ref}' matches {len(matches)} versions; give more digits")
        known = ", ".join(refs) or "none yet (run `bazaar build` or `bazaar import`)"
        raise StoreError(f"no ref or version '{ref}' in {self.root}; refs: {known}")

    def tag(self, name: str, ref: str, *, force: bool = False) -> str:
        """Point tag `name` at the version `ref` names; return its hash.

        Tags never move: an existing tag at another version is refused unless `force`.
        Example: store.tag("v0.1", "main") -> "95d0bffd565f…"
        """
        check_tag_name(name)
        digest = self.resolve(ref)
        existing = self.catalogue.refs().get(name)
        if existing and existing["kind"] != "tag":
            raise StoreError(f"'{name}' is a branch, not a tag; choose another tag name")
        if existing and existing["version"] != digest and not force:
            raise StoreError(
                f"tag {name} already points at {existing['version'][:12]}; tags do not move. "
                f"Pick a new name, or pass --force to move it to {digest[:12]}"
            )
        expected = existing["version"] if existing else None
        self.catalogue.move_refs([RefMove(name, digest, expected, kind="tag")], "tagging")
        return digest

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

    def merged_contributions(self, head: str) -> dict[str, str]:
        """Contribution ids and adapter hashes merged anywhere in `head`'s lineage -> the
        version that merged them. Example: {"8c96…": "3f9c…", "adapter:1b2e…": "3f9c…"}"""
        found: dict[str, str] = {}
        seen, todo = set(), [head]
        while todo:
            digest = todo.pop()
            if digest in seen:
                continue
            seen.add(digest)
            for edge in self.catalogue.parents_of(digest):
                todo.append(edge["parent"])
                contribution = edge["detail"].get("contribution")
                if edge["relation"] != "merged" or not contribution:
                    continue
                found.setdefault(contribution, digest)
                adapter = edge["detail"].get("adapter") or self._adapter_of(contribution)
                if adapter:
                    found.setdefault(f"adapter:{adapter}", digest)
        return found

    def _adapter_of(self, contribution: str) -> str | None:
        """The adapter payload hash of a recorded contribution (edges written before it was
        kept on the edge itself)."""
        row = self.catalogue.contribution(contribution)
        payload = row["manifest"].get("payload", []) if row else []
        return next((p["sha256"] for p in payload if p["name"] == "adapter.safetensors"), None)
