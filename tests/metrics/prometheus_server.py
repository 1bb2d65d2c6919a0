"""A real Prometheus (Debian's ``prometheus`` package) on 127.0.0.1, in a temp folder.

It runs under ``timeout``, so it stops by itself even if the test process is killed.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import subprocess
import urllib.parse
from pathlib import Path
from typing import Any

import pytest
from tornado.httpclient import AsyncHTTPClient, HTTPClientError

PROMETHEUS = os.environ.get("GREEN_ASSIST_PROMETHEUS", "/usr/bin/prometheus")
LIFETIME_S = 300


def prometheus_or_skip() -> str:
    """The binary; a test skips without it, except in CI (``make test`` installs it)."""
    if Path(PROMETHEUS).is_file() or shutil.which(PROMETHEUS):
        return PROMETHEUS
    message = f"{PROMETHEUS} not found: apt-get install prometheus (make test does)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Prometheus:
    def __init__(self, folder: Path, target_port: int, metrics_path: str, token: str) -> None:
        self.folder = folder
        self.port = free_port()
        config = {
            "global": {"scrape_interval": "1s", "scrape_timeout": "1s"},
            "scrape_configs": [
                {
                    "job_name": "jupyter",
                    "metrics_path": metrics_path,
                    "authorization": {"type": "Bearer", "credentials": token},
                    "static_configs": [{"targets": [f"127.0.0.1:{target_port}"]}],
                }
            ],
        }
        (folder / "prometheus.yml").write_text(json.dumps(config))  # JSON is YAML
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Prometheus:
        binary = prometheus_or_skip()
        self.process = subprocess.Popen(
            [
                "timeout",
                str(LIFETIME_S),
                binary,
                f"--config.file={self.folder / 'prometheus.yml'}",
                f"--storage.tsdb.path={self.folder / 'data'}",
                f"--web.listen-address=127.0.0.1:{self.port}",
                "--log.level=warn",
            ],
            stdout=subprocess.DEVNULL,
            stderr=open(self.folder / "prometheus.log", "wb"),  # noqa: SIM115
        )
        return self

    async def wait_ready(self, timeout_s: float = 60) -> None:
        client = AsyncHTTPClient()
        for _ in range(int(timeout_s / 0.25)):
            try:
                response = await client.fetch(f"http://127.0.0.1:{self.port}/-/ready")
                if response.code == 200:
                    return
            except (HTTPClientError, OSError):
                pass
            await asyncio.sleep(0.25)
        raise TimeoutError(f"Prometheus not ready: {self.log()}")

    async def query(self, expression: str) -> list[dict[str, Any]]:
        url = f"http://127.0.0.1:{self.port}/api/v1/query?" + urllib.parse.urlencode(
            {"query": expression}
        )
        response = await AsyncHTTPClient().fetch(url)
        payload = json.loads(response.body)
        assert payload["status"] == "success", payload
        return list(payload["data"]["result"])

    async def targets(self) -> list[dict[str, Any]]:
        url = f"http://127.0.0.1:{self.port}/api/v1/targets"
        payload = json.loads((await AsyncHTTPClient().fetch(url)).body)
        return list(payload["data"]["activeTargets"])

    def log(self) -> str:
        path = self.folder / "prometheus.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
