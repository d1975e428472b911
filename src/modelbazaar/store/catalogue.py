"""The catalogue: versions, lineage, refs, builds, metrics, evals, contributions, reviews.

A thin layer of named queries over SQLAlchemy Core; SQLite by default, any SQLAlchemy URL (for
example PostgreSQL) when a team outgrows one machine. JSON goes in as canonical text so equal
content compares equal byte for byte.
"""

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, create_engine, event, insert, select, update

from modelbazaar.store import schema
from modelbazaar.store.migrations import migrate


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no spaces: the same content always gives the same text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    # Rollback journal (not WAL): a reader never changes a byte of the database file, so
    # "the store is byte-identical after a refused bundle" is checkable with plain hashes.
    cursor.execute("PRAGMA busy_timeout=30000")  # another process writing: wait, don't fail
    cursor.execute("PRAGMA synchronous=FULL")  # a committed row survives a power cut
    cursor.close()


class Catalogue:
    """Named queries over the catalogue database."""

    def __init__(self, url: str) -> None:
        self.engine: Engine = create_engine(url)
        if url.startswith("sqlite"):
            event.listen(self.engine, "connect", _sqlite_pragmas)
        migrate(self.engine)

    # versions and lineage -------------------------------------------------------------
    def add_version(self, row: dict[str, Any], parents: list[tuple[str, str, dict]]) -> None:
        """Insert a version and its parent edges in one transaction (idempotent)."""
        with self.engine.begin() as conn:
            exists = conn.execute(
                select(schema.versions.c.hash).where(schema.versions.c.hash == row["hash"])
            ).first()
            if exists:
                return
            conn.execute(insert(schema.versions).values(**row, created_at=now()))
            for position, (parent, relation, detail) in enumerate(parents):
                conn.execute(
                    insert(schema.parents).values(
                        child=row["hash"],
                        parent=parent,
                        relation=relation,
                        position=position,
                        detail=canonical_json(detail),
                    )
                )

    def version(self, digest: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(schema.versions).where(schema.versions.c.hash == digest)
            ).first()
        return dict(row._mapping) if row else None

    def versions_with_prefix(self, prefix: str) -> list[str]:
        with self.engine.connect() as conn:
            query = select(schema.versions.c.hash).where(schema.versions.c.hash.like(prefix + "%"))
            return list(conn.execute(query).scalars())

    def parents_of(self, digest: str) -> list[dict[str, Any]]:
        p = schema.parents
        with self.engine.connect() as conn:
            rows = conn.execute(select(p).where(p.c.child == digest).order_by(p.c.position))
            return [dict(r._mapping) | {"detail": json.loads(r.detail)} for r in rows]

    # refs ---------------------------------------------------------------------------------
    def set_ref(self, name: str, digest: str, kind: str = "branch") -> None:
        r = schema.refs
        with self.engine.begin() as conn:  # the only write that moves `main`: one statement
            found = conn.execute(select(r.c.name).where(r.c.name == name)).first()
            values = {"version": digest, "kind": kind, "updated_at": now()}
            if found:
                conn.execute(update(r).where(r.c.name == name).values(**values))
            else:
                conn.execute(insert(r).values(name=name, **values))

    def refs(self) -> dict[str, dict[str, str]]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(schema.refs).order_by(schema.refs.c.name))
            return {row.name: {"version": row.version, "kind": row.kind} for row in rows}

    # builds and metrics ---------------------------------------------------------------
    def build(self, key: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(schema.builds).where(schema.builds.c.key == key)).first()
        if row is None:
            return None
        return dict(row._mapping) | {"outputs": json.loads(row.outputs)}

    def add_build(self, row: dict[str, Any], metrics: list[dict[str, Any]] | None = None) -> None:
        """Record a finished stage and its per-step metrics in one transaction."""
        with self.engine.begin() as conn:
            if conn.execute(
                select(schema.builds.c.key).where(schema.builds.c.key == row["key"])
            ).first():
                return
            values = row | {
                "inputs": canonical_json(row["inputs"]),
                "outputs": canonical_json(row["outputs"]),
                "machine": canonical_json(row["machine"]),
                "created_at": now(),
            }
            conn.execute(insert(schema.builds).values(**values))
            if metrics:
                conn.execute(
                    insert(schema.train_metrics), [m | {"build_key": row["key"]} for m in metrics]
                )

    def builds_for_stage(self, stage: str) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(schema.builds).where(schema.builds.c.stage == stage))
            return [dict(r._mapping) for r in rows]

    def train_metrics(self, build_key: str) -> list[dict[str, Any]]:
        m = schema.train_metrics
        with self.engine.connect() as conn:
            rows = conn.execute(select(m).where(m.c.build_key == build_key).order_by(m.c.step))
            return [dict(r._mapping) for r in rows]

    # evaluations ----------------------------------------------------------------------------
    def eval_result(self, version: str, suite: str, suite_version: str) -> dict[str, Any] | None:
        e = schema.eval_results
        query = select(e).where(
            (e.c.version == version) & (e.c.suite == suite) & (e.c.suite_version == suite_version)
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return dict(row._mapping) | {"metrics": json.loads(row.metrics)} if row else None

    def add_eval_result(self, row: dict[str, Any]) -> None:
        """Store a finished eval; an existing result for the same key is kept, never overwritten."""
        if self.eval_result(row["version"], row["suite"], row["suite_version"]):
            return
        with self.engine.begin() as conn:
            values = row | {"metrics": canonical_json(row["metrics"]), "created_at": now()}
            conn.execute(insert(schema.eval_results).values(**values))

    def eval_results_for(self, version: str) -> list[dict[str, Any]]:
        e = schema.eval_results
        with self.engine.connect() as conn:
            rows = conn.execute(select(e).where(e.c.version == version).order_by(e.c.suite))
            return [dict(r._mapping) | {"metrics": json.loads(r.metrics)} for r in rows]

    # contributions and reviews --------------------------------------------------------------
    def add_contribution(self, row: dict[str, Any]) -> None:
        c = schema.contributions
        with self.engine.begin() as conn:
            if conn.execute(select(c.c.id).where(c.c.id == row["id"])).first():
                return
            values = row | {"manifest": canonical_json(row["manifest"]), "received_at": now()}
            conn.execute(insert(c).values(**values))

    def contribution(self, contribution_id: str) -> dict[str, Any] | None:
        c = schema.contributions
        with self.engine.connect() as conn:
            row = conn.execute(select(c).where(c.c.id == contribution_id)).first()
        return dict(row._mapping) | {"manifest": json.loads(row.manifest)} if row else None

    def add_review(self, row: dict[str, Any]) -> int:
        values = row | {
            "reasons": canonical_json(row["reasons"]),
            "report": canonical_json(row["report"]),
            "created_at": now(),
        }
        with self.engine.begin() as conn:
            result = conn.execute(insert(schema.reviews).values(**values))
            return int(result.inserted_primary_key[0])

    def reviews_for(self, contribution_id: str) -> list[dict[str, Any]]:
        r = schema.reviews
        with self.engine.connect() as conn:
            query = select(r).where(r.c.contribution == contribution_id).order_by(r.c.id)
            rows = conn.execute(query)
            return [
                dict(x._mapping)
                | {"reasons": json.loads(x.reasons), "report": json.loads(x.report)}
                for x in rows
            ]
