"""What the profiler needs to know about the machine, beyond energy.

- ``GpuProbe``: per visible GPU (``CUDA_VISIBLE_DEVICES`` order, labels ``gpu:<i>`` as in
  the sensors): utilisation samples (``nvmlDeviceGetUtilizationRates``: the share of time
  a kernel ran), total memory and compute capability, through NVML.
- ``host_memory_total()``: RAM this process may use (cgroup limit or physical memory).
- ``cpu_fast_bf16()``: whether the CPU has bf16 matrix instructions (AMX, AVX512-BF16).
- ``peak_flops(gpu_name, precision)``: the datasheet peak for known GPUs, from the
  shipped table ``data/peak_flops.csv`` (each row with its source).
- ``describe_hardware()``: the ``hardware`` field of records.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import psutil

from ..hostinfo import describe_host, software_versions


@dataclass(frozen=True)
class GpuFacts:
    label: str
    name: str
    memory_total_bytes: int | None
    compute_capability: tuple[int, int] | None

    @property
    def fast_low_precision(self) -> str | None:
        """Which low precision has tensor cores here (bf16 from 8.0, fp16 from 7.0)."""
        if self.compute_capability is None:
            return None
        if self.compute_capability >= (8, 0):
            return "bfloat16"
        if self.compute_capability >= (7, 0):
            return "float16"
        return None

    def to_dict(self) -> dict[str, Any]:
        cc = self.compute_capability
        return {
            "label": self.label,
            "name": self.name,
            "memory_total_bytes": self.memory_total_bytes,
            "compute_capability": f"{cc[0]}.{cc[1]}" if cc else None,
            "fast_low_precision": self.fast_low_precision,
        }


class GpuProbe:
    """NVML queries for advice; every method returns empty results when NVML is absent."""

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        self.reason: str | None = None
        self._nvml: Any = None
        self._devices: list[Any] = []
        from ..sensors.gpus import NvmlUnavailable, open_nvml, visible_devices

        try:
            self._nvml = open_nvml()
        except NvmlUnavailable as err:
            self.reason = str(err)
            return
        try:
            self._devices, _note = visible_devices(self._nvml, os.environ if env is None else env)
        except self._nvml.NVMLError as err:
            self.reason = f"NVML failed: {err}"

    @property
    def labels(self) -> list[str]:
        return [device.label for device in self._devices]

    def utilization(self) -> dict[str, float]:
        """Percent of the last sample period in which a kernel ran, per GPU (MIG: none)."""
        values: dict[str, float] = {}
        for device in self._devices:
            if device.mig is not None:
                continue  # NVML has no utilisation for MIG instances
            try:
                values[device.label] = float(
                    self._nvml.nvmlDeviceGetUtilizationRates(device.handle).gpu
                )
            except self._nvml.NVMLError:
                continue
        return values

    def facts(self) -> list[GpuFacts]:
        result = []
        for device in self._devices:
            total: int | None = None
            capability: tuple[int, int] | None = None
            with contextlib.suppress(self._nvml.NVMLError):
                total = int(self._nvml.nvmlDeviceGetMemoryInfo(device.memory_handle).total)
            with contextlib.suppress(self._nvml.NVMLError):
                major, minor = self._nvml.nvmlDeviceGetCudaComputeCapability(device.handle)
                capability = (int(major), int(minor))
            result.append(GpuFacts(device.label, device.name, total, capability))
        return result

    def close(self) -> None:
        if self._nvml is not None:
            from ..sensors.gpus import close_nvml

            close_nvml(self._nvml)
            self._nvml = None
            self._devices = []


def host_memory_total(cgroup_root: Path = Path("/sys/fs/cgroup")) -> int:
    """Physical memory, or the cgroup v2 limit of this container when that is lower."""
    total = int(psutil.virtual_memory().total)
    try:
        raw = (cgroup_root / "memory.max").read_text().strip()
    except OSError:
        return total
    return min(total, int(raw)) if raw.isdigit() else total


def cpu_fast_bf16(cpuinfo: Path = Path("/proc/cpuinfo")) -> str | None:
    """``"amx_bf16"`` or ``"avx512_bf16"`` when the CPU has bf16 matrix instructions."""
    try:
        with open(cpuinfo, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if line.startswith("flags"):
                    flags = set(line.split(":", 1)[1].split())
                    for flag in ("amx_bf16", "avx512_bf16"):
                        if flag in flags:
                            return flag
                    return None
    except OSError:
        pass
    return None


@dataclass(frozen=True)
class PeakRow:
    pattern: str
    name: str
    tflops: dict[str, float]
    source: str


@functools.lru_cache(maxsize=1)
def peak_table() -> tuple[PeakRow, ...]:
    text = resources.files(__package__).joinpath("data/peak_flops.csv").read_text("utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    rows = []
    for row in csv.DictReader(lines):
        tflops = {
            precision: float(row[precision])
            for precision in ("float32", "tf32", "bfloat16", "float16")
            if row[precision]
        }
        rows.append(PeakRow(row["pattern"], row["name"], tflops, row["source"]))
    return tuple(rows)


def peak_flops(gpu_name: str, precision: str) -> dict[str, Any] | None:
    """``{"peak_flops_per_s", "precision", "device", "source"}`` or None when unknown."""
    for row in peak_table():
        if re.search(row.pattern, gpu_name, re.IGNORECASE):
            tflops = row.tflops.get(precision)
            if tflops is None:
                return None
            return {
                "peak_flops_per_s": tflops * 1e12,
                "precision": precision,
                "device": row.name,
                "source": row.source,
            }
    return None


def describe_hardware(probe: GpuProbe | None = None) -> dict[str, Any]:
    """The ``hardware`` field of a record: CPU, host memory and GPU facts, and the versions
    of the software that ran (``software``: python, green_assist, torch, jupyterlab...)."""
    host = describe_host()
    gpus = [facts.to_dict() for facts in probe.facts()] if probe is not None else []
    return {
        "hostname": host["hostname"],
        "platform": host["platform"],
        "cpu_model": host["cpu_model"],
        "cpu_count": host["cpu_count"],
        "cpu_fast_bf16": cpu_fast_bf16(),
        "host_memory_total_bytes": host_memory_total(),
        "gpu_names": host["gpu_names"],
        "gpu_reason": host["gpu_reason"],
        "gpus": gpus,
        "software": software_versions(),
    }
