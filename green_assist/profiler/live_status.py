"""The kernel's live status file: how the Jupyter server learns what a kernel measures.

The server must never run code in a kernel, and Prometheus scrapes the server, not the
kernels. So a kernel started by a server with the green_assist server extension (which
sets ``GREEN_ASSIST_LIVE_DIR`` in the environment its kernels inherit) keeps one small
JSON file there, named after its connection file (``kernel-<kernel id>.json``, the
name Jupyter Server gives it):

- when its profiler session starts: ``session_id`` and ``log_path``, the session log
  whose finished records the server adds up;
- while a profiled cell runs, at most once a second (from the profiler's live ticks):
  ``running``, the cell's energy so far per component and its current power, each with
  its method, and the CO2e of that energy;
- when the cell's record is on disk (after its fsync, from the profiler's background
  thread): ``running`` is null again.

Writes are atomic (a temporary file renamed over the old one): the server reads a whole
file or the previous one. Without ``GREEN_ASSIST_LIVE_DIR`` (terminal IPython, a kernel
of another server, ``green-assist run``) nothing is written.
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..atomic import write_atomic

if TYPE_CHECKING:
    from .messages import LiveMessage
    from .session import ProfilerSession
    from .session_log import ProfileRecord
    from .totals import Totals

LIVE_DIR_ENV = "GREEN_ASSIST_LIVE_DIR"
STATUS_VERSION = 1
# The server reads nothing larger (a status is a few hundred bytes).
MAX_STATUS_BYTES = 64 * 1024
MIN_WRITE_INTERVAL_S = 1.0


def status_path(directory: Path | str, connection_file: Path | str) -> Path:
    """Where the kernel with ``connection_file`` keeps its status."""
    return Path(directory) / f"{Path(connection_file).stem}.json"


def kernel_connection_file() -> str | None:
    """This kernel's connection file, or None outside a Jupyter kernel."""
    try:
        from ipykernel.connect import get_connection_file

        return str(get_connection_file())
    except Exception:  # not an ipykernel, or no app running
        return None


class LiveStatusWriter:
    """Keeps this kernel's status file up to date from the profiler session's events."""

    def __init__(self, path: Path, session: ProfilerSession) -> None:
        self.path = Path(path)
        self.session = session
        self.problem: str | None = None
        self._last_write = 0.0
        # The profiler's background thread and the cell's thread both write.
        self._lock = threading.Lock()

    @classmethod
    def for_kernel(
        cls, session: ProfilerSession, env: dict[str, str] | None = None
    ) -> LiveStatusWriter | None:
        """A writer when this kernel's server asked for status files, else None."""
        directory = ((os.environ if env is None else env).get(LIVE_DIR_ENV) or "").strip()
        connection = kernel_connection_file() if directory else None
        if not directory or not connection:
            return None
        return cls(status_path(directory, connection), session)

    def attach(self) -> LiveStatusWriter:
        self.session.on_live.append(self.on_live)
        self.session.on_record_synced.append(self.on_record)
        self.write(None)
        return self

    def on_live(self, message: LiveMessage) -> None:
        now = time.monotonic()
        if message["seq"] > 0 and now - self._last_write < MIN_WRITE_INTERVAL_S:
            return
        self._last_write = now
        self.write(message)

    def on_record(self, record: ProfileRecord, totals: Totals) -> None:
        self.write(None)

    def write(self, running: LiveMessage | None) -> None:
        data = {
            "version": STATUS_VERSION,
            "pid": os.getpid(),
            "session_id": self.session.session_id,
            "log_path": str(self.session.writer.path.resolve()),
            "updated_at": time.time(),
            "running": None if running is None else self._running(running),
        }
        try:
            with self._lock:
                # Rewritten up to once a second: not flushed to disk (a crash loses only it).
                write_atomic(self.path, json.dumps(data, allow_nan=False).encode(), durable=False)
            self.problem = None
        except (OSError, ValueError) as err:  # never let the status take a cell down
            self.problem = str(err)

    def _running(self, message: LiveMessage) -> dict[str, Any]:
        energy = {
            name: {"joules": e["joules"], "method": e["method"]}
            for name, e in message["energy"].items()
            if e["joules"] is not None
        }
        power = {
            name: {"watts": p["watts"], "method": p["method"]}
            for name, p in message["power"].items()
            if p["watts"] is not None
        }
        return {
            "started_at": message["started_at"],
            "execution_count": message["execution_count"],
            "elapsed_s": message["elapsed_s"],
            "energy": energy,
            "power": power,
            "co2e_g": self.session.carbon().co2e_grams(message["energy_j"]),
        }


def read_status(path: Path) -> dict[str, Any] | None:
    """A kernel's status, or None when absent, too large or unreadable (it is retried)."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_STATUS_BYTES + 1)
    except OSError:
        return None
    if len(raw) > MAX_STATUS_BYTES:
        return None
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict) or data.get("version") != STATUS_VERSION:
        return None
    return data
