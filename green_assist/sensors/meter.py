"""``EnergyMeter``: named measurement windows over the backends, plus a live stream.

A window stores every backend's cumulative readings when it starts and subtracts them
from the readings when it stops; nested or overlapping windows therefore each get their
own energy and nothing is counted twice. ``cumulative_joules()`` is the same difference
taken from the meter's start, for a live stream whose late messages lose nothing.
"""

from __future__ import annotations

import os
import threading
import time
import weakref
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import Any

from .backend import Backend, Readings
from .cuda import cuda_in_use, sync_cuda
from .peaks import PeakSource, RssPeak, TorchCudaPeak
from .sampler import DEFAULT_INTERVAL_S, Sampler
from .types import ComponentEnergy, PowerReading, WindowResult

Clock = Callable[[], float]


class Window:
    """One named measurement; ``stop()`` returns (and keeps in ``result``) its findings.

    Use ``meter.start_window(name)`` ... ``window.stop()``, or
    ``with meter.window(name) as w: ...`` and read ``w.result`` afterwards.
    """

    def __init__(self, meter: EnergyMeter, name: str) -> None:
        self.meter = meter
        self.name = name
        self.result: WindowResult | None = None
        self.started_at = datetime.now(timezone.utc)
        self._peaks: dict[str, dict[str, int]] = {}
        self._t0 = 0.0
        self._start: dict[str, Readings] = {}

    @property
    def running(self) -> bool:
        return self.result is None

    def stop(self) -> WindowResult:
        """Finish the window (idempotent: a second call returns the same result)."""
        if self.result is None:
            self.result = self.meter._finish(self)
        return self.result

    def __enter__(self) -> Window:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class EnergyMeter:
    """Energy per component over named windows, from backends chosen for this machine.

    ``EnergyMeter.default()`` is the process-wide meter (backends found from the
    environment on first use). Tests and tools build their own with explicit backends,
    a fake ``clock`` and ``start_sampler=False`` (then call ``sample_now()``).
    """

    _default: EnergyMeter | None = None
    _default_lock = threading.Lock()

    def __init__(
        self,
        backends: list[Backend],
        *,
        clock: Clock = time.monotonic,
        sample_interval_s: float = DEFAULT_INTERVAL_S,
        start_sampler: bool = True,
        peak_sources: list[PeakSource] | None = None,
        sync_cuda_at_edges: bool = True,
        notes: dict[str, Any] | None = None,
    ) -> None:
        names = [c for b in backends for c in b.components()]
        duplicates = sorted({c for c in names if names.count(c) > 1})
        if duplicates:
            raise ValueError(f"components claimed by two backends: {duplicates}")
        self.backends = list(backends)
        self.clock = clock
        self.notes = dict(notes or {})
        self._sync = sync_cuda_at_edges
        self._lock = threading.RLock()
        # Weak: a window its caller dropped without stopping costs nothing afterwards.
        self._open: weakref.WeakSet[Window] = weakref.WeakSet()
        self._closed = False
        sources = list(peak_sources if peak_sources is not None else _default_peak_sources())
        for backend in self.backends:
            backend_peaks = getattr(backend, "peak_source", None)
            if isinstance(backend_peaks, PeakSource):
                sources.append(backend_peaks)
        self._peak_sources = {source.key: source for source in sources}
        self._t_start = self.clock()
        self._origin = self._read_all(self._t_start)
        self._sampler = Sampler(self.sample_now, sample_interval_s)
        if start_sampler:
            self._sampler.start()

    # -- construction ----------------------------------------------------------------
    @classmethod
    def default(cls) -> EnergyMeter:
        """The process-wide meter, created on first use from the environment."""
        with cls._default_lock:
            if cls._default is None or cls._default._closed:
                cls._default = cls.from_environment()
            return cls._default

    @classmethod
    def from_environment(cls, env: Mapping[str, str] | None = None, **kwargs: Any) -> EnergyMeter:
        """A meter with the best backends this machine offers (see ``discovery``)."""
        from .discovery import discover

        clock: Clock = kwargs.get("clock", time.monotonic)
        found = discover(os.environ if env is None else env, now=clock())
        return cls(found.backends, notes=found.notes, **kwargs)

    # -- windows -----------------------------------------------------------------------
    def start_window(self, name: str) -> Window:
        """Start measuring; the returned window's ``stop()`` gives a ``WindowResult``."""
        self._check_open()
        window = Window(self, name)
        if self._sync:
            sync_cuda()
        with self._lock:
            self._fold_peaks()
            window._peaks = {
                key: source.read_after_reset() for key, source in self._peak_sources.items()
            }
            window._t0 = self.clock()
            window._start = self._read_all(window._t0)
            self._open.add(window)
        return window

    def window(self, name: str) -> Window:
        """``with meter.window("cell 3") as w: ...`` then ``w.result``."""
        return self.start_window(name)

    def _finish(self, window: Window) -> WindowResult:
        self._check_open()
        if self._sync:
            sync_cuda()
        with self._lock:
            t1 = self.clock()
            stop = self._read_all(t1)
            self._fold_peaks()
            self._open.discard(window)
        duration = max(0.0, t1 - window._t0)
        energy = self._energy(window._start, stop, duration)
        if cuda_in_use() and not any(name.startswith("gpu") for name in energy):
            # The user's code runs on a GPU we cannot measure: say so in every result.
            why = self.notes.get("gpu") or "no GPU backend on this machine"
            energy["gpu"] = ComponentEnergy("gpu", None, None, why)
        return self._result(window, duration, energy)

    def _result(
        self, window: Window, duration: float, energy: dict[str, ComponentEnergy]
    ) -> WindowResult:
        rss: int | None = None
        gpu_peaks: dict[str, int] = {}
        notes: dict[str, str] = {}
        by_priority = sorted(self._peak_sources.items(), key=lambda item: item[1].priority)
        for key, source in by_priority:  # a higher priority overwrites a lower one
            for quantity, value in window._peaks.get(key, {}).items():
                if quantity == "rss":
                    rss = value
                else:
                    gpu_peaks[quantity] = value
                notes[quantity] = source.note
        return WindowResult(
            name=window.name,
            started_at=window.started_at,
            duration_s=duration,
            energy=energy,
            peak_rss_bytes=rss,
            gpu_peak_memory_bytes=gpu_peaks,
            peak_memory_notes=notes,
        )

    # -- live readings -----------------------------------------------------------------
    def components(self) -> list[str]:
        return [c for b in self.backends for c in b.components()]

    def cumulative_joules(self) -> dict[str, ComponentEnergy]:
        """Energy per component since the meter started (for a live stream)."""
        self._check_open()
        now = self.clock()
        readings = self._read_all(now)
        return self._energy(self._origin, readings, now - self._t_start)

    def cumulative_at_start(self, window: Window) -> dict[str, ComponentEnergy]:
        """``cumulative_joules()`` as it was when ``window`` started (no sensor read)."""
        return self._energy(self._origin, window._start, window._t0 - self._t_start)

    def power_now(self, window: Window | None = None) -> dict[str, PowerReading]:
        """Recent power per component, each with its method (or None and a reason); with
        ``window``, from samples since it started only."""
        self._check_open()
        now = self.clock()
        since = window._t0 if window is not None else None
        result: dict[str, PowerReading] = {}
        for backend in self.backends:
            result.update(backend.power(now, since))
        return result

    def describe(self) -> dict[str, Any]:
        """Which backend measures what, and how (``green-assist doctor`` prints this)."""
        return {
            "components": self.components(),
            "backends": [backend.describe() for backend in self.backends],
            "sample_interval_s": self.sample_interval_s,
            "peak_memory": {name: s.note for name, s in self._peak_sources.items()},
            "notes": dict(self.notes),
        }

    # -- sampling ------------------------------------------------------------------------
    @property
    def sample_interval_s(self) -> float:
        return self._sampler.interval_s

    def set_sample_interval(self, seconds: float) -> None:
        """Background sampling period: 0.1 s (10 Hz) by default, at least 0.01 s (100 Hz)."""
        self._sampler.set_interval(seconds)

    def sample_now(self) -> None:
        """One sampler tick: poll every backend and sampled peak source."""
        if self._closed:
            return
        now = self.clock()
        for backend in self.backends:
            backend.poll(now)
        for source in self._peak_sources.values():
            source.poll()

    def close(self) -> None:
        """Stop the sampler and release the hardware; windows cannot start afterwards."""
        if self._closed:
            return
        self._closed = True
        self._sampler.stop()
        for backend in self.backends:
            backend.close()

    @property
    def closed(self) -> bool:
        return self._closed

    # -- internals -----------------------------------------------------------------------
    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError(
                "this EnergyMeter is closed; use EnergyMeter.default() for a fresh one"
            )

    def _read_all(self, now: float) -> dict[str, Readings]:
        return {backend.name: backend.read(now) for backend in self.backends}

    def _energy(
        self, start: dict[str, Readings], stop: dict[str, Readings], duration: float
    ) -> dict[str, ComponentEnergy]:
        energy: dict[str, ComponentEnergy] = {}
        for backend in self.backends:
            energy.update(
                backend.window_energy(start.get(backend.name, {}), stop[backend.name], duration)
            )
        return energy

    def _fold_peaks(self) -> None:
        """Give every open window the peaks seen so far, then start a new peak period."""
        for key, source in self._peak_sources.items():
            values = source.read()
            for window in self._open:
                mine = window._peaks.setdefault(key, {})
                for name, value in values.items():
                    mine[name] = max(mine.get(name, 0), value)
            source.reset()


def _default_peak_sources() -> list[PeakSource]:
    return [RssPeak(), TorchCudaPeak()]
