"""Pages: chat with a version of main, rate the answer, write a better one.

Without JavaScript the form posts, the hub generates the whole answer and shows it with the
feedback form. With JavaScript (`static/chat.js`, ours, no library) the same form streams: the
answer arrives piece by piece as NDJSON lines (``{"delta": …}`` … ``{"done": true, "answer":
…, "mac": …}``). A feedback form that fails a check (size, consent, licence) comes back with
the error and the user's text; nothing is stored.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, StreamingResponse

from modelbazaar.hub import chat
from modelbazaar.hub import feedback as fb
from modelbazaar.hub.accounts import User
from modelbazaar.hub.auth import model_for
from modelbazaar.hub.chat import check_chat_rate
from modelbazaar.hub.db import HubDB
from modelbazaar.hub.downloads import require_model, require_version, shown_rows, visible_refs
from modelbazaar.hub.errors import HubError
from modelbazaar.hub.overview import main_chain
from modelbazaar.hub.pages.web import Viewer, form_user, hub_db, page, viewer
from modelbazaar.hub.repos import Model
from modelbazaar.hub.versions import version_rows

router = APIRouter(include_in_schema=False)
Db = Depends(hub_db)
Seen = Depends(viewer)


def _versions(db: HubDB, model: Model, user: User | None) -> list[str]:
    """main's versions `user` may see (none of a private release's for outsiders)."""
    rows = shown_rows(db, model, user, version_rows(db, model))
    return main_chain(rows, visible_refs(db, model, user).get("main", {}).get("version"))


def _chat_page(
    request: Request, db: HubDB, seen: Viewer, model: Model, status: int = 200, **extra: object
) -> HTMLResponse:
    versions = _versions(db, model, seen.user)
    context: dict[str, object] = {
        "version": versions[0] if versions else None,
        "prompt": "",
        "answer": None,
        "mac": "",
        "problem": "",
        "better": "",
        "thanks": request.query_params.get("thanks") == "1",
        "limits": {"prompt": fb.MAX_PROMPT, "better": fb.MAX_BETTER},
        "count": fb.count_feedback(db, model),
    }
    context |= extra
    return page(
        request,
        seen,
        "chat.html",
        status=status,
        model=model,
        tab="chat",
        versions=versions,
        **context,
    )


def _version(db: HubDB, model: Model, version: str, user: User) -> str:
    """The version of main to chat with, if `user` may use its weights."""
    versions = _versions(db, model, user)
    if not versions:
        require_model(db, model, user)  # a refusal says more than "nothing yet"
        raise HubError(409, f"{model.name} has no main yet: nothing to chat with")
    if version and version not in versions:
        raise HubError(422, f"{version[:12]} is not a version of main of {model.name}")
    chosen = version or versions[0]
    require_version(db, model, chosen, user)  # gated weights: granted users only
    return chosen


@router.get("/models/{name}/chat", response_class=HTMLResponse)
def chat_page(request: Request, name: str, db: HubDB = Db, seen: Viewer = Seen) -> HTMLResponse:
    return _chat_page(request, db, seen, model_for(db, name, seen.user))


@router.post("/models/{name}/chat", response_class=HTMLResponse)
def ask(
    request: Request,
    name: str,
    prompt: str = Form(""),
    version: str = Form(""),
    csrf: str = Form(""),
    db: HubDB = Db,
    seen: Viewer = Seen,
) -> HTMLResponse:
    user = form_user(seen, request, csrf)
    model = model_for(db, name, user)
    version = _version(db, model, version, user)
    check_chat_rate(db, user)
    try:
        prompt = fb.check_prompt(prompt)
    except HubError as exc:
        return _chat_page(request, db, seen, model, 422, problem=exc.message, prompt=prompt[:100])
    answer = "".join(chat.stream_answer(db, version, prompt))
    mac = fb.answer_mac(db, version, prompt, answer)
    return _chat_page(
        request, db, seen, model, version=version, prompt=prompt, answer=answer, mac=mac
    )


@router.post("/models/{name}/chat/stream")
def ask_streaming(
    request: Request,
    name: str,
    prompt: str = Form(""),
    version: str = Form(""),
    csrf: str = Form(""),
    db: HubDB = Db,
    seen: Viewer = Seen,
) -> StreamingResponse:
    """The same question, answered as NDJSON lines while the model generates."""
    user = form_user(seen, request, csrf)
    model = model_for(db, name, user)
    version = _version(db, model, version, user)
    check_chat_rate(db, user)
    prompt = fb.check_prompt(prompt)

    def lines() -> Iterator[str]:
        pieces = []
        for piece in chat.stream_answer(db, version, prompt):
            pieces.append(piece)
            yield json.dumps({"delta": piece}) + "\n"
        answer = "".join(pieces)
        mac = fb.answer_mac(db, version, prompt, answer)
        done = {"done": True, "answer": answer, "mac": mac, "version": version}
        yield json.dumps(done) + "\n"

    return StreamingResponse(lines(), media_type="application/x-ndjson")


@router.post("/models/{name}/feedback", response_model=None)
def give_feedback(
    request: Request,
    name: str,
    version: str = Form(""),
    prompt: str = Form(""),
    answer: str = Form(""),
    mac: str = Form(""),
    rating: str = Form(""),
    better: str = Form(""),
    license: str = Form("CC-BY-4.0"),
    consent: str = Form(""),
    csrf: str = Form(""),
    db: HubDB = Db,
    seen: Viewer = Seen,
) -> HTMLResponse | RedirectResponse:
    user = form_user(seen, request, csrf)
    model = model_for(db, name, user)
    item = fb.FeedbackIn(
        version=version,
        prompt=prompt,
        answer=answer,
        mac=mac,
        rating={"up": 1, "down": -1}.get(rating),
        better=better,
        license=license,
        consent=consent == "yes",
    )
    try:
        fb.record(db, model, user, item)
    except HubError as exc:  # the form comes back with the error and the user's text
        return _chat_page(
            request,
            db,
            seen,
            model,
            422,
            problem=exc.message,
            version=version,
            prompt=prompt,
            answer=answer,
            mac=mac,
            better=better,
        )
    return RedirectResponse(f"/models/{name}/chat?thanks=1", status_code=303)
