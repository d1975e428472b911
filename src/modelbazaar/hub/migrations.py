"""The hub's own tables: frozen, numbered migrations in their own ledger (`_hub_migrations`).

They use the store's migration machinery (`store/migrations.py`: frozen SQL, applied in order
under the writer lock, a database from a newer modelbazaar refused untouched) with a separate
list, so a plain store opened on the same database never meets a name it does not know.
Never edit or reorder a shipped migration: append one.
"""

from __future__ import annotations

from modelbazaar.store import migrations
from modelbazaar.store.catalogue import Catalogue
from modelbazaar.store.migrations import Migration

LEDGER = "_hub_migrations"

HUB_MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        "hub001_users_tokens_keys",
        (
            """CREATE TABLE hub_users (
                id {serial_pk}, name TEXT NOT NULL UNIQUE, is_admin INTEGER NOT NULL,
                is_worker INTEGER NOT NULL, created_at TEXT NOT NULL)""",
            """CREATE TABLE hub_tokens (
                id {serial_pk}, user_id INTEGER NOT NULL, token_hash TEXT NOT NULL UNIQUE,
                label TEXT NOT NULL, created_at TEXT NOT NULL, expires_at FLOAT NOT NULL,
                revoked_at TEXT)""",
            """CREATE TABLE hub_keys (
                id {serial_pk}, user_id INTEGER NOT NULL, public_key TEXT NOT NULL UNIQUE,
                created_at TEXT NOT NULL)""",
        ),
    ),
    Migration(
        "hub002_models_members",
        (
            """CREATE TABLE hub_models (
                id {serial_pk}, name TEXT NOT NULL UNIQUE, visibility TEXT NOT NULL,
                source TEXT, created_by INTEGER NOT NULL, created_at TEXT NOT NULL)""",
            """CREATE TABLE hub_members (
                model_id INTEGER NOT NULL, user_id INTEGER NOT NULL, role TEXT NOT NULL,
                PRIMARY KEY (model_id, user_id))""",
            """CREATE TABLE hub_model_objects (
                model_id INTEGER NOT NULL, digest TEXT NOT NULL, PRIMARY KEY (model_id, digest))""",
            """CREATE TABLE hub_model_versions (
                model_id INTEGER NOT NULL, version TEXT NOT NULL,
                PRIMARY KEY (model_id, version))""",
        ),
    ),
    Migration(
        "hub003_submissions_jobs_audit",
        (
            """CREATE TABLE hub_submissions (
                id {serial_pk}, model_id INTEGER NOT NULL, contribution TEXT NOT NULL,
                bundle TEXT NOT NULL, submitter INTEGER NOT NULL, task TEXT NOT NULL,
                author TEXT NOT NULL, state TEXT NOT NULL, reasons TEXT NOT NULL,
                reports TEXT NOT NULL, created_at TEXT NOT NULL, created_ts FLOAT NOT NULL,
                updated_at TEXT NOT NULL, UNIQUE (model_id, contribution))""",
            """CREATE TABLE hub_approvals (
                id {serial_pk}, submission_id INTEGER NOT NULL, user_id INTEGER NOT NULL,
                public_key TEXT NOT NULL, signature TEXT NOT NULL, created_at TEXT NOT NULL,
                UNIQUE (submission_id, user_id))""",
            """CREATE TABLE hub_merges (
                id {serial_pk}, model_id INTEGER NOT NULL, requested_by INTEGER NOT NULL,
                request TEXT NOT NULL, expected_main TEXT NOT NULL, state TEXT NOT NULL,
                version TEXT, reasons TEXT NOT NULL, created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL)""",
            """CREATE TABLE hub_jobs (
                id {serial_pk}, model_id INTEGER NOT NULL, kind TEXT NOT NULL,
                subject INTEGER NOT NULL, state TEXT NOT NULL, lease_token TEXT,
                lease_owner INTEGER, lease_expires FLOAT, attempts INTEGER NOT NULL,
                error TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)""",
            "CREATE INDEX hub_jobs_state ON hub_jobs (state, id)",
            """CREATE TABLE hub_audit (
                id {serial_pk}, model_id INTEGER NOT NULL, ref TEXT NOT NULL,
                old_version TEXT, new_version TEXT NOT NULL, actor TEXT NOT NULL,
                why TEXT NOT NULL, at TEXT NOT NULL)""",
            "CREATE INDEX hub_audit_model ON hub_audit (model_id, id)",
        ),
    ),
    Migration(
        "hub004_pages_gated_feedback",
        (
            # browser sessions: a cookie holds a random id; only its sha256 is stored, tied to
            # the token the user logged in with (revoking the token ends the session)
            """CREATE TABLE hub_sessions (
                id {serial_pk}, session_hash TEXT NOT NULL UNIQUE, user_id INTEGER NOT NULL,
                token_id INTEGER NOT NULL, csrf TEXT NOT NULL, created_at TEXT NOT NULL,
                expires_at FLOAT NOT NULL)""",
            """CREATE TABLE hub_access_requests (
                id {serial_pk}, model_id INTEGER NOT NULL, user_id INTEGER NOT NULL,
                who TEXT NOT NULL, intended_use TEXT NOT NULL, state TEXT NOT NULL,
                reason TEXT NOT NULL, decided_by INTEGER, created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL)""",
            "CREATE INDEX hub_access_model ON hub_access_requests (model_id, user_id)",
            """CREATE TABLE hub_access_log (
                id {serial_pk}, request_id INTEGER NOT NULL, model_id INTEGER NOT NULL,
                actor TEXT NOT NULL, action TEXT NOT NULL, reason TEXT NOT NULL,
                at TEXT NOT NULL)""",
            """CREATE TABLE hub_feedback (
                id {serial_pk}, model_id INTEGER NOT NULL, version TEXT NOT NULL,
                user_id INTEGER NOT NULL, prompt TEXT NOT NULL, answer TEXT NOT NULL,
                rating INTEGER, better TEXT NOT NULL, license TEXT NOT NULL,
                consent INTEGER NOT NULL, created_at TEXT NOT NULL)""",
            "CREATE INDEX hub_feedback_model ON hub_feedback (model_id, id)",
            "CREATE INDEX hub_submissions_model ON hub_submissions (model_id, id)",
        ),
    ),
    Migration(
        "hub005_release_access",
        (
            # a release (tag) may carry its own level, public | gated | private; without a row
            # it follows the model's visibility (`hub/releases.py`)
            """CREATE TABLE hub_release_access (
                model_id INTEGER NOT NULL, tag TEXT NOT NULL, level TEXT NOT NULL,
                set_by INTEGER NOT NULL, set_at TEXT NOT NULL, PRIMARY KEY (model_id, tag))""",
            # NULL: a request for (and a log line about) the whole model, as before
            "ALTER TABLE hub_access_requests ADD COLUMN release_tag TEXT",
            "ALTER TABLE hub_access_log ADD COLUMN release_tag TEXT",
        ),
    ),
)


def migrate_hub(catalogue: Catalogue) -> list[str]:
    """Apply the hub's pending migrations (refusing a newer database); return their names."""
    what = "hub database"
    with catalogue.engine.connect() as conn:
        todo = migrations.pending(migrations.applied(conn, LEDGER), HUB_MIGRATIONS, what)
    if not todo:
        return []
    with catalogue.writing() as conn:  # another process may have migrated meanwhile
        done = migrations.applied(conn, LEDGER)
        return migrations.run(conn, migrations.pending(done, HUB_MIGRATIONS, what), LEDGER)
