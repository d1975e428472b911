"""Pages: the models list, a model's page, its history (lineage SVG), evals over time and one
version's eval report. Reading only; the data comes from the hub modules the API uses."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from modelbazaar.hub import access, downloads
from modelbazaar.hub.auth import model_for
from modelbazaar.hub.db import HubDB
from modelbazaar.hub.errors import not_found
from modelbazaar.hub.evalseries import eval_report, eval_series
from modelbazaar.hub.overview import main_chain, openness, source_view, synthetic_share
from modelbazaar.hub.pages.graph import lineage_svg
from modelbazaar.hub.pages.plots import series_svg
from modelbazaar.hub.pages.web import (
    Viewer,
    form_user,
    hub_db,
    page,
    render_markdown,
    viewer,
)
from modelbazaar.hub.releases import release_rows, set_release_level
from modelbazaar.hub.repos import (
    VISIBILITIES,
    last_changes,
    maintainers_of,
    members,
    role_of,
    visible_models,
)
from modelbazaar.hub.versions import version_rows

router = APIRouter(include_in_schema=False)
Db = Depends(hub_db)
Seen = Depends(viewer)


def _summary(db: HubDB, model: Any, user: Any, maintainers: list[str], changed: str | None) -> dict:
    main = downloads.visible_refs(db, model, user).get("main", {}).get("version")
    report = openness(db, main)
    weights = report.components.get("Model parameters (Final)") if report else None
    return {
        "name": model.name,
        "visibility": model.visibility,
        "maintainers": maintainers,
        "verdict": report.verdict if report else None,
        "mof_label": report.mof.label if report else None,
        "license": weights,
        "changed": changed,
    }


@router.get("/", response_class=HTMLResponse)
def index(
    request: Request, q: str = "", license: str = "", db: HubDB = Db, seen: Viewer = Seen
) -> HTMLResponse:
    """Every model you can see, searchable by name and licence (substring, any case)."""
    q, license = q.strip()[:100], license.strip()[:100]
    keepers, changed = maintainers_of(db), last_changes(db)
    rows = []
    for model in visible_models(db, seen.user):
        if q and q.lower() not in model.name.lower():
            continue
        row = _summary(db, model, seen.user, keepers.get(model.id, []), changed.get(model.id))
        if license and license.lower() not in (row["license"] or "").lower():
            continue
        rows.append(row)
    return page(request, seen, "index.html", rows=rows, q=q, license=license)


@router.get("/models/{name}", response_class=HTMLResponse)
def model_page(request: Request, name: str, db: HubDB = Db, seen: Viewer = Seen) -> HTMLResponse:
    model = model_for(db, name, seen.user)
    refs = downloads.visible_refs(db, model, seen.user)  # no ref at a private release
    main = refs.get("main", {}).get("version")
    source = source_view(db, model)
    base = str(request.base_url).rstrip("/")
    role = role_of(db, model, seen.user)
    hidden = downloads.hidden_refs(db, model, seen.user)
    open_ = downloads.downloadable_versions(db, model, seen.user)
    releases = [
        r | {"download": open_.get(r["version"], False)}
        for r in release_rows(db, model)
        if r["release"] not in hidden
    ]
    return page(
        request,
        seen,
        "model.html",
        model=model,
        tab="model",
        role=role,
        maintains=role == "maintainer" or (seen.user is not None and seen.user.is_admin),
        releases=releases,
        gated_releases=[r["release"] for r in releases if r["level"] == "gated"],
        visibilities=VISIBILITIES,
        members=members(db, model),
        refs=refs,
        main=main,
        report=openness(db, main),
        card=render_markdown(source.card) if source.card else None,
        source=source,
        synthetic=synthetic_share(db, main),
        clone=f"bazaar clone {base}/models/{model.name}",
        run=f"cd {model.name} && bazaar generate main 'Once upon a time'",
        serve=f"cd {model.name} && bazaar serve main --port 8000",
    )


@router.get("/models/{name}/history", response_class=HTMLResponse)
def history(request: Request, name: str, db: HubDB = Db, seen: Viewer = Seen) -> HTMLResponse:
    model = model_for(db, name, seen.user)
    # private releases, their versions and the refs at them: not for outsiders
    rows = downloads.shown_rows(db, model, seen.user, version_rows(db, model))
    refs = downloads.visible_refs(db, model, seen.user)
    chain = main_chain(rows, refs.get("main", {}).get("version"))
    return page(
        request,
        seen,
        "history.html",
        model=model,
        tab="history",
        graph=lineage_svg(rows, chain, refs),
        refs=refs,
        audit=downloads.visible_audit(db, model, seen.user),
        versions=len(rows),
    )


@router.get("/models/{name}/evals", response_class=HTMLResponse)
def evals(request: Request, name: str, db: HubDB = Db, seen: Viewer = Seen) -> HTMLResponse:
    model = model_for(db, name, seen.user)
    rows = downloads.shown_rows(db, model, seen.user, version_rows(db, model))
    chain = main_chain(
        rows, downloads.visible_refs(db, model, seen.user).get("main", {}).get("version")
    )
    suites = eval_series(db, list(reversed(chain)))  # oldest first: time runs left to right
    plots = {key: series_svg(points, key) for key, points in suites.items()}
    return page(request, seen, "evals.html", model=model, tab="evals", suites=suites, plots=plots)


@router.get("/models/{name}/versions/{version}", response_class=HTMLResponse)
def version_page(
    request: Request, name: str, version: str, db: HubDB = Db, seen: Viewer = Seen
) -> HTMLResponse:
    model = model_for(db, name, seen.user)
    shown = downloads.shown_rows(db, model, seen.user, version_rows(db, model))
    rows = {r["hash"]: r for r in shown}  # a private release's version: 404 for outsiders
    found = [h for h in rows if h.startswith(version)] if len(version) >= 8 else []
    if len(found) != 1:
        raise not_found(f"version {version[:16]} of {name}")
    row = rows[found[0]]
    return page(
        request,
        seen,
        "version.html",
        model=model,
        tab="evals",
        row=row,
        report=eval_report(db, row["hash"]),
        audit=openness(db, row["hash"]),
    )


@router.post("/models/{name}/visibility")
def change_visibility(
    request: Request,
    name: str,
    visibility: str = Form(""),
    release: str = Form(""),
    csrf: str = Form(""),
    db: HubDB = Db,
    seen: Viewer = Seen,
) -> RedirectResponse:
    """Maintainers: public, gated (downloads need an approved request) or private — for the
    model, or with `release` for that release alone (`inherit`: it follows the model)."""
    user = form_user(seen, request, csrf)
    model = model_for(db, name, user, "maintain")
    if release:
        set_release_level(db, model, user, release, visibility)
        return RedirectResponse(f"/models/{name}#releases", status_code=303)
    access.set_model_level(db, model, user, visibility)
    return RedirectResponse(f"/models/{name}", status_code=303)
