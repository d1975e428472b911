"""Accounts on a hub: users and tokens from the server-side CLI, tokens shown once and stored
hashed, expiring and revocable; public keys registered only with a proof of possession."""

from __future__ import annotations

import base64
import time

from sqlalchemy import select, update

from modelbazaar.contrib import load_private_key, public_key_text, sign
from modelbazaar.hub import tables as t
from modelbazaar.hub.protocol import key_proof_message
from tests.helpers import bazaar_exit_code
from tests.hubkit import LiveHub


def test_users_and_tokens_from_the_cli(live_hub: LiveHub, capsys) -> None:
    data = str(live_hub.root / "hub")
    assert bazaar_exit_code(["hub", "user", "add", "zoe", "--data", data]) == 0
    assert bazaar_exit_code(["hub", "user", "add", "zoe", "--data", data]) == 2  # exists
    capsys.readouterr()
    assert bazaar_exit_code(["hub", "token", "create", "zoe", "--days", "1", "--data", data]) == 0
    token = capsys.readouterr().out.strip().splitlines()[-1]  # the last line is the token
    assert token.startswith("bzr_") and len(token) > 40
    with live_hub.db.reading() as conn:
        stored = list(conn.execute(select(t.tokens.c.token_hash)).scalars())
    assert token not in stored and all(len(h) == 64 for h in stored)  # only hashes are kept
    with live_hub.http() as http:
        me = http.get("/user", headers={"Authorization": f"Bearer {token}"}).json()
    assert me["name"] == "zoe" and not me["admin"]

    assert bazaar_exit_code(["hub", "token", "list", "zoe", "--data", data]) == 0
    assert "active" in capsys.readouterr().out
    with live_hub.db.reading() as conn:
        token_id = conn.execute(select(t.tokens.c.id).order_by(t.tokens.c.id.desc())).scalar()
    assert bazaar_exit_code(["hub", "token", "revoke", str(token_id), "--data", data]) == 0
    with live_hub.http() as http:
        refused = http.get("/user", headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 401 and "bazaar login" in refused.json()["detail"]


def test_expired_and_malformed_tokens_get_401(live_hub: LiveHub) -> None:
    with live_hub.db.writing() as conn:
        conn.execute(update(t.tokens).values(expires_at=time.time() - 1))  # everyone's expired
    for header in (f"Bearer {live_hub.tokens['alice']}", "Basic abc", "Bearer"):
        with live_hub.http() as http:
            response = http.get("/models", headers={"Authorization": header})
        assert response.status_code == 401 and response.headers["www-authenticate"] == "Bearer"


def test_keys_need_a_proof_and_belong_to_one_user(live_hub: LiveHub) -> None:
    private = load_private_key(live_hub.keys["alice"])
    public = public_key_text(private)
    proof = base64.b64encode(sign(private, key_proof_message("alice", public))).decode()
    with live_hub.http("bob") as http:  # bob replays alice's proof: it names alice
        stolen = http.post("/user/keys", json={"public_key": public, "proof": proof})
    assert stolen.status_code == 422
    with live_hub.http("alice") as http:
        assert http.post("/user/keys", json={"public_key": public, "proof": proof}).json()["added"]
        again = http.post("/user/keys", json={"public_key": public, "proof": proof}).json()
        assert again["added"] is False
        assert http.get("/user").json()["keys"] == [public]
    bob_proof = base64.b64encode(sign(private, key_proof_message("bob", public))).decode()
    with live_hub.http("bob") as http:  # even with a valid proof, a key has one owner
        taken = http.post("/user/keys", json={"public_key": public, "proof": bob_proof})
    assert taken.status_code == 409


def test_client_commands_start_without_torch() -> None:
    """push, clone, pull and friends never import torch (seconds on a laptop)."""
    import subprocess
    import sys

    from tests.warm_cli import child_env

    code = "import sys, modelbazaar.cli.remote; sys.exit('torch' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], env=child_env()).returncode == 0
