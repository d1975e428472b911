"""Load on a hub over loopback, and push throughput against `cp`, measured in one run.

A hub (`bazaar hub serve`, SQLite + local objects) runs in its own process. 16 concurrent
clients push (a new 64 KiB object + the "what is missing" question), pull (the version list
and an object download) and list models for --seconds; the script prints requests/s, p50/p99
latency and errors (which must be 0). Then it pushes a 100 MB version through the real push
code and copies the same bytes with `cp`, and prints the push's throughput as a ratio to cp's.

    python bench/hub_load.py [--seconds 60] [--clients 16] [--megabytes 100]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from modelbazaar.hub import accounts
from modelbazaar.hub.db import HubConfig, HubDB
from modelbazaar.hub.repos import create_model, move_ref, register_object
from modelbazaar.hub.transfer import push_versions
from modelbazaar.hub.versions import add_versions
from modelbazaar.store import Store
from modelbazaar.store.store import version_hash

API = "/api/v1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(data: Path) -> tuple[str, str]:
    """Users, a model with one small version; returns (maintainer token, an object digest)."""
    db = HubDB.open(HubConfig(data=data))
    user = accounts.add_user(db, "bench")
    token = accounts.create_token(db, "bench")
    model = create_model(db, "load", user, "public")
    parts = [db.store.objects.put_bytes(os.urandom(256 * 1024)) for _ in range(3)]
    for digest in parts:
        register_object(db, model, digest)
    row = {"hash": version_hash(*parts), "relation": "built", "info": {}}
    row |= dict(zip(("weights", "tokenizer", "config"), parts, strict=True))
    add_versions(db, model, [row])
    move_ref(db, model, "main", row["hash"], expected=None, kind="branch", actor="bench", why="b")
    db.engine.dispose()
    return token, parts[0]


def start_server(data: Path, port: int) -> subprocess.Popen:
    command = [sys.executable, "-m", "modelbazaar", "hub", "serve", "--data", str(data)]
    proc = subprocess.Popen(
        [*command, "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 600  # a busy machine imports slowly
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}{API}/health", timeout=1).raise_for_status()
            return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the hub did not start")


async def client(base: str, token: str, obj: str, until: float, seed: int, out: dict) -> None:
    rng = random.Random(seed)
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base + API, headers=headers, timeout=60) as http:
        while time.monotonic() < until:
            kind = rng.choice(("push", "pull", "list"))
            started = time.perf_counter()
            try:
                if kind == "push":
                    blob = rng.randbytes(64 * 1024)
                    digest = hashlib.sha256(blob).hexdigest()
                    asked = await http.post(
                        "/models/load/objects/missing", json={"objects": [digest]}
                    )
                    asked.raise_for_status()
                    (
                        await http.put(f"/models/load/objects/{digest}", content=blob)
                    ).raise_for_status()
                    out["requests"] += 2
                elif kind == "pull":
                    (await http.get("/models/load/versions")).raise_for_status()
                    got = await http.get(f"/models/load/objects/{obj}")
                    got.raise_for_status()
                    if hashlib.sha256(got.content).hexdigest() != obj:
                        raise ValueError("corrupt download")
                    out["requests"] += 2
                else:
                    (await http.get("/models")).raise_for_status()
                    out["requests"] += 1
            except (httpx.HTTPError, ValueError) as exc:
                out["errors"] += 1
                out.setdefault("first_error", repr(exc))
            out["latency"].append(time.perf_counter() - started)


async def load(base: str, token: str, obj: str, seconds: float, clients: int) -> dict:
    out: dict = {"requests": 0, "errors": 0, "latency": []}
    until = time.monotonic() + seconds
    await asyncio.gather(*(client(base, token, obj, until, i, out) for i in range(clients)))
    return out


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used (Linux /proc): a figure that, unlike
    latency, does not depend on what else the machine is running."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def push_vs_cp(base: str, token: str, megabytes: int, scratch: Path) -> tuple[float, float]:
    """Seconds to push a version with a `megabytes` weights object, and to `cp` its bytes."""
    store = Store(scratch / "store", database_url=f"sqlite:///{scratch / 'c.db'}")
    weights = store.objects.put_bytes(os.urandom(megabytes * 1_000_000))
    tok, cfg = store.objects.put_bytes(b"{}"), store.objects.put_bytes(b'{"c": 1}')
    version = store.add_version(
        weights=weights, tokenizer=tok, config=cfg, relation="built", info={}
    )
    from modelbazaar.hub.client import HubClient

    with HubClient(base, token) as hub:
        started = time.perf_counter()
        push_versions(hub, "load", store, [version], show_progress=False)
        pushed = time.perf_counter() - started
    started = time.perf_counter()
    subprocess.run(["cp", str(store.objects.path_of(weights)), str(scratch / "copy")], check=True)
    copied = time.perf_counter() - started
    return pushed, copied


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--megabytes", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bazaar-hub-bench-") as tmp:
        root = Path(tmp)
        token, obj = prepare(root / "hub")
        port = free_port()
        server = start_server(root / "hub", port)
        base = f"http://127.0.0.1:{port}"
        try:
            before = cpu_seconds(server.pid)
            out = asyncio.run(load(base, token, obj, args.seconds, args.clients))
            server_cpu = cpu_seconds(server.pid) - before
            (root / "scratch").mkdir()
            pushed, copied = push_vs_cp(base, token, args.megabytes, root / "scratch")
        finally:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(root / "scratch", ignore_errors=True)
    latency = sorted(out["latency"])
    p50 = latency[len(latency) // 2] * 1000
    p99 = latency[int(len(latency) * 0.99)] * 1000
    mb = args.megabytes
    print(f"load: {args.clients} clients for {args.seconds:.0f} s (push, pull, list over loopback)")
    print(
        f"  requests/s {out['requests'] / args.seconds:.0f}   p50 {p50:.1f} ms   p99 {p99:.1f} ms"
    )
    per = server_cpu / max(1, out["requests"]) * 1000
    print(f"  hub CPU {per:.1f} ms per request (load average {os.getloadavg()[0]:.1f})")
    print(
        f"  errors {out['errors']}" + (f" (first: {out['first_error']})" if out["errors"] else "")
    )
    print(f"push of a {mb} MB version: {mb / pushed:.0f} MB/s; cp: {mb / copied:.0f} MB/s")
    print(f"  push throughput = {copied / pushed:.2f}x cp (baseline measured in this run)")
    if out["errors"]:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
