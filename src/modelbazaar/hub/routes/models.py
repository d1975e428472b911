"""/api/v1/models: models, members, refs, source, versions and the audit log."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from modelbazaar.errors import BazaarError
from modelbazaar.hub.access import set_member_logged, set_model_level
from modelbazaar.hub.accounts import User, find_user
from modelbazaar.hub.auth import current_user, hub_db, model_for, require_user
from modelbazaar.hub.db import HubDB
from modelbazaar.hub.downloads import (
    hidden_refs,
    hidden_versions,
    shown_rows,
    visible_audit,
    visible_refs,
    visible_versions,
)
from modelbazaar.hub.errors import HubError
from modelbazaar.hub.evalseries import eval_series, record_eval_results
from modelbazaar.hub.feedback import list_feedback
from modelbazaar.hub.overview import main_chain
from modelbazaar.hub.releases import release_rows
from modelbazaar.hub.repos import (
    Model,
    create_model,
    members,
    missing_objects,
    model_summary,
    move_ref,
    refs_of,
    set_source,
    visible_models,
)
from modelbazaar.hub.source import SourceTree, withheld_entries
from modelbazaar.hub.versions import add_versions, model_versions, version_rows
from modelbazaar.store.refs import BRANCHES, RefNameError, check_tag_name

router = APIRouter(tags=["models"])
Db = Depends(hub_db)
Who = Depends(current_user)


class ModelIn(BaseModel):
    name: str = Field(max_length=100)
    visibility: str = "public"


class ModelPatch(BaseModel):
    visibility: str


class MemberIn(BaseModel):
    role: str


class RefIn(BaseModel):
    new: str = Field(pattern=r"^[0-9a-f]{64}$")
    expected: str | None = Field(None, pattern=r"^[0-9a-f]{64}$")
    force: bool = False  # a branch may move to a version that does not descend from it


class SourceIn(BaseModel):
    tree: str = Field(pattern=r"^[0-9a-f]{64}$")


class VersionsIn(BaseModel):
    versions: list[dict[str, Any]]


@router.get("/models")
def models_index(db: HubDB = Db, user: User | None = Who) -> list[dict[str, Any]]:
    """Models you can see: public ones, yours, or all for admins and workers."""
    return [
        {"name": m.name, "visibility": m.visibility, "refs": visible_refs(db, m, user)}
        for m in visible_models(db, user)
    ]


def _summary(db: HubDB, model: Model, user: User | None) -> dict[str, Any]:
    """The model as `user` may see it: private releases left out, each release's level."""
    hidden = hidden_refs(db, model, user)
    levels = {r["release"]: r["level"] for r in release_rows(db, model)}
    return model_summary(db, model, user) | {
        "refs": visible_refs(db, model, user),
        "releases": {tag: level for tag, level in levels.items() if tag not in hidden},
    }


@router.post("/models", status_code=201)
def models_create(body: ModelIn, db: HubDB = Db, user: User | None = Who) -> dict[str, Any]:
    """Create a model; you become its maintainer (`bazaar push` does this on a first push)."""
    user = require_user(user)
    if user.is_worker:
        raise HubError(403, "worker accounts cannot create models")
    model = create_model(db, body.name, user, body.visibility)
    return _summary(db, model, user)


@router.get("/models/{name}")
def models_show(name: str, db: HubDB = Db, user: User | None = Who) -> dict[str, Any]:
    """Refs, visibility, each release's level, source tree, members and your role."""
    return _summary(db, model_for(db, name, user), user)


@router.patch("/models/{name}")
def models_patch(
    name: str, body: ModelPatch, db: HubDB = Db, user: User | None = Who
) -> dict[str, Any]:
    model = model_for(db, name, user, "maintain")
    set_model_level(db, model, require_user(user), body.visibility)
    return _summary(db, model_for(db, name, user), user)


@router.get("/models/{name}/members")
def members_list(name: str, db: HubDB = Db, user: User | None = Who) -> list[dict[str, Any]]:
    return [{"user": m["user"], "role": m["role"]} for m in members(db, model_for(db, name, user))]


@router.put("/models/{name}/members/{member}")
def members_set(
    name: str, member: str, body: MemberIn, db: HubDB = Db, user: User | None = Who
) -> dict[str, Any]:
    model = model_for(db, name, user, "maintain")
    set_member_logged(db, model, require_user(user), find_user(db, member), body.role)
    return {"user": member, "role": body.role}


@router.delete("/models/{name}/members/{member}")
def members_remove(
    name: str, member: str, db: HubDB = Db, user: User | None = Who
) -> dict[str, Any]:
    model = model_for(db, name, user, "maintain")
    set_member_logged(db, model, require_user(user), find_user(db, member), None)
    return {"user": member, "role": None}


@router.put("/models/{name}/refs/{ref}")
def refs_move(
    name: str, ref: str, body: RefIn, db: HubDB = Db, user: User | None = Who
) -> dict[str, Any]:
    """Move a ref by compare-and-swap (`expected`: where you saw it; null: must not exist).
    Branches (main, built) only fast-forward unless `force`; tags never move."""
    model = model_for(db, name, user, "maintain")
    user = require_user(user)
    kind = "branch" if ref in BRANCHES else "tag"
    if kind == "tag":
        try:
            check_tag_name(ref)
        except RefNameError as exc:
            raise HubError(422, str(exc)) from None
    if body.new not in model_versions(db, model):
        raise HubError(422, f"{body.new[:12]} is not a version of {name}; push it first")
    current = refs_of(db, model).get(ref, {}).get("version")
    if current is not None and current != body.new:
        if kind == "tag":
            raise HubError(409, f"tag {ref} already points at {current[:12]}; tags do not move")
        if not body.force and not descends(db, body.new, current):
            raise HubError(
                409,
                f"{ref} of {name} is at {current[:12]}, which {body.new[:12]} does not descend "
                "from; run `bazaar pull` first (or push --force to replace it)",
            )
    why = f"push by {user.name}" + (" (forced)" if body.force else "")
    moved = move_ref(
        db, model, ref, body.new, expected=body.expected, kind=kind, actor=user.name, why=why
    )
    return {"ref": ref, "version": body.new, "moved": moved}


def descends(db: HubDB, child: str, ancestor: str) -> bool:
    """Is `ancestor` in the lineage of `child`?"""
    seen, todo = set(), [child]
    while todo:
        digest = todo.pop()
        if digest == ancestor:
            return True
        if digest not in seen:
            seen.add(digest)
            todo.extend(p["parent"] for p in db.store.catalogue.parents_of(digest))
    return False


@router.get("/models/{name}/versions")
def versions_list(name: str, db: HubDB = Db, user: User | None = Who) -> list[dict[str, Any]]:
    """Every version with its parent edges, parents first; each with its level ("access") and
    whether you may download it ("download") — clone and pull fetch only those."""
    model = model_for(db, name, user)
    return visible_versions(db, model, user, version_rows(db, model))


@router.post("/models/{name}/versions")
def versions_add(
    name: str, body: VersionsIn, db: HubDB = Db, user: User | None = Who
) -> dict[str, Any]:
    """Record pushed versions (parents first) after checking hashes, objects and lineage."""
    model = model_for(db, name, user, "upload")
    return {"added": add_versions(db, model, body.versions)}


@router.put("/models/{name}/source")
def source_set(
    name: str, body: SourceIn, db: HubDB = Db, user: User | None = Who
) -> dict[str, Any]:
    """Point the model at a pushed source tree (every file received, nothing withheld sent)."""
    model = model_for(db, name, user, "maintain")
    if missing_objects(db, model, [body.tree]):
        raise HubError(422, "upload the tree object before pointing the source at it")
    try:
        tree = SourceTree.from_bytes(db.store.objects.get_bytes(body.tree))
    except BazaarError as exc:
        raise HubError(422, str(exc)) from None
    lacking = missing_objects(db, model, [f.sha256 for f in tree.files])
    if lacking:
        raise HubError(422, f"the tree names {len(lacking)} files the hub has not received")
    manifests = {
        f.path: db.store.objects.get_bytes(f.sha256).decode("utf-8", errors="replace")
        for f in tree.files
        if f.path.startswith("data/") and f.path.endswith(".toml") and f.path.count("/") == 1
    }
    barred = [f.path for f in tree.files if f.path in withheld_entries(manifests)]
    if barred:
        raise HubError(
            422,
            f"{barred[0]} is under a licence that does not allow redistribution; "
            "the hub will not serve it (push lists it as withheld)",
        )
    set_source(db, model, body.tree)
    return {"tree": body.tree, "files": len(tree.files), "withheld": len(tree.withheld)}


@router.get("/models/{name}/audit")
def audit(name: str, db: HubDB = Db, user: User | None = Who) -> list[dict[str, Any]]:
    """Every ref move of the model, newest first: ref, old, new, who, why, when."""
    return visible_audit(db, model_for(db, name, user), user)


@router.get("/models/{name}/feedback")
def feedback_list(name: str, db: HubDB = Db, user: User | None = Who) -> list[dict[str, Any]]:
    """Community feedback on the model (every row given with consent, under its licence);
    none about the versions of private releases you may not see."""
    model = model_for(db, name, user)
    hidden = hidden_versions(db, model, user)
    return [row for row in list_feedback(db, model) if row["version"] not in hidden]


class EvalsIn(BaseModel):
    results: list[dict[str, Any]]


@router.post("/models/{name}/evals")
def evals_add(name: str, body: EvalsIn, db: HubDB = Db, user: User | None = Who) -> dict[str, Any]:
    """Record eval results of the model's versions (`bazaar push` sends what the store has)."""
    model = model_for(db, name, user, "upload")
    return {"recorded": record_eval_results(db, model, body.results)}


@router.get("/models/{name}/evals")
def evals_list(name: str, db: HubDB = Db, user: User | None = Who) -> dict[str, Any]:
    """Each suite's metrics across main's versions (oldest first), with 95% intervals: what
    the evals page plots."""
    model = model_for(db, name, user)
    rows = shown_rows(db, model, user, version_rows(db, model))
    chain = main_chain(rows, visible_refs(db, model, user).get("main", {}).get("version"))
    return eval_series(db, list(reversed(chain)))
