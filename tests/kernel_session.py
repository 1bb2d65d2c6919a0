"""Drive a real IPython kernel with jupyter_client and collect what it publishes."""

from __future__ import annotations

import os
import queue
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jupyter_client.manager import KernelManager


@dataclass
class Execution:
    reply: dict[str, Any]
    iopub: list[dict[str, Any]] = field(default_factory=list)

    @property
    def status(self) -> str:
        return str(self.reply["content"]["status"])

    def of_type(self, msg_type: str) -> list[dict[str, Any]]:
        return [m for m in self.iopub if m["header"]["msg_type"] == msg_type]

    def comm_data(self, target: str = "green_assist") -> list[dict[str, Any]]:
        """Data of every comm_open (of ``target``) and comm_msg published during the run."""
        out = []
        for msg in self.iopub:
            kind = msg["header"]["msg_type"]
            content = msg["content"]
            if kind == "comm_open" and content.get("target_name") == target or kind == "comm_msg":
                out.append(content["data"])
        return out

    @property
    def stdout(self) -> str:
        return "".join(
            m["content"]["text"] for m in self.of_type("stream") if m["content"]["name"] == "stdout"
        )


class KernelSession:
    def __init__(self, km: KernelManager, kc: Any) -> None:
        self.km = km
        self.kc = kc

    @classmethod
    def start(cls, cwd: Path, env: dict[str, str] | None = None) -> KernelSession:
        km = KernelManager(kernel_name="python3")
        full_env = {**os.environ, **(env or {})}
        km.start_kernel(cwd=str(cwd), env=full_env)
        kc = km.client()
        kc.start_channels()
        kc.wait_for_ready(timeout=60)
        return cls(km, kc)

    def execute(self, code: str, timeout: float = 60, **kwargs: Any) -> Execution:
        """Run ``code``; return the reply and every iopub message up to the idle status."""
        msg_id = self.kc.execute(code, **kwargs)
        iopub: list[dict[str, Any]] = []
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"kernel did not go idle within {timeout}s running {code!r}")
            try:
                msg = self.kc.get_iopub_msg(timeout=remaining)
            except queue.Empty:
                continue
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            iopub.append(msg)
            if (
                msg["header"]["msg_type"] == "status"
                and msg["content"]["execution_state"] == "idle"
            ):
                break
        reply = self.kc.get_shell_msg(timeout=timeout)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = self.kc.get_shell_msg(timeout=timeout)
        return Execution(reply, iopub)

    def wait_for(self, execution: Execution, until: Any, timeout: float = 10) -> Execution:
        """Read the run's later iopub messages (those sent from other threads after the
        idle status, such as a record delivered after its fsync) until ``until(execution)``."""
        parent = execution.reply["parent_header"]["msg_id"]
        deadline = time.monotonic() + timeout
        while not until(execution):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"the condition did not hold within {timeout}s")
            try:
                msg = self.kc.get_iopub_msg(timeout=remaining)
            except queue.Empty:
                continue
            if msg["parent_header"].get("msg_id") == parent:
                execution.iopub.append(msg)
        return execution

    def comm_send(self, comm_id: str, data: dict[str, Any], timeout: float = 30) -> list[dict]:
        """Send a comm message to the kernel; return the comm data it publishes in reply."""
        msg = self.kc.session.msg("comm_msg", {"comm_id": comm_id, "data": data})
        self.kc.shell_channel.send(msg)
        msg_id = msg["header"]["msg_id"]
        out: list[dict] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                reply = self.kc.get_iopub_msg(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                continue
            if reply["parent_header"].get("msg_id") != msg_id:
                continue
            if reply["header"]["msg_type"] == "comm_msg":
                out.append(reply["content"]["data"])
            if (
                reply["header"]["msg_type"] == "status"
                and reply["content"]["execution_state"] == "idle"
            ):
                break
        return out

    def shutdown(self) -> None:
        try:
            self.kc.stop_channels()
        finally:
            self.km.shutdown_kernel(now=True)
