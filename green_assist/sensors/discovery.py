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
from .cpu import cpu_limit, proc_stat_path
from .estimate import EstimateBackend
from .gpus import NvmlUnavailable, close_nvml, open_nvml, visible_devices
from .nvml import NvmlBackend
from .rapl import RaplBackend, powercap_root, scan_powercap
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
    try:
        nvml = open_nvml()
    except NvmlUnavailable as err:
        return None, f"no GPU energy: {err}"
    try:
        devices, note = visible_devices(nvml, env)
        if not devices:
            close_nvml(nvml)
            return None, f"no GPU energy: {note or 'NVML lists no GPU'}"
        backend = NvmlBackend(nvml, devices, now, note)  # closes NVML when it is closed
    except nvml.NVMLError as err:
        close_nvml(nvml)
        return None, f"no GPU energy: NVML failed while listing devices ({err})"
    labels = ", ".join(f"{d.label} {d.name}" for d in devices)
    return backend, f"measured through NVML: {labels}" + (f" ({note})" if note else "")


def discover_rapl(env: Mapping[str, str], now: float) -> tuple[Backend | None, dict[str, str]]:
    """The RAPL backend for readable package/dram counters, or why each is unusable."""
    scan = scan_powercap(powercap_root(env))
    if not scan.usable("cpu") and not scan.usable("dram"):
        return None, dict(scan.problems)
    try:
        return RaplBackend(scan, now, proc_stat=proc_stat_path(env)), dict(scan.problems)
    except (OSError, ValueError) as err:  # a counter that vanished since the scan
        reason = f"RAPL counters under {scan.root} could not be read: {err}"
        return None, {"cpu": reason, "dram": reason}
