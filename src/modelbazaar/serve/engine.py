"""The scheduler in a process of its own (the default of `bazaar serve`).

In one process, the scheduler thread and the HTTP event loop share Python's global interpreter
lock: a small model's forward pass is mostly Python, so while it runs, streams wait to be sent,
and on a busy machine a thread preempted while holding the lock stalls both. Here the model runs
in a child process (as vLLM's engine core does), the HTTP process keeps the event loop, and the
two exchange small JSON messages over pipes — no pickle crosses them:

    parent -> child   {"op": "submit", "id", "prompt", "sampling"} | {"op": "cancel", "id"}
                      | {"op": "stop"}
    child -> parent   {"ready": true} once, then after every step {"events": [[id, token,
                      finish], ...], "stats": {...}, "running": n, "queued": n}; {"stopped": true}

The weights are not copied: they are moved to shared memory and the child maps them
(torch.multiprocessing). If the child dies, every open sequence ends with finish reason "error",
new requests get a 503, and `bazaar serve` stops (exit code 70) so a supervisor can restart it.
"""

from __future__ import annotations

import json
import logging
import signal
import threading
from collections.abc import Callable
from dataclasses import asdict
from multiprocessing.connection import Connection
from typing import Any

import torch
import torch.multiprocessing as mp
from transformers import PreTrainedModel

from modelbazaar.serve.sampling import Sampling
from modelbazaar.serve.scheduler import Event, Scheduler, Sequence, Stats

log = logging.getLogger("modelbazaar.serve")
START_TIMEOUT = 300.0  # seconds for the child to import torch and map the weights


class EngineProcess:
    """A `Scheduler` look-alike (start, submit, cancel, stop, stats) whose work runs in a child
    process."""

    def __init__(self, model: PreTrainedModel, *, context: int, threads: int, **settings: Any):
        self.context = context
        self.stats = Stats()
        self.running = self.queued = 0
        self._sequences: dict[int, Sequence] = {}
        self._send_lock = threading.Lock()
        self._dead = False
        self.on_death: Callable[[], None] | None = None  # `bazaar serve` stops the server
        spawn = mp.get_context("spawn")  # fork is unsafe once torch's thread pools exist
        child_commands, self._commands = spawn.Pipe(duplex=False)
        self._events, child_events = spawn.Pipe(duplex=False)
        settings = {**settings, "context": context, "threads": threads}
        self._process = spawn.Process(
            target=engine_main,
            args=(model, settings, child_commands, child_events),
            name="bazaar-engine",
            daemon=True,
        )
        self._reader = threading.Thread(target=self._read, name="bazaar-engine-reader", daemon=True)

    @property
    def dead(self) -> bool:
        return self._dead

    @property
    def pid(self) -> int | None:
        return self._process.pid

    def start(self) -> None:
        self._process.start()
        if not self._events.poll(START_TIMEOUT) or not json.loads(self._events.recv_bytes()).get(
            "ready"
        ):
            self._process.kill()
            raise RuntimeError("the engine process did not start")
        self._reader.start()

    def submit(self, sequence: Sequence) -> None:
        if self._dead:
            raise RuntimeError("the engine process is gone")
        self._sequences[sequence.ident] = sequence
        sampling = asdict(sequence.sampling)
        self._send(
            {"op": "submit", "id": sequence.ident, "prompt": sequence.prompt, "sampling": sampling}
        )

    def cancel(self, sequence: Sequence) -> None:
        sequence.cancelled = True
        if sequence.ident in self._sequences and not self._dead:
            self._send({"op": "cancel", "id": sequence.ident})

    def stop(self, timeout: float = 30.0) -> None:
        if not self._dead:
            self._send({"op": "stop"})
        self._reader.join(timeout)
        self._process.join(timeout)
        if self._process.is_alive():
            self._process.kill()

    def _send(self, message: dict[str, Any]) -> None:
        with self._send_lock:
            try:
                self._commands.send_bytes(json.dumps(message).encode())
            except OSError as exc:  # the child is gone
                raise RuntimeError("the engine process is gone") from exc

    def _read(self) -> None:
        """Hand each step's events to their sequences (this thread only waits on the pipe)."""
        while True:
            try:
                message = json.loads(self._events.recv_bytes())
            except (EOFError, OSError):
                break
            if message.get("stopped"):
                return
            for ident, token, finish in message["events"]:
                sequence = self._sequences.get(ident)
                if sequence is None:
                    continue
                if token is not None:
                    sequence.generated.append(token)
                if finish is not None:
                    del self._sequences[ident]
                sequence.sink(Event(token, finish))
            self.stats = Stats(**message["stats"])
            self.running, self.queued = message["running"], message["queued"]
        self._dead = True  # the child died: end every open sequence
        log.error("the engine process died (exit code %s)", self._process.exitcode)
        for sequence in list(self._sequences.values()):
            sequence.sink(Event(None, "error"))
        self._sequences.clear()
        if self.on_death is not None:
            self.on_death()


def engine_main(
    model: PreTrainedModel, settings: dict[str, Any], commands: Connection, events: Connection
) -> None:
    """The child: a Scheduler fed from `commands`, its events batched per step into `events`.

    Ctrl-C in a terminal signals the whole process group: the child ignores SIGINT and SIGTERM
    and stops when the parent, after draining its streams, says so (or its pipe closes)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    torch.set_num_threads(settings.pop("threads"))
    outbox: list[list[Any]] = []
    sequences: dict[int, Sequence] = {}

    def flush() -> None:  # on the scheduler thread, after every step
        if outbox:
            message = {
                "events": outbox,
                "stats": asdict(scheduler.stats),
                "running": scheduler.running,
                "queued": scheduler.queued,
            }
            events.send_bytes(json.dumps(message).encode())
            outbox.clear()

    def sink_for(ident: int):  # noqa: ANN202
        def sink(event: Event) -> None:
            outbox.append([ident, event.token, event.finish_reason])
            if event.finish_reason is not None:
                sequences.pop(ident, None)

        return sink

    scheduler = Scheduler(model, eos_ids=set(settings.pop("eos_ids")), on_step=flush, **settings)
    scheduler.start()
    events.send_bytes(b'{"ready": true}')
    while True:
        try:
            message = json.loads(commands.recv_bytes())
        except (EOFError, OSError):  # the parent died
            message = {"op": "stop"}
        if message["op"] == "submit":
            sampling = Sampling(**message["sampling"])
            sequence = Sequence(message["prompt"], sampling, sink_for(message["id"]))
            sequences[message["id"]] = sequence
            scheduler.submit(sequence)
        elif message["op"] == "cancel" and (sequence := sequences.get(message["id"])):
            scheduler.cancel(sequence)
        elif message["op"] == "stop":
            scheduler.stop()
            flush()
            events.send_bytes(b'{"stopped": true}')
            return
