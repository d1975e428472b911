"""/api/v1/models/{name}/objects: which objects a push still has to send, uploads, downloads.

An upload is streamed to a temp file while it is hashed, then stored under its name only if
the bytes hash to it (422 otherwise, nothing stored). A download is streamed and re-hashed on
the way out. Objects are reached through a model, and only those sent to that model: knowing a
hash is not a way into a private model.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from modelbazaar.errors import StoreError
from modelbazaar.hub.accounts import User
from modelbazaar.hub.auth import current_user, hub_db, model_for
from modelbazaar.hub.db import HubDB
from modelbazaar.hub.downloads import require_object
from modelbazaar.hub.errors import HubError, not_found
from modelbazaar.hub.repos import missing_objects, model_has_object, register_object
from modelbazaar.hub.uploads import receive_file
from modelbazaar.store.objects import check_digest

router = APIRouter(tags=["objects"])


class DigestsIn(BaseModel):
    objects: list[str]


def _digest(value: str) -> str:
    try:
        return check_digest(value)
    except StoreError as exc:
        raise HubError(422, str(exc)) from None


@router.post("/models/{name}/objects/missing")
def objects_missing(
    name: str,
    body: DigestsIn,
    db: HubDB = Depends(hub_db),
    user: User | None = Depends(current_user),
) -> dict[str, Any]:
    """Of the objects a push names, those the hub has not received for this model."""
    model = model_for(db, name, user, "upload")
    limit = db.config.limits.max_objects_per_push
    if len(body.objects) > limit:
        raise HubError(413, f"a push may name at most {limit} objects; push fewer versions")
    return {"missing": missing_objects(db, model, [_digest(d) for d in body.objects])}


@router.put("/models/{name}/objects/{digest}", status_code=201)
async def objects_upload(
    name: str,
    digest: str,
    request: Request,
    db: HubDB = Depends(hub_db),
    user: User | None = Depends(current_user),
) -> dict[str, Any]:
    """Upload one object (the raw bytes as the body); stored only if they hash to `digest`."""
    _digest(digest)
    model = await run_in_threadpool(model_for, db, name, user, "upload")
    path, actual, size = await receive_file(
        request, db.store.objects.incoming, db.config.limits.max_object_bytes
    )
    if actual != digest:
        path.unlink(missing_ok=True)
        raise HubError(
            422, f"the bytes sent hash to {actual[:12]}, not to {digest[:12]}; nothing stored"
        )
    # hashed: receive_file hashed exactly the bytes it wrote to `path`
    await run_in_threadpool(db.store.objects.put_verified_file, path, digest, hashed=True)
    await run_in_threadpool(register_object, db, model, digest)
    return {"object": digest, "bytes": size}


@router.get("/models/{name}/objects/{digest}")
def objects_download(
    name: str,
    digest: str,
    db: HubDB = Depends(hub_db),
    user: User | None = Depends(current_user),
) -> StreamingResponse:
    """The object's bytes, streamed (the client checks them against `digest`). A gated model's
    or release's objects need an approved access request (`hub/access.py`)."""
    model = model_for(db, name, user)
    _digest(digest)
    require_object(db, model, digest, user)
    size = db.store.objects.size(digest) if model_has_object(db, model, digest) else None
    if size is None:
        raise not_found(f"object {digest[:12]} of {name}")
    return StreamingResponse(
        db.store.objects.iter_chunks(digest),
        media_type="application/octet-stream",
        headers={"Content-Length": str(size), "X-Content-SHA256": digest},
    )
