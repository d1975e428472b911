"""Frozen, numbered, append-only schema migrations.

Each migration is the exact list of SQL statements it ran when it shipped — never a call to
`Table.create()` of today's `schema.py`, which would silently change what an old migration does
when a table is edited. A store records the names it has applied in `_migrations`; opening it
applies the missing ones in order, each in one transaction under the writer lock, and refuses a
store that has a migration this code does not know (it was written by a newer modelbazaar).

The SQL is portable between SQLite and PostgreSQL except the auto-numbered primary key, written
`{serial_pk}` and filled in per dialect. Never edit or reorder a shipped migration: append one.

Example: migrate(create_engine("sqlite:///c.db")) -> ["m001_versions_refs_builds", ...]
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, inspect, text

from modelbazaar.errors import StoreError


@dataclass(frozen=True)
class Migration:
    name: str
    statements: tuple[str, ...]


SERIAL_PK = {  # an integer primary key the database numbers itself
    "sqlite": "INTEGER NOT NULL PRIMARY KEY",  # an alias of SQLite's rowid
    "postgresql": "SERIAL NOT NULL PRIMARY KEY",
}

# Created before any migration runs; it records which ones have run.
BOOTSTRAP = "CREATE TABLE _migrations (name TEXT NOT NULL PRIMARY KEY, applied_at TEXT)"

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        "m001_versions_refs_builds",
        (
            """CREATE TABLE versions (
                hash TEXT NOT NULL PRIMARY KEY, created_at TEXT NOT NULL, relation TEXT NOT NULL,
                weights TEXT NOT NULL, tokenizer TEXT NOT NULL, config TEXT NOT NULL,
                info TEXT NOT NULL, message TEXT NOT NULL)""",
            """CREATE TABLE parents (
                child TEXT NOT NULL, parent TEXT NOT NULL, relation TEXT NOT NULL,
                position INTEGER NOT NULL, detail TEXT NOT NULL,
                UNIQUE (child, parent, position))""",
            """CREATE TABLE refs (
                name TEXT NOT NULL PRIMARY KEY, version TEXT NOT NULL, kind TEXT NOT NULL,
                updated_at TEXT NOT NULL)""",
            """CREATE TABLE builds (
                "key" TEXT NOT NULL PRIMARY KEY, stage TEXT NOT NULL, inputs TEXT NOT NULL,
                outputs TEXT NOT NULL, duration_s FLOAT NOT NULL, tokens INTEGER NOT NULL,
                final_train_loss FLOAT, final_val_loss FLOAT, machine TEXT NOT NULL,
                created_at TEXT NOT NULL)""",
        ),
    ),
    Migration(
        "m002_training_metrics",
        (
            """CREATE TABLE train_metrics (
                build_key TEXT NOT NULL, step INTEGER NOT NULL, tokens INTEGER NOT NULL,
                loss FLOAT, val_loss FLOAT, lr FLOAT, tokens_per_s FLOAT,
                UNIQUE (build_key, step))""",
        ),
    ),
    Migration(
        "m003_eval_results",
        (
            """CREATE TABLE eval_results (
                version TEXT NOT NULL, suite TEXT NOT NULL, suite_version TEXT NOT NULL,
                metrics TEXT NOT NULL, examples TEXT NOT NULL, n INTEGER NOT NULL,
                created_at TEXT NOT NULL, UNIQUE (version, suite, suite_version))""",
        ),
    ),
    Migration(
        "m004_contributions_reviews",
        (
            """CREATE TABLE contributions (
                id TEXT NOT NULL PRIMARY KEY, base TEXT NOT NULL, task TEXT NOT NULL,
                author TEXT NOT NULL, license TEXT NOT NULL, manifest TEXT NOT NULL,
                bundle TEXT NOT NULL, received_at TEXT NOT NULL)""",
            """CREATE TABLE reviews (
                id {serial_pk}, contribution TEXT NOT NULL, candidate TEXT,
                verdict TEXT NOT NULL, reasons TEXT NOT NULL, report TEXT NOT NULL,
                created_at TEXT NOT NULL)""",
        ),
    ),
    Migration(
        "m005_ref_log",  # every ref move, append-only: who moved what from where to where
        (
            """CREATE TABLE ref_log (
                id {serial_pk}, name TEXT NOT NULL, old_version TEXT, new_version TEXT NOT NULL,
                kind TEXT NOT NULL, reason TEXT NOT NULL, moved_at TEXT NOT NULL)""",
            "CREATE INDEX ref_log_name ON ref_log (name, id)",
        ),
    ),
    Migration(
        "m006_source_revisions",  # the model source's data, revision by revision (donations)
        (
            """CREATE TABLE source_revisions (
                id TEXT NOT NULL PRIMARY KEY, number INTEGER NOT NULL, parent TEXT,
                contribution TEXT, message TEXT NOT NULL, manifests TEXT NOT NULL,
                created_at TEXT NOT NULL)""",
        ),
    ),
)


# Another numbered list (the hub's tables, `hub/migrations.py`) keeps its own ledger table, so
# a plain store opened on the same database never sees names it does not know.
LEDGER = "_migrations"


def applied(conn: Connection, ledger: str = LEDGER) -> list[str]:
    """Names of the migrations a catalogue has recorded, in the order they ran."""
    if not inspect(conn).has_table(ledger):
        return []
    rows = conn.execute(text(f"SELECT name FROM {ledger} ORDER BY name"))
    return [row[0] for row in rows]


def pending(
    done: list[str], known: tuple[Migration, ...] | None = None, what: str = "store's catalogue"
) -> list[Migration]:
    """The migrations still to run (of `known`, default the store's own MIGRATIONS, looked up
    when called); refuse a database written by a newer modelbazaar."""
    known = MIGRATIONS if known is None else known
    unknown = sorted(set(done) - {m.name for m in known})
    if unknown:
        raise StoreError(
            f"this {what} was written by a newer modelbazaar (schema migration "
            f"{unknown[-1]} is unknown here; this version knows up to {known[-1].name}); "
            "upgrade modelbazaar to open it — nothing was changed"
        )
    return [m for m in known if m.name not in done]


def run(conn: Connection, todo: list[Migration], ledger: str = LEDGER) -> list[str]:
    """Apply `todo` on `conn`, inside the caller's (write-locked) transaction."""
    serial = SERIAL_PK.get(conn.dialect.name, SERIAL_PK["postgresql"])
    if not inspect(conn).has_table(ledger):
        conn.execute(text(BOOTSTRAP.replace("_migrations", ledger)))
    for step in todo:
        for statement in step.statements:
            conn.execute(text(statement.replace("{serial_pk}", serial)))
        conn.execute(
            text(f"INSERT INTO {ledger} (name, applied_at) VALUES (:name, :at)"),
            {"name": step.name, "at": datetime.now(UTC).isoformat()},
        )
    return [m.name for m in todo]


def migrate(engine: Engine) -> list[str]:
    """Apply every migration not yet recorded; return the names applied (plain engine)."""
    with engine.begin() as conn:
        return run(conn, pending(applied(conn)))
