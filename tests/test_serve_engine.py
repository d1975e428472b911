"""The default engine of `bazaar serve`: the scheduler in a child process, fed over pipes.

One server for the whole module (starting the child imports torch, a few seconds): answers equal
`bazaar generate`'s for the same seed, concurrent requests are batched in the child, and a child
that dies ends open requests and turns new ones into 503s instead of hanging.
"""

from __future__ import annotations

import concurrent.futures
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import openai
import pytest

from modelbazaar.generate import generate_text
from modelbazaar.model import LoadedModel, load_version
from modelbazaar.serve.app import create_app
from modelbazaar.store import Store
from tests.helpers import wait_until
from tests.serving import running


@pytest.fixture(scope="module")
def loaded(tiny_built: tuple[Path, Store]) -> LoadedModel:
    return load_version(tiny_built[1], "main")


@pytest.fixture(scope="module")
def served(loaded: LoadedModel) -> Iterator[tuple[openai.OpenAI, object]]:
    app = create_app(loaded, name="tiny", engine="process")
    with running(app) as (url, _):
        yield openai.OpenAI(base_url=url, api_key="unused", max_retries=0), app


def test_process_engine_answers_and_batches(
    served: tuple[openai.OpenAI, object], loaded: LoadedModel
) -> None:
    client, app = served
    expected = generate_text(
        loaded, "ROMEO:", max_new_tokens=20, temperature=1.0, top_p=1.0, seed=4
    )
    answer = client.completions.create(
        model="tiny", prompt="ROMEO:", max_tokens=20, temperature=1.0, seed=4
    )
    assert answer.choices[0].text == expected
    stream = client.completions.create(
        model="tiny", prompt="ROMEO:", max_tokens=20, temperature=1.0, seed=4, stream=True
    )
    assert "".join(c.choices[0].text for c in stream) == expected

    def ask(seed: int) -> str:
        return (
            client.completions.create(
                model="tiny", prompt="O", max_tokens=30, temperature=1.0, seed=seed
            )
            .choices[0]
            .text
        )

    alone = [ask(seed) for seed in range(6)]
    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        assert list(pool.map(ask, range(6))) == alone
    stats = app.state.served.scheduler.stats  # type: ignore[attr-defined]
    assert stats.rows_decoded > stats.steps  # some steps ran several rows


def test_a_dead_engine_gives_503_not_a_hang(served: tuple[openai.OpenAI, object]) -> None:
    client, app = served
    engine = app.state.served.scheduler  # type: ignore[attr-defined]
    os.kill(engine.pid, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while not engine.dead and time.monotonic() < deadline:  # the reader notices
        time.sleep(0.05)
    with pytest.raises(openai.InternalServerError, match="engine process is gone"):
        client.completions.create(model="tiny", prompt="O", max_tokens=5)


@pytest.mark.slow
def test_ctrl_c_to_the_process_group_drains(tiny_built: tuple[Path, Store]) -> None:
    """A terminal's Ctrl-C signals the server and its engine child alike: the child ignores it,
    the open stream still ends with [DONE], and `bazaar serve` exits 130 without a traceback."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "modelbazaar", "serve", "main", "-C", str(tiny_built[0])]
        + ["--port", str(port)],
        start_new_session=True,  # its own process group, as a terminal job has
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    url = f"http://127.0.0.1:{port}"

    def up() -> bool:
        assert server.poll() is None, "serve exited before it answered"
        return _healthy(url)

    wait_until(up, "serve did not start", give_up_after=300, every=0.2)
    body = {"model": "main", "prompt": "ROMEO:", "max_tokens": 50, "stream": True, "seed": 1}
    with httpx.Client(timeout=60) as client:
        with client.stream("POST", f"{url}/v1/completions", json=body) as response:
            lines = (line for line in response.iter_lines() if line.startswith("data: "))
            next(lines)
            os.killpg(server.pid, signal.SIGINT)
            rest = list(lines)
    _, errors = server.communicate(timeout=60)
    assert rest[-1] == "data: [DONE]"
    assert server.returncode == 130
    assert "Traceback" not in errors


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/health", timeout=1).status_code == 200
    except httpx.TransportError:
        return False
