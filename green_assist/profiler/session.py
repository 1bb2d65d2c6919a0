"""``ProfilerSession``: one kernel's (or one script run's) profiling, from start to record.

``begin(target)`` starts a ``Measurement`` (and its live messages); ``finish(m, status,
error)`` stops it, builds the record (energy, CO2e, FLOPs, memory, hardware, advice),
writes it to the session log *first*, then adds it to the totals and hands it to the
background thread, which fsyncs the log and tells listeners (the comm). The magic,
automatic mode and ``green-assist run`` all go through here, so they record the same way.

What the kernel keeps stays bounded however long the session runs: running totals, the
last ``RECENT_RECORDS`` records (for a sidebar that reconnects) and the last run of each
cell (``last_run``, for comparing a cell with its previous run). Every record lives in
the session log; ``records()`` reads them back.
"""

from __future__ import annotations

import os
import sys
from collections import deque
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from .. import __version__
from ..lifecycle import LifecycleFacts, assess
from ..lifecycle.alternatives import COMPARE_ENV, alternatives
from ..sensors import CarbonSettings, EnergyMeter, WindowResult
from ..sensors.cuda import cuda_in_use
from ..sensors.sampler import check_interval
from .advice import CellFacts, IdleFacts, advise
from .background import BackgroundWorker
from .flops import FlopCount
from .hardware import GpuProbe, describe_hardware
from .measurement import Measurement, Target
from .messages import RECENT_RECORDS, LiveMessage, SessionState, record_for_front_end
from .session_log import ProfileRecord, SessionLogWriter, new_session_id, read_log, source_fields
from .totals import RunningTotals, Totals
from .verdict import RunHistory

# ``on_record``: called on the cell's thread once the record's line is written (keep
# them cheap; for what must run there, e.g. MLflow, whose active run is per thread).
RecordListener = Callable[[ProfileRecord], None]
# ``on_record_synced``: called on the background thread after the record's fsync, with
# the session totals after it (the comm to the sidebar, the server's status file).
SyncedRecordListener = Callable[[ProfileRecord, Totals], None]
LiveListener = Callable[[LiveMessage], None]


class ProfilerSession:
    def __init__(
        self,
        *,
        meter: EnergyMeter | None = None,
        session_id: str | None = None,
        log_dir: Path | None = None,
        live: bool = False,
        gpu_probe: GpuProbe | None = None,
    ) -> None:
        self.session_id = session_id or new_session_id()
        self.writer = SessionLogWriter.for_session(self.session_id, log_dir)
        self.recent: deque[ProfileRecord] = deque(maxlen=RECENT_RECORDS)
        # The last run of each cell, linked to each new run (verdict.py).
        self.history = RunHistory(self.writer.path.parent, self.writer.path)
        # Records the log could not take (read-only folder, full disk): kept for reports.
        self.unwritten: list[ProfileRecord] = []
        self.log_problem: str | None = None
        self._totals = RunningTotals()
        self._background: BackgroundWorker | None = None
        self.live = live  # publish live messages (a kernel with front ends)
        self.on_live: list[LiveListener] = []
        # Whether anyone listens to live messages right now (a comm, a widget readout).
        self.live_wanted: Callable[[], bool] = lambda: True
        self.on_record: list[RecordListener] = []
        self.on_record_synced: list[SyncedRecordListener] = []
        self._meter = meter
        self._probe = gpu_probe
        self._hardware: dict[str, Any] | None = None
        self._idle: tuple[Any, dict[str, int]] | None = None
        self._sample_interval_s: float | None = None
        self.current: Measurement | None = None
        # Carbon settings chosen in the front end; they win over the environment.
        self.carbon_overrides: dict[str, str] = {}
        self.settings_problems: list[str] = []

    # -- lazily created parts ------------------------------------------------------------
    @property
    def meter(self) -> EnergyMeter:
        if self._meter is None or self._meter.closed:
            self._meter = EnergyMeter.default()
            if self._sample_interval_s is not None:
                self._meter.set_sample_interval(self._sample_interval_s)
        return self._meter

    def set_sample_interval(self, seconds: float) -> None:
        """The sensors' sampling period from now on (applied when the meter starts)."""
        seconds = check_interval(seconds)
        self._sample_interval_s = seconds
        if self._meter is not None and not self._meter.closed:
            self._meter.set_sample_interval(seconds)

    def settings_env(self) -> dict[str, str]:
        """The environment, then the front end's settings (they win)."""
        return {**os.environ, **self.carbon_overrides}

    def carbon(self) -> CarbonSettings:
        """Grid intensity and PUE now: the environment, then the front end's settings."""
        return CarbonSettings.from_env(self.settings_env())

    @property
    def gpu_probe(self) -> GpuProbe:
        if self._probe is None:
            self._probe = GpuProbe()
        return self._probe

    @property
    def background(self) -> BackgroundWorker:
        if self._background is None:
            self._background = BackgroundWorker(
                self.writer.sync,
                self._log_failed,
                probe=self.gpu_probe,
                live_wanted=lambda: self.live_wanted(),
            )
        return self._background

    def hardware(self) -> dict[str, Any]:
        if self._hardware is None:
            self._hardware = describe_hardware(self.gpu_probe)
        return self._hardware

    # -- measuring -----------------------------------------------------------------------
    def begin(
        self, target: Target, *, flops: bool = False, sample_interval_s: float | None = None
    ) -> Measurement:
        """Start measuring ``target`` on the calling thread (the one that runs it).

        Earlier records are fsync-ed first (normally long done by the background thread)."""
        background = self.background
        background.wait_synced()
        idle = self.end_idle()
        measurement = Measurement(
            self.meter, self.session_id, target, flops=flops, sample_interval_s=sample_interval_s
        )
        measurement.idle = idle
        measurement.start()
        self.current = measurement
        publish = self._publish_live if self.live else None
        if publish is not None or background.samples_gpus:
            background.watch(measurement, publish)
        return measurement

    def finish(
        self,
        measurement: Measurement,
        status: str = "ok",
        error: dict[str, str] | None = None,
        *,
        before_write: RecordListener | None = None,
    ) -> ProfileRecord:
        """Stop ``measurement``, write its record to the log, then (on the background
        thread, after the fsync) tell the listeners. ``before_write`` may add to the record
        first (``green-assist run``'s start-up)."""
        background = self.background
        try:
            result = measurement.stop()
        finally:
            background.unwatch(measurement)
            if self.current is measurement:
                self.current = None
        record = self._build_record(measurement, result, status, error)
        self.history.link(record)
        if before_write is not None:
            before_write(record)
        written = self._write(record)
        self._keep(record)
        self.start_idle()
        listeners = list(self.on_record_synced)
        totals = self._totals.totals()

        def deliver() -> None:
            for listener in listeners:
                listener(record, totals)

        if written:
            background.written(deliver if listeners else None)
        elif listeners:
            deliver()
        for listener in list(self.on_record):
            listener(record)
        return record

    def cancel(self, measurement: Measurement) -> None:
        """Stop without a record (``%greenprofile off`` inside an automatically measured cell)."""
        if self._background is not None:
            self._background.unwatch(measurement)
        measurement.stop()
        if self.current is measurement:
            self.current = None

    # -- idle time between cells (for the idle-GPU-memory advice) ------------------------
    def start_idle(self) -> None:
        """After a cell: if CUDA is in use, measure the pause until the next cell."""
        if self._idle is not None or not cuda_in_use():
            return
        self._idle = (self.meter.start_window("idle"), _cuda_memory_reserved())

    def end_idle(self) -> IdleFacts | None:
        if self._idle is None:
            return None
        window, held = self._idle
        self._idle = None
        result = window.stop()
        gpus = {k: e for k, e in result.energy.items() if k.startswith("gpu")}
        return IdleFacts(
            idle_s=result.duration_s,
            gpu_memory_held_bytes=held,
            gpu_energy_j={k: e.joules for k, e in gpus.items()},
            gpu_energy_method={k: e.method.value if e.method else None for k, e in gpus.items()},
        )

    # -- state for front ends --------------------------------------------------------------
    def totals(self) -> Totals:
        return self._totals.totals()

    def last_run(self, key: str | None) -> ProfileRecord | None:
        """The last finished run of the cell ``key`` (see ``verdict.cell_key``), if any."""
        return self.history.last.get(key) if key is not None else None

    @property
    def last_runs(self) -> dict[str, ProfileRecord]:
        return self.history.last

    def records(self) -> list[ProfileRecord]:
        """Every record of this session, read back from the log (plus any it could not
        take)."""
        on_disk: list[ProfileRecord] = []
        if self.writer.path.exists():
            on_disk = [
                r for r in read_log(self.writer.path).records if r.session_id == self.session_id
            ]
        return on_disk + self.unwritten

    def state(self, auto_enabled: bool = False, auto_flops: bool = False) -> SessionState:
        current = self.current
        return {
            "session_id": self.session_id,
            "log_path": str(self.writer.path),
            "log_problem": self.log_problem,
            "auto": {"enabled": auto_enabled, "flops": auto_flops},
            "totals": self.totals().to_dict(),
            "recent": [record_for_front_end(r.to_dict()) for r in self.recent],
            "running": current.live_message() if current is not None and current.running else None,
            "carbon": _carbon_state(self.carbon(), self.settings_env()),
            "settings_problems": list(self.settings_problems),
        }

    def close(self) -> None:
        """Sync the log, deliver what is pending and stop the background thread."""
        if self._background is not None:
            self._background.close()
        if self._probe is not None:
            self._probe.close()

    # -- internals -------------------------------------------------------------------------
    def _publish_live(self, message: LiveMessage) -> None:
        for listener in list(self.on_live):
            listener(message)

    def _write(self, record: ProfileRecord) -> bool:
        """Write ``record``'s line (fsync follows on the background thread)."""
        try:
            self.writer.write(record)
            return True
        except (OSError, ValueError) as err:
            self._log_failed(err)
            self.unwritten.append(record)
            return False

    def _log_failed(self, err: Exception) -> None:
        if self.log_problem is None:
            print(
                f"green_assist: {err}. Records stay in memory for this session "
                "(%greenprofile report PATH still works).",
                file=sys.stderr,
            )
        self.log_problem = str(err)

    def _keep(self, record: ProfileRecord) -> None:
        """Totals, recent records and the cell's last run; nothing else stays in memory."""
        self._totals.add(record)
        self.recent.append(record)  # the last run of each cell is in self.history

    def _build_record(
        self,
        measurement: Measurement,
        result: WindowResult,
        status: str,
        error: dict[str, str] | None,
    ) -> ProfileRecord:
        target = measurement.target
        carbon = self.carbon()
        known = [e for e in result.energy.values() if e.joules is not None]
        energy_j = result.total_joules if known else None
        method = result.total_method
        hardware = self.hardware()
        record = ProfileRecord(
            session_id=self.session_id,
            started_at=result.started_at.isoformat(),
            duration_s=result.duration_s,
            status=status,
            kind=target.kind,
            mode=target.mode,
            execution_count=target.execution_count,
            cell_id=target.cell_id,
            cell_index=target.cell_index,
            label=target.label,
            error=error,
            energy={name: _energy_dict(e) for name, e in result.energy.items()},
            energy_j=energy_j,
            energy_method=method.value if method else None,
            energy_missing=result.missing,
            co2e_g=carbon.co2e_grams(energy_j),
            carbon_intensity_g_per_kwh=carbon.intensity_g_per_kwh,
            pue=carbon.pue,
            region=carbon.region,
            carbon={
                "source": carbon.source,
                "year": carbon.year,
                "is_default": carbon.is_default,
                "note": carbon.note,
                "pue_source": carbon.pue_source,
                "pue_year": carbon.pue_year,
            },
            peak_rss_bytes=result.peak_rss_bytes,
            gpu_peak_memory_bytes=dict(result.gpu_peak_memory_bytes),
            peak_memory_notes=dict(result.peak_memory_notes),
            hardware=hardware,
            distributed=dict(target.distributed) if target.distributed else None,
            green_assist_version=__version__,
            **source_fields(target.source),
        )
        _add_lifecycle(record, carbon, self.settings_env())
        count = measurement.flop_count
        if count is not None:
            _add_flops(record, count, hardware)
        elif measurement.flops_problem:
            record.flops_notes = [measurement.flops_problem]
        facts = _cell_facts(record, measurement, count, hardware)
        record.advice = [advice.to_dict() for advice in advise(facts)]
        return record


def _energy_dict(energy: Any) -> dict[str, Any]:
    data: dict[str, Any] = energy.to_dict()
    data.pop("component", None)
    return data


def _carbon_state(carbon: CarbonSettings, env: Mapping[str, str]) -> dict[str, Any]:
    """The carbon settings for front ends, with the intensity and PUE of the places the
    same energy is compared with (per kWh: the front end scales them by the energy)."""
    places = alternatives(None, carbon, env.get(COMPARE_ENV), [])
    return {**carbon.to_dict(), "alternatives": places}


def _add_lifecycle(record: ProfileRecord, carbon: CarbonSettings, env: Mapping[str, str]) -> None:
    """Embodied emissions, water and the same energy elsewhere (estimates, see lifecycle)."""
    cpu = (record.energy.get("cpu") or {}).get("detail") or {}
    cpu_seconds = cpu.get("cpu_seconds", cpu.get("own_cpu_s"))
    facts = LifecycleFacts(
        duration_s=record.duration_s,
        energy_j=record.energy_j,
        cpu_seconds=cpu_seconds if isinstance(cpu_seconds, (int, float)) else None,
        peak_rss_bytes=record.peak_rss_bytes,
        gpus_used=sorted(k for k, v in record.gpu_peak_memory_bytes.items() if v > 0),
    )
    record.lifecycle = assess(facts, carbon, env)
    record.embodied_co2e_g = record.lifecycle["embodied"]["embodied_co2e_g"]
    record.water_l = record.lifecycle["water"]["water_l"]


def _add_flops(record: ProfileRecord, count: FlopCount, hardware: dict[str, Any]) -> None:
    for key, value in count.record_fields().items():
        setattr(record, key, value)
    if record.duration_s > 0:
        record.flops_per_s = count.total / record.duration_s
    record.flops_peak = _peak_fraction(record, count, hardware)


def _peak_fraction(
    record: ProfileRecord, count: FlopCount, hardware: dict[str, Any]
) -> dict[str, Any] | None:
    """Achieved FLOP/s as a share of the datasheet peak, for GPUs in the table."""
    from .hardware import peak_flops

    if record.flops_per_s is None or count.by_device.get("cuda", 0) < 0.5 * count.total:
        return None
    gpus = hardware.get("gpus") or []
    used = [g for g in gpus if record.gpu_peak_memory_bytes.get(g["label"], 0) > 0] or gpus[:1]
    if not used:
        return None
    precision = max(count.by_dtype, key=lambda d: count.by_dtype[d], default="float32")
    if precision == "float32" and _tf32_allowed():
        precision = "tf32"
    peaks = [peak_flops(g["name"], precision) for g in used]
    if not peaks or any(p is None for p in peaks):
        return None
    total_peak = sum(p["peak_flops_per_s"] for p in peaks if p is not None)
    first = peaks[0]
    assert first is not None
    return {
        **first,
        "peak_flops_per_s": total_peak,
        "devices": [g["label"] for g in used],
        "fraction": record.flops_per_s / total_peak,
    }


def _tf32_allowed() -> bool:
    torch = sys.modules.get("torch")
    try:
        return torch is not None and torch.get_float32_matmul_precision() != "highest"
    except Exception:
        return False


def _cell_facts(
    record: ProfileRecord,
    measurement: Measurement,
    count: FlopCount | None,
    hardware: dict[str, Any],
) -> CellFacts:
    gpus = hardware.get("gpus") or []
    return CellFacts(
        duration_s=record.duration_s,
        cuda_used=cuda_in_use(),
        gpu_utilization_samples={k: list(v) for k, v in measurement.gpu_samples.items()},
        gpu_names={g["label"]: g["name"] for g in gpus},
        gpu_peak_memory_bytes=dict(record.gpu_peak_memory_bytes),
        gpu_memory_total_bytes={
            g["label"]: g["memory_total_bytes"] for g in gpus if g.get("memory_total_bytes")
        },
        gpu_fast_low_precision={
            g["label"]: g["fast_low_precision"] for g in gpus if g.get("fast_low_precision")
        },
        peak_rss_bytes=record.peak_rss_bytes,
        host_memory_total_bytes=hardware.get("host_memory_total_bytes"),
        cpu_fast_bf16=hardware.get("cpu_fast_bf16"),
        flops=count.total if count else None,
        flops_by_dtype=dict(count.by_dtype) if count else {},
        flops_by_device=dict(count.by_device) if count else {},
        idle=measurement.idle,
    )


def _cuda_memory_reserved() -> dict[str, int]:
    """What torch's caching allocator holds per device (``gpu:<i>``)."""
    torch = sys.modules.get("torch")
    if torch is None:
        return {}
    held = {}
    try:
        for index in range(torch.cuda.device_count()):
            held[f"gpu:{index}"] = int(torch.cuda.memory_reserved(index))
    except Exception:
        return held
    return held
