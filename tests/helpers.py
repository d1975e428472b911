"""Small helpers shared by tests (not fixtures)."""

import hashlib
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path


def edit_recipe(model_dir: Path, **replacements: str) -> None:
    """Replace `key = value` lines in bazaar.toml, e.g. edit_recipe(d, max_steps="120")."""
    path = model_dir / "bazaar.toml"
    text = path.read_text()
    for key, value in replacements.items():
        text, count = re.subn(rf"(?m)^{key} = .*$", f"{key} = {value}", text)
        assert count == 1, f"{key} not found exactly once in the recipe"
    path.write_text(text)


def tree_digest(root: Path) -> dict[str, str]:
    """sha256 of every file under `root` (to prove a refused operation changed nothing)."""
    if not root.exists():
        return {}
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def bazaar_exit_code(args: list[str]) -> int:
    """Run `bazaar ARGS` in-process through the real entry point, `cli.main.main`, and return
    its exit code (CliRunner bypasses main, where BazaarError and crashes get their codes).
    Read what it printed with pytest's capsys."""
    from modelbazaar.cli.main import main

    saved, sys.argv = sys.argv, ["bazaar", *args]
    try:
        main()
    except SystemExit as exc:
        return int(exc.code or 0)
    finally:
        sys.argv = saved
    return 0


def wait_until(
    ready: Callable[[], bool], what: str, give_up_after: float, every: float = 0.1
) -> None:
    """Poll `ready` until it holds. `give_up_after` (seconds) only keeps a hung component from
    hanging the suite: it is a timeout that raises TimeoutError naming `what`, never a check
    on how fast anything is (timings belong in bench/)."""
    deadline = time.monotonic() + give_up_after
    while not ready():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} (gave up after {give_up_after:.0f} s)")
        time.sleep(every)
