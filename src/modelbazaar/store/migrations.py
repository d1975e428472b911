"""Numbered, append-only schema migrations (the simonw/llm pattern).

Never edit or reorder a migration that has shipped: add `m00N_...` at the end. Each runs once,
inside a transaction, and is recorded in `_migrations`.
"""

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, insert, inspect, select

from modelbazaar.store import schema

Migration = Callable[[Connection], None]
MIGRATIONS: list[Migration] = []
migration = MIGRATIONS.append


@migration
def m001_versions_refs_builds(conn: Connection) -> None:
    for table in (schema.versions, schema.parents, schema.refs, schema.builds):
        table.create(conn)


@migration
def m002_training_metrics(conn: Connection) -> None:
    schema.train_metrics.create(conn)


@migration
def m003_eval_results(conn: Connection) -> None:
    schema.eval_results.create(conn)


@migration
def m004_contributions_reviews(conn: Connection) -> None:
    schema.contributions.create(conn)
    schema.reviews.create(conn)


def migrate(engine: Engine) -> list[str]:
    """Apply every migration not yet recorded; return the names applied."""
    applied_now: list[str] = []
    with engine.begin() as conn:
        if not inspect(conn).has_table("_migrations"):
            schema.migrations_table.create(conn)
        done = set(conn.execute(select(schema.migrations_table.c.name)).scalars())
    for step in MIGRATIONS:
        if step.__name__ in done:
            continue
        with engine.begin() as conn:  # one transaction per migration: all or nothing
            step(conn)
            conn.execute(
                insert(schema.migrations_table).values(
                    name=step.__name__, applied_at=datetime.now(UTC).isoformat()
                )
            )
        applied_now.append(step.__name__)
    return applied_now
