"""What every sensor backend provides to the meter: cumulative counters per component.

A backend keeps, for each component it owns, the energy accumulated since it was
created (``Reading.joules``), whatever the hardware does underneath (a counter that
wraps, power samples integrated between polls, a model fed with CPU time). A window is
then the difference of two readings, so windows nest without double counting and a
live stream can send cumulative values that lose nothing when a message is late.

The meter calls ``poll(now)`` from its sampler thread (keep it cheap) and ``read(now)``
at window edges and on demand (exact: may cost more). ``window_energy`` turns two
readings into ``ComponentEnergy``; the default subtracts, backends override it where a
window needs more (short GPU windows, per-process attribution).
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from ..methods import Method
from .types import ComponentEnergy, PowerReading


@dataclass
class Reading:
    """One component's cumulative state at one instant.

    ``joules`` is the energy since the backend started (None when unknown, with
    ``reason``). ``watts`` is the instant power when the hardware gives one. ``aux``
    holds other cumulative quantities (CPU-seconds, utilisation sums) whose window
    differences go into the result's detail.
    """

    joules: float | None
    method: Method | None
    reason: str | None = None
    watts: float | None = None
    aux: dict[str, float] = field(default_factory=dict)
    detail: dict[str, Any] = field(default_factory=dict)


Readings = dict[str, Reading]


class Backend:
    """Base class: subclasses implement ``components``, ``_read`` and ``describe``."""

    name = "backend"
    # How much recent history ``power`` looks back over, in seconds.
    power_horizon_s = 1.0

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._recent: deque[tuple[float, Readings]] = deque(maxlen=256)

    # -- what subclasses provide -------------------------------------------------
    def components(self) -> list[str]:
        raise NotImplementedError

    def _read(self, now: float, exact: bool) -> Readings:
        """Update the cumulative state to ``now`` and return it (``exact`` at window edges)."""
        raise NotImplementedError

    def describe(self) -> dict[str, Any]:
        """What this backend measures and how, for ``green-assist doctor``."""
        raise NotImplementedError

    def nominal(self) -> dict[str, tuple[Method | None, str | None]]:
        """Per component: the method a window normally gets, and its reason or caveat."""
        raise NotImplementedError

    def close(self) -> None:
        """Release the hardware (NVML shutdown); the backend is unusable afterwards."""

    # -- what the meter calls ----------------------------------------------------
    def poll(self, now: float) -> None:
        """Sampler tick: cheap update of the cumulative state."""
        with self._lock:
            readings = self._read(now, exact=False)
            self._recent.append((now, readings))

    def read(self, now: float) -> Readings:
        """Exact cumulative readings at ``now`` (window edges, live stream)."""
        with self._lock:
            readings = self._read(now, exact=True)
            self._recent.append((now, readings))
            return readings

    def window_energy(
        self, start: Readings, stop: Readings, duration_s: float
    ) -> dict[str, ComponentEnergy]:
        return {
            name: difference(name, start.get(name), stop[name], duration_s)
            for name in self.components()
            if name in stop
        }

    def _history(self, since: float | None) -> list[tuple[float, Readings]]:
        """The recent samples, only those taken at or after ``since`` when given."""
        with self._lock:
            return [h for h in self._recent if since is None or h[0] >= since]

    def power(self, now: float, since: float | None = None) -> dict[str, PowerReading]:
        """Recent power per component: instant watts where known, else the slope of the
        cumulative energy over the last ``power_horizon_s`` of samples (only those taken at
        or after ``since``: a cell's power does not average in the idle time before it)."""
        history = self._history(since)
        result: dict[str, PowerReading] = {}
        for name in self.components():
            result[name] = _power_from_history(name, history, self.power_horizon_s)
        return result


def difference(
    name: str, start: Reading | None, stop: Reading, duration_s: float
) -> ComponentEnergy:
    """Energy between two cumulative readings of one component; None with the reason
    when either end is unknown."""
    if stop.joules is None:
        return ComponentEnergy(name, None, None, stop.reason, dict(stop.detail))
    if start is None or start.joules is None:
        why = start.reason if start is not None and start.reason else "unreadable at window start"
        return ComponentEnergy(name, None, None, why, dict(stop.detail))
    detail = dict(stop.detail)
    for key, value in stop.aux.items():
        if key in start.aux:
            detail[key] = value - start.aux[key]
    return ComponentEnergy(name, stop.joules - start.joules, stop.method, stop.reason, detail)


# A slope over less than this is no power figure: CPU time comes in 10 ms clock ticks, so
# two samples a few ms apart (a cell's start reading and a sampler tick right after it)
# read 0 W from a busy CPU.
MIN_POWER_SPAN_S = 0.05


def _power_from_history(
    name: str, history: list[tuple[float, Readings]], horizon_s: float
) -> PowerReading:
    points = [(t, r[name]) for t, r in history if name in r]
    if not points:
        return PowerReading(name, None, None, "no sample yet")
    t_last, last = points[-1]
    if last.joules is None:
        return PowerReading(name, None, None, last.reason)
    if last.watts is not None:
        method = Method.POLLED if last.method is Method.COUNTER else last.method
        return PowerReading(name, last.watts, method, last.reason)
    older = [(t, r) for t, r in points if t <= t_last - horizon_s and r.joules is not None]
    base = older[-1] if older else points[0]
    t_first, first = base
    if t_last - t_first < MIN_POWER_SPAN_S or first.joules is None:
        return PowerReading(name, None, last.method, "not enough samples yet")
    watts = (last.joules - first.joules) / (t_last - t_first)
    return PowerReading(name, watts, last.method, last.reason)
