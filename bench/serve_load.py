"""Load on `bazaar serve`: concurrent streaming clients on loopback against a built model, and the
same tokens generated one request at a time with transformers' `generate`, in one run.

1. Builds a template in a temp dir (or uses --model DIR --ref REF). `--max-steps` shortens the
   build: speed does not depend on how well the model is trained.
2. Starts `bazaar serve` as its own process and runs `--clients` streaming clients (HTTP, SSE)
   for `--duration` seconds, each sending a completion request as soon as its last one ended.
3. Stops the server with SIGINT (Ctrl-C: it drains) and checks it exits.
4. Baseline: requests the clients made (prompt, seed, number of tokens the server produced),
   replayed one after another with `model.generate` (same sampling, exactly as many new
   tokens), for `--baseline-seconds` at most; its tokens/s is the sequential rate.

Prints errors, time to first token p50/p99, total tokens/s, the mean batch size the scheduler
ran, the sequential tokens/s and their ratio (goal >= 4x).

    python bench/serve_load.py [--template quick] [--clients 32] [--duration 60]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx2 as httpx

from modelbazaar import templates

PROMPTS = [
    "ROMEO:",
    "JULIET:\nO Romeo, Romeo,",
    "First Citizen:\nBefore we proceed",
    "KING RICHARD III:\nNow is the winter",
    "HAMLET:\nTo be, or not",
    "MENENIUS:\nI tell you, friends,",
    "LADY MACBETH:\n",
    "PROSPERO:\nOur revels now are",
]


@dataclass
class Result:
    prompt: str
    seed: int
    ttft: float
    tokens: int
    error: str | None = None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def build_model(template: str, max_steps: int | None) -> Path:
    model_dir = templates.create(Path(tempfile.mkdtemp(prefix="serve-bench-")) / "model", template)
    if max_steps is not None:
        recipe = model_dir / "bazaar.toml"
        lines = recipe.read_text().splitlines()
        lines = [f"max_steps = {max_steps}" if ln.startswith("max_steps") else ln for ln in lines]
        recipe.write_text("\n".join(lines) + "\n")
    # `bazaar build` itself: it sets the portable-numerics caps before torch starts
    subprocess.run([sys.executable, "-m", "modelbazaar", "build", "-C", str(model_dir)], check=True)
    return model_dir


def start_server(
    model_dir: Path, ref: str, port: int, args: argparse.Namespace
) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "modelbazaar", "serve", ref, "-C", str(model_dir),
        "--port", str(port), "--name", "bench", "--max-streams-per-key", str(args.clients),
        "--max-batch", str(args.max_batch), "--threads", str(args.threads),
        "--engine", args.engine,
    ]  # fmt: skip
    server = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.2)
        if server.poll() is not None:
            raise SystemExit(
                f"bazaar serve exited: {server.stderr.read() if server.stderr else ''}"
            )
    raise SystemExit("bazaar serve did not start within 300 s")


async def one_request(
    client: httpx.AsyncClient, url: str, prompt: str, seed: int, max_tokens: int
) -> Result:
    body = {
        "model": "bench", "prompt": prompt, "max_tokens": max_tokens, "temperature": 1.0,
        "seed": seed, "stream": True, "stream_options": {"include_usage": True},
    }  # fmt: skip
    start = time.perf_counter()
    ttft, tokens = None, 0
    try:
        async with client.stream("POST", url, json=body) as response:
            if response.status_code != 200:
                return Result(prompt, seed, 0.0, 0, f"HTTP {response.status_code}")
            async for line in response.aiter_lines():
                if not line.startswith("data: ") or line == "data: [DONE]":
                    continue
                event = json.loads(line[6:])
                if ttft is None and event["choices"] and event["choices"][0]["text"]:
                    ttft = time.perf_counter() - start
                if event.get("usage"):
                    tokens = event["usage"]["completion_tokens"]
    except httpx.HTTPError as exc:
        return Result(prompt, seed, 0.0, 0, repr(exc))
    return Result(prompt, seed, ttft if ttft is not None else time.perf_counter() - start, tokens)


async def load(
    port: int, clients: int, duration: float, max_tokens: int
) -> tuple[list[Result], float]:
    url = f"http://127.0.0.1:{port}/v1/completions"
    results: list[Result] = []
    stop_at = time.perf_counter() + duration
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def client_loop(index: int, client: httpx.AsyncClient) -> None:
        rng = random.Random(index)
        while time.perf_counter() < stop_at:
            prompt, seed = rng.choice(PROMPTS), rng.randrange(1 << 30)
            results.append(await one_request(client, url, prompt, seed, max_tokens))

    async with httpx.AsyncClient(timeout=120, limits=limits) as client:
        started = time.perf_counter()
        await asyncio.gather(*(client_loop(i, client) for i in range(clients)))
        elapsed = time.perf_counter() - started
    return results, elapsed


def cpu_seconds(pid: int) -> float:
    """User + system CPU time so far of a process and its children, e.g. the engine (/proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return own + sum(cpu_seconds(int(child)) for child in children)


def scheduler_metrics(port: int) -> dict[str, float]:
    text = httpx.get(f"http://127.0.0.1:{port}/metrics").text
    return {line.split()[0]: float(line.split()[1]) for line in text.splitlines() if line}


def sequential(
    model_dir: Path, ref: str, results: list[Result], budget: float, threads: int
) -> tuple[int, float, int]:
    """(tokens, seconds, requests) of replaying `results` one by one with transformers' generate."""
    import torch

    from modelbazaar.model import load_version
    from modelbazaar.store import Store

    torch.set_num_threads(threads)
    loaded = load_version(Store.for_model(model_dir), ref)
    tokenizer, model = loaded.tokenizer, loaded.model
    tokens, spent, cpu, count = 0, 0.0, 0.0, 0
    for result in results:
        if spent >= budget:
            break
        if result.tokens == 0:
            continue
        ids = tokenizer(result.prompt, return_tensors="pt", add_special_tokens=False).input_ids
        torch.manual_seed(result.seed)
        start, cpu_start = time.perf_counter(), time.process_time()
        with torch.inference_mode():
            model.generate(
                ids, attention_mask=torch.ones_like(ids), do_sample=True, temperature=1.0,
                top_p=1.0, top_k=None, max_new_tokens=result.tokens, min_new_tokens=result.tokens,
                pad_token_id=tokenizer.pad_token_id, eos_token_id=tokenizer.eos_token_id,
            )  # fmt: skip
        spent += time.perf_counter() - start
        cpu += time.process_time() - cpu_start
        tokens += result.tokens
        count += 1
    return tokens, spent, cpu, count


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--template", default="quick")
    parser.add_argument("--max-steps", type=int, default=20, help="shorten the build (0: as is)")
    parser.add_argument("--model", type=Path, help="an existing model folder instead")
    parser.add_argument("--ref", default="main")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--max-tokens", type=int, default=64)
    parser.add_argument("--max-batch", type=int, default=32)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--engine", default="process", choices=["process", "thread"])
    parser.add_argument("--baseline-seconds", type=float, default=60.0)
    args = parser.parse_args()

    model_dir = args.model or build_model(args.template, args.max_steps or None)
    port = free_port()
    server = start_server(model_dir, args.ref, port, args)
    try:
        asyncio.run(load(port, 1, 2.0, args.max_tokens))  # warm-up
        before, server_cpu, client_cpu = (
            scheduler_metrics(port),
            cpu_seconds(server.pid),
            time.process_time(),
        )
        results, elapsed = asyncio.run(load(port, args.clients, args.duration, args.max_tokens))
        after = scheduler_metrics(port)
        server_cpu = cpu_seconds(server.pid) - server_cpu
        client_cpu = time.process_time() - client_cpu
    finally:
        server.send_signal(signal.SIGINT)
        code = server.wait(timeout=120)
    errors = [r for r in results if r.error]
    done = [r for r in results if not r.error]
    served_tokens = sum(r.tokens for r in done)
    ttfts = [r.ttft for r in done]
    steps = after["bazaar_decode_steps_total"] - before["bazaar_decode_steps_total"]
    rows = after["bazaar_decoded_rows_total"] - before["bazaar_decoded_rows_total"]
    tokens, spent, cpu, count = sequential(
        model_dir, args.ref, done, args.baseline_seconds, args.threads
    )
    rate, baseline = served_tokens / elapsed, tokens / spent
    print(
        f"\nbazaar serve under load ({os.cpu_count()} CPUs, engine {args.engine}, "
        f"{args.threads} torch thread(s))"
    )
    print(f"  clients {args.clients} streaming, {elapsed:.1f} s, max_tokens {args.max_tokens}")
    print(f"  requests {len(results)}, errors {len(errors)}; server exit code after SIGINT {code}")
    if errors:
        print(f"  first error: {errors[0].error}")
    p50, p99 = percentile(ttfts, 0.5) * 1000, percentile(ttfts, 0.99) * 1000
    print(f"  time to first token: p50 {p50:.0f} ms, p99 {p99:.0f} ms")
    batch = rows / max(steps, 1)
    print(f"  total: {rate:,.0f} tokens/s ({served_tokens:,} tokens), {batch:.1f} rows per step")
    print(f"  sequential generate ({count} of those requests): {baseline:,.0f} tokens/s")
    print(f"  ratio: {rate / baseline:.1f}x (goal >= 4x)")
    per_cpu, baseline_per_cpu = served_tokens / server_cpu, tokens / cpu
    print(
        f"  per CPU-second (robust to other load on the machine): server {per_cpu:,.0f} tokens "
        f"({server_cpu:.0f} CPU s; the clients used {client_cpu:.0f}), sequential "
        f"{baseline_per_cpu:,.0f}: {per_cpu / baseline_per_cpu:.1f}x"
    )
    print(f"  load average while measuring: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
