"""Runtime advice: what a finished cell's measurements say could waste less energy.

Each rule is a small function of ``CellFacts`` (the numbers one cell produced, plus
the machine's facts) that returns an ``Advice`` or None. Every advice carries the
evidence it rests on, so a reader can judge it, and a fix. Rules:

- ``gpu-underused``: the GPU was busy less than half the time while the cell ran
  (data loading or host-bound work keeps it waiting);
- ``idle-gpu-memory``: the kernel sat idle a long time before this cell while holding
  GPU memory (the device idles at tens of watts and others cannot use it);
- ``fp32-matmul``: most counted FLOPs were FP32 products on hardware with fast
  bf16/fp16 (needs ``--flops``: only the FLOP counter sees dtypes);
- ``memory-near-limit``: peak memory came within 10% of the device's (or the host's)
  capacity.

Thresholds are module constants; tests feed recorded and synthetic facts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

GPU_BUSY_BELOW = 50.0  # percent
GPU_MIN_DURATION_S = 5.0
GPU_MIN_SAMPLES = 4
IDLE_AFTER_S = 600.0
IDLE_MIN_HELD_BYTES = 1 << 30
FP32_SHARE = 0.8
FP32_MIN_FLOPS = 1e9
MEMORY_NEAR = 0.9
_GIB = float(1 << 30)


@dataclass
class Advice:
    code: str
    title: str
    message: str
    evidence: dict[str, Any]
    fix: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "title": self.title,
            "message": self.message,
            "evidence": self.evidence,
            "fix": self.fix,
        }


@dataclass
class IdleFacts:
    """The time between the previous cell's end and this cell's start."""

    idle_s: float
    gpu_memory_held_bytes: dict[str, int]
    gpu_energy_j: dict[str, float | None] = field(default_factory=dict)
    gpu_energy_method: dict[str, str | None] = field(default_factory=dict)


@dataclass
class CellFacts:
    """What one cell produced, as the advice rules read it."""

    duration_s: float
    cuda_used: bool = False
    gpu_utilization_samples: dict[str, list[float]] = field(default_factory=dict)
    gpu_names: dict[str, str] = field(default_factory=dict)
    gpu_peak_memory_bytes: dict[str, int] = field(default_factory=dict)
    gpu_memory_total_bytes: dict[str, int] = field(default_factory=dict)
    gpu_fast_low_precision: dict[str, str] = field(default_factory=dict)
    peak_rss_bytes: int | None = None
    host_memory_total_bytes: int | None = None
    cpu_fast_bf16: str | None = None
    flops: int | None = None
    flops_by_dtype: dict[str, int] = field(default_factory=dict)
    flops_by_device: dict[str, int] = field(default_factory=dict)
    idle: IdleFacts | None = None


def advise(facts: CellFacts) -> list[Advice]:
    """Every rule's advice for one cell, in a stable order."""
    rules = (gpu_underused, idle_gpu_memory, fp32_matmul, memory_near_limit)
    return [advice for rule in rules if (advice := rule(facts)) is not None]


def gpu_underused(facts: CellFacts) -> Advice | None:
    if not facts.cuda_used or facts.duration_s < GPU_MIN_DURATION_S:
        return None
    busy = {
        label: sum(samples) / len(samples)
        for label, samples in facts.gpu_utilization_samples.items()
        if len(samples) >= GPU_MIN_SAMPLES
    }
    if not busy or max(busy.values()) >= GPU_BUSY_BELOW:
        return None
    where = ", ".join(f"{label} {value:.0f}%" for label, value in sorted(busy.items()))
    return Advice(
        code="gpu-underused",
        title="GPU mostly idle while the cell ran",
        message=(
            f"The GPU ran kernels only part of the time ({where} busy over "
            f"{facts.duration_s:.0f} s): it waited for the host, typically for data loading "
            "or Python-side work, while drawing power."
        ),
        evidence={
            "mean_utilization_percent": {k: round(v, 1) for k, v in busy.items()},
            "samples": {k: len(v) for k, v in facts.gpu_utilization_samples.items()},
            "duration_s": facts.duration_s,
            "threshold_percent": GPU_BUSY_BELOW,
            "source": "nvmlDeviceGetUtilizationRates, sampled every 0.5 s",
        },
        fix=(
            "Feed the GPU faster: DataLoader(num_workers=4 or more, pin_memory=True, "
            "persistent_workers=True), .to(device, non_blocking=True), do preprocessing on "
            "the GPU, and use larger batches."
        ),
    )


def idle_gpu_memory(facts: CellFacts) -> Advice | None:
    idle = facts.idle
    if idle is None or idle.idle_s < IDLE_AFTER_S:
        return None
    held = {k: v for k, v in idle.gpu_memory_held_bytes.items() if v >= IDLE_MIN_HELD_BYTES}
    if not held:
        return None
    amounts = ", ".join(f"{label} {value / _GIB:.1f} GiB" for label, value in sorted(held.items()))
    energy = {k: v for k, v in idle.gpu_energy_j.items() if v is not None}
    spent = f"; the GPU used {sum(energy.values()):.0f} J meanwhile" if energy else ""
    return Advice(
        code="idle-gpu-memory",
        title="Idle kernel held GPU memory",
        message=(
            f"Before this cell the kernel was idle for {idle.idle_s / 60:.0f} min while "
            f"holding {amounts} of GPU memory{spent}. An idle kernel keeps the GPU powered "
            "and unavailable to others."
        ),
        evidence={
            "idle_s": idle.idle_s,
            "gpu_memory_held_bytes": held,
            "gpu_energy_j": idle.gpu_energy_j,
            "gpu_energy_method": idle.gpu_energy_method,
            "source": "torch.cuda.memory_reserved at the end of the previous cell",
        },
        fix=(
            "Release what you no longer need (del model, optimizer; gc.collect(); "
            "torch.cuda.empty_cache()), or shut the kernel down when you step away."
        ),
    )


def fp32_matmul(facts: CellFacts) -> Advice | None:
    total = facts.flops or 0
    fp32 = facts.flops_by_dtype.get("float32", 0)
    if total < FP32_MIN_FLOPS or fp32 < FP32_SHARE * total:
        return None
    devices = {kind for kind, flops in facts.flops_by_device.items() if flops > 0}
    capable: dict[str, str] = {}
    if "cuda" in devices:
        for label, precision in facts.gpu_fast_low_precision.items():
            name = facts.gpu_names.get(label, label)
            capable[label] = f"{name}: {precision} tensor cores"
    if "cpu" in devices and facts.cpu_fast_bf16:
        capable["cpu"] = f"CPU with {facts.cpu_fast_bf16} instructions"
    if not capable:
        return None
    on_gpu = "cuda" in devices and any(label != "cpu" for label in capable)
    dtype = "torch.bfloat16"
    device_type = "cuda" if on_gpu else "cpu"
    return Advice(
        code="fp32-matmul",
        title="FP32 matrix products on hardware with fast low precision",
        message=(
            f"{fp32 / total:.0%} of this cell's {total / 1e9:.1f} GFLOP ran in float32 on "
            f"hardware with faster low-precision units ({'; '.join(capable.values())}). "
            "Mixed precision usually takes less time and energy per step."
        ),
        evidence={
            "flops": total,
            "flops_by_dtype": dict(facts.flops_by_dtype),
            "flops_by_device": dict(facts.flops_by_device),
            "hardware": capable,
        },
        fix=(
            f"Wrap the forward pass and loss in torch.autocast('{device_type}', dtype={dtype}) "
            "(green-assist check flags it as GA101 and can apply the fix); on GPUs also "
            "torch.set_float32_matmul_precision('high'). Check that accuracy holds."
            + (
                " On CPUs bf16 pays off for large matrices; measure small ones."
                if not on_gpu
                else ""
            )
        ),
    )


def memory_near_limit(facts: CellFacts) -> Advice | None:
    near: dict[str, dict[str, Any]] = {}
    for label, peak in facts.gpu_peak_memory_bytes.items():
        total = facts.gpu_memory_total_bytes.get(label)
        if total and peak >= MEMORY_NEAR * total:
            near[label] = {"peak_bytes": peak, "total_bytes": total, "fraction": peak / total}
    host_total = facts.host_memory_total_bytes
    if facts.peak_rss_bytes and host_total and facts.peak_rss_bytes >= MEMORY_NEAR * host_total:
        near["host"] = {
            "peak_bytes": facts.peak_rss_bytes,
            "total_bytes": host_total,
            "fraction": facts.peak_rss_bytes / host_total,
        }
    if not near:
        return None
    where = ", ".join(
        f"{label} {v['peak_bytes'] / _GIB:.1f} of {v['total_bytes'] / _GIB:.1f} GiB"
        for label, v in sorted(near.items())
    )
    return Advice(
        code="memory-near-limit",
        title="Memory near the device limit",
        message=(
            f"Peak memory came close to capacity ({where}). The next larger batch or "
            "sequence will fail with out-of-memory, and allocator retries cost time."
        ),
        evidence={"devices": near, "threshold_fraction": MEMORY_NEAR},
        fix=(
            "Use a smaller batch with gradient accumulation, mixed precision "
            "(torch.autocast), activation checkpointing (torch.utils.checkpoint), or free "
            "tensors you keep between steps."
        ),
    )
