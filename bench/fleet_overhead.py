"""What the fleet features cost: a /metrics scrape, the kernel's live status file, MLflow.

    python bench/fleet_overhead.py [KERNELS] [CELLS]     # default: 20 kernels x 1000 cells

1. Scrape: the green_assist part of a ``/metrics`` scrape (``GreenAssistCollector``) for
   KERNELS kernels whose session logs hold CELLS records each: the first reading of every
   log (a server restarted under running kernels), a scrape with nothing new, and one
   after each kernel finished a cell; against the alternative of re-reading every log in
   full at each scrape (``read_log``). The kernels are status files and logs on disk
   with a minimal stand-in for Jupyter's kernel manager (its ``list_kernel_ids`` and
   ``get_kernel``); the collector, the status reader and the log tally are the real code.
2. Status file: one ``LiveStatusWriter.write`` (atomic JSON write), which a kernel does
   at most once a second while a profiled cell runs, and once per finished cell.
3. MLflow: ``MlflowLogger.log_record`` per cell into a sqlite store in a temp folder (the
   cost each profiled cell pays with ``%greenprofile on --mlflow``; MLflow writes in its
   own background thread), and ``finish`` (waits for those writes, logs the HTML report);
   skipped without MLflow.

Medians of interleaved rounds. Figures depend on the machine's load: compare the ratios.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from green_assist.profiler.live_status import LiveStatusWriter, status_path
from green_assist.profiler.session_log import ProfileRecord, SessionLogWriter, read_log
from green_assist.server.metrics import GreenAssistCollector, KernelEnergySource

ROUNDS = 7


def record(i: int, session: str) -> ProfileRecord:
    return ProfileRecord(
        session_id=session,
        started_at=f"2025-03-01T10:00:00.{i:06d}+00:00",
        duration_s=0.5,
        execution_count=i + 1,
        source=f"x{i} = {i}\n",
        energy={
            "cpu": {"joules": 1.0 + i % 7, "method": "estimated", "reason": "bench"},
            "dram": {"joules": 0.1, "method": "estimated", "reason": "bench"},
        },
        energy_j=1.1 + i % 7,
        energy_method="estimated",
        co2e_g=0.0001,
    )


@dataclass
class StandInKernel:
    connection_file: str


class StandInKernelManager:
    """The two calls the collector makes on Jupyter's MappingKernelManager."""

    def __init__(self, ids: list[str], runtime: Path) -> None:
        self.ids = ids
        self.runtime = runtime

    def list_kernel_ids(self) -> list[str]:
        return list(self.ids)

    def get_kernel(self, kernel_id: str) -> StandInKernel:
        return StandInKernel(str(self.runtime / f"kernel-{kernel_id}.json"))


class StandInSession:
    session_id = "bench"

    def __init__(self, log: Path) -> None:
        self.writer = SessionLogWriter(log)

    def carbon(self) -> Any:
        from green_assist.sensors import CarbonSettings

        return CarbonSettings.from_env({})


def median_ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:8.2f} ms"


def scrape_bench(kernels: int, cells: int, folder: Path) -> None:
    live, runtime = folder / "live", folder / "runtime"
    live.mkdir()
    runtime.mkdir()
    ids = [f"k{n:03d}" for n in range(kernels)]
    logs = []
    for kernel_id in ids:
        log = folder / f"{kernel_id}.jsonl"
        writer = SessionLogWriter(log)
        for i in range(cells):
            writer.append(record(i, kernel_id))
        logs.append(writer)
        status = LiveStatusWriter(
            status_path(live, runtime / f"kernel-{kernel_id}.json"),
            StandInSession(log),  # type: ignore[arg-type]
        )
        status.write(None)
    manager = StandInKernelManager(ids, runtime)
    collector = GreenAssistCollector()
    source = KernelEnergySource(manager, None, live)
    source._refreshes = 1  # no session manager here: paths are not looked up
    collector.source = source

    def scrape() -> float:
        start = time.perf_counter()
        for _ in collector.collect():
            pass
        return time.perf_counter() - start

    def naive() -> float:
        start = time.perf_counter()
        for writer in logs:
            total = 0.0
            for r in read_log(writer.path, warn=False).records:
                total += r.energy_j or 0.0
        return time.perf_counter() - start

    def caught_up() -> bool:
        tallies = [t for state in source.kernels.values() for t in state.logs.values()]
        return bool(tallies) and all(t.offset == t.path.stat().st_size for t in tallies)

    catch_up = [scrape()]
    while not caught_up():
        catch_up.append(scrape())
    idle, after_cell, full = [], [], []
    for n in range(ROUNDS):
        idle.append(scrape())
        for writer in logs:
            writer.append(record(cells + n, "x"))
        after_cell.append(scrape())
        full.append(naive())
    print(f"scrape, {kernels} kernels x {cells} records (green_assist's part of /metrics):")
    print(
        f"  first read of every log              {len(catch_up)} scrapes, at most "
        f"{max(catch_up) * 1000:.0f} ms each (4 MiB a scrape), {sum(catch_up) * 1000:.0f} ms"
    )
    print(f"  nothing new                          {median_ms(idle)}")
    print(f"  each kernel finished one cell        {median_ms(after_cell)}")
    ratio = statistics.median(full) / statistics.median(after_cell)
    print(f"  re-reading every log (alternative)   {median_ms(full)}  ({ratio:.0f}x slower)")


def status_bench(folder: Path) -> None:
    writer = LiveStatusWriter(folder / "kernel-x.json", StandInSession(folder / "x.jsonl"))  # type: ignore[arg-type]
    message: Any = {
        "seq": 3,
        "started_at": "2025-03-01T10:00:00+00:00",
        "execution_count": 7,
        "elapsed_s": 2.0,
        "energy": {"cpu": {"joules": 3.0, "method": "estimated", "reason": None}},
        "energy_j": 3.0,
        "power": {"cpu": {"watts": 12.0, "method": "estimated", "reason": None}},
    }
    times = []
    for _ in range(200):
        start = time.perf_counter()
        writer.write(message)
        times.append(time.perf_counter() - start)
    print(f"live status file: one write {median_ms(times)} (at most 1/s while a cell runs)")


def mlflow_bench(folder: Path) -> None:
    try:
        import mlflow
    except ImportError:
        print("MLflow: not installed, skipped")
        return
    from green_assist.mlflow_run import MlflowLogger

    mlflow.set_tracking_uri(f"sqlite:///{folder / 'mlflow.db'}")
    # Artifacts in the temp folder too (MLflow's default is ./mlruns in the working folder).
    experiment = mlflow.create_experiment("bench", artifact_location=(folder / "art").as_uri())
    mlflow.set_experiment(experiment_id=experiment)
    logger = MlflowLogger(mlflow, run_name="bench")
    logger.log_record(record(0, "m"))  # creates the store and the run
    times = []
    for i in range(1, 31):
        start = time.perf_counter()
        logger.log_record(record(i, "m"))
        times.append(time.perf_counter() - start)
    start = time.perf_counter()
    logger.finish()
    finish = time.perf_counter() - start
    print(
        f"MLflow (sqlite): per cell {median_ms(times)} (MLflow's background logging); "
        f"at the end (wait for it, report artifact) {finish:.2f} s"
    )


def main(argv: list[str]) -> None:
    kernels = int(argv[0]) if argv else 20
    cells = int(argv[1]) if len(argv) > 1 else 1000
    with tempfile.TemporaryDirectory() as tmp:
        scrape_bench(kernels, cells, Path(tmp))
    with tempfile.TemporaryDirectory() as tmp:
        status_bench(Path(tmp))
    with tempfile.TemporaryDirectory() as tmp:
        mlflow_bench(Path(tmp))


if __name__ == "__main__":
    main(sys.argv[1:])
