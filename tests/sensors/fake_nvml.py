"""A fake ``pynvml`` module that replays power traces, for the NVML backend's tests.

It is placed in ``sys.modules["pynvml"]``, where the backend's ``import pynvml`` finds
it: the hardware is faked at the import boundary and everything above is the real code.
Error classes and codes are the real ones from nvidia-ml-py, so ``except`` clauses
behave as with a driver.

A ``FakeGpu`` has a piecewise-linear power trace (``[(seconds, milliwatts), ...]``, held
flat after the last point) read at the time of a shared ``FakeClock``. Its energy
counter is the exact integral of that trace (mJ, plus an offset: energy since the
driver loaded), so tests know the true energy of any window.
"""

from __future__ import annotations

import types
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import pynvml as real


class FakeClock:
    def __init__(self, t: float = 0.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


@dataclass
class FakeGpu:
    name: str
    uuid: str
    trace: list[tuple[float, float]]  # (seconds, milliwatts), linear in between
    counter: bool = True
    instant_field: bool = True
    power_usage: bool = True
    process_utilization: bool = True
    mig_capable: bool = False
    mig_mode: bool = False
    max_mig_devices: int = 7
    memory_used: int = 1_000_000_000
    lost_at: float | None = None
    counter_offset_mj: int = 5_000_000
    processes: list[int] = field(default_factory=list)
    # (timestamp in µs, pid, SM utilisation %) as NVML's per-process samples
    util_samples: list[tuple[int, int, int]] = field(default_factory=list)

    def power_mw(self, t: float) -> float:
        points = self.trace
        if t <= points[0][0]:
            return points[0][1]
        for (t0, p0), (t1, p1) in pairwise(points):
            if t0 <= t <= t1:
                return p0 + (p1 - p0) * (t - t0) / (t1 - t0)
        return points[-1][1]

    def energy_mj(self, t: float) -> float:
        """Exact integral of the trace from 0 to ``t``."""
        total = 0.0
        points = [(0.0, self.power_mw(0.0))]
        points += [(pt, pw) for pt, pw in self.trace if 0.0 < pt < t]
        points.append((t, self.power_mw(t)))
        for (t0, p0), (t1, p1) in pairwise(points):
            total += (p0 + p1) / 2 * (t1 - t0)
        return total


@dataclass
class FakeMig:
    uuid: str
    parent: FakeGpu
    slices: int
    memory_used: int = 200_000_000


@dataclass
class _Field:
    nvmlReturn: int
    value: Any


@dataclass
class _Sample:
    pid: int
    timeStamp: int
    smUtil: int
    memUtil: int = 0


def fake_nvml(
    clock: FakeClock,
    gpus: list[FakeGpu],
    migs: list[FakeMig] | None = None,
    library_missing: bool = False,
) -> types.ModuleType:
    """A module with the part of the pynvml API green_assist uses."""
    migs = migs or []
    module = types.ModuleType("pynvml")
    module.calls = []  # type: ignore[attr-defined]
    for name in dir(real):
        if name.startswith(("NVMLError", "NVML_")):
            setattr(module, name, getattr(real, name))

    def fail(code: int) -> None:
        raise real.NVMLError(code)

    def alive(handle: Any) -> FakeGpu:
        gpu = handle.parent if isinstance(handle, FakeMig) else handle
        if gpu.lost_at is not None and clock() >= gpu.lost_at:
            fail(real.NVML_ERROR_GPU_IS_LOST)
        return gpu

    def nvmlInit() -> None:
        if library_missing:
            fail(real.NVML_ERROR_LIBRARY_NOT_FOUND)

    def nvmlShutdown() -> None:
        module.calls.append("shutdown")  # type: ignore[attr-defined]

    def nvmlDeviceGetHandleByUUID(uuid: str) -> Any:
        for handle in [*gpus, *migs]:
            if handle.uuid == uuid:
                return handle
        fail(real.NVML_ERROR_NOT_FOUND)

    def nvmlDeviceGetTotalEnergyConsumption(handle: FakeGpu) -> int:
        gpu = alive(handle)
        if not gpu.counter:
            fail(real.NVML_ERROR_NOT_SUPPORTED)
        return gpu.counter_offset_mj + int(gpu.energy_mj(clock()))

    def nvmlDeviceGetFieldValues(handle: FakeGpu, field_ids: list[int]) -> list[_Field]:
        gpu = alive(handle)
        assert field_ids == [real.NVML_FI_DEV_POWER_INSTANT]
        if not gpu.instant_field:
            return [_Field(real.NVML_ERROR_NOT_SUPPORTED, None)]
        value = types.SimpleNamespace(uiVal=int(gpu.power_mw(clock())))
        return [_Field(real.NVML_SUCCESS, value)]

    def nvmlDeviceGetPowerUsage(handle: FakeGpu) -> int:
        gpu = alive(handle)
        if not gpu.power_usage:
            fail(real.NVML_ERROR_NOT_SUPPORTED)
        return int(gpu.power_mw(clock()))

    def nvmlDeviceGetMemoryInfo(handle: Any) -> Any:
        alive(handle)
        return types.SimpleNamespace(used=handle.memory_used)

    def nvmlDeviceGetComputeRunningProcesses(handle: FakeGpu) -> list[Any]:
        gpu = alive(handle)
        return [types.SimpleNamespace(pid=pid, usedGpuMemory=0) for pid in gpu.processes]

    def nvmlDeviceGetProcessUtilization(handle: FakeGpu, last_seen: int) -> list[_Sample]:
        gpu = alive(handle)
        if not gpu.process_utilization:
            fail(real.NVML_ERROR_NOT_SUPPORTED)
        now_us = int(clock() * 1e6)
        samples = [
            _Sample(pid, ts, sm) for ts, pid, sm in gpu.util_samples if last_seen < ts <= now_us
        ]
        if not samples:
            fail(real.NVML_ERROR_NOT_FOUND)
        return samples

    def nvmlDeviceGetMigMode(handle: FakeGpu) -> list[int]:
        if not handle.mig_capable:
            fail(real.NVML_ERROR_NOT_SUPPORTED)
        mode = int(handle.mig_mode)
        return [mode, mode]

    def nvmlDeviceGetAttributes(handle: FakeMig) -> Any:
        return types.SimpleNamespace(gpuInstanceSliceCount=handle.slices)

    functions = {
        "nvmlInit": nvmlInit,
        "nvmlShutdown": nvmlShutdown,
        "nvmlSystemGetDriverVersion": lambda: "550.54.15",
        "nvmlDeviceGetCount": lambda: len(gpus),
        "nvmlDeviceGetHandleByIndex": lambda i: gpus[i],
        "nvmlDeviceGetHandleByUUID": nvmlDeviceGetHandleByUUID,
        "nvmlDeviceGetUUID": lambda h: h.uuid,
        "nvmlDeviceGetName": lambda h: h.name.encode(),  # older bindings return bytes
        "nvmlDeviceGetTotalEnergyConsumption": nvmlDeviceGetTotalEnergyConsumption,
        "nvmlDeviceGetFieldValues": nvmlDeviceGetFieldValues,
        "nvmlDeviceGetPowerUsage": nvmlDeviceGetPowerUsage,
        "nvmlDeviceGetMemoryInfo": nvmlDeviceGetMemoryInfo,
        "nvmlDeviceGetComputeRunningProcesses": nvmlDeviceGetComputeRunningProcesses,
        "nvmlDeviceGetProcessUtilization": nvmlDeviceGetProcessUtilization,
        "nvmlDeviceGetMigMode": nvmlDeviceGetMigMode,
        "nvmlDeviceGetDeviceHandleFromMigDeviceHandle": lambda mig: mig.parent,
        "nvmlDeviceGetAttributes": nvmlDeviceGetAttributes,
        "nvmlDeviceGetMaxMigDeviceCount": lambda h: h.max_mig_devices,
    }
    for name, function in functions.items():
        setattr(module, name, function)
    return module
