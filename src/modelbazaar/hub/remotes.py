"""Where the CLI keeps hub logins and a model folder's remotes.

Logins: ``$XDG_CONFIG_HOME/modelbazaar/hub.json`` (else ``~/.config/modelbazaar/hub.json``),
mode 0600, one token per hub URL; ``BAZAAR_TOKEN`` overrides it. Remotes, like git's: a
model folder's ``.bazaar/remotes.json`` maps a name (``origin``) to ``URL/models/NAME`` and
remembers the source tree last pulled (so `pull` can tell a file you edited from one the hub
changed).

Example: parse_model_url("http://127.0.0.1:8000/models/tiny") -> ("http://127.0.0.1:8000", "tiny")
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from modelbazaar.errors import BazaarError
from modelbazaar.store import store_root
from modelbazaar.store.objects import atomic_write

MODEL_URL = re.compile(r"^(https?://[^/?#\s]+(?:/[^?#\s]*?)?)/models/([a-z0-9][a-z0-9_-]{0,38})/?$")
BASE_URL = re.compile(r"^https?://[^/?#\s]+(/[^?#\s]*)?$")


def parse_model_url(url: str) -> tuple[str, str]:
    """(hub base URL, model name) of ``http(s)://HOST[:PORT][/PATH]/models/NAME``."""
    match = MODEL_URL.match(url.strip())
    if not match:
        raise BazaarError(
            f"{url!r} is not a model URL; write it as http://HOST:PORT/models/NAME "
            "(NAME: a-z, 0-9, _ and -)"
        )
    return match[1].rstrip("/"), match[2]


def base_url(url: str) -> str:
    url = url.strip().rstrip("/")
    if not BASE_URL.match(url):
        raise BazaarError(f"{url!r} is not a hub URL; write it as http://HOST:PORT")
    return url.split("/models/")[0]


def config_path() -> Path:
    root = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(root) / "modelbazaar" / "hub.json"


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return {}
    except (ValueError, OSError) as exc:
        raise BazaarError(f"{path} is not readable JSON ({exc}); fix or delete it") from None
    return data if isinstance(data, dict) else {}


def save_token(url: str, token: str) -> Path:
    path = config_path()
    data = _read(path)
    data.setdefault("tokens", {})[base_url(url)] = token
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    atomic_write(path, (json.dumps(data, indent=2) + "\n").encode(), 0o600)
    return path


def token_for(url: str) -> str | None:
    """``BAZAAR_TOKEN`` if set, else the token saved by `bazaar login` for this hub."""
    env = os.environ.get("BAZAAR_TOKEN")
    if env:
        return env.strip()
    return _read(config_path()).get("tokens", {}).get(base_url(url))


def _remotes_path(model_dir: Path) -> Path:
    return store_root(Path(model_dir)) / "remotes.json"


def remotes(model_dir: Path) -> dict[str, dict[str, Any]]:
    return _read(_remotes_path(model_dir))


def set_remote(model_dir: Path, name: str, url: str, **extra: Any) -> None:
    parse_model_url(url)
    if not re.match(r"^[A-Za-z0-9_.-]{1,40}$", name):
        raise BazaarError(f"remote name {name!r}: use letters, digits, . _ - (like origin)")
    data = remotes(model_dir)
    entry = data.get(name, {})
    entry.update({"url": url, **extra})
    data[name] = entry
    path = _remotes_path(model_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, (json.dumps(data, indent=2) + "\n").encode(), 0o644)


def remote_url(model_dir: Path, name: str) -> str:
    """The URL of remote `name`, or a URL given directly in its place."""
    if name.startswith(("http://", "https://")):
        return name
    found = remotes(model_dir).get(name)
    if not found:
        raise BazaarError(
            f"no remote {name!r} in {model_dir}; add one with "
            f"`bazaar remote add {name} http://HOST:PORT/models/NAME`"
        )
    return str(found["url"])
