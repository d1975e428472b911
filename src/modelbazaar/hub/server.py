"""Run the hub: `serve(config, host, port)` opens (and migrates) the database, then runs the
FastAPI app under uvicorn. A database written by a newer modelbazaar is refused before the
port is opened."""

from __future__ import annotations

import uvicorn

from modelbazaar.hub.app import create_app
from modelbazaar.hub.db import HubConfig, HubDB


def serve(
    config: HubConfig, host: str = "127.0.0.1", port: int = 8000, log_level: str = "info"
) -> None:
    db = HubDB.open(config)
    uvicorn.run(
        create_app(db),
        host=host,
        port=port,
        log_level=log_level,
        timeout_keep_alive=30,
        limit_concurrency=256,  # beyond this, 503 rather than unbounded threads and sockets
    )
