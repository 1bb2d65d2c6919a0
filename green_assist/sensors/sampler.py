"""A daemon thread that calls one function at a fixed rate (10 Hz by default, 100 Hz max).

It keeps no history: each tick updates the backends' cumulative counters, so memory
stays constant however long the session runs. A tick that raises is logged once and the
thread carries on. A C call that holds the GIL delays ticks; the trapezoid integration
copes with uneven intervals and exact readings at window edges do not depend on ticks.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)

DEFAULT_INTERVAL_S = 0.1
MIN_INTERVAL_S = 0.01


def check_interval(seconds: float) -> float:
    """The interval as a float, or a ValueError that says what is allowed."""
    try:
        value = float(seconds)
    except (TypeError, ValueError):
        raise ValueError(f"sample interval must be a number of seconds, got {seconds!r}") from None
    if not MIN_INTERVAL_S <= value < float("inf"):
        raise ValueError(
            f"sample interval {seconds!r} s is out of range: use at least {MIN_INTERVAL_S} s "
            f"(100 Hz); the default is {DEFAULT_INTERVAL_S} s (10 Hz)"
        )
    return value


class Sampler:
    def __init__(self, tick: Callable[[], None], interval_s: float = DEFAULT_INTERVAL_S) -> None:
        self._tick = tick
        self._interval = check_interval(interval_s)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._failed_once = False

    @property
    def interval_s(self) -> float:
        return self._interval

    def set_interval(self, seconds: float) -> None:
        self._interval = check_interval(seconds)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.running:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="green-assist-sampler", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 2.0) -> None:
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout_s)

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self._tick()
            except Exception as err:
                if not self._failed_once:
                    self._failed_once = True
                    log.warning("green_assist: sampler tick failed (reported once): %s", err)
