"""Client-side verbs on access levels and requests (what `bazaar access …` calls): each is one
or two API calls through `HubClient`, named by a remote of a model folder or a model URL.

Example: set_level(Path("."), "gated", release="v2") -> {"release": "v2", "level": "gated", …}
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from modelbazaar.errors import BazaarError
from modelbazaar.hub.actions import hub_for

LEVELS = ("public", "gated", "private")
INHERIT = "inherit"


def set_level(
    model_dir: Path, level: str, *, release: str | None = None, remote: str = "origin"
) -> dict[str, Any]:
    """Set the model's level, or one release's (`inherit`: the release follows the model)."""
    allowed = (*LEVELS, INHERIT) if release else LEVELS
    if level not in allowed:
        extra = f", or {INHERIT} with --release" if not release else f" or {INHERIT}"
        raise BazaarError(
            f"unknown level {level[:20]!r}: use {', '.join(LEVELS)}{extra} "
            "(e.g. `bazaar access set gated --release v2`)"
        )
    hub, name = hub_for(model_dir, remote)
    with hub:
        if release:
            return hub.json(
                "PUT", f"/models/{name}/releases/{release}/access", json={"level": level}
            )
        summary = hub.json("PATCH", f"/models/{name}", json={"visibility": level})
        return {"release": None, "level": summary["visibility"], "notes": []}


def levels(model_dir: Path, remote: str = "origin") -> dict[str, Any]:
    """The model's level and each release's: level, whether it is its own, whether you may
    download it."""
    hub, name = hub_for(model_dir, remote)
    with hub:
        summary = hub.json("GET", f"/models/{name}")
        return {
            "model": name,
            "level": summary["visibility"],
            "releases": hub.json("GET", f"/models/{name}/releases"),
        }


def request(
    model_dir: Path, who: str, use: str, *, release: str | None = None, remote: str = "origin"
) -> dict[str, Any]:
    hub, name = hub_for(model_dir, remote)
    with hub:
        body = {"who": who, "intended_use": use, "release": release}
        return hub.json("POST", f"/models/{name}/access", json=body)


def requests(model_dir: Path, remote: str = "origin") -> list[dict[str, Any]]:
    hub, name = hub_for(model_dir, remote)
    with hub:
        return hub.json("GET", f"/models/{name}/access")


def decide(
    model_dir: Path, request_id: int, verdict: str, reason: str = "", remote: str = "origin"
) -> dict[str, Any]:
    """approve / decline a pending request, revoke an approved one (with a reason)."""
    hub, name = hub_for(model_dir, remote)
    with hub:
        if verdict == "revoke":
            states = {r["id"]: r["state"] for r in hub.json("GET", f"/models/{name}/access")}
            state = states.get(request_id)
            if state is None:
                raise BazaarError(
                    f"{name} has no access request {request_id}; `bazaar access requests` "
                    "lists them"
                )
            if state != "approved":
                raise BazaarError(
                    f"request {request_id} is {state}, not approved: nothing to revoke"
                    + ("; decline it instead" if state == "pending" else "")
                )
        body = {"approve": verdict == "approve", "reason": reason}
        return hub.json("POST", f"/models/{name}/access/{request_id}", json=body)
