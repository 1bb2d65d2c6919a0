"""A machine with one NVIDIA GPU, faked at the lowest boundaries: ``pynvml`` (the sensors'
fake NVML module, plus the three calls the profiler adds) and ``torch.cuda`` in
``sys.modules``. Everything above them is the real code."""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass

from green_assist.sensors import EnergyMeter

from ..sensors.fake_nvml import FakeClock, FakeGpu, fake_nvml
from ..sensors.test_cuda_hooks import FakeCuda

GIB = 1 << 30


class FakeTorchCuda(FakeCuda):
    """The sensors' fake torch.cuda, plus the caching allocator's reserved memory."""

    def __init__(self) -> None:
        super().__init__()
        self.reserved = 0

    def allocate(self, nbytes: int) -> None:
        super().allocate(nbytes)
        self.reserved = max(self.reserved, self.allocated)

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
