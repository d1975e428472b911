"""Catalogue tables (SQLAlchemy Core) for queries. They are created and changed only by the
frozen SQL in `migrations.py`, never from these objects; tests check that the two agree.

Portable types only (Text/Integer/Float/JSON-as-Text), so the same tables work on SQLite and
PostgreSQL. JSON columns hold canonical JSON text written by `catalogue.py`.
"""

from sqlalchemy import Column, Float, Integer, MetaData, Table, Text, UniqueConstraint

metadata = MetaData()

migrations_table = Table(
    "_migrations", metadata, Column("name", Text, primary_key=True), Column("applied_at", Text)
)

versions = Table(
    "versions",
    metadata,
    Column("hash", Text, primary_key=True),  # sha256 of the canonical {weights, tokenizer, config}
    Column("created_at", Text, nullable=False),
    Column("relation", Text, nullable=False),  # built | imported | tuned | merged | distilled
    Column("weights", Text, nullable=False),  # object hash of model.safetensors
    Column("tokenizer", Text, nullable=False),  # object hash of tokenizer.json
    Column("config", Text, nullable=False),  # object hash of the transformers config.json
    Column("info", Text, nullable=False),  # JSON: recipe, data manifests, licence, chat template
    Column("message", Text, nullable=False, default=""),
)

parents = Table(
    "parents",
    metadata,
    Column("child", Text, nullable=False),
    Column("parent", Text, nullable=False),
    Column("relation", Text, nullable=False),
    Column("position", Integer, nullable=False),
    Column("detail", Text, nullable=False, default="{}"),  # JSON, e.g. the contribution id
    UniqueConstraint("child", "parent", "position"),
)

refs = Table(
    "refs",
    metadata,
    Column("name", Text, primary_key=True),
    Column("version", Text, nullable=False),
    Column("kind", Text, nullable=False),  # branch (moves) | tag (fixed)
    Column("updated_at", Text, nullable=False),
)

builds = Table(
    "builds",
    metadata,
    Column("key", Text, primary_key=True),  # sha256 of the stage's inputs
    Column("stage", Text, nullable=False),
    Column("inputs", Text, nullable=False),  # JSON of what was hashed into the key
    Column("outputs", Text, nullable=False),  # JSON: object hashes the stage produced
    Column("duration_s", Float, nullable=False),
    Column("tokens", Integer, nullable=False, default=0),
    Column("final_train_loss", Float),
    Column("final_val_loss", Float),
    Column("machine", Text, nullable=False),  # JSON: platform, torch, threads, world size
    Column("created_at", Text, nullable=False),
)

train_metrics = Table(
    "train_metrics",
    metadata,
    Column("build_key", Text, nullable=False),
    Column("step", Integer, nullable=False),
    Column("tokens", Integer, nullable=False),
    Column("loss", Float),
    Column("val_loss", Float),
    Column("lr", Float),
    Column("tokens_per_s", Float),
    UniqueConstraint("build_key", "step"),
)

eval_results = Table(
    "eval_results",
    metadata,
    Column("version", Text, nullable=False),
    Column("suite", Text, nullable=False),
    Column("suite_version", Text, nullable=False),
    Column("metrics", Text, nullable=False),  # JSON of aggregate metrics
    Column("examples", Text, nullable=False),  # object hash of per-example JSON
    Column("n", Integer, nullable=False),
    Column("created_at", Text, nullable=False),
    UniqueConstraint("version", "suite", "suite_version"),
)

contributions = Table(
    "contributions",
    metadata,
    Column("id", Text, primary_key=True),  # sha256 of the bundle file
    Column("base", Text, nullable=False),
    Column("task", Text, nullable=False),
    Column("author", Text, nullable=False),  # ed25519 public key text
    Column("license", Text, nullable=False),
    Column("manifest", Text, nullable=False),  # JSON
    Column("bundle", Text, nullable=False),  # object hash of the bundle zip
    Column("received_at", Text, nullable=False),
)

reviews = Table(
    "reviews",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("contribution", Text, nullable=False),
    Column("candidate", Text),  # version hash of base + adapter, when it could be built
    Column("verdict", Text, nullable=False),  # accept | reject
    Column("reasons", Text, nullable=False),  # JSON list of sentences
    Column("report", Text, nullable=False),  # JSON of the whole review
    Column("created_at", Text, nullable=False),
)

ref_log = Table(
    "ref_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", Text, nullable=False),
    Column("old_version", Text),  # None: the ref was created by this move
    Column("new_version", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("reason", Text, nullable=False),  # building | merging | distilling | tagging | ...
    Column("moved_at", Text, nullable=False),
)

source_revisions = Table(
    "source_revisions",
    metadata,
    Column("id", Text, primary_key=True),  # sha256 of the data manifests' names and file hashes
    Column("number", Integer, nullable=False),  # 1, 2, 3 … in the order they were recorded
    Column("parent", Text),  # the revision it was made from; None for the first one recorded
    Column("contribution", Text),  # the donation merged by this revision
    Column("message", Text, nullable=False),
    Column("manifests", Text, nullable=False),  # JSON: name -> licence, provenance, file hashes
    Column("created_at", Text, nullable=False),
)
