"""What ``green-assist run`` spends before the script's first line: interpreter start,
imports, sensor discovery.

The record's energy is the script's own window. ``StartupWindow`` opens a second window
as soon as the meter exists (early in ``green-assist run``) and closes it after the
script, so the record can also give the energy with the start-up included. The moments
between the process's creation and the meter's first reading cannot be metered (nothing
was reading the sensors yet); their length is given (``unmetered_s``).
"""

from __future__ import annotations

import time
from typing import Any

import psutil

from ..sensors import EnergyMeter
from .session_log import ProfileRecord


class StartupWindow:
    """Start: when the meter is ready. Attach to the script's record: after it finished."""

    def __init__(self, meter: EnergyMeter) -> None:
        self._created = _process_created()
        self._metered_from = time.time()
        self._window = meter.start_window("process")

    def attach(self, record: ProfileRecord, script_started: float) -> None:
        """``record.startup``: seconds before the script, and energy with and without them."""
        result = self._window.stop()
        known = [e for e in result.energy.values() if e.joules is not None]
        with_startup = result.total_joules if known else None
        method = result.total_method
        startup_j = None
        if with_startup is not None and record.energy_j is not None:
            startup_j = max(0.0, with_startup - record.energy_j)
        record.startup = {
            "startup_s": max(0.0, script_started - self._created),
            "unmetered_s": max(0.0, self._metered_from - self._created),
            "energy_with_startup_j": with_startup,
            "startup_energy_j": startup_j,
            "method": method.value if method else None,
            "note": (
                "energy_j is the script's own window; energy_with_startup_j adds interpreter "
                "start-up, imports and sensor discovery from the moment the meter could read "
                "(the unmetered_s before it are not included)"
            ),
        }


def _process_created() -> float:
    """When this process started (epoch seconds)."""
    try:
        return float(psutil.Process().create_time())
    except psutil.Error:
        return time.time()


def startup_text(startup: dict[str, Any]) -> str:
    """One line for the run's summary."""
    from .display import duration_text, energy_text

    with_startup = startup.get("energy_with_startup_j")
    method = f" ({startup['method']})" if startup.get("method") else ""
    return (
        f"{duration_text(startup['startup_s'])} before the script (interpreter, imports, "
        f"sensors); energy with start-up {energy_text(with_startup)}{method}, "
        f"{duration_text(startup['unmetered_s'])} of it unmetered"
    )
