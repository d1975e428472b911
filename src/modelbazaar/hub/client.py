"""The one small HTTP client every hub command uses (httpx).

Errors come back as `RemoteError` (a BazaarError: the CLI prints one line and exits 2) carrying
the hub's own message; 401 adds how to log in. Uploads stream from files with their length;
downloads stream into a temp file while hashing and are kept only if the bytes hash to the name
asked for.

Example::

    hub = HubClient("http://127.0.0.1:8000", token)
    hub.json("GET", "/models/tiny")["refs"]["main"]
    hub.download("tiny", "8f43…", store.objects.incoming)   # -> Path of a verified temp file
"""

from __future__ import annotations

import functools
import hashlib
import ssl
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from modelbazaar.errors import BazaarError
from modelbazaar.store.objects import temp_path

API = "/api/v1"
TIMEOUT = httpx.Timeout(120.0, connect=10.0)


@functools.cache
def _tls() -> ssl.SSLContext:
    """One TLS context per process (loading the CA bundle costs ~0.1 s per client)."""
    import certifi  # httpx's own trust store

    return ssl.create_default_context(cafile=certifi.where())


class RemoteError(BazaarError):
    """The hub refused a request (or could not be reached)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class HubClient:
    def __init__(self, base_url: str, token: str | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        headers["User-Agent"] = "bazaar-cli"
        tls: ssl.SSLContext | bool = _tls() if self.base_url.startswith("https") else False
        self.http = httpx.Client(
            base_url=self.base_url + API, headers=headers, timeout=TIMEOUT, verify=tls
        )

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> HubClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self.http.request(method, path, **kwargs)
        except httpx.TransportError as exc:
            raise RemoteError(
                0,
                f"cannot reach the hub at {self.base_url} ({type(exc).__name__}: {exc}); is "
                "`bazaar hub serve` running there?",
            ) from None
        self.check(response)
        return response

    def check(self, response: httpx.Response) -> None:
        if response.status_code < 400:
            return
        try:
            detail = str(response.json().get("detail", response.text))
        except ValueError:
            detail = response.text[:500] or response.reason_phrase
        if response.status_code == 401:
            detail += f" — run `bazaar login {self.base_url}`"
        raise RemoteError(response.status_code, f"hub says ({response.status_code}): {detail}")

    def json(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.request(method, path, **kwargs)
        return response.json() if response.status_code != 204 and response.content else None

    def send_file(
        self, method: str, path: str, source: Path, progress: Callable[[int], None] | None = None
    ) -> Any:
        """Send a file as the raw body, streamed with its Content-Length."""
        size = source.stat().st_size

        def chunks() -> Any:
            with open(source, "rb") as handle:
                while chunk := handle.read(1 << 20):
                    if progress:
                        progress(len(chunk))
                    yield chunk

        headers = {"Content-Length": str(size), "Content-Type": "application/octet-stream"}
        return self.json(method, path, content=chunks(), headers=headers)

    def upload(self, path: str, source: Path, progress: Callable[[int], None] | None = None) -> Any:
        return self.send_file("PUT", path, source, progress)

    def download(
        self,
        model: str,
        digest: str,
        folder: Path,
        progress: Callable[[int], None] | None = None,
    ) -> Path:
        """Stream object `digest` of `model` into a temp file in `folder`, verified."""
        target = temp_path(folder, "download")
        hasher = hashlib.sha256()
        try:
            with self.http.stream("GET", f"/models/{model}/objects/{digest}") as response:
                if response.status_code >= 400:
                    response.read()
                    self.check(response)
                with open(target, "wb") as handle:
                    for chunk in response.iter_bytes(1 << 20):
                        hasher.update(chunk)
                        handle.write(chunk)
                        if progress:
                            progress(len(chunk))
        except httpx.TransportError as exc:
            target.unlink(missing_ok=True)
            raise RemoteError(
                0, f"download of {digest[:12]} broke off ({exc}); run again"
            ) from None
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        if hasher.hexdigest() != digest:
            target.unlink(missing_ok=True)
            raise RemoteError(
                0, f"object {digest[:12]} arrived corrupt (its bytes hash differently); run again"
            )
        return target
