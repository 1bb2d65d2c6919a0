"""A machine with one NVIDIA GPU, faked at the lowest boundaries: ``pynvml`` (the sensors'
fake NVML module, plus the three calls the profiler adds) and ``torch.cuda`` in
``sys.modules``. Everything above them is the real code."""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass, field

from green_assist.sensors import EnergyMeter

from ..sensors.fake_nvml import FakeClock, FakeGpu, fake_nvml

GIB = 1 << 30


@dataclass
class FakeTorchCuda:
    """torch.cuda as the sensors and the profiler call it, for one device."""

    allocated: int = 0
    peak: int = 0
    reserved: int = 0
    synchronized: int = 0
    calls: list[str] = field(default_factory=list)

    def allocate(self, nbytes: int) -> None:
        self.allocated += nbytes
        self.reserved = max(self.reserved, self.allocated)
        self.peak = max(self.peak, self.allocated)

    def is_initialized(self) -> bool:
        return True

    def device_count(self) -> int:
        return 1

    def synchronize(self, index: int) -> None:
        self.synchronized += 1

    def max_memory_allocated(self, index: int) -> int:
        return self.peak

    def reset_peak_memory_stats(self, index: int) -> None:
        self.peak = self.allocated

    def memory_reserved(self, index: int) -> int:
        return self.reserved


@dataclass
class FakeGpuMachine:
    clock: FakeClock
    gpu: FakeGpu
    cuda: FakeTorchCuda
    nvml: types.ModuleType
    utilization: float = 25.0
    memory_total: int = 80 * GIB

    def meter(self) -> EnergyMeter:
        env = {"GREEN_ASSIST_POWERCAP_ROOT": "/nonexistent-powercap"}
        return EnergyMeter.from_environment(env, clock=self.clock, start_sampler=False)


def install(monkeypatch, watts: float = 200.0) -> FakeGpuMachine:
    clock = FakeClock()
    gpu = FakeGpu("NVIDIA A100-SXM4-80GB", "GPU-aaaa-1111", [(0.0, watts * 1000)])
    nvml = fake_nvml(clock, [gpu])
    machine = FakeGpuMachine(clock, gpu, FakeTorchCuda(), nvml)

    def memory_info(handle):
        return types.SimpleNamespace(used=handle.memory_used, total=machine.memory_total)

    nvml.nvmlDeviceGetMemoryInfo = memory_info  # type: ignore[attr-defined]
    nvml.nvmlDeviceGetUtilizationRates = lambda handle: types.SimpleNamespace(  # type: ignore[attr-defined]
        gpu=machine.utilization, memory=10
    )
    nvml.nvmlDeviceGetCudaComputeCapability = lambda handle: (8, 0)  # type: ignore[attr-defined]
    torch = types.ModuleType("torch")
    torch.cuda = machine.cuda  # type: ignore[attr-defined]
    torch.get_float32_matmul_precision = lambda: "highest"  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "pynvml", nvml)
    monkeypatch.setitem(sys.modules, "torch", torch)
    monkeypatch.delenv("CUDA_VISIBLE_DEVICES", raising=False)
    return machine
