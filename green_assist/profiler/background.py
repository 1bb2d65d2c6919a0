"""The profiler's background thread: the work a cell need not wait for.

One thread per profiler session does, in this order:

- syncs the session log: one fsync for every line written since the last (group
  commit; the cell's own thread writes each line, so it is in the file before the
  kernel replies);
- delivers finished records to their listeners (the comm to the sidebar), each after
  the sync that made it durable;
- while a measured cell runs: sends its first live message 0.1 s after the start, then
  one about every 0.5 s, and samples GPU utilisation for advice (a cell shorter than
  0.1 s gets its record only: nothing would show the live figures that quickly).

The cell's thread only hands work over (``written``, ``watch``, ``unwatch``). It waits
for the sync of earlier records before the next cell starts (``wait_synced``) and at
exit (``close``). Because one thread does all of it, the front end gets a cell's live
messages before its record, and records in the order cells finished. A C call that
holds the GIL delays ticks; live messages carry cumulative energy, so a late one loses
nothing.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from .hardware import GpuProbe
from .measurement import Measurement
from .messages import LiveMessage

log = logging.getLogger(__name__)

LIVE_INTERVAL_S = 0.5
FIRST_LIVE_S = 0.1
# How long the next cell waits for the previous records' fsync before it starts anyway
# (a hung network file system must not hang the notebook).
SYNC_WAIT_S = 10.0


@dataclass
class _Watch:
    measurement: Measurement
    publish: Callable[[LiveMessage], None] | None
    due: float  # time.monotonic() of the next tick


class BackgroundWorker:
    """The session's background thread; started on first use, stopped by ``close``."""

    def __init__(
        self,
        sync_log: Callable[[], None],
        on_sync_error: Callable[[Exception], None],
        *,
        probe: GpuProbe | None = None,
        live_wanted: Callable[[], bool] = lambda: True,
        interval_s: float = LIVE_INTERVAL_S,
    ) -> None:
        self._sync_log = sync_log
        self._on_sync_error = on_sync_error
        self._probe = probe if probe is not None and probe.labels else None
        self._live_wanted = live_wanted
        self._interval = interval_s
        self._cond = threading.Condition()
        self._deliveries: list[Callable[[], None]] = []
        self._written = 0  # lines written by the cell's thread
        self._synced = 0  # of which fsync-ed
        self._watch: _Watch | None = None
        self._thread: threading.Thread | None = None
        self._closed = False
        self._tick_failed = False

    @property
    def samples_gpus(self) -> bool:
        return self._probe is not None

    # -- called from the cell's thread ---------------------------------------------------
    def written(self, deliver: Callable[[], None] | None = None) -> None:
        """A record's line is in the file: sync it, then call ``deliver`` (if any)."""
        with self._cond:
            self._written += 1
            if deliver is not None:
                self._deliveries.append(deliver)
            self._wake()

    def watch(
        self, measurement: Measurement, publish: Callable[[LiveMessage], None] | None
    ) -> None:
        """Send live messages (and sample GPUs) for ``measurement`` until ``unwatch``."""
        with self._cond:
            self._watch = _Watch(measurement, publish, time.monotonic() + FIRST_LIVE_S)
            self._wake()

    def unwatch(self, measurement: Measurement) -> None:
        with self._cond:
            if self._watch is not None and self._watch.measurement is measurement:
                self._watch = None

    def wait_synced(self, timeout: float = SYNC_WAIT_S) -> bool:
        """Wait until every line written so far is fsync-ed; False on timeout."""
        with self._cond:
            target = self._written
            if self._synced >= target:
                return True
            if self._thread is None or not self._thread.is_alive():
                self._synced = target
                self._sync_now()
                return True
            return self._cond.wait_for(lambda: self._synced >= target, timeout)

    def close(self, timeout: float = SYNC_WAIT_S) -> None:
        """Finish the pending work (sync, deliveries) and stop the thread."""
        with self._cond:
            if self._closed:
                return
            self._closed = True
            self._watch = None
            self._cond.notify_all()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
        with self._cond:
            if self._synced < self._written:  # the thread is gone or stuck: sync here
                self._synced = self._written
                self._sync_now()

    # -- the thread ------------------------------------------------------------------------
    def _wake(self) -> None:
        if self._thread is None and not self._closed:
            self._thread = threading.Thread(
                target=self._run, name="green-assist-background", daemon=True
            )
            self._thread.start()
            atexit.register(self.close)
        self._cond.notify_all()

    def _run(self) -> None:
        while True:
            with self._cond:
                # The tick's time changes when a new cell is watched: recompute the wait.
                while not self._has_work():
                    self._cond.wait(self._until_tick())
                if self._closed and self._synced >= self._written and not self._deliveries:
                    return
                target = self._written
                deliveries, self._deliveries = self._deliveries, []
                watch = self._watch
                tick = watch is not None and watch.due <= time.monotonic()
                if tick and watch is not None:
                    watch.due = time.monotonic() + self._interval
            if target > self._synced:
                self._sync_now()
                with self._cond:
                    self._synced = max(self._synced, target)
                    self._cond.notify_all()
            for deliver in deliveries:
                try:
                    deliver()
                except Exception as err:  # a broken listener must not stop the others
                    log.warning("green_assist: delivering a record failed: %s", err)
            if tick and watch is not None:
                self._tick(watch)

    def _has_work(self) -> bool:
        watch = self._watch
        return (
            self._closed
            or self._written > self._synced
            or bool(self._deliveries)
            or (watch is not None and watch.due <= time.monotonic())
        )

    def _until_tick(self) -> float | None:
        watch = self._watch
        return None if watch is None else max(0.0, watch.due - time.monotonic())

    def _sync_now(self) -> None:
        try:
            self._sync_log()
        except Exception as err:
            self._on_sync_error(err)

    def _tick(self, watch: _Watch) -> None:
        measurement = watch.measurement
        if not measurement.running:
            return
        try:
            if self._probe is not None:
                measurement.sample_gpus(self._probe.utilization())
            if watch.publish is not None and self._live_wanted():
                watch.publish(measurement.live_message())
        except Exception as err:  # never let the thread take the cell down
            if not self._tick_failed:
                self._tick_failed = True
                log.warning("green_assist: live update failed (reported once): %s", err)
