"""Machine facts for advice and peak FLOP/s: the shipped table, NVML through a fake module,
cpuinfo flags and cgroup memory limits from files."""

from __future__ import annotations

import pytest

from green_assist.profiler.hardware import (
    GpuProbe,
    cpu_fast_bf16,
    host_memory_total,
    peak_flops,
    peak_table,
)

from . import fake_gpu_machine


@pytest.mark.parametrize(
    ("name", "precision", "tflops"),
    [
        ("NVIDIA H100 80GB HBM3", "bfloat16", 989),
        ("NVIDIA H100 PCIe", "bfloat16", 756),
        ("NVIDIA H200", "float32", 67),
        ("NVIDIA A100-SXM4-80GB", "tf32", 156),
        ("NVIDIA A10", "float32", 31.2),
        ("Tesla V100-PCIE-32GB", "float16", 112),
        ("Tesla T4", "float16", 65),
    ],
)
def test_known_gpus_have_datasheet_peaks(name, precision, tflops):
    peak = peak_flops(name, precision)
    assert peak is not None
    assert peak["peak_flops_per_s"] == pytest.approx(tflops * 1e12)
    assert "datasheet" in peak["source"]


def test_unknown_gpus_and_missing_precisions_have_no_peak():
    assert peak_flops("NVIDIA GeForce GTX 1080", "float32") is None
    assert peak_flops("Tesla T4", "bfloat16") is None  # Turing has no bf16 tensor cores
    assert all(row.source for row in peak_table())


def test_probe_reads_utilisation_memory_and_capability(monkeypatch):
    machine = fake_gpu_machine.install(monkeypatch)
    machine.utilization = 42.0
    probe = GpuProbe(env={})
    assert probe.labels == ["gpu:0"]
    assert probe.utilization() == {"gpu:0": 42.0}
    (facts,) = probe.facts()
    assert facts.compute_capability == (8, 0) and facts.fast_low_precision == "bfloat16"
    assert facts.memory_total_bytes == machine.memory_total
    probe.close()
    assert "shutdown" in machine.nvml.calls


def test_probe_respects_cuda_visible_devices(monkeypatch):
    fake_gpu_machine.install(monkeypatch)
    assert GpuProbe(env={"CUDA_VISIBLE_DEVICES": ""}).labels == []


def test_probe_without_a_driver_is_empty_with_a_reason(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "pynvml", None)  # import fails as without nvidia-ml-py
    probe = GpuProbe()
    assert probe.labels == [] and probe.utilization() == {} and probe.facts() == []
    assert "nvidia-ml-py is not installed" in probe.reason  # the same reason as everywhere


def test_cpu_bf16_flags(tmp_path):
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("model name\t: X\nflags\t\t: fpu sse avx2 avx512f avx512_bf16 amx_bf16\n")
    assert cpu_fast_bf16(cpuinfo) == "amx_bf16"
    cpuinfo.write_text("flags\t\t: fpu sse avx2\n")
    assert cpu_fast_bf16(cpuinfo) is None
    assert cpu_fast_bf16(tmp_path / "missing") is None


def test_host_memory_respects_the_cgroup_limit(tmp_path):
    physical = host_memory_total(tmp_path / "no-cgroup")
    (tmp_path / "memory.max").write_text("1073741824\n")
    assert host_memory_total(tmp_path) == min(physical, 1 << 30)
    (tmp_path / "memory.max").write_text("max\n")
    assert host_memory_total(tmp_path) == physical
