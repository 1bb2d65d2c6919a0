"""The few torch.cuda calls the sensors need, made only when the user's code uses CUDA.

Nothing here imports torch: importing it costs seconds and initialising CUDA claims GPU
memory. We look in ``sys.modules``; if torch is not there, or CUDA was never initialised
by the user's code, every helper is a no-op.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

log = logging.getLogger(__name__)


def _cuda() -> Any | None:
    """``torch.cuda`` if the process already imported torch and initialised CUDA."""
    torch = sys.modules.get("torch")
    if torch is None:
        return None
    cuda = getattr(torch, "cuda", None)
    try:
        if cuda is None or not cuda.is_initialized():
            return None
    except Exception:  # a half-imported torch (import still running in another thread)
        return None
    return cuda


def cuda_in_use() -> bool:
    return _cuda() is not None


def sync_cuda() -> None:
    """Wait for queued CUDA work on every device, so energy read next includes it.

    Call before reading GPU energy at a window edge; a no-op without torch or CUDA.
    """
    cuda = _cuda()
    if cuda is None:
        return
    for index in range(cuda.device_count()):
        try:
            cuda.synchronize(index)
        except Exception as err:  # a failed kernel surfaces in the user's code, not here
            log.debug("green_assist: torch.cuda.synchronize(%d) failed: %s", index, err)


def torch_peak_allocated() -> dict[int, int]:
    """``torch.cuda.max_memory_allocated`` per device index since the last reset."""
    cuda = _cuda()
    if cuda is None:
        return {}
    peaks = {}
    for index in range(cuda.device_count()):
        try:
            peaks[index] = int(cuda.max_memory_allocated(index))
        except Exception as err:
            log.debug("green_assist: max_memory_allocated(%d) failed: %s", index, err)
    return peaks


def reset_torch_peaks() -> None:
    """Start a new peak-memory period on every device (``reset_peak_memory_stats``)."""
    cuda = _cuda()
    if cuda is None:
        return
    for index in range(cuda.device_count()):
        try:
            cuda.reset_peak_memory_stats(index)
        except Exception as err:
            log.debug("green_assist: reset_peak_memory_stats(%d) failed: %s", index, err)
