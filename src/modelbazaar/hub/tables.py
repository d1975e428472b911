"""The hub's tables for queries (SQLAlchemy Core). Created only by `hub/migrations.py`;
`tests/test_hub_store.py` checks the two agree. Times the hub compares (expiry, leases, rate
windows) are epoch seconds in FLOAT columns; times people read are ISO text.
"""

from sqlalchemy import Column, Float, Integer, MetaData, Table, Text

metadata = MetaData()

users = Table(
    "hub_users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", Text, nullable=False, unique=True),
    Column("is_admin", Integer, nullable=False),
    Column("is_worker", Integer, nullable=False),  # CI workers: claim jobs, never move refs
    Column("created_at", Text, nullable=False),
)

tokens = Table(
    "hub_tokens",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, nullable=False),
    Column("token_hash", Text, nullable=False, unique=True),  # sha256 of the token; never it
    Column("label", Text, nullable=False),
    Column("created_at", Text, nullable=False),
    Column("expires_at", Float, nullable=False),
    Column("revoked_at", Text),
)

keys = Table(
    "hub_keys",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, nullable=False),
    Column("public_key", Text, nullable=False, unique=True),  # "ed25519:…"
    Column("created_at", Text, nullable=False),
)

models = Table(
    "hub_models",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", Text, nullable=False, unique=True),
    Column("visibility", Text, nullable=False),  # public | gated | private
    Column("source", Text),  # object hash of the source tree (JSON), once pushed
    Column("created_by", Integer, nullable=False),
    Column("created_at", Text, nullable=False),
)

members = Table(
    "hub_members",
    metadata,
    Column("model_id", Integer, primary_key=True),
    Column("user_id", Integer, primary_key=True),
    Column("role", Text, nullable=False),  # maintainer | contributor | reader
)

model_objects = Table(  # objects readable through a model: what its pushes and bundles sent
    "hub_model_objects",
    metadata,
    Column("model_id", Integer, primary_key=True),
    Column("digest", Text, primary_key=True),
)

model_versions = Table(
    "hub_model_versions",
    metadata,
    Column("model_id", Integer, primary_key=True),
    Column("version", Text, primary_key=True),
)

submissions = Table(
    "hub_submissions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("model_id", Integer, nullable=False),
    Column("contribution", Text, nullable=False),  # id: sha256 of the signed manifest
    Column("bundle", Text, nullable=False),  # object hash of the bundle file
    Column("submitter", Integer, nullable=False),
    Column("task", Text, nullable=False),
    Column("author", Text, nullable=False),
    Column("state", Text, nullable=False),  # queued | reviewing | accepted | rejected | merged
    Column("reasons", Text, nullable=False),  # JSON list
    Column("reports", Text, nullable=False),  # JSON {"json": digest, "md": …, "html": …}
    Column("created_at", Text, nullable=False),
    Column("created_ts", Float, nullable=False),  # for the per-user submission rate
    Column("updated_at", Text, nullable=False),
)

approvals = Table(
    "hub_approvals",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("submission_id", Integer, nullable=False),
    Column("user_id", Integer, nullable=False),
    Column("public_key", Text, nullable=False),
    Column("signature", Text, nullable=False),  # base64 ed25519 over approval_message()
    Column("created_at", Text, nullable=False),
)

merges = Table(
    "hub_merges",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("model_id", Integer, nullable=False),
    Column("requested_by", Integer, nullable=False),
    Column("request", Text, nullable=False),  # JSON: contributions, method, density, …
    Column("expected_main", Text, nullable=False),  # main when it was asked: the CAS base
    Column(
        "state", Text, nullable=False
    ),  # queued | running | merged | rejected | conflict | failed
    Column("version", Text),
    Column("reasons", Text, nullable=False),
    Column("created_at", Text, nullable=False),
    Column("updated_at", Text, nullable=False),
)

jobs = Table(
    "hub_jobs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("model_id", Integer, nullable=False),
    Column("kind", Text, nullable=False),  # review | merge
    Column("subject", Integer, nullable=False),  # submission id or merge id
    Column("state", Text, nullable=False),  # queued | running | done | failed
    Column("lease_token", Text),  # sha256 of the lease secret the claiming worker holds
    Column("lease_owner", Integer),
    Column("lease_expires", Float),
    Column("attempts", Integer, nullable=False),
    Column("error", Text),
    Column("created_at", Text, nullable=False),
    Column("updated_at", Text, nullable=False),
)

audit = Table(  # append-only: who moved which ref of which model, when and why
    "hub_audit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("model_id", Integer, nullable=False),
    Column("ref", Text, nullable=False),
    Column("old_version", Text),
    Column("new_version", Text, nullable=False),
    Column("actor", Text, nullable=False),
    Column("why", Text, nullable=False),
    Column("at", Text, nullable=False),
)

sessions = Table(  # browser logins: sha256 of the cookie's random id, never the id itself
    "hub_sessions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("session_hash", Text, nullable=False, unique=True),
    Column("user_id", Integer, nullable=False),
    Column("token_id", Integer, nullable=False),  # the token typed at login: revoke it, end it
    Column("csrf", Text, nullable=False),  # every form of the session carries it
    Column("created_at", Text, nullable=False),
    Column("expires_at", Float, nullable=False),
)

access_requests = Table(  # who asked to download a gated model, why, and what was decided
    "hub_access_requests",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("model_id", Integer, nullable=False),
    Column("user_id", Integer, nullable=False),
    Column("who", Text, nullable=False),  # who the requester says they are
    Column("intended_use", Text, nullable=False),
    Column("state", Text, nullable=False),  # pending | approved | declined | revoked
    Column("reason", Text, nullable=False),  # the maintainer's reason for the decision
    Column("decided_by", Integer),
    Column("created_at", Text, nullable=False),
    Column("updated_at", Text, nullable=False),
    Column("release_tag", Text),  # the release asked for; NULL: the whole model
)

access_log = Table(  # append-only: every request, grant, decline and revocation
    "hub_access_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("request_id", Integer, nullable=False),
    Column("model_id", Integer, nullable=False),
    Column("actor", Text, nullable=False),
    Column("action", Text, nullable=False),  # requested | approved | declined | revoked | level
    Column("reason", Text, nullable=False),
    Column("at", Text, nullable=False),
    Column("release_tag", Text),  # NULL: about the whole model
)

release_access = Table(  # a release's own level; a release without a row follows its model
    "hub_release_access",
    metadata,
    Column("model_id", Integer, primary_key=True),
    Column("tag", Text, primary_key=True),
    Column("level", Text, nullable=False),  # public | gated | private
    Column("set_by", Integer, nullable=False),
    Column("set_at", Text, nullable=False),
)

feedback = Table(  # community feedback on answers of a version of main
    "hub_feedback",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("model_id", Integer, nullable=False),
    Column("version", Text, nullable=False),
    Column("user_id", Integer, nullable=False),
    Column("prompt", Text, nullable=False),
    Column("answer", Text, nullable=False),  # what the model said
    Column("rating", Integer),  # +1 good, -1 bad, None unrated
    Column("better", Text, nullable=False),  # the user's better answer ("" for none)
    Column("license", Text, nullable=False),  # CC-BY-4.0 | CC0-1.0
    Column("consent", Integer, nullable=False),
    Column("created_at", Text, nullable=False),
)
