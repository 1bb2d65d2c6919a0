"""The values the sensors layer hands out: energy per component, window results, power.

Every number carries the way it was obtained (``Method``, from ``green_assist.methods``).
A component that cannot be measured or estimated is ``joules=None`` with a ``reason``;
it is never a bare 0.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..methods import Method, least_certain


@dataclass
class ComponentEnergy:
    """Energy of one component (``"cpu"``, ``"dram"``, ``"gpu:0"``) over a window.

    ``reason`` says why ``joules`` is None, or the caveat of the figure (e.g. "estimated:
    no RAPL on this machine"). ``detail`` holds what a careful reader needs to judge the
    number: constants of an estimate, device name, uncertainty note.
    """

    component: str
    joules: float | None
    method: Method | None
    reason: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "component": self.component,
            "joules": self.joules,
            "method": self.method.value if self.method else None,
            "reason": self.reason,
            "detail": _jsonable(self.detail),
        }


@dataclass
class WindowResult:
    """What one measurement window found: per-component energy, duration and peak memory.

    ``total_joules`` sums the components whose energy is known; ``total_method`` is the
    least certain method among them and ``missing`` lists the components left out.
    ``gpu_peak_memory_bytes`` is per device (``"gpu:0"``): this process's peak allocation
    from ``torch.cuda.max_memory_allocated`` when torch uses CUDA, else the device's peak
    used memory sampled through NVML; ``peak_memory_notes`` says which.
    """

    name: str
    started_at: datetime
    duration_s: float
    energy: dict[str, ComponentEnergy]
    peak_rss_bytes: int | None = None
    gpu_peak_memory_bytes: dict[str, int] = field(default_factory=dict)
    peak_memory_notes: dict[str, str] = field(default_factory=dict)

    @property
    def total_joules(self) -> float:
        return sum(e.joules for e in self.energy.values() if e.joules is not None)

    @property
    def total_method(self) -> Method | None:
        return least_certain(
            [e.method for e in self.energy.values() if e.joules is not None and e.method]
        )

    @property
    def missing(self) -> list[str]:
        return [name for name, e in self.energy.items() if e.joules is None]

    def to_dict(self) -> dict[str, Any]:
        method = self.total_method
        return {
            "name": self.name,
            "started_at": self.started_at.isoformat(),
            "duration_s": self.duration_s,
            "total_joules": self.total_joules,
            "total_method": method.value if method else None,
            "missing": self.missing,
            "energy": {name: e.to_dict() for name, e in self.energy.items()},
            "peak_rss_bytes": self.peak_rss_bytes,
            "gpu_peak_memory_bytes": dict(self.gpu_peak_memory_bytes),
            "peak_memory_notes": dict(self.peak_memory_notes),
        }


@dataclass
class PowerReading:
    """Current power of one component: watts with their method, or None with a reason."""

    component: str
    watts: float | None
    method: Method | None
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "component": self.component,
            "watts": self.watts,
            "method": self.method.value if self.method else None,
            "reason": self.reason,
        }


def _jsonable(value: Any) -> Any:
    """Detail dicts may hold enums or tuples; make them plain JSON types."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, enum.Enum):
        return value.value
    return value
