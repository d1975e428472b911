"""The FastAPI app of `bazaar serve`, and running it with uvicorn.

`create_app` takes a loaded version and everything optional as arguments (keys, guard, limits),
so tests build the same app the CLI does, with their own guard if they need one. The scheduler
thread starts with the app and stops after uvicorn has drained: on Ctrl-C (SIGINT) or SIGTERM
uvicorn stops accepting connections, lets open streams finish (up to `drain_timeout` seconds),
and only then runs the shutdown below, which finishes whatever is still queued.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from types import FrameType

import uvicorn
from fastapi import FastAPI

from modelbazaar.model import LoadedModel, pad_id_of
from modelbazaar.serve import apierrors
from modelbazaar.serve.engine import EngineProcess
from modelbazaar.serve.guarding import GuardLike, GuardRunner
from modelbazaar.serve.keys import KeyLookup
from modelbazaar.serve.limits import Authenticate, LimitBody, StreamSlots
from modelbazaar.serve.routes import router
from modelbazaar.serve.scheduler import Scheduler
from modelbazaar.serve.served import Engine, Limits, Served

log = logging.getLogger("modelbazaar.serve")


def eos_ids(loaded: LoadedModel) -> set[int]:
    """Tokens that end an answer: the tokenizer's end token and the model's generation config's
    (an instruct model's end-of-turn, e.g. SmolLM2's <|im_end|>)."""
    found = {loaded.tokenizer.eos_token_id}
    configured = getattr(loaded.model.generation_config, "eos_token_id", None)
    if configured is not None:
        found |= set(configured if isinstance(configured, list) else [configured])
    return {int(i) for i in found if i is not None}


def engine_for(loaded: LoadedModel, limits: Limits, engine: str, threads: int) -> Engine:
    """The scheduler for `loaded`: in this process ("thread") or a child ("process")."""
    tokenizer, config = loaded.tokenizer, loaded.model.config
    pad = pad_id_of(tokenizer)
    settings = {
        "eos_ids": sorted(eos_ids(loaded)),
        "pad_id": int(pad),
        "max_batch": limits.max_batch,
        "cache_bytes": limits.kv_cache_bytes,
    }
    context = int(config.max_position_embeddings)
    if engine == "process":
        return EngineProcess(loaded.model, context=context, threads=threads, **settings)
    settings["eos_ids"] = set(settings["eos_ids"])
    return Scheduler(loaded.model, context=context, **settings)  # type: ignore[arg-type]


def create_app(
    loaded: LoadedModel,
    *,
    name: str,
    limits: Limits | None = None,
    keys: KeyLookup | None = None,
    guard: GuardLike | None = None,
    engine: str = "thread",
    threads: int = 1,
) -> FastAPI:
    """The app serving `loaded` as model `name`. `keys=None`: no authentication;
    `guard=None`: no guard and no /v1/moderations; `engine`: "thread" runs the scheduler in
    this process (tests), "process" in a child process with `threads` torch threads (the CLI)."""
    limits = limits or Limits()
    served = Served(
        name=name,
        loaded=loaded,
        scheduler=engine_for(loaded, limits, engine, threads),
        limits=limits,
        # without keys every caller is "anonymous": only the server-wide limit applies
        slots=StreamSlots(
            limits.max_streams_per_key if keys is not None else limits.max_concurrent,
            limits.max_concurrent,
        ),
        guard=GuardRunner(guard) if guard is not None else None,
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        served.scheduler.start()
        yield
        served.scheduler.stop()

    app = FastAPI(
        title="bazaar serve",
        description="An OpenAI-compatible API for one modelbazaar version.",
        lifespan=lifespan,
    )
    app.state.served = served
    apierrors.install(app)
    app.include_router(router)
    app.add_middleware(LimitBody, limit=limits.max_body_bytes)  # type: ignore[arg-type]
    app.add_middleware(Authenticate, keys=keys)  # type: ignore[arg-type]  # outermost: first
    return app


class _Server(uvicorn.Server):
    """uvicorn's server, remembering whether a signal (Ctrl-C, SIGTERM) stopped it."""

    signalled = False

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self.signalled = True
        super().handle_exit(sig, frame)


def run(app: FastAPI, host: str, port: int, drain_timeout: float) -> None:
    """Serve until Ctrl-C, then drain open streams (uvicorn's graceful shutdown) and raise
    KeyboardInterrupt, so the command exits 130 like every interrupted bazaar command (uvicorn
    re-raises the signal itself, but whether that surfaces depends on timing)."""
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        timeout_graceful_shutdown=drain_timeout,
        log_level="info",
        access_log=False,  # per-request lines would cost more than the requests at load
    )
    server = _Server(config)
    engine = app.state.served.scheduler
    if isinstance(engine, EngineProcess):  # a dead engine stops the server: no zombie 503s
        engine.on_death = lambda: setattr(server, "should_exit", True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    if server.signalled:
        raise KeyboardInterrupt
    if isinstance(engine, EngineProcess) and engine.dead:
        raise RuntimeError("the engine process died (the log above says how); server stopped")
