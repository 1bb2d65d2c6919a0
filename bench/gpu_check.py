"""Check green_assist's GPU energy figures on a real NVIDIA GPU (needs the package and torch).

    python bench/gpu_check.py [--seconds 20] [--json-out gpu_check.json]

It runs a fixed fp16 matmul load on every visible GPU for about 20 s and prints, per
device:

- the whole run's energy from the total-energy counter (what green_assist reports when
  the GPU has one) against the same period's power integrated from samples (trapezoid,
  at 100 Hz and at the default 10 Hz), and their ratio;
- windows of 5 s, 0.5 s and 50 ms: green_assist's figure and method, the raw counter
  difference and the 100 Hz integrated power, with ratios (median, min-max).

Without torch, CUDA or an NVIDIA GPU it says so and exits 0. It finishes in under two
minutes (about 20 s of load plus start-up).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from green_assist.sensors import EnergyMeter, WindowResult
from green_assist.sensors.gpus import GpuDevice, text, visible_devices
from green_assist.sensors.nvml import NvmlBackend

# (window length in s, how many) measured under load; plus the whole run.
WINDOWS = [(5.0, 1), (0.5, 8), (0.05, 20)]


class TorchLoad:
    """fp16 matmuls queued on every visible GPU; ``busy(s)`` keeps them loaded for s seconds."""

    def __init__(self, torch: Any, size: int = 8192) -> None:
        self.torch = torch
        self.pairs = []
        for index in range(torch.cuda.device_count()):
            device = torch.device("cuda", index)
            a = torch.randn(size, size, device=device, dtype=torch.float16)
            b = torch.randn(size, size, device=device, dtype=torch.float16)
            self.pairs.append((a, b, torch.empty_like(a)))
        self.sync()

    def busy(self, seconds: float) -> None:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            for a, b, out in self.pairs:
                self.torch.mm(a, b, out=out)
            self.sync()  # keeps the queue short, so the load stops when the time is up

    def sync(self) -> None:
        for index in range(self.torch.cuda.device_count()):
            self.torch.cuda.synchronize(index)


def nvml_backend(nvml: Any, devices: list[GpuDevice], note: str | None = None) -> NvmlBackend:
    nvml.nvmlInit()  # each backend shuts NVML down once when closed: keep the count even
    return NvmlBackend(nvml, devices, time.monotonic(), note)


def polled_meter(nvml: Any, devices: list[GpuDevice], interval_s: float) -> EnergyMeter:
    """A meter that ignores the energy counter and integrates sampled power instead."""
    polled = [dataclasses.replace(d, counter=False) for d in devices]
    return EnergyMeter([nvml_backend(nvml, polled)], sample_interval_s=interval_s, peak_sources=[])


def raw_counters_mj(nvml: Any, devices: list[GpuDevice]) -> dict[str, int | None]:
    values: dict[str, int | None] = {}
    for device in devices:
        try:
            values[device.label] = int(nvml.nvmlDeviceGetTotalEnergyConsumption(device.handle))
        except nvml.NVMLError:
            values[device.label] = None
    return values


def run_check(
    nvml: Any,
    busy: Callable[[float], None],
    seconds: float,
    windows: list[tuple[float, int]],
    env: dict[str, str],
) -> dict[str, Any]:
    """Measure the load with the counter meter and two polled meters; returns the report."""
    devices, note = visible_devices(nvml, env)
    meter = EnergyMeter([nvml_backend(nvml, devices, note)])
    fast, slow = polled_meter(nvml, devices, 0.01), polled_meter(nvml, devices, 0.1)
    meters = {"meter": meter, "polled_100hz": fast, "polled_10hz": slow}
    try:
        whole = {key: m.start_window("whole run") for key, m in meters.items()}
        raw_start = raw_counters_mj(nvml, devices)
        started = time.perf_counter()
        rows: list[dict[str, Any]] = []
        window_time = sum(length * count for length, count in windows)
        busy(max(0.0, (seconds - window_time) / 2))  # warm up clocks and power state
        for length, count in windows:
            for _ in range(count):
                opened = {key: m.start_window(f"{length:g} s") for key, m in meters.items()}
                raw0 = raw_counters_mj(nvml, devices)
                busy(length)
                raw1 = raw_counters_mj(nvml, devices)
                results = {key: w.stop() for key, w in opened.items()}
                rows.append(_window_row(length, devices, results, raw0, raw1))
        busy(max(0.0, seconds - (time.perf_counter() - started)))
        raw_stop = raw_counters_mj(nvml, devices)
        totals = {key: w.stop() for key, w in whole.items()}
    finally:
        for m in meters.values():
            m.close()
    return {
        "devices": [d.to_dict() for d in devices],
        "visible_note": note,
        "whole_run": _whole_row(devices, totals, raw_start, raw_stop),
        "windows": _summarise(rows, devices),
        "peak_memory_bytes": totals["meter"].gpu_peak_memory_bytes,
    }


def _joules(result: WindowResult, label: str) -> float | None:
    energy = result.energy.get(label)
    return None if energy is None else energy.joules


def _window_row(
    length: float,
    devices: list[GpuDevice],
    results: dict[str, WindowResult],
    raw0: dict[str, int | None],
    raw1: dict[str, int | None],
) -> dict[str, Any]:
    row: dict[str, Any] = {"length_s": length, "devices": {}}
    for device in devices:
        label = device.label
        energy = results["meter"].energy[label]
        start, stop = raw0[label], raw1[label]
        row["devices"][label] = {
            "duration_s": results["meter"].duration_s,
            "meter_j": energy.joules,
            "meter_method": energy.method.value if energy.method else None,
            "raw_counter_j": None if start is None or stop is None else (stop - start) / 1000,
            "polled_100hz_j": _joules(results["polled_100hz"], label),
        }
    return row


def _whole_row(
    devices: list[GpuDevice],
    totals: dict[str, WindowResult],
    raw_start: dict[str, int | None],
    raw_stop: dict[str, int | None],
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for device in devices:
        label = device.label
        meter_j = _joules(totals["meter"], label)
        fast_j = _joules(totals["polled_100hz"], label)
        slow_j = _joules(totals["polled_10hz"], label)
        start, stop = raw_start[label], raw_stop[label]
        duration = totals["meter"].duration_s
        out[label] = {
            "name": device.name,
            "duration_s": duration,
            "meter_j": meter_j,
            "meter_method": _method(totals["meter"], label),
            "raw_counter_j": None if start is None or stop is None else (stop - start) / 1000,
            "polled_100hz_j": fast_j,
            "polled_10hz_j": slow_j,
            "ratio_meter_to_polled_100hz": _ratio(meter_j, fast_j),
            "ratio_meter_to_polled_10hz": _ratio(meter_j, slow_j),
            "mean_power_w": None if meter_j is None or duration <= 0 else meter_j / duration,
        }
    return out


def _method(result: WindowResult, label: str) -> str | None:
    method = result.energy[label].method
    return method.value if method else None


def _ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or not b else a / b


def _summarise(rows: list[dict[str, Any]], devices: list[GpuDevice]) -> list[dict[str, Any]]:
    summary = []
    for length in sorted({row["length_s"] for row in rows}, reverse=True):
        for device in devices:
            cells = [r["devices"][device.label] for r in rows if r["length_s"] == length]
            summary.append(
                {
                    "device": device.label,
                    "length_s": length,
                    "count": len(cells),
                    "methods": sorted({str(c["meter_method"]) for c in cells}),
                    "meter_j": _stats([c["meter_j"] for c in cells]),
                    "raw_counter_j": _stats([c["raw_counter_j"] for c in cells]),
                    "polled_100hz_j": _stats([c["polled_100hz_j"] for c in cells]),
                    "meter_over_polled": _stats(
                        [_ratio(c["meter_j"], c["polled_100hz_j"]) for c in cells]
                    ),
                    "raw_counter_over_polled": _stats(
                        [_ratio(c["raw_counter_j"], c["polled_100hz_j"]) for c in cells]
                    ),
                }
            )
    return summary


def _stats(values: list[float | None]) -> dict[str, float] | None:
    known = [v for v in values if v is not None]
    if not known:
        return None
    return {"median": statistics.median(known), "min": min(known), "max": max(known)}


def format_report(report: dict[str, Any], header: str) -> str:
    lines = [header, ""]
    for label, row in report["whole_run"].items():
        lines.append(f"{label} {row['name']}: whole run {row['duration_s']:.1f} s")
        lines.append(
            f"  green_assist {_j(row['meter_j'])} ({row['meter_method']}), raw counter "
            f"{_j(row['raw_counter_j'])}, mean {_num(row['mean_power_w'], 'W')}"
        )
        lines.append(
            f"  polled 100 Hz {_j(row['polled_100hz_j'])}, 10 Hz {_j(row['polled_10hz_j'])}; "
            f"green_assist/polled: {_num(row['ratio_meter_to_polled_100hz'])} (100 Hz), "
            f"{_num(row['ratio_meter_to_polled_10hz'])} (10 Hz)"
        )
    lines += ["", "windows under load: median (min-max)"]
    for row in report["windows"]:
        lines.append(
            f"  {row['device']} {row['length_s'] * 1000:>5.0f} ms x{row['count']:<2} "
            f"green_assist {_s(row['meter_j'], 'J')} [{', '.join(row['methods'])}]  "
            f"raw counter {_s(row['raw_counter_j'], 'J')}  polled 100 Hz "
            f"{_s(row['polled_100hz_j'], 'J')}"
        )
        lines.append(
            f"  {'':>19}green_assist/polled {_s(row['meter_over_polled'])}  "
            f"raw counter/polled {_s(row['raw_counter_over_polled'])}"
        )
    peaks = report["peak_memory_bytes"]
    if peaks:
        lines += [
            "",
            "peak memory: " + ", ".join(f"{k} {v / 2**30:.2f} GiB" for k, v in peaks.items()),
        ]
    return "\n".join(lines)


def _j(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f} J"


def _num(value: float | None, unit: str = "") -> str:
    return "n/a" if value is None else f"{value:.3f}{' ' + unit if unit else ''}"


def _s(stats: dict[str, float] | None, unit: str = "") -> str:
    if stats is None:
        return "n/a"
    u = f" {unit}" if unit else ""
    return f"{stats['median']:.3g}{u} ({stats['min']:.3g}-{stats['max']:.3g})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="load duration (default 20)")
    parser.add_argument("--json-out", help="also write the report as JSON to this file")
    args = parser.parse_args(argv)
    try:
        import torch
    except ImportError:
        print("gpu_check: torch is not installed; nothing to check (pip install torch).")
        return 0
    if not torch.cuda.is_available():
        print(
            "gpu_check: no CUDA GPU is visible to torch (torch.cuda.is_available() is False); "
            "this check needs an NVIDIA GPU, so there is nothing to measure here."
        )
        return 0
    import os

    import pynvml

    try:
        pynvml.nvmlInit()
    except pynvml.NVMLError as err:
        print(f"gpu_check: torch sees a GPU but NVML does not load ({err}); fix the driver.")
        return 1
    load = TorchLoad(torch)
    header = (
        f"green_assist GPU check: driver {text(pynvml.nvmlSystemGetDriverVersion())}, "
        f"torch {torch.__version__}, fp16 matmul 8192x8192 on {torch.cuda.device_count()} GPU(s)"
    )
    report = run_check(pynvml, load.busy, args.seconds, WINDOWS, dict(os.environ))
    pynvml.nvmlShutdown()
    print(format_report(report, header))
    if args.json_out:
        with open(args.json_out, "w", encoding="utf-8") as fh:
            json.dump({"header": header, **report}, fh, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
