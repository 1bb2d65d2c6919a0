"""A real Jupyter server (pytest-jupyter) with the extension, and a real kernel in it."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families

from green_assist.profiler.live_status import LIVE_DIR_ENV
from green_assist.server.metrics import RETENTION_ENV

RETENTION_S = 3


@pytest.fixture
def jp_base_url():
    # Prometheus re-escapes a base URL like pytest-jupyter's "/a%40b/": scrape "/metrics".
    return "/"


@pytest.fixture
def jp_server_config(monkeypatch):
    # Read when the server extension loads; the kernels inherit the live folder's name,
    # which must not leak into other tests' kernels (setenv restores the absence).
    monkeypatch.setenv(RETENTION_ENV, str(RETENTION_S))
    monkeypatch.setenv(LIVE_DIR_ENV, "")
    return {"ServerApp": {"jpserver_extensions": {"green_assist": True}}}


def samples(text: str, name: str, **labels: str) -> list[Any]:
    """Samples of metric ``name`` (a sample name, e.g. ``..._total``) matching ``labels``."""
    found = []
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                found.append(sample)
    return found


@dataclass
class ServerKernel:
    """A kernel the server started for a notebook session, driven by a kernel client."""

    fetch: Any
    kernel_id: str
    client: Any
    root: Path

    async def execute(self, code: str, timeout: float = 120) -> dict[str, Any]:
        msg_id = self.client.execute(code)
        deadline = time.monotonic() + timeout
        while True:
            reply = await self.client.get_shell_msg(timeout=max(0.1, deadline - time.monotonic()))
            if reply["parent_header"].get("msg_id") == msg_id:
                return dict(reply["content"])

    def start_execute(self, code: str) -> str:
        return str(self.client.execute(code))

    async def reply_to(self, msg_id: str, timeout: float = 120) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            reply = await self.client.get_shell_msg(timeout=max(0.1, deadline - time.monotonic()))
            if reply["parent_header"].get("msg_id") == msg_id:
                return dict(reply["content"])

    async def metrics(self, **headers: str) -> str:
        response = await self.fetch("metrics", headers=headers or None)
        return response.body.decode()

    async def restart(self) -> None:
        await self.fetch("api", "kernels", self.kernel_id, "restart", method="POST", body="")
        await self.client.wait_for_ready(timeout=60)

    async def shutdown(self) -> None:
        self.client.stop_channels()
        await self.fetch("api", "kernels", self.kernel_id, method="DELETE")


@pytest.fixture
def server_kernel(jp_fetch, jp_serverapp, jp_root_dir, jp_asyncio_loop):
    """A notebook session's kernel in the test server, with a connected client.

    pytest-jupyter runs async tests in its own loop and has no async fixtures: the
    set-up and tear-down run in that loop here."""
    (jp_root_dir / "work.ipynb").write_text(
        json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    )
    body = json.dumps(
        {"path": "work.ipynb", "type": "notebook", "name": "", "kernel": {"name": "python3"}}
    )
    run = jp_asyncio_loop.run_until_complete
    session = json.loads(run(jp_fetch("api", "sessions", method="POST", body=body)).body)
    kernel_id = session["kernel"]["id"]
    manager = jp_serverapp.kernel_manager
    client = manager.get_kernel(kernel_id).client()
    client.start_channels()
    run(client.wait_for_ready(timeout=60))
    try:
        yield ServerKernel(jp_fetch, kernel_id, client, jp_root_dir)
    finally:
        client.stop_channels()
        if kernel_id in manager:
            run(manager.shutdown_kernel(kernel_id, now=True))


async def until(check: Any, timeout_s: float = 60, interval_s: float = 0.25) -> Any:
    """Await ``check()`` until it returns something truthy; fail after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = await check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout_s}s (last: {value!r})")
        await asyncio.sleep(interval_s)
