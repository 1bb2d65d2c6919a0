"""The live monitor: a thread that, while a measured cell runs, samples GPU utilisation
(for advice) and publishes ``profile_live`` messages about every 0.5 s.

It runs only where someone can use it: a kernel (where front ends may connect at any
time) or a machine with GPUs, and builds a message only while someone listens (``wanted``):
reading exact energy costs a few milliseconds. A C call that holds the GIL delays ticks;
the messages carry cumulative energy, so a late one loses nothing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from .hardware import GpuProbe
from .measurement import Measurement
from .messages import LiveMessage

log = logging.getLogger(__name__)

LIVE_INTERVAL_S = 0.5


class LiveMonitor:
    def __init__(
        self,
        measurement: Measurement,
        publish: Callable[[LiveMessage], None] | None,
        probe: GpuProbe | None,
        interval_s: float = LIVE_INTERVAL_S,
        wanted: Callable[[], bool] = lambda: True,
    ) -> None:
        self.measurement = measurement
        self._publish = publish
        self._wanted = wanted
        self._probe = probe if probe is not None and probe.labels else None
        self._interval = interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="green-assist-live", daemon=True)
        self._failed = False

    def start(self) -> LiveMonitor:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not threading.current_thread():
            self._thread.join(timeout=2.0)

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self.tick()
            except Exception as err:  # never let the monitor take the cell down
                if not self._failed:
                    self._failed = True
                    log.warning("green_assist: live monitor tick failed (reported once): %s", err)

    def tick(self) -> None:
        if not self.measurement.running:
            return
        if self._probe is not None:
            self.measurement.sample_gpus(self._probe.utilization())
        if self._publish is not None and self._wanted():
            self._publish(self.measurement.live_message())
