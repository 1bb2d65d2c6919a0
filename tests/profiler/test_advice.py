"""Runtime advice rules on synthetic cell facts: each fires on its evidence, and only then."""

from __future__ import annotations

from green_assist.profiler.advice import (
    CellFacts,
    IdleFacts,
    advise,
    fp32_matmul,
    gpu_underused,
    idle_gpu_memory,
    memory_near_limit,
)

GIB = 1 << 30


def gpu_cell(**changes) -> CellFacts:
    facts = CellFacts(
        duration_s=30.0,
        cuda_used=True,
        gpu_utilization_samples={"gpu:0": [20.0, 35.0, 25.0, 20.0, 30.0, 20.0]},
        gpu_names={"gpu:0": "NVIDIA A100-SXM4-80GB"},
        gpu_peak_memory_bytes={"gpu:0": 10 * GIB},
        gpu_memory_total_bytes={"gpu:0": 80 * GIB},
        gpu_fast_low_precision={"gpu:0": "bfloat16"},
        peak_rss_bytes=4 * GIB,
        host_memory_total_bytes=64 * GIB,
    )
    for key, value in changes.items():
        setattr(facts, key, value)
    return facts


def test_gpu_underused_when_mostly_waiting():
    advice = gpu_underused(gpu_cell())
    assert advice is not None and advice.code == "gpu-underused"
    assert advice.evidence["mean_utilization_percent"] == {"gpu:0": 25.0}
    assert advice.evidence["samples"] == {"gpu:0": 6}
    assert "num_workers" in advice.fix and "pin_memory=True" in advice.fix


def test_gpu_underused_needs_evidence():
    busy = {"gpu:0": [90.0, 95.0, 88.0, 92.0]}
    assert gpu_underused(gpu_cell(gpu_utilization_samples=busy)) is None
    assert gpu_underused(gpu_cell(duration_s=2.0)) is None  # too short to judge
    assert gpu_underused(gpu_cell(gpu_utilization_samples={"gpu:0": [5.0, 5.0]})) is None
    assert gpu_underused(gpu_cell(cuda_used=False)) is None  # CPU-only cell on a GPU box


def test_one_busy_gpu_of_two_is_not_idle():
    samples = {"gpu:0": [90.0] * 5, "gpu:1": [0.0] * 5}
    assert gpu_underused(gpu_cell(gpu_utilization_samples=samples)) is None


def test_idle_kernel_holding_gpu_memory():
    idle = IdleFacts(
        idle_s=45 * 60,
        gpu_memory_held_bytes={"gpu:0": 12 * GIB, "gpu:1": 0},
        gpu_energy_j={"gpu:0": 162_000.0},
        gpu_energy_method={"gpu:0": "counter"},
    )
    advice = idle_gpu_memory(gpu_cell(idle=idle))
    assert advice is not None
    assert "45 min" in advice.message and "12.0 GiB" in advice.message
    assert "162000 J" in advice.message
    assert advice.evidence["gpu_memory_held_bytes"] == {"gpu:0": 12 * GIB}
    assert "torch.cuda.empty_cache()" in advice.fix


def test_short_pauses_and_small_memory_are_fine():
    short = IdleFacts(idle_s=120, gpu_memory_held_bytes={"gpu:0": 12 * GIB})
    small = IdleFacts(idle_s=3600, gpu_memory_held_bytes={"gpu:0": 100 << 20})
    assert idle_gpu_memory(gpu_cell(idle=short)) is None
    assert idle_gpu_memory(gpu_cell(idle=small)) is None
    assert idle_gpu_memory(gpu_cell()) is None


def test_fp32_products_on_a_bf16_gpu():
    facts = gpu_cell(
        flops=50_000_000_000,
        flops_by_dtype={"float32": 48_000_000_000, "int64": 2_000_000_000},
        flops_by_device={"cuda": 50_000_000_000},
    )
    advice = fp32_matmul(facts)
    assert advice is not None and advice.code == "fp32-matmul"
    assert "96%" in advice.message and "NVIDIA A100" in advice.message
    assert "torch.autocast('cuda', dtype=torch.bfloat16)" in advice.fix
    assert advice.evidence["hardware"] == {"gpu:0": "NVIDIA A100-SXM4-80GB: bfloat16 tensor cores"}


def test_fp32_products_on_cpus():
    cpu_only = dict(
        cuda_used=False,
        gpu_fast_low_precision={},
        flops=5_000_000_000,
        flops_by_dtype={"float32": 5_000_000_000},
        flops_by_device={"cpu": 5_000_000_000},
    )
    assert fp32_matmul(gpu_cell(**cpu_only)) is None  # no bf16 instructions
    advice = fp32_matmul(gpu_cell(cpu_fast_bf16="amx_bf16", **cpu_only))
    assert advice is not None
    assert "torch.autocast('cpu'" in advice.fix and "measure small ones" in advice.fix


def test_no_fp32_advice_without_enough_fp32_work():
    mixed = dict(flops_by_device={"cuda": 10**10})
    assert fp32_matmul(gpu_cell(flops=10**10, flops_by_dtype={"bfloat16": 10**10}, **mixed)) is None
    assert fp32_matmul(gpu_cell(flops=10**8, flops_by_dtype={"float32": 10**8}, **mixed)) is None
    assert fp32_matmul(gpu_cell(flops=None)) is None  # FLOPs not counted: no dtypes known


def test_memory_near_the_device_limit():
    advice = memory_near_limit(gpu_cell(gpu_peak_memory_bytes={"gpu:0": 77 * GIB}))
    assert advice is not None
    assert advice.evidence["devices"]["gpu:0"]["fraction"] == 77 / 80
    assert "77.0 of 80.0 GiB" in advice.message
    host = memory_near_limit(gpu_cell(peak_rss_bytes=62 * GIB))
    assert host is not None and "host" in host.evidence["devices"]
    assert memory_near_limit(gpu_cell()) is None


def test_advise_runs_every_rule_in_order():
    facts = gpu_cell(
        gpu_peak_memory_bytes={"gpu:0": 79 * GIB},
        idle=IdleFacts(idle_s=3600, gpu_memory_held_bytes={"gpu:0": 8 * GIB}),
    )
    assert [a.code for a in advise(facts)] == [
        "gpu-underused",
        "idle-gpu-memory",
        "memory-near-limit",
    ]
    assert all(
        set(a.to_dict()) == {"code", "title", "message", "evidence", "fix"} for a in advise(facts)
    )
    assert advise(CellFacts(duration_s=1.0)) == []
