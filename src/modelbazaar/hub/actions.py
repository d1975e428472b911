"""Client-side verbs on a hub model besides push/clone/pull: login, submit, list, approve,
merge, audit log, members. Each is one or two API calls through `HubClient`.

Keys: the hub links signatures to accounts through registered public keys, registered with a
proof of possession. `login`, `submit` and `approve` register your key (`bazaar keys
generate`) when the hub does not have it yet.

Example: submit(Path("."), Path("gsm8k.bazaar")) -> {"id": 3, "contribution": "8c96…", …}
"""

from __future__ import annotations

import base64
import time
from pathlib import Path
from typing import Any

from modelbazaar.errors import BazaarError
from modelbazaar.hub.client import HubClient
from modelbazaar.hub.protocol import approval_message, key_proof_message
from modelbazaar.hub.remotes import base_url, remote_url, save_token, token_for
from modelbazaar.hub.transfer import connect

FINAL = ("merged", "rejected", "conflict", "failed")


def register_own_key(hub: HubClient, me: dict[str, Any], key: Path | None = None) -> str | None:
    """Register the local public key with the hub if it is not yet; None without a key."""
    # imported here: the contrib package loads torch, which push, clone and pull never need
    from modelbazaar.contrib import keys as ed25519

    path = key or ed25519.default_key_path()
    if not path.exists():
        return None
    private = ed25519.load_private_key(path)
    public = ed25519.public_key_text(private)
    if public not in me.get("keys", []):
        proof = ed25519.sign(private, key_proof_message(me["name"], public))
        hub.json(
            "POST",
            "/user/keys",
            json={"public_key": public, "proof": base64.b64encode(proof).decode()},
        )
    return public


def login(url: str, token: str) -> tuple[dict[str, Any], Path, str | None]:
    """Check `token` against the hub, store it (0600), register the local key."""
    base = base_url(url)
    with HubClient(base, token) as hub:
        me = hub.json("GET", "/user")
        key = register_own_key(hub, me) if not me.get("worker") else None
    return me, save_token(base, token), key


def hub_for(model_dir: Path, remote: str) -> tuple[HubClient, str]:
    """A client for the model `remote` names (a remote of `model_dir`, or a model URL)."""
    return connect(remote_url(Path(model_dir), remote))


def submit(model_dir: Path, bundle: Path, remote: str = "origin", key: Path | None = None) -> Any:
    if not Path(bundle).is_file():
        raise BazaarError(
            f"{bundle} is not a file; give the .bazaar bundle `bazaar contribute` wrote"
        )
    hub, name = hub_for(model_dir, remote)
    with hub:
        register_own_key(hub, hub.json("GET", "/user"), key)
        return hub.send_file("POST", f"/models/{name}/contributions", Path(bundle))


def contributions(model_dir: Path, remote: str = "origin") -> list[dict[str, Any]]:
    hub, name = hub_for(model_dir, remote)
    with hub:
        return hub.json("GET", f"/models/{name}/contributions")


def review_report(
    model_dir: Path, contribution: str, remote: str = "origin", kind: str = "md"
) -> str:
    """The review report (md, html or json) a worker posted for a contribution."""
    hub, name = hub_for(model_dir, remote)
    with hub:
        found = hub.json("GET", f"/models/{name}/contributions/{contribution}")
        digest = found["reports"].get(kind)
        if digest is None:
            raise BazaarError(
                f"contribution {contribution[:12]} has no report yet ({found['state']})"
            )
        return hub.request("GET", f"/models/{name}/objects/{digest}").content.decode("utf-8")


def approve(
    model_dir: Path, contribution: str, remote: str = "origin", key: Path | None = None
) -> Any:
    """Sign (model, contribution, bundle hash) with your key and send it as your approval."""
    hub, name = hub_for(model_dir, remote)
    with hub:
        found = hub.json("GET", f"/models/{name}/contributions/{contribution}")
        public = register_own_key(hub, hub.json("GET", "/user"), key)
        if public is None:
            raise BazaarError("approving signs with your key; create one: `bazaar keys generate`")
        from modelbazaar.contrib import keys as ed25519

        private = ed25519.load_private_key(key or ed25519.default_key_path())
        message = approval_message(name, found["contribution"], found["bundle"])
        signature = ed25519.sign(private, message)
        return hub.json(
            "POST",
            f"/models/{name}/contributions/{found['contribution']}/approvals",
            json={"public_key": public, "signature": base64.b64encode(signature).decode()},
        )


def request_merge(
    model_dir: Path,
    contributions: list[str],
    *,
    remote: str = "origin",
    method: str = "ties",
    density: float = 0.5,
    weights: list[float] | None = None,
    seed: int = 0,
    wait: float = 600.0,
) -> dict[str, Any]:
    """Ask the hub to merge; wait up to `wait` seconds for a worker to finish it."""
    hub, name = hub_for(model_dir, remote)
    body = {
        "contributions": contributions,
        "method": method,
        "density": density,
        "weights": weights,
        "seed": seed,
    }
    with hub:
        merge = hub.json("POST", f"/models/{name}/merges", json=body)
        deadline = time.monotonic() + wait
        while merge["state"] not in FINAL and time.monotonic() < deadline:
            time.sleep(0.5)
            merge = hub.json("GET", f"/models/{name}/merges/{merge['id']}")
    return merge


def audit_log(model_dir: Path, remote: str = "origin") -> list[dict[str, Any]]:
    hub, name = hub_for(model_dir, remote)
    with hub:
        return hub.json("GET", f"/models/{name}/audit")


def set_member(model_dir: Path, user: str, role: str | None, remote: str = "origin") -> Any:
    hub, name = hub_for(model_dir, remote)
    with hub:
        if role is None:
            return hub.json("DELETE", f"/models/{name}/members/{user}")
        return hub.json("PUT", f"/models/{name}/members/{user}", json={"role": role})


def has_token(url: str) -> bool:
    return token_for(url) is not None
