"""Open streams: Ctrl-C lets them finish before the server exits; the per-key stream limit holds
while they are open and frees as soon as a client leaves.

The model is the built tiny one behind a gate: a forward pre-hook lets a forward pass run only
when the test allows one, so a stream is still open, deterministically, when the test acts (the
tiny model otherwise answers in a few milliseconds).
"""

from __future__ import annotations

import json
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest

from modelbazaar.model import LoadedModel, load_version
from modelbazaar.serve.app import create_app
from modelbazaar.serve.keys import KeyRing, add_key
from modelbazaar.serve.served import Limits
from modelbazaar.store import Store
from tests.helpers import wait_until
from tests.serving import running

BODY = {"model": "tiny", "prompt": "ROMEO:", "max_tokens": 40, "stream": True, "seed": 1}


class Gate:
    """Forward passes wait for a permit; `allow(n)` hands out n."""

    def __init__(self) -> None:
        self.permits = threading.Semaphore(0)

    def allow(self, passes: int) -> None:
        for _ in range(passes):
            self.permits.release()

    def __call__(self, *_: object) -> None:
        assert self.permits.acquire(timeout=30), "the test never allowed this forward pass"


@pytest.fixture(scope="module")
def model(tiny_built: tuple[Path, Store]) -> LoadedModel:
    return load_version(tiny_built[1], "main")


@pytest.fixture
def gate(model: LoadedModel) -> Iterator[Gate]:
    gate = Gate()
    handle = model.model.register_forward_pre_hook(gate)
    yield gate
    handle.remove()
    gate.allow(1000)  # nothing stays blocked


def events(lines: Iterator[str]) -> Iterator[dict | str]:
    for line in lines:
        if line.startswith("data: "):
            data = line[len("data: ") :]
            yield data if data == "[DONE]" else json.loads(data)


def test_ctrl_c_drains_open_streams(model: LoadedModel, gate: Gate) -> None:
    app = create_app(model, name="tiny")
    with running(app) as (url, server), httpx.Client(timeout=30) as client:
        with client.stream("POST", f"{url}/completions", json=BODY) as response:
            # the headers are in: the request is in flight, its prefill waiting at the gate
            server.handle_exit(signal.SIGINT, None)  # what uvicorn's Ctrl-C handler does
            time.sleep(0.5)
            with pytest.raises(httpx.ConnectError):  # no new connections while draining
                httpx.get(url.replace("/v1", "/health"), timeout=2)
            gate.allow(100)
            received = list(events(response.iter_lines()))
        assert received[-1] == "[DONE]"
        chunks = received[:-1]
        assert chunks[-1]["choices"][0]["finish_reason"] == "length"  # type: ignore[index]
        text = "".join(c["choices"][0]["text"] for c in chunks)  # type: ignore[index]
        assert len(text) > 0
        assert app.state.served.scheduler.stats.tokens == 40  # every token was generated


def test_streams_per_key_limit(model: LoadedModel, gate: Gate, tmp_path: Path) -> None:
    keys = tmp_path / "keys.txt"
    alice, bob = add_key(keys, "alice"), add_key(keys, "bob")
    limits = Limits(max_streams_per_key=1)
    app = create_app(model, name="tiny", keys=KeyRing.read(keys), limits=limits)
    with running(app) as (url, _), httpx.Client(timeout=30) as client:
        as_alice = {"Authorization": f"Bearer {alice}"}
        with client.stream("POST", f"{url}/completions", json=BODY, headers=as_alice):
            # the headers are in: alice holds her slot, her prefill waits at the gate
            second = client.post(f"{url}/completions", json=BODY, headers=as_alice)
            assert second.status_code == 429
            assert "limit per key" in second.json()["error"]["message"]
            gate.allow(1000)
            as_bob = {"Authorization": f"Bearer {bob}"}
            other = client.post(
                f"{url}/completions", json={**BODY, "stream": False}, headers=as_bob
            )
            assert other.status_code == 200  # the limit is per key
        # alice left mid-stream: her slot frees once the server notices
        answers: list[httpx.Response] = []

        def slot_free() -> bool:
            answers.append(client.post(f"{url}/completions", json=BODY, headers=as_alice))
            return answers[-1].status_code != 429

        wait_until(slot_free, "the stream slot was never released", give_up_after=10)
        assert answers[-1].status_code == 200
