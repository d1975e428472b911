"""The catalogue: versions, lineage, refs, builds, metrics, evals, contributions, reviews.

A thin layer of named queries over SQLAlchemy Core; SQLite by default, any SQLAlchemy URL (for
example PostgreSQL) when a team outgrows one machine. JSON goes in as canonical text so equal
content compares equal byte for byte.
"""

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    create_engine,
    event,
    func,
    insert,
    select,
    text,
    update,
)

from modelbazaar.store import migrations, schema
from modelbazaar.store.refs import RefMove, moved_error

# PostgreSQL advisory lock id of "the catalogue's writer lock" (any fixed 64-bit number works:
# one catalogue per database). SQLite needs none: BEGIN IMMEDIATE takes its file's write lock.
PG_WRITER_LOCK = 0x6D62_7A72  # "mbzr"


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no spaces: the same content always gives the same text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # We issue BEGIN ourselves (below), so pysqlite must not: it would begin lazily, on the
    # first write, and run DDL outside any transaction (a half-applied migration).
    dbapi_conn.isolation_level = None
    cursor = dbapi_conn.cursor()
    # Rollback journal (not WAL): a reader never changes a byte of the database file, so
    # "the store is byte-identical after a refused bundle" is checkable with plain hashes.
    cursor.execute("PRAGMA busy_timeout=30000")  # another process writing: wait, don't fail
    cursor.execute("PRAGMA synchronous=FULL")  # a committed row survives a power cut
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    """Writers take SQLite's write lock up front (BEGIN IMMEDIATE) and queue on busy_timeout;
    readers begin DEFERRED and keep reading while a writer works."""
    writer = conn.get_execution_options().get("bazaar_writer", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if writer else "BEGIN")


def _leave_wal(engine: Engine) -> None:
    """Stores made by the first schema used WAL; upgrade them to the rollback journal that
    today's stores use (see `_sqlite_pragmas`). Another open connection makes SQLite refuse:
    then the store simply stays in WAL until the next upgrade."""
    raw = engine.raw_connection()  # outside any transaction: SQLite ignores it inside one
    try:
        raw.cursor().execute("PRAGMA journal_mode=DELETE")
    except sqlite3.OperationalError:
        pass
    finally:
        raw.close()


class Catalogue:
    """Named queries over the catalogue database.

    Every write runs in `writing()`: one transaction holding the store's single writer lock, so
    two commands never interleave their catalogue writes; reads never take it.
    """

    def __init__(self, url: str) -> None:
        self.engine: Engine = create_engine(url)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
            event.listen(self.engine, "begin", _sqlite_begin)
        with self.engine.connect() as conn:  # most opens find nothing to do: no lock taken
            todo = migrations.pending(migrations.applied(conn))
        if todo:
            with self.writing() as conn:  # another process may have migrated meanwhile
                migrations.run(conn, migrations.pending(migrations.applied(conn)))
            if self.engine.dialect.name == "sqlite":
                _leave_wal(self.engine)

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """One transaction under the writer lock; committed on exit, rolled back on error."""
        with self.engine.connect() as conn:
            conn.execution_options(bazaar_writer=True)
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": PG_WRITER_LOCK})
                yield conn

    # versions and lineage -------------------------------------------------------------
    def add_version(self, row: dict[str, Any], parents: list[tuple[str, str, dict]]) -> None:
        """Insert a version and its parent edges in one transaction (idempotent)."""
        with self.writing() as conn:
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
    def move_refs(
        self,
        moves: list[RefMove],
        reason: str,
        also: Callable[[Connection, list[RefMove]], None] | None = None,
    ) -> None:
        """Move every ref in `moves` by compare-and-swap, all or none, in one transaction.

        A ref that no longer points where its writer started from (another command moved it)
        raises RefMovedError and nothing moves; one that already points at the new version is
        left alone. Each move is appended to `ref_log`. `also(conn, moved)` runs inside the same
        transaction after the moves (the hub writes its audit rows and job states there, so they
        commit or roll back with the refs).
        Example: move_refs([RefMove("main", new, expected=old)], "merging")
        """
        r, at = schema.refs, now()
        with self.writing() as conn:
            moved: list[RefMove] = []
            for move in moves:
                current = conn.execute(select(r.c.version).where(r.c.name == move.name)).scalar()
                if current == move.new:  # a re-run, or another writer made the same move
                    continue
                moved.append(move)
                values = {"version": move.new, "kind": move.kind, "updated_at": at}
                if move.expected is None and current is None:
                    conn.execute(insert(r).values(name=move.name, **values))
                elif (
                    move.expected is None
                    or not conn.execute(
                        update(r)  # the compare-and-swap itself
                        .where((r.c.name == move.name) & (r.c.version == move.expected))
                        .values(**values)
                    ).rowcount
                ):
                    raise moved_error(move, current, reason)
                conn.execute(
                    insert(schema.ref_log).values(
                        name=move.name,
                        old_version=move.expected,
                        new_version=move.new,
                        kind=move.kind,
                        reason=reason,
                        moved_at=at,
                    )
                )
            if also is not None:
                also(conn, moved)

    def ref_log(self, name: str | None = None) -> list[dict[str, Any]]:
        """Every recorded move (of `name`), oldest first."""
        log = schema.ref_log
        query = select(log).order_by(log.c.id)
        if name is not None:
            query = query.where(log.c.name == name)
        with self.engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(query)]

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
        with self.writing() as conn:
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
        e = schema.eval_results
        key = (e.c.version == row["version"]) & (e.c.suite == row["suite"])
        with self.writing() as conn:  # checked under the lock: two evals may finish together
            if conn.execute(
                select(e.c.n).where(key & (e.c.suite_version == row["suite_version"]))
            ).first():
                return
            values = row | {"metrics": canonical_json(row["metrics"]), "created_at": now()}
            conn.execute(insert(e).values(**values))

    def eval_results_for(self, version: str) -> list[dict[str, Any]]:
        e = schema.eval_results
        with self.engine.connect() as conn:
            rows = conn.execute(select(e).where(e.c.version == version).order_by(e.c.suite))
            return [dict(r._mapping) | {"metrics": json.loads(r.metrics)} for r in rows]

    # contributions and reviews --------------------------------------------------------------
    def add_contribution(self, row: dict[str, Any], conn: Connection | None = None) -> None:
        """Record a contribution (idempotent); inside the caller's transaction when `conn`
        is given (it must hold the writer lock: a connection from `writing()`)."""
        if conn is None:
            with self.writing() as own:
                return self.add_contribution(row, own)
        c = schema.contributions
        if conn.execute(select(c.c.id).where(c.c.id == row["id"])).first():
            return None
        values = row | {"manifest": canonical_json(row["manifest"]), "received_at": now()}
        conn.execute(insert(c).values(**values))
        return None

    def contribution(self, contribution_id: str) -> dict[str, Any] | None:
        c = schema.contributions
        with self.engine.connect() as conn:
            row = conn.execute(select(c).where(c.c.id == contribution_id)).first()
        return dict(row._mapping) | {"manifest": json.loads(row.manifest)} if row else None

    def add_review(self, row: dict[str, Any], conn: Connection | None = None) -> int:
        """Record a review; inside the caller's transaction when `conn` is given."""
        if conn is None:
            with self.writing() as own:
                return self.add_review(row, own)
        values = row | {
            "reasons": canonical_json(row["reasons"]),
            "report": canonical_json(row["report"]),
            "created_at": now(),
        }
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

    # source revisions (the data the model is built from; each donation merged is one) ---------
    def add_source_revision(self, row: dict[str, Any]) -> bool:
        """Record a revision of the model source's data; False if it was already recorded."""
        s = schema.source_revisions
        with self.writing() as conn:
            if conn.execute(select(s.c.id).where(s.c.id == row["id"])).first():
                return False
            number = (conn.execute(select(func.max(s.c.number))).scalar() or 0) + 1
            values = row | {
                "number": number,
                "manifests": canonical_json(row["manifests"]),
                "created_at": now(),
            }
            conn.execute(insert(s).values(**values))
            return True

    def source_revisions(self) -> list[dict[str, Any]]:
        """Every recorded revision, newest first."""
        s = schema.source_revisions
        with self.engine.connect() as conn:
            rows = conn.execute(select(s).order_by(s.c.number.desc()))
            return [dict(r._mapping) | {"manifests": json.loads(r.manifests)} for r in rows]
