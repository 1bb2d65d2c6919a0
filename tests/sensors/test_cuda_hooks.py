"""CUDA hooks: never import torch; with torch using CUDA, sync at window edges and track
each window's own peak allocation. torch.cuda is faked at the module boundary
(``sys.modules["torch"]``), as NVML is."""

from __future__ import annotations

import subprocess
import sys
import types

import pytest

from green_assist.sensors import Method


def test_sensors_never_import_torch():
    code = (
        "import sys\n"
        "from green_assist.sensors import EnergyMeter, sync_cuda\n"
        "sync_cuda()\n"
        "m = EnergyMeter.from_environment()\n"
        "with m.window('w') as w: pass\n"
        "m.close()\n"
        "assert 'torch' not in sys.modules, 'torch was imported'\n"
        "print(w.result.total_method)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() in {m.value for m in Method} | {str(m) for m in Method}


class FakeCuda:
    """torch.cuda's allocator statistics for one device, as the user's code changes them."""

    def __init__(self) -> None:
        self.allocated = 0
        self.peak = 0
        self.synchronized = 0

    def allocate(self, nbytes: int) -> None:
        self.allocated += nbytes
        self.peak = max(self.peak, self.allocated)

    def free(self, nbytes: int) -> None:
        self.allocated -= nbytes

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


@pytest.fixture
def cuda(monkeypatch):
    fake = FakeCuda()
    monkeypatch.setitem(sys.modules, "torch", types.SimpleNamespace(cuda=fake))
    return fake


def test_windows_sync_cuda_and_get_their_own_peak(make_meter, cuda):
    meter = make_meter()
    outer = meter.start_window("outer")
    assert cuda.synchronized == 1
    cuda.allocate(6_000)  # a spike before the inner window
    cuda.free(5_000)
    inner = meter.start_window("inner")
    cuda.allocate(2_000)
    cuda.free(2_000)
    inner_result = inner.stop()
    outer_result = outer.stop()
    assert cuda.synchronized == 4
    assert inner_result.gpu_peak_memory_bytes == {"gpu:0": 3_000}
    assert outer_result.gpu_peak_memory_bytes == {"gpu:0": 6_000}
    assert "torch.cuda.max_memory_allocated" in outer_result.peak_memory_notes["gpu:0"]


def test_cuda_in_use_without_nvml_says_gpu_energy_is_missing(make_meter, cuda):
    meter = make_meter(library_missing=True)
    result = meter.start_window("w").stop()
    gpu = result.energy["gpu"]
    assert gpu.joules is None and gpu.method is None
    assert "NVML unavailable" in gpu.reason
    assert "gpu" in result.missing


def test_torch_peak_wins_over_nvml_whole_device_memory(make_meter, cuda):
    from .fake_nvml import FakeGpu

    card = FakeGpu("A100", "GPU-aaaa", [(0.0, 100_000.0)], memory_used=9_000_000_000)
    meter = make_meter(gpus=[card])
    window = meter.start_window("w")
    cuda.allocate(4_000)
    result = window.stop()
    assert result.gpu_peak_memory_bytes == {"gpu:0": 4_000}  # this process, not the device
    assert "torch" in result.peak_memory_notes["gpu:0"]
