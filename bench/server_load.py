"""Many clients at once against one real Jupyter server: all answered, /health stays fast.

    python bench/server_load.py [--clients 50] [--kilobytes 100] [--rounds 1]

Starts ``jupyter server`` with the green_assist extension in a temporary root, then
sends ``--clients`` concurrent ``POST /green-assist/analyze`` requests of
``--kilobytes`` KB of Python each (the 500-line training script of bench/data,
repeated with its names changed, so every request is a different text), while a
second client asks ``GET /green-assist/health`` every 50 ms. Prints how many
analyses were answered and with which status, their latency (median, p95, max,
from the burst's start) and /health's latency (median, p95, max). The analyses run
in the server's worker pool (``green_assist/server/limits.py``), so the burst is
queued there, not in the event loop that answers /health.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "server-load-bench"


def payload_text(index: int, size: int) -> str:
    """``size`` bytes of valid Python, different for each request: whole copies of the
    500-line script (names changed per copy), then comment lines to make up the size."""
    base = (ROOT / "bench" / "data" / "train_500.py").read_text(encoding="utf-8")
    parts: list[str] = []
    total = 0
    while True:
        copy = base.replace("model", f"model_{index}_{len(parts)}")
        if parts:  # a future import is allowed at the top of the file only
            copy = "".join(line for line in copy.splitlines(True) if "__future__" not in line)
        if total + len(copy) > size:
            break
        parts.append(copy)
        total += len(copy)
    filler = "# padding to the request size\n"
    parts.append(filler * ((size - total) // len(filler)))
    return "".join(parts)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def quantiles(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (
        f"median {statistics.median(ordered) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms,"
        f" max {ordered[-1] * 1000:.0f} ms"
    )


async def wait_until_up(client: AsyncHTTPClient, url: str) -> None:
    deadline = time.monotonic() + 120
    while True:
        try:
            await client.fetch(url, headers={"Authorization": f"token {TOKEN}"})
            return
        except (OSError, HTTPClientError):
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.5)


async def burst(base: str, clients: int, size: int) -> None:
    client = AsyncHTTPClient(max_clients=clients + 5)
    headers = {"Authorization": f"token {TOKEN}"}
    await wait_until_up(client, f"{base}/health")
    # One warm-up request starts the worker processes (imports), as a sidebar would.
    warm = HTTPRequest(
        f"{base}/analyze",
        method="POST",
        headers=headers,
        body=json.dumps({"text": payload_text(-1, 2000)}),
        request_timeout=300,
    )
    await client.fetch(warm)
    await asyncio.sleep(3)
    bodies = [
        json.dumps({"path": f"t{i}.py", "text": payload_text(i, size)}) for i in range(clients)
    ]
    # /health is timed from a process of its own, so this one's busy client is not in it.
    context = multiprocessing.get_context("spawn")
    stop, answers = context.Event(), context.Queue()
    poller = context.Process(target=poll_health, args=(base, stop, answers))
    poller.start()
    await asyncio.sleep(2)

    async def analyze(body: str) -> tuple[int, float]:
        request = HTTPRequest(
            f"{base}/analyze", method="POST", headers=headers, body=body, request_timeout=900
        )
        try:
            response = await client.fetch(request, raise_error=False)
            code = response.code
        except OSError:
            code = 0
        return code, time.perf_counter() - started

    started = time.perf_counter()
    results = await asyncio.gather(*(analyze(body) for body in bodies))
    stop.set()
    health: list[float] = answers.get(timeout=120)
    poller.join()
    codes: dict[int, int] = {}
    for code, _ in results:
        codes[code] = codes.get(code, 0) + 1
    print(f"{clients} concurrent analyses of {size / 1000:.0f} KB each: statuses {codes}")
    print(f"  analyze latency (from the burst's start): {quantiles([t for _, t in results])}")
    print(f"  /health during the burst ({len(health)} requests): {quantiles(health)}")


def poll_health(base: str, stop: Any, answers: Any) -> None:
    """GET /health every 50 ms until ``stop`` is set; put the latencies on ``answers``."""

    async def poll() -> list[float]:
        client = AsyncHTTPClient()
        latencies = []
        while not stop.is_set():
            started = time.perf_counter()
            await client.fetch(
                f"{base}/health", headers={"Authorization": f"token {TOKEN}"}, request_timeout=60
            )
            latencies.append(time.perf_counter() - started)
            await asyncio.sleep(0.05)
        return latencies

    answers.put(asyncio.run(poll()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--kilobytes", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    port = free_port()
    with tempfile.TemporaryDirectory() as root:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jupyter_server",
                "--no-browser",
                "--allow-root",
                f"--port={port}",
                f"--IdentityProvider.token={TOKEN}",
                f"--ServerApp.root_dir={root}",
                "--ServerApp.jpserver_extensions=green_assist=True",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "JUPYTER_CONFIG_DIR": str(Path(root) / ".config")},
        )
        try:
            for _ in range(args.rounds):
                asyncio.run(
                    burst(
                        f"http://127.0.0.1:{port}/green-assist", args.clients, args.kilobytes * 1000
                    )
                )
        finally:
            server.terminate()
            server.wait(timeout=60)


if __name__ == "__main__":
    main()
