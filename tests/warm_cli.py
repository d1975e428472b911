"""Run `bazaar` commands as real processes without paying Python's imports each time.

`WarmCli` starts one helper process that imports torch, transformers and modelbazaar once and
never computes anything (so no thread pool exists yet), then forks a child per command. Each
child is an ordinary process running the CLI's `main()`: tests kill it with SIGKILL at any
moment, or start two at the same instant to race them. The helper reaps the children and
reports their exit status.

Example::

    with WarmCli() as cli:
        pid = cli.start(["build"], cwd=model_dir)
        os.kill(pid, signal.SIGKILL)
        cli.wait(pid)            # -9
        cli.run(["build"], cwd=model_dir).code   # 0
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

SERVER = r"""
import importlib, json, os, sys, traceback
for name in ("torch", "transformers", "peft", "modelbazaar.cli.main",
             "modelbazaar.workflows.build", "modelbazaar.workflows.merge",
             "modelbazaar.workflows.review", "modelbazaar.workflows.contribute",
             "modelbazaar.workflows.release", "modelbazaar.review.suites"):
    try:
        importlib.import_module(name)
    except ImportError:
        pass
from modelbazaar.cli.main import main
print(json.dumps({"ready": os.getpid()}), flush=True)
for line in sys.stdin:
    request = json.loads(line)
    if "wait" in request:
        _, status = os.waitpid(request["wait"], 0)
        print(json.dumps({"code": os.waitstatus_to_exitcode(status)}), flush=True)
        continue
    pid = os.fork()
    if pid == 0:
        os.chdir(request["cwd"])
        log = os.open(request["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(log, 1)
        os.dup2(log, 2)
        sys.stdin.close()
        sys.argv = ["bazaar", *request["argv"]]
        code = 0
        try:
            main()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except BaseException:
            traceback.print_exc()
            code = 70
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    print(json.dumps({"pid": pid}), flush=True)
"""


@dataclass
class Finished:
    code: int  # exit status; -9 when killed by SIGKILL
    output: str  # stdout and stderr together
    seconds: float


class WarmCli:
    """A pre-imported `bazaar` that forks one child process per command."""

    def __init__(self, env: dict[str, str] | None = None) -> None:
        self.env = env
        self.log_dir = Path(tempfile.mkdtemp(prefix="bazaar-warm-cli-"))
        self.logs: dict[int, Path] = {}
        self.started: dict[int, float] = {}

    def __enter__(self) -> WarmCli:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", SERVER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=self.env,
        )
        self._read()  # {"ready": pid}
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=60)
        if self.proc.stdout is not None:  # else a ResourceWarning, an error under -W error
            self.proc.stdout.close()

    def _read(self) -> dict:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("the warm bazaar helper died")
        return json.loads(line)

    def _send(self, request: dict) -> dict:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        return self._read()

    def start(self, argv: list[str], cwd: Path, log: Path | None = None) -> int:
        """Fork a child running `bazaar ARGV` in `cwd`; return its pid at once."""
        log = log or self.log_dir / f"{time.monotonic_ns()}.log"
        pid = self._send({"argv": argv, "cwd": str(cwd), "log": str(log)})["pid"]
        self.logs[pid], self.started[pid] = log, time.perf_counter()
        return pid

    def wait(self, pid: int) -> Finished:
        code = self._send({"wait": pid})["code"]
        seconds = time.perf_counter() - self.started.pop(pid)
        log = self.logs.pop(pid)
        output = log.read_text(errors="replace") if log.exists() else ""
        log.unlink(missing_ok=True)
        return Finished(code, output, seconds)

    def run(self, argv: list[str], cwd: Path) -> Finished:
        return self.wait(self.start(argv, cwd))


def child_env() -> dict[str, str]:
    """This process's environment, with our sources first on the path (as pytest sees them)."""
    env = dict(os.environ)
    src = str(Path(__file__).resolve().parents[1] / "src")
    env["PYTHONPATH"] = os.pathsep.join([src, env.get("PYTHONPATH", "")])
    return env
