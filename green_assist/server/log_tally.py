"""Running sums of one session log, read a little more at each scrape.

``/metrics`` adds up every finished record of a kernel's session logs. Reading the
whole log at each scrape would cost more as the session grows, so ``LogTally`` keeps
its byte offset and reads only what was appended since, up to a byte budget a call
(the scrape runs on the server's event loop: a long log, met when the server restarts
under running kernels, catches up over a few scrapes instead of stalling the server). A line
without its newline yet is kept for the next call. A log that shrank (replaced, not
appended to) is read again from the start. Unreadable lines are skipped and counted,
as ``session_log.read_log`` does.
"""

from __future__ import annotations

import json
import math
import os
import stat
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MAX_READ_BYTES = 4 * 1024 * 1024
# A record is at most a few hundred kB (sources are cut at 100,000 characters).
MAX_LINE_BYTES = 4 * 1024 * 1024
STATUSES = ("ok", "error")
# Start times of the last records, to tell a running cell from one just written.
RECENT_STARTS = 16


@dataclass
class LogTally:
    """Sums over the finished records of one session log."""

    path: Path
    offset: int = 0
    energy_j: dict[tuple[str, str], float] = field(default_factory=dict)  # (component, method)
    co2e_g: float = 0.0
    cells: dict[str, int] = field(default_factory=dict)  # status -> records
    skipped_lines: int = 0
    problem: str | None = None
    recent_starts: deque[str] = field(default_factory=lambda: deque(maxlen=RECENT_STARTS))
    _partial: bytes = b""
    _identity: tuple[int, int] | None = None

    def update(self, budget: int = MAX_READ_BYTES) -> int:
        """Read what was appended since the last call (at most ``budget`` bytes); return
        how many bytes were read."""
        try:
            fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        except OSError as err:
            self.problem = f"cannot read {self.path}: {err.strerror or err}"
            return 0
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                self.problem = f"{self.path} is not a regular file"
                return 0
            identity = (info.st_dev, info.st_ino)
            if identity != self._identity or info.st_size < self.offset:
                self._restart(identity)
            if info.st_size == self.offset or budget <= 0:
                return 0
            os.lseek(fd, self.offset, os.SEEK_SET)
            chunk = os.read(fd, min(budget, info.st_size - self.offset))
        finally:
            os.close(fd)
        self.problem = None
        self.offset += len(chunk)
        lines = (self._partial + chunk).split(b"\n")
        self._partial = lines.pop()
        if len(self._partial) > MAX_LINE_BYTES:
            self._partial = b""
            self.skipped_lines += 1
        for line in lines:
            if line.strip():
                self._add(line)
        return len(chunk)

    def _restart(self, identity: tuple[int, int]) -> None:
        self.offset = 0
        self.energy_j, self.co2e_g, self.cells = {}, 0.0, {}
        self.recent_starts.clear()
        self.skipped_lines, self._partial, self._identity = 0, b"", identity

    def _add(self, line: bytes) -> None:
        try:
            data = json.loads(line)
        except (ValueError, UnicodeDecodeError):
            self.skipped_lines += 1
            return
        if not isinstance(data, dict) or "session_id" not in data:
            self.skipped_lines += 1
            return
        if isinstance(data.get("started_at"), str):
            self.recent_starts.append(data["started_at"])
        status = data.get("status")
        if status in STATUSES:
            self.cells[status] = self.cells.get(status, 0) + 1
        energy = data.get("energy")
        if isinstance(energy, dict):
            for component, entry in energy.items():
                joules = nonnegative(entry.get("joules")) if isinstance(entry, dict) else None
                if joules is not None:
                    key = (str(component), str(entry.get("method") or "unknown"))
                    self.energy_j[key] = self.energy_j.get(key, 0.0) + joules
        self.co2e_g += nonnegative(data.get("co2e_g")) or 0.0


def nonnegative(value: Any) -> float | None:
    """``value`` as a float when it is a finite number >= 0, else None (unknown)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) and value >= 0 else None
