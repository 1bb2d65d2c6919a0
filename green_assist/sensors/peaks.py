"""Peak memory per window: process RSS and, when torch uses CUDA, its peak allocation.

A peak source reports the peak of each quantity since its last reset. The meter folds
that value into every open window and resets the source at each window edge, so nested
windows each get their own peak without losing the outer one's.

RSS on Linux uses the kernel's own high-water mark (``VmHWM`` in /proc/self/status,
reset by writing ``5`` to /proc/self/clear_refs), so short spikes between samples are
not missed. Elsewhere RSS is sampled by the meter's background thread.
"""

from __future__ import annotations

import os
from pathlib import Path

import psutil

from .cuda import reset_torch_peaks, torch_peak_allocated


class PeakSource:
    """Peak of some quantities since the last ``reset``; ``poll`` runs on sampler ticks.

    Quantities are named ``"rss"`` or ``"gpu:<i>"``. Where two sources report the same
    device, the one with the higher ``priority`` wins (this process's torch figure over
    NVML's whole-device figure).
    """

    key = "peak"
    note = ""
    priority = 0

    def read(self) -> dict[str, int]:
        raise NotImplementedError

    def reset(self) -> None:
        raise NotImplementedError

    def read_after_reset(self) -> dict[str, int]:
        """``read()`` just after ``reset()`` (a source may know it more cheaply)."""
        return self.read()

    def poll(self) -> None:
        """Sampled sources update their running maximum here."""


class RssPeak(PeakSource):
    """Peak resident memory of this process (quantity ``"rss"``)."""

    key = "rss"

    def __init__(self, proc_self: Path = Path("/proc/self")) -> None:
        # Plain strings and os calls: read at every window edge, where pathlib's cost shows.
        self._status = os.fspath(proc_self / "status")
        self._clear_refs = os.fspath(proc_self / "clear_refs")
        self._process = psutil.Process()
        self._sampled_max = 0
        self.kernel_hwm = self._kernel_hwm() is not None and self._can_reset()
        self.note = (
            "kernel high-water mark (VmHWM)"
            if self.kernel_hwm
            else "resident memory sampled by the background thread"
        )
        self.reset()

    def read(self) -> dict[str, int]:
        if self.kernel_hwm:
            hwm = self._kernel_hwm()
            if hwm is not None:
                return {"rss": hwm}
        self.poll()
        return {"rss": self._sampled_max}

    def reset(self) -> None:
        if self.kernel_hwm and not self._write_clear_refs():
            self.kernel_hwm = False
        self._sampled_max = self._current()

    def read_after_reset(self) -> dict[str, int]:
        # The reset set the high-water mark (and the sampled maximum) to the current RSS.
        return {"rss": self._sampled_max}

    def poll(self) -> None:
        if not self.kernel_hwm:
            self._sampled_max = max(self._sampled_max, self._current())

    def _current(self) -> int:
        try:
            return int(self._process.memory_info().rss)
        except psutil.Error:
            return 0

    def _kernel_hwm(self) -> int | None:
        try:
            fd = os.open(self._status, os.O_RDONLY)
            try:
                status = os.read(fd, 65536)
            finally:
                os.close(fd)
            start = status.index(b"VmHWM:") + 6
            return int(status[start : status.index(b"kB", start)]) * 1024
        except (OSError, ValueError):
            return None

    def _can_reset(self) -> bool:
        return self._write_clear_refs()

    def _write_clear_refs(self) -> bool:
        """Reset the kernel's high-water mark to the current RSS ("5" in clear_refs)."""
        try:
            fd = os.open(self._clear_refs, os.O_WRONLY)
            try:
                os.write(fd, b"5")
            finally:
                os.close(fd)
            return True
        except OSError:
            return False


class TorchCudaPeak(PeakSource):
    """``torch.cuda.max_memory_allocated`` per device (keys ``"gpu:<index>"``).

    Resetting calls ``torch.cuda.reset_peak_memory_stats``: user code that reads
    torch's peak itself sees it restart at each window edge.
    """

    key = "torch_cuda"
    note = "torch.cuda.max_memory_allocated (this process)"
    priority = 1

    def read(self) -> dict[str, int]:
        return {f"gpu:{index}": peak for index, peak in torch_peak_allocated().items()}

    def reset(self) -> None:
        reset_torch_peaks()
