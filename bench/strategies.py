"""What the green strategies buy: each refactor's before and after on a small model.

    python bench/strategies.py [--rounds 5] [--threads 1] [--only attention,accumulation,prune]

For each strategy a small workload is written as a user would write it ("before"), the
refactor is run on that source (the same code path as ``green-assist refactor``), and
both versions are executed in this process. Rounds interleave before and after (the
order alternates) so that load from other processes hits both alike. Per version it
reports the median time per iteration and the median of the per-round ratios
after/before, the energy of each window from the profiler's meter (with its method:
``estimated`` where the machine has no energy counter), peak resident memory from the
profiler's window (the kernel's high-water mark, reset per window; reported above the
resident memory at the window's start, with glibc set to return freed blocks), and FLOPs counted
once per version by the profiler's counter (not timed).

Workloads:

* ``efficient-attention``: one training step (forward and backward) of a nanoGPT-style
  causal self-attention block, batch 4, 8 heads, sequence 1024, head size 64; and the
  attention alone, forward, at sequence lengths 8 to 512 (is the fused call ever slower?);
* ``grad-accumulation``: one epoch of an MLP (784-512-512-10, SGD) over 8192 samples at
  batch 4096 -> 4 micro-batches of 1024 per optimizer step;
* ``prune``: inference of a small CNN (batch 256, 32x32 images) after training, before
  and after ``prune`` with amount=0.5; also the zlib-compressed size of its state dict.

"Expected on GPUs" is computed, not measured: FLOPs divided by the datasheet peak of
the shipped table (``green_assist/profiler/data/peak_flops.csv``, bfloat16 tensor
cores) is the compute-bound time, which none of these refactors changes; what they
change on GPUs (memory traffic, memory footprint, sparse tensor cores) is stated with
its published source in the README.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
import zlib
from collections.abc import Callable
from contextlib import redirect_stdout
from dataclasses import dataclass, field
from typing import Any

ATTENTION = """
import math

import torch
import torch.nn.functional as F
from torch import nn


class CausalSelfAttention(nn.Module):
    def __init__(self, n_embd=512, n_head=8, block_size=1024, dropout=0.0):
        super().__init__()
        self.c_attn = nn.Linear(n_embd, 3 * n_embd)
        self.c_proj = nn.Linear(n_embd, n_embd)
        self.attn_dropout = nn.Dropout(dropout)
        self.n_head, self.n_embd = n_head, n_embd
        mask = torch.tril(torch.ones(block_size, block_size))
        self.register_buffer("bias", mask.view(1, 1, block_size, block_size))

    def forward(self, x):
        B, T, C = x.size()
        q, k, v = self.c_attn(x).split(self.n_embd, dim=2)
        k = k.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        q = q.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        v = v.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
        att = att.masked_fill(self.bias[:, :, :T, :T] == 0, float("-inf"))
        att = F.softmax(att, dim=-1)
        att = self.attn_dropout(att)
        y = att @ v
        y = y.transpose(1, 2).contiguous().view(B, T, C)
        return self.c_proj(y)


torch.manual_seed(0)
block = CausalSelfAttention()
x = torch.randn(4, 1024, 512)


def workload():
    block.zero_grad()
    block(x).pow(2).mean().backward()
"""

ACCUMULATION = """
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
data = TensorDataset(torch.randn(8192, 784), torch.randint(0, 10, (8192,)))
model = nn.Sequential(
    nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10)
)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)


def workload():
    loader = DataLoader(data, batch_size=4096, shuffle=False)
    for x, y in loader:
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
"""

PRUNE = """
import torch
from torch import nn


class SmallCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(64, 128, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        )
        self.classifier = nn.Sequential(
            nn.Flatten(), nn.Linear(128 * 4 * 4, 256), nn.ReLU(), nn.Linear(256, 10)
        )

    def forward(self, x):
        return self.classifier(self.features(x))


torch.manual_seed(0)
model = SmallCNN()
images = torch.randn(256, 3, 32, 32)
model.eval()


def workload():
    with torch.no_grad():
        model(images)
"""


@dataclass
class Strategy:
    name: str  # the refactor
    label: str
    source: str
    options: dict[str, str] = field(default_factory=dict)


STRATEGIES = {
    "attention": Strategy(
        "efficient-attention", "causal self-attention, B4 H8 L1024 d64, train step", ATTENTION
    ),
    "accumulation": Strategy(
        "grad-accumulation", "MLP 784-512-512-10, 8192 samples, batch 4096, 1 epoch", ACCUMULATION
    ),
    "prune": Strategy("prune", "CNN inference, batch 256, 32x32", PRUNE, {"amount": "0.5"}),
}


@dataclass
class Version:
    run: Callable[[], None]
    namespace: dict[str, Any]
    times: list[float] = field(default_factory=list)
    joules: list[float] = field(default_factory=list)
    peaks: list[int] = field(default_factory=list)  # peak RSS above the window's start
    method: str = "?"
    flops: int | None = None


def load(source: str, name: str) -> Version:
    namespace: dict[str, Any] = {"__name__": name}
    with redirect_stdout(io.StringIO()):  # the prune helper prints its counts
        exec(compile(source, f"<{name}>", "exec"), namespace)  # noqa: S102 - our own code
    return Version(namespace["workload"], namespace)


def measure(version: Version, iterations: int, meter: Any) -> None:
    import psutil

    from green_assist.profiler.measurement import Measurement, Target

    measurement = Measurement(meter, "bench", Target(kind="script", mode="script"))
    resident = psutil.Process().memory_info().rss
    measurement.start()
    start = time.perf_counter()
    for _ in range(iterations):
        version.run()
    elapsed = time.perf_counter() - start
    result = measurement.stop()
    version.times.append(elapsed / iterations)
    version.joules.append(result.total_joules / iterations)
    version.method = result.total_method.value if result.total_method else "unknown"
    if result.peak_rss_bytes is not None:
        version.peaks.append(result.peak_rss_bytes - resident)


def count_flops(version: Version, meter: Any) -> None:
    from green_assist.profiler.measurement import Measurement, Target

    measurement = Measurement(meter, "bench", Target(kind="script", mode="script"), flops=True)
    measurement.start()
    version.run()
    measurement.stop()
    if measurement.flop_count is not None:
        version.flops = measurement.flop_count.total


def expected_gpu_ms(flops: int | None) -> str:
    from green_assist.profiler.hardware import peak_flops

    if not flops:
        return "n/a"
    parts = []
    for gpu in ("NVIDIA A100", "NVIDIA H100 SXM"):
        peak = peak_flops(gpu, "bfloat16")
        if peak is not None:
            parts.append(f"{peak['device']} {flops / peak['peak_flops_per_s'] * 1e3:.3f} ms")
    return ", ".join(parts)


def attention_lengths(rounds: int) -> None:
    """Forward-only manual vs fused causal attention at short and long sequences."""
    import math

    import torch
    import torch.nn.functional as F

    def manual(q: Any, k: Any, v: Any, mask: Any) -> Any:
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
        att = att.masked_fill(mask == 0, float("-inf"))
        return F.softmax(att, dim=-1) @ v

    def fused(q: Any, k: Any, v: Any, mask: Any) -> Any:
        scale = 1.0 / math.sqrt(k.size(-1))
        return F.scaled_dot_product_attention(q, k, v, is_causal=True, scale=scale)

    print("\nattention forward, batch 4, 8 heads, head size 64 (median fused/manual per round):")
    for length in (8, 32, 128, 512):
        q, k, v = (torch.randn(4, 8, length, 64) for _ in range(3))
        mask = torch.tril(torch.ones(length, length))
        repeats = max(5, 20000 // length)
        ratios, manual_s = [], []
        for round_ in range(rounds):
            spent = {}
            pairs = (("manual", manual), ("fused", fused))
            for name, function in pairs if round_ % 2 == 0 else reversed(pairs):
                start = time.perf_counter()
                for _ in range(repeats):
                    function(q, k, v, mask)
                spent[name] = (time.perf_counter() - start) / repeats
            ratios.append(spent["fused"] / spent["manual"])
            manual_s.append(spent["manual"])
        print(
            f"  L={length:4d}: manual {statistics.median(manual_s) * 1e3:8.2f} ms,"
            f" fused/manual {statistics.median(ratios):.2f}"
        )


def compressed_state_dict(namespace: dict[str, Any]) -> int:
    import torch

    buffer = io.BytesIO()
    torch.save(namespace["model"].state_dict(), buffer)
    return len(zlib.compress(buffer.getvalue(), 6))


def main(argv: list[str] | None = None) -> int:
    if "MALLOC_MMAP_THRESHOLD_" not in os.environ:
        # glibc keeps large freed blocks in its heap once its dynamic mmap threshold has
        # grown, so resident memory would not fall between windows; a fixed threshold
        # returns them, and each window's high-water mark shows its own peak.
        environment = {**os.environ, "MALLOC_MMAP_THRESHOLD_": "65536"}
        os.execve(sys.executable, [sys.executable, *sys.argv], environment)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--only", default=",".join(STRATEGIES))
    args = parser.parse_args(argv)
    try:
        import torch
    except ImportError:
        print("strategies: needs torch (pip install torch); nothing measured.")
        return 0
    from green_assist.refactor import refactor_text
    from green_assist.sensors import EnergyMeter
    from green_assist.target import detect_target

    torch.set_num_threads(args.threads)
    meter = EnergyMeter.default()
    load_before = os.getloadavg()
    machine = detect_target().describe()
    print(f"machine: {machine}; torch {torch.__version__}, {args.threads} thread(s)")
    one, five, fifteen = load_before
    print(f"load average at start: {one:.1f} {five:.1f} {fifteen:.1f} on {os.cpu_count()} CPUs")
    rows = []
    for key in args.only.split(","):
        strategy = STRATEGIES[key]
        result = refactor_text(strategy.name, strategy.source, options=strategy.options)
        assert result.status == "changed", (strategy.name, result.reason)
        before = load(strategy.source, f"{key}_before")
        after = load(result.text or "", f"{key}_after")
        iterations = 2
        for version in (before, after):  # warm-up: allocator, kernels, page faults
            version.run()
        for round_ in range(args.rounds):
            order = (before, after) if round_ % 2 == 0 else (after, before)
            for version in order:
                measure(version, iterations, meter)
        for version in (before, after):
            count_flops(version, meter)
        ratios = [a / b for a, b in zip(after.times, before.times, strict=True)]
        energy_ratios = [a / b for a, b in zip(after.joules, before.joules, strict=True) if b > 0]
        row: dict[str, Any] = {
            "refactor": strategy.name,
            "workload": strategy.label,
            "ms_before": statistics.median(before.times) * 1e3,
            "ms_after": statistics.median(after.times) * 1e3,
            "time_ratio": statistics.median(ratios),
            "j_before": statistics.median(before.joules),
            "j_after": statistics.median(after.joules),
            "energy_ratio": statistics.median(energy_ratios) if energy_ratios else None,
            "method": before.method,
            "peak_before_mb": statistics.median(before.peaks) / 2**20 if before.peaks else None,
            "peak_after_mb": statistics.median(after.peaks) / 2**20 if after.peaks else None,
            "flops_before": before.flops,
            "flops_after": after.flops,
            "gpu_expected": expected_gpu_ms(after.flops),
        }
        if key == "prune":
            row["compressed_kb"] = (
                compressed_state_dict(before.namespace) / 1024,
                compressed_state_dict(after.namespace) / 1024,
            )
        rows.append(row)
        print(
            f"\n{strategy.name}: {strategy.label}\n"
            f"  time/iter   {row['ms_before']:9.1f} ms -> {row['ms_after']:9.1f} ms"
            f"  (median ratio after/before {row['time_ratio']:.2f})\n"
            f"  energy/iter {row['j_before']:9.2f} J  -> {row['j_after']:9.2f} J"
            f"  ({row['method']}; median ratio"
            f" {row['energy_ratio']:.2f})\n"
            f"  peak memory {row['peak_before_mb']:9.0f} MB -> {row['peak_after_mb']:9.0f} MB"
            " (resident memory above the window's start)\n"
            f"  FLOPs       {row['flops_before'] or 0:,} -> {row['flops_after'] or 0:,}\n"
            f"  expected compute-bound time on GPUs (bf16 datasheet peak): {row['gpu_expected']}"
            + (
                f"\n  state dict, zlib-compressed: {row['compressed_kb'][0]:.0f} KB ->"
                f" {row['compressed_kb'][1]:.0f} KB"
                if "compressed_kb" in row
                else ""
            )
        )
    if "attention" in args.only.split(","):
        attention_lengths(args.rounds)
    print("\n| refactor | time / iteration | energy (estimated here) | peak memory | FLOPs |")
    print("| --- | --- | --- | --- | --- |")
    for row in rows:
        print(
            f"| `{row['refactor']}` | {row['ms_before']:.0f} -> {row['ms_after']:.0f} ms"
            f" (x{row['time_ratio']:.2f}) | {row['j_before']:.2f} -> {row['j_after']:.2f} J"
            f" (x{row['energy_ratio']:.2f}) | {row['peak_before_mb']:.0f} ->"
            f" {row['peak_after_mb']:.0f} MB | {(row['flops_before'] or 0) / 1e9:.1f} ->"
            f" {(row['flops_after'] or 0) / 1e9:.1f} G |"
        )
    load_after = os.getloadavg()
    print(f"\nload average at end: {load_after[0]:.1f} {load_after[1]:.1f} {load_after[2]:.1f}")
    meter.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
