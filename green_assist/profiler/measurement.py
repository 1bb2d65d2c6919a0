"""One measurement: an energy window (and optionally a FLOP counter) around a cell or script.

``Measurement.start()`` opens a window on the sensors' meter (which synchronises CUDA
at its edges) and, with FLOPs on, starts the counter on the calling thread, which must
be the thread that runs the measured code. ``live_message()`` may be called from the
profiler's background thread while it runs; ``stop()`` closes both on the measuring thread.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from ..sensors import EnergyMeter, WindowResult
from ..sensors.types import ComponentEnergy
from .flops import FlopCount, FlopCounter, torch_available
from .messages import LIVE, EnergyFigure, LiveMessage, PowerFigure

NO_TORCH_NOTE = "FLOPs not counted: PyTorch is not installed in this kernel (pip install torch)"


@dataclass
class Target:
    """What is measured. ``info`` is IPython's ``ExecutionInfo`` of the cell, by which the
    ``post_run_cell`` event finds the measurement to finish."""

    kind: str = "cell"  # "cell" | "script"
    mode: str = "magic"  # "magic" | "auto" | "script"
    execution_count: int | None = None
    cell_id: str | None = None
    cell_index: int | None = None  # position in the notebook (0-based), as the sidebar said
    source: str | None = None
    label: str | None = None
    info: Any = None
    distributed: dict[str, Any] | None = None  # a rank's identity (profiler.distributed)


class Measurement:
    def __init__(
        self,
        meter: EnergyMeter,
        session_id: str,
        target: Target,
        *,
        flops: bool = False,
        sample_interval_s: float | None = None,
    ) -> None:
        self.meter = meter
        self.session_id = session_id
        self.target = target
        self.quiet = False
        self.flops_problem: str | None = None
        self.gpu_samples: dict[str, list[float]] = defaultdict(list)
        self.idle: Any = None  # advice.IdleFacts for the pause before this cell
        self._want_flops = flops
        self._interval = sample_interval_s
        self._previous_interval: float | None = None
        self._counter: FlopCounter | None = None
        self._origin: dict[str, ComponentEnergy] = {}
        self._window: Any = None
        self._t0 = 0.0
        self._seq = 0
        self._lock = threading.Lock()
        self.result: WindowResult | None = None
        self.flop_count: FlopCount | None = None

    # -- lifecycle -----------------------------------------------------------------------
    def start(self) -> Measurement:
        if self._interval is not None:
            self._previous_interval = self.meter.sample_interval_s
            self.meter.set_sample_interval(self._interval)
        name = self.target.label or _default_name(self.target)
        self._window = self.meter.start_window(name)
        self._t0 = time.monotonic()
        # Live energy counts from the window's own start readings: no extra sensor read,
        # and live figures never exceed the record's.
        self._origin = self.meter.cumulative_at_start(self._window)
        if self._want_flops:
            self.enable_flops()
        return self

    @property
    def running(self) -> bool:
        return self._window is not None and self.result is None

    @property
    def counting_flops(self) -> bool:
        return self._counter is not None

    @property
    def started_at(self) -> str:
        return self._window.started_at.isoformat() if self._window is not None else ""

    def enable_flops(self) -> None:
        """Start counting FLOPs now (the magic can upgrade an automatic measurement)."""
        if self._counter is not None or self.result is not None:
            return
        if not torch_available():
            self.flops_problem = NO_TORCH_NOTE
            return
        counter = FlopCounter()
        counter.start()
        self._counter = counter

    def set_sample_interval(self, seconds: float) -> None:
        if self._previous_interval is None:
            self._previous_interval = self.meter.sample_interval_s
        self.meter.set_sample_interval(seconds)

    def stop(self) -> WindowResult:
        """Close the FLOP counter and the window (idempotent)."""
        if self.result is not None:
            return self.result
        counter, self._counter = self._counter, None
        try:
            if counter is not None:
                self.flop_count = counter.stop()
        finally:
            with self._lock:
                self.result = self._window.stop()
            if self._previous_interval is not None:
                self.meter.set_sample_interval(self._previous_interval)
        return self.result

    # -- live ----------------------------------------------------------------------------
    def sample_gpus(self, utilization: dict[str, float]) -> None:
        for label, percent in utilization.items():
            self.gpu_samples[label].append(percent)

    def _since_start(self, name: str, reading: ComponentEnergy) -> ComponentEnergy:
        start = self._origin.get(name)
        joules = None
        if reading.joules is not None and start is not None and start.joules is not None:
            joules = max(0.0, reading.joules - start.joules)
        return ComponentEnergy(name, joules, reading.method, reading.reason)

    def live_message(self) -> LiveMessage:
        """Energy since the start (cumulative, per component) and current power."""
        with self._lock:
            seq, self._seq = self._seq, self._seq + 1
            result = self.result
            if result is not None:  # stopped meanwhile: the record's final figures
                elapsed = result.duration_s
                since_start = dict(result.energy)
            else:
                elapsed = time.monotonic() - self._t0
                # The first message goes out right after the start: the origin serves.
                now = self.meter.cumulative_joules() if seq > 0 else self._origin
                since_start = {name: self._since_start(name, e) for name, e in now.items()}
            power = self.meter.power_now(self._window)
        energy: dict[str, EnergyFigure] = {
            name: {
                "joules": e.joules,
                "method": e.method.value if e.method else None,
                "reason": e.reason,
            }
            for name, e in since_start.items()
        }
        watts: dict[str, PowerFigure] = {
            name: {
                "watts": p.watts,
                "method": p.method.value if p.method else None,
                "reason": p.reason,
            }
            for name, p in power.items()
        }
        known_power = [p["watts"] for p in watts.values() if p["watts"] is not None]
        target = self.target
        return {
            "type": LIVE,
            "session_id": self.session_id,
            "seq": seq,
            "execution_count": target.execution_count,
            "cell_id": target.cell_id,
            "label": target.label,
            "mode": target.mode,
            "started_at": self.started_at,
            "elapsed_s": elapsed,
            "energy": energy,
            "energy_j": sum(e["joules"] for e in energy.values() if e["joules"] is not None),
            "power": watts,
            "power_w": sum(known_power) if known_power else None,
            "flops_counting": self.counting_flops,
        }


def _default_name(target: Target) -> str:
    if target.execution_count is not None:
        return f"cell {target.execution_count}"
    return target.kind
