"""The hub in a browser: server-rendered pages (Jinja2, plain HTML + CSS, no JavaScript
needed to read) over the same functions the JSON API calls. `install(app)` adds the routes,
the stylesheet under /static and the HTML error pages for non-API paths.

| page                               | shows                                                   |
|------------------------------------|---------------------------------------------------------|
| /                                  | models: maintainers, licence verdict, MOF class, search  |
| /models/NAME                       | card, openness report, licence verdict, files, commands  |
| /models/NAME/history               | lineage SVG, tags, ref moves (audit log)                 |
| /models/NAME/evals                 | each suite's metric across main, 95% CI plot + table     |
| /models/NAME/versions/HASH         | one version's eval report and parents                    |
| /models/NAME/contributions[/ID]    | queue, history; manifest, review, approvals, merge       |
| /models/NAME/access                | gated access: request; maintainers decide, revoke        |
| /models/NAME/chat                  | chat with main, rate, write a better answer              |
| /account, /login                   | tokens, keys, access requests; token login               |
"""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from modelbazaar.hub.pages import access, account, contribs, feedback, models


def install(app: FastAPI) -> None:
    static = resources.files("modelbazaar.hub.pages").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    for module in (account, models, contribs, access, feedback):
        app.include_router(module.router)
