"""Energy sensors: joules per component over named windows, each with how it was obtained.

Quick use::

    from green_assist.sensors import EnergyMeter

    meter = EnergyMeter.default()            # backends found from this machine, once
    with meter.window("train epoch") as w:   # or: w = meter.start_window(...); w.stop()
        train()
    result = w.result                        # WindowResult
    result.total_joules, result.total_method # e.g. 812.4, Method.ESTIMATED
    result.energy["cpu"]                     # ComponentEnergy(joules, method, reason, detail)
    result.to_dict()                         # JSON-ready

Components are ``"cpu"``, ``"dram"`` and ``"gpu:<i>"`` (``i`` = the index torch uses,
i.e. the position in ``CUDA_VISIBLE_DEVICES``). Each figure carries a ``Method``:

- ``counter``: a hardware energy counter (NVML total energy; RAPL ``energy_uj``);
- ``polled``: power samples integrated (trapezoid), or instant power x duration for
  windows shorter than the GPU counter's ~100 ms update period;
- ``attributed``: this process's share of a GPU it shares with other processes;
- ``estimated``: a documented model (TDP x CPU time; W per GiB of RSS; MIG slice share).

A component that cannot be had is ``joules=None`` with a ``reason``; never a made-up 0.
An estimate's ``reason`` says why nothing could be measured and ``detail`` holds its
constants and an uncertainty note.

Windows nest: each is the difference of cumulative counters taken at its edges, so an
outer window includes an inner one exactly once. Peak memory (RSS, and per GPU
``torch.cuda.max_memory_allocated`` or NVML used memory) is tracked per window.

For a live stream: ``meter.power_now()`` (watts per component with method) and
``meter.cumulative_joules()`` (energy since the meter started; a late message loses
nothing). A background thread samples at 10 Hz (``meter.set_sample_interval(0.01)``
for 100 Hz, the maximum) and keeps constant memory.

CUDA: window edges call ``sync_cuda()`` so queued GPU work is counted in the window it
belongs to; it is a no-op unless the process already imported torch and uses CUDA.

Machine discovery (``EnergyMeter.default()``, ``green-assist doctor``): NVML through
``nvidia-ml-py`` for GPUs; RAPL under ``GREEN_ASSIST_POWERCAP_ROOT`` (default
``/sys/class/powercap``) for CPU packages and DRAM; the estimate otherwise. Estimate
settings: ``GREEN_ASSIST_CPU_TDP_W``, ``GREEN_ASSIST_CPU_THREADS``.

Carbon: ``carbon.CarbonSettings.from_env()`` (``GREEN_ASSIST_REGION``,
``GREEN_ASSIST_CARBON_INTENSITY``, ``GREEN_ASSIST_PUE``) and ``co2e_grams(joules)``.

Layers, each with one job: hardware backends (``estimate``, ``rapl``, ``nvml``) keep
cumulative counters (``backend``); ``meter`` turns them into windows; ``discovery``
picks the backends; ``carbon`` converts energy to CO2e.
"""

from __future__ import annotations

from ..methods import Method
from .carbon import CarbonSettings
from .cuda import sync_cuda
from .meter import EnergyMeter, Window
from .types import ComponentEnergy, PowerReading, WindowResult

__all__ = [
    "CarbonSettings",
    "ComponentEnergy",
    "EnergyMeter",
    "Method",
    "PowerReading",
    "Window",
    "WindowResult",
    "sync_cuda",
]
