"""Per-kernel energy in Jupyter Server's own ``/metrics`` (Prometheus text format).

The server extension registers one collector in ``prometheus_client``'s default
registry, which Jupyter Server serves at ``/metrics`` with its own authentication
(``ServerApp.authenticate_prometheus``, on by default: a token is needed). For each
kernel of this server that profiled something:

=====================================  =======  ============================================
``green_assist_energy_joules_total``   counter  finished profiled cells + the running cell so
                                                far; labels ``kernel_id``, ``path``,
                                                ``component`` (cpu, dram, gpu:0...), ``method``
``green_assist_power_watts``           gauge    power of the running profiled cell (0 when
                                                none runs); same labels; refreshed about
                                                every second while a cell runs
``green_assist_co2e_grams_total``      counter  CO2e of that energy; ``kernel_id``, ``path``
``green_assist_cells_total``           counter  finished profiled cells by ``status`` (ok,
                                                error); ``kernel_id``, ``path``
=====================================  =======  ============================================

Where the numbers come from (the server never runs code in a kernel): the finished
cells are the records of the kernel's session logs, read incrementally
(``log_tally``), so the totals are the logs' sums; the running cell is the kernel's
live status file (``profiler.live_status``), written by the kernel's profiler about once
a second. ``path`` is the notebook of the kernel's session (empty for a kernel without
one); a kernel is exported once the server has looked its session up (within a few
seconds of its first profiled cell). Counters never go down: a kernel restart starts a
new log that adds to the same kernel's totals. A running cell whose status was not
rewritten for ``STALE_RUNNING_S`` (its process died, or holds the GIL that long) counts
as not running: power 0, its energy so far kept.

Bounded cardinality: only kernels of this server appear; a kernel that ended stays for
``GREEN_ASSIST_METRICS_RETENTION_S`` seconds (default 600: ten scrapes at a 60 s
interval see its final values), then its series are dropped.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import os
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from prometheus_client.core import REGISTRY, CounterMetricFamily, GaugeMetricFamily, Metric

from ..profiler.live_status import LIVE_DIR_ENV, read_status, status_path
from .log_tally import LogTally, nonnegative

log = logging.getLogger(__name__)

RETENTION_ENV = "GREEN_ASSIST_METRICS_RETENTION_S"
DEFAULT_RETENTION_S = 600.0
PATH_REFRESH_S = 5.0
MAX_LOGS_PER_KERNEL = 64
# A running cell's status is rewritten about every second; one not rewritten for this
# long belongs to a process that died mid-cell (a restart) or holds the GIL in C code.
STALE_RUNNING_S = 60.0
# Log bytes read per scrape, all kernels together (the scrape blocks the event loop:
# ~60 ms per MB here). New records are a few kB; only a server restarted under long-
# running kernels meets more, and catches up over a few scrapes.
MAX_SCRAPE_READ_BYTES = 4 * 1024 * 1024
ENERGY_LABELS = ("kernel_id", "path", "component", "method")
KERNEL_LABELS = ("kernel_id", "path")


@dataclass
class KernelFigures:
    """What ``/metrics`` shows for one kernel at one scrape."""

    kernel_id: str
    path: str
    energy_j: dict[tuple[str, str], float]
    power_w: dict[tuple[str, str], float]
    co2e_g: float
    cells: dict[str, int]


@dataclass
class KernelState:
    kernel_id: str
    seen_in_refresh: int  # path refreshes done when the kernel was first seen
    logs: dict[str, LogTally] = field(default_factory=dict)
    ended_at: float | None = None
    status_file: Path | None = None
    running: dict[str, Any] | None = None
    floors: dict[tuple[str, ...], float] = field(default_factory=dict)
    power_methods: dict[str, str] = field(default_factory=dict)

    def at_least_before(self, key: tuple[str, ...], value: float) -> float:
        """A counter's value, never below what it showed before (counters never go down)."""
        value = max(value, self.floors.get(key, 0.0))
        self.floors[key] = value
        return value


class KernelEnergySource:
    """The per-kernel figures of one Jupyter server, read from disk at each scrape."""

    def __init__(
        self,
        kernel_manager: Any,
        session_manager: Any,
        live_dir: Path,
        *,
        retention_s: float = DEFAULT_RETENTION_S,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self.kernel_manager = kernel_manager
        self.session_manager = session_manager
        self.live_dir = Path(live_dir)
        self.retention_s = retention_s
        self.clock = clock
        self.wall_clock = wall_clock  # the kernels stamp their status files with time.time()
        self.kernels: dict[str, KernelState] = {}
        self._paths: dict[str, str] = {}
        self._refreshes = 0
        self._refreshed_at = -PATH_REFRESH_S
        self._refresh_task: asyncio.Task[None] | None = None
        self._budget = MAX_SCRAPE_READ_BYTES

    # -- one scrape ----------------------------------------------------------------------
    def snapshot(self) -> list[KernelFigures]:
        now = self.clock()
        alive = set(self._kernel_ids())
        new_kernel = False
        for kernel_id in alive:
            state = self.kernels.get(kernel_id)
            if state is None:
                status_file = self._status_file(kernel_id)
                if status_file is None or not status_file.exists():
                    continue  # has not profiled anything (yet)
                state = KernelState(kernel_id, self._refreshes, status_file=status_file)
                self.kernels[kernel_id] = state
                new_kernel = True
            state.ended_at = None
        for kernel_id, state in list(self.kernels.items()):
            if kernel_id not in alive and state.ended_at is None:
                state.ended_at = now
            if state.ended_at is not None and now - state.ended_at > self.retention_s:
                self._forget(kernel_id)
        self._schedule_path_refresh(now, urgent=new_kernel)
        self._budget = MAX_SCRAPE_READ_BYTES
        figures = []
        for state in self.kernels.values():
            self._read(state)
            if state.seen_in_refresh < self._refreshes:
                figures.append(self._figures(state))
        return figures

    def _kernel_ids(self) -> list[str]:
        try:
            return list(self.kernel_manager.list_kernel_ids())
        except Exception as err:
            log.warning("green_assist metrics: cannot list kernels: %s", err)
            return []

    def _status_file(self, kernel_id: str) -> Path | None:
        try:
            connection_file = self.kernel_manager.get_kernel(kernel_id).connection_file
        except Exception:
            return None
        return status_path(self.live_dir, connection_file) if connection_file else None

    def _read(self, state: KernelState) -> None:
        status = read_status(state.status_file) if state.status_file else None
        if status is not None:
            log_path = status.get("log_path")
            new_log = isinstance(log_path, str) and log_path and log_path not in state.logs
            if new_log and len(state.logs) < MAX_LOGS_PER_KERNEL:
                state.logs[str(log_path)] = LogTally(Path(str(log_path)))
            running = status.get("running")
            state.running = running if isinstance(running, dict) else None
            updated = nonnegative(status.get("updated_at"))
            if updated is None or self.wall_clock() - updated > STALE_RUNNING_S:
                state.running = None  # its process died mid-cell (or hangs): not running
        if state.ended_at is not None:
            state.running = None  # a cell of an ended kernel adds nothing more
        for tally in state.logs.values():
            self._budget -= tally.update(self._budget)
        # The kernel writes a cell's record, then clears ``running``: a scrape between
        # the two must not count the cell twice.
        started = (state.running or {}).get("started_at")
        if started and any(started in tally.recent_starts for tally in state.logs.values()):
            state.running = None

    def _figures(self, state: KernelState) -> KernelFigures:
        energy: dict[tuple[str, str], float] = {}
        co2e = 0.0
        cells: dict[str, int] = {}
        for tally in state.logs.values():
            for key, joules in tally.energy_j.items():
                energy[key] = energy.get(key, 0.0) + joules
            co2e += tally.co2e_g
            for status, count in tally.cells.items():
                cells[status] = cells.get(status, 0) + count
        running = state.running or {}
        for component, entry in _items(running.get("energy")):
            so_far = nonnegative(entry.get("joules"))
            if so_far is not None:
                key = (component, str(entry.get("method") or "unknown"))
                energy[key] = energy.get(key, 0.0) + so_far
        co2e += nonnegative(running.get("co2e_g")) or 0.0
        power: dict[tuple[str, str], float] = {}
        for component, entry in _items(running.get("power")):
            watts = nonnegative(entry.get("watts"))
            if watts is not None:
                method = str(entry.get("method") or "unknown")
                state.power_methods[component] = method
                power[(component, method)] = watts
        for component, method in energy:
            state.power_methods.setdefault(component, method)
        for component, method in state.power_methods.items():
            power.setdefault((component, method), 0.0)  # no profiled cell runs now
        return KernelFigures(
            kernel_id=state.kernel_id,
            path=self._paths.get(state.kernel_id, ""),
            energy_j={
                key: state.at_least_before(("energy", *key), joules)
                for key, joules in energy.items()
            },
            power_w=power,
            co2e_g=state.at_least_before(("co2e",), co2e),
            cells={s: int(state.at_least_before(("cells", s), n)) for s, n in cells.items()},
        )

    def _forget(self, kernel_id: str) -> None:
        state = self.kernels.pop(kernel_id)
        if state.status_file is not None:
            state.status_file.unlink(missing_ok=True)

    # -- notebook paths (the session manager is asynchronous) ----------------------------
    def _schedule_path_refresh(self, now: float, urgent: bool) -> None:
        if self._refresh_task is not None and not self._refresh_task.done():
            return
        if not urgent and now - self._refreshed_at < PATH_REFRESH_S:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # scraped outside the server's event loop
            return
        self._refresh_task = loop.create_task(self.refresh_paths())

    async def refresh_paths(self) -> None:
        """Look up each kernel's notebook path in the server's sessions."""
        paths: dict[str, str] = {}
        try:
            for session in await self.session_manager.list_sessions():
                kernel = session.get("kernel") or {}
                if kernel.get("id"):
                    paths[kernel["id"]] = str(session.get("path") or "")
        except Exception as err:
            log.warning("green_assist metrics: cannot list sessions: %s", err)
        self._paths = paths
        self._refreshes += 1
        self._refreshed_at = self.clock()


class GreenAssistCollector:
    """The collector in the default registry; it reads the current server's source."""

    def __init__(self) -> None:
        self.source: KernelEnergySource | None = None

    def describe(self) -> list[Metric]:
        return list(_families())

    def collect(self) -> Iterator[Metric]:
        energy, power, co2e, cells = _families()
        source = self.source
        for kernel in source.snapshot() if source is not None else []:
            ids = [kernel.kernel_id, kernel.path]
            for (component, method), joules in sorted(kernel.energy_j.items()):
                energy.add_metric([*ids, component, method], joules)
            for (component, method), watts in sorted(kernel.power_w.items()):
                power.add_metric([*ids, component, method], watts)
            co2e.add_metric(ids, kernel.co2e_g)
            for status, count in sorted(kernel.cells.items()):
                cells.add_metric([*ids, status], count)
        yield from (energy, power, co2e, cells)


def _families() -> tuple[CounterMetricFamily, GaugeMetricFamily, CounterMetricFamily, Any]:
    return (
        CounterMetricFamily(
            "green_assist_energy_joules",
            "Energy of profiled cells (finished, plus the running one so far), per component "
            "and measurement method (counter, polled, attributed, estimated)",
            labels=ENERGY_LABELS,
        ),
        GaugeMetricFamily(
            "green_assist_power_watts",
            "Power of the kernel's running profiled cell (0 when none runs)",
            labels=ENERGY_LABELS,
        ),
        CounterMetricFamily(
            "green_assist_co2e_grams",
            "CO2e of that energy (energy x PUE x grid intensity)",
            labels=KERNEL_LABELS,
        ),
        CounterMetricFamily(
            "green_assist_cells",
            "Finished profiled cells by status (ok, error)",
            labels=(*KERNEL_LABELS, "status"),
        ),
    )


_collector: GreenAssistCollector | None = None


def install(server_app: Any) -> KernelEnergySource:
    """Start collecting for ``server_app``: its kernels write status files to a folder
    of its runtime directory, named to them through the environment they inherit."""
    global _collector
    live_dir = Path(server_app.runtime_dir) / f"green_assist-live-{os.getpid()}"
    live_dir.mkdir(parents=True, exist_ok=True)
    atexit.register(shutil.rmtree, live_dir, True)
    os.environ[LIVE_DIR_ENV] = str(live_dir)
    source = KernelEnergySource(
        server_app.kernel_manager,
        server_app.session_manager,
        live_dir,
        retention_s=retention_from_env(),
    )
    if _collector is None:
        _collector = GreenAssistCollector()
        REGISTRY.register(_collector)
    _collector.source = source  # one server per process; tests start several in turn
    return source


def retention_from_env(env: dict[str, str] | None = None) -> float:
    raw = (dict(os.environ) if env is None else env).get(RETENTION_ENV, "").strip()
    try:
        value = float(raw) if raw else DEFAULT_RETENTION_S
    except ValueError:
        log.warning("green_assist metrics: %s=%r is not a number of seconds", RETENTION_ENV, raw)
        return DEFAULT_RETENTION_S
    return max(0.0, value)


def _items(value: Any) -> list[tuple[str, dict[str, Any]]]:
    if not isinstance(value, dict):
        return []
    return [(str(k), v) for k, v in value.items() if isinstance(v, dict)]
