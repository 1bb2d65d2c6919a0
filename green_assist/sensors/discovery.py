"""Choose the backends for this machine, best first, and say why for each component.

GPU: NVML, one component per visible device. CPU and DRAM: RAPL through powercap where
its counters are readable, else the labelled estimate, whose ``reason`` says why the
measurement was not possible and how to enable it. Nothing is ever silently made up.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .backend import Backend
from .cpu import cpu_limit
from .estimate import EstimateBackend
from .tdp import resolve_cpu_power_model


@dataclass
class Discovery:
    backends: list[Backend]
    # Per area ("gpu", "cpu", "dram"): what was found, or why nothing was.
    notes: dict[str, Any] = field(default_factory=dict)


def discover(env: Mapping[str, str], now: float) -> Discovery:
    notes: dict[str, Any] = {}
    backends: list[Backend] = []

    gpu_backend, notes["gpu"] = discover_gpu(env, now)
    if gpu_backend is not None:
        backends.append(gpu_backend)

    rapl_backend, rapl_reasons = discover_rapl(env, now)
    if rapl_backend is not None:
        backends.append(rapl_backend)
    measured = set(rapl_backend.components()) if rapl_backend is not None else set()
    estimated = tuple(c for c in ("cpu", "dram") if c not in measured)
    for component in ("cpu", "dram"):
        notes[component] = "measured: RAPL counter" if component in measured else None
    if estimated:
        reasons = {c: f"estimated: {rapl_reasons.get(c, 'no RAPL counter')}" for c in estimated}
        for component in estimated:
            notes[component] = reasons[component]
        backends.append(
            EstimateBackend(
                now,
                estimated,
                resolve_cpu_power_model(env),
                cpu_limit(),
                reasons,
            )
        )
    return Discovery(backends, notes)


def discover_gpu(env: Mapping[str, str], now: float) -> tuple[Backend | None, str]:
    """The NVML backend for the visible devices, or None and why there is none."""
    from ..capabilities import nvml_capability

    cap = nvml_capability()
    if not cap.available:
        return None, f"no GPU energy: {cap.detail}"
    return None, "NVML found; the NVML backend is not built yet"


def discover_rapl(env: Mapping[str, str], now: float) -> tuple[Backend | None, dict[str, str]]:
    """The RAPL backend for readable package/dram counters, or why each is unusable."""
    reason = "RAPL backend is not built yet"
    return None, {"cpu": reason, "dram": reason}
