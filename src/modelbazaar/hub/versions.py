"""Versions on the hub: received with their lineage, checked, recorded in the store.

A pushed version row is checked before it is recorded: its name must be the hash of its
weights, tokenizer and config objects (`version_hash`), those objects (and the bundles a merge
recipe names, so a clone can replay the merge) must have been received through this model, and
every parent must be a version of this model or come earlier in the same batch. Then the
store's own `add_version` records it (idempotent) and the model lists it.

Example: add_versions(db, model, [{"hash": …, "weights": …, "parents": [], …}]) -> ["95d0…"]
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import insert, select

from modelbazaar.errors import validation_problems
from modelbazaar.hub import tables as t
from modelbazaar.hub.db import HubDB
from modelbazaar.hub.errors import HubError
from modelbazaar.hub.protocol import objects_of, topological
from modelbazaar.hub.repos import Model, missing_objects
from modelbazaar.store import schema
from modelbazaar.store.store import version_hash

RELATIONS = ("built", "imported", "tuned", "merged", "distilled")
Digest = str


class ParentEdge(BaseModel):
    model_config = ConfigDict(extra="forbid")
    parent: str = Field(pattern=r"^[0-9a-f]{64}$")
    relation: str = Field(max_length=40)
    detail: dict[str, Any] = Field(default_factory=dict)


class VersionIn(BaseModel):
    """One version as a push sends it (the store's row, plus its parent edges in order)."""

    model_config = ConfigDict(extra="forbid")
    hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    relation: str
    weights: str = Field(pattern=r"^[0-9a-f]{64}$")
    tokenizer: str = Field(pattern=r"^[0-9a-f]{64}$")
    config: str = Field(pattern=r"^[0-9a-f]{64}$")
    info: dict[str, Any]
    message: str = Field("", max_length=10_000)
    parents: list[ParentEdge] = Field(default_factory=list, max_length=256)


def model_versions(db: HubDB, model: Model) -> set[str]:
    with db.reading() as conn:
        return set(
            conn.execute(
                select(t.model_versions.c.version).where(t.model_versions.c.model_id == model.id)
            ).scalars()
        )


def _check(row: VersionIn, known: set[str], db: HubDB, model: Model) -> None:
    if row.relation not in RELATIONS:
        raise HubError(422, f"version {row.hash[:12]}: unknown relation {row.relation[:20]!r}")
    if version_hash(row.weights, row.tokenizer, row.config) != row.hash:
        raise HubError(
            422,
            f"version {row.hash[:12]} is not the hash of its weights, tokenizer and config; "
            "the version row is corrupt — push it again from an intact store",
        )
    lacking = missing_objects(db, model, objects_of(row.model_dump()))
    if lacking:
        raise HubError(
            422,
            f"version {row.hash[:12]} needs objects the hub has not received ({lacking[0][:12]}"
            f"{' …' if len(lacking) > 1 else ''}); upload them first (`bazaar push` does)",
        )
    unknown = [p.parent for p in row.parents if p.parent not in known]
    if unknown:
        raise HubError(
            422,
            f"version {row.hash[:12]} names parent {unknown[0][:12]}, which is not a version of "
            f"{model.name}; push the parents first (oldest first)",
        )


def add_versions(db: HubDB, model: Model, rows: list[dict[str, Any]]) -> list[str]:
    """Check and record `rows` (parents first); return the hashes newly added to the model."""
    if len(rows) > db.config.limits.max_versions_per_push:
        raise HubError(413, f"at most {db.config.limits.max_versions_per_push} versions per push")
    try:
        parsed = [VersionIn.model_validate(r) for r in rows]
    except ValidationError as exc:
        raise HubError(
            422, "bad version row: " + validation_problems(exc.errors())[:1000]
        ) from None
    known = model_versions(db, model)
    added = []
    for row in parsed:
        _check(row, known, db, model)
        if row.hash in known:
            continue
        db.store.add_version(
            weights=row.weights,
            tokenizer=row.tokenizer,
            config=row.config,
            relation=row.relation,
            info=row.info,
            parents=[(p.parent, p.relation, p.detail) for p in row.parents],
            message=row.message,
        )
        with db.writing() as conn:
            key = (t.model_versions.c.model_id == model.id) & (
                t.model_versions.c.version == row.hash
            )
            if not conn.execute(select(t.model_versions.c.version).where(key)).first():
                conn.execute(insert(t.model_versions).values(model_id=model.id, version=row.hash))
        known.add(row.hash)
        added.append(row.hash)
    return added


def version_rows(db: HubDB, model: Model) -> list[dict[str, Any]]:
    """Every version of the model with its parent edges, parents before children."""
    hashes = model_versions(db, model)
    v, p = schema.versions, schema.parents
    rows: dict[str, dict[str, Any]] = {}
    with db.reading() as conn:
        for row in conn.execute(select(v).where(v.c.hash.in_(hashes))):
            rows[row.hash] = {
                "hash": row.hash,
                "relation": row.relation,
                "weights": row.weights,
                "tokenizer": row.tokenizer,
                "config": row.config,
                "info": json.loads(row.info),
                "message": row.message,
                "created_at": row.created_at,
                "parents": [],
            }
        edges = conn.execute(select(p).where(p.c.child.in_(hashes)).order_by(p.c.position))
        for edge in edges:
            rows[edge.child]["parents"].append(
                {
                    "parent": edge.parent,
                    "relation": edge.relation,
                    "detail": json.loads(edge.detail),
                }
            )
    return topological(rows)
