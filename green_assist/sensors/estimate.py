"""The labelled estimate used where nothing can be measured (method ``estimated``).

CPU: ``energy = watts_per_logical_cpu x CPU-seconds of this process``. Put another way,
this process's slice of the package is ``cores_available / threads_per_package`` of its
TDP, scaled by its load ``CPU-seconds / (duration x cores_available)``; the cores
available come from the affinity mask and the cgroup quota (see ``cpu.py``). Idle and
uncore power of the machine are not attributed; turbo above TDP is not modelled.

DRAM: ``energy = 0.3725 W per GiB x resident memory, integrated over time`` (the
Green Algorithms figure: Lannelongue, Grealey & Inouye, Adv. Sci. 2021). DRAM power
really depends on the access rate and on all installed memory, so this is an order of
magnitude that scales with what the process holds.

Both are shown with their constants; neither is ever labelled a measurement.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..methods import Method
from .backend import Backend, Reading, Readings
from .cpu import CpuLimit, ProcessCpuTime, resident_bytes
from .tdp import CpuPowerModel
from .types import ComponentEnergy

DRAM_WATTS_PER_GIB = 0.3725
DRAM_SOURCE = (
    "Lannelongue, Grealey & Inouye, 'Green Algorithms: Quantifying the Carbon Footprint "
    "of Computation', Advanced Science 8 (2021) 2100707: 0.3725 W per GB of memory"
)
CPU_UNCERTAINTY = (
    "model, not a measurement: TDP share x CPU time; ignores idle, uncore and turbo power; "
    "real power can differ by 50% or more"
)
DRAM_UNCERTAINTY = (
    "model, not a measurement: proportional to resident memory, not to memory traffic; "
    "order of magnitude only"
)
_GIB = 2**30
# Cheap sampler ticks rescan child processes at most this often.
_CHILD_SCAN_PERIOD_S = 2.0


class EstimateBackend(Backend):
    """CPU and DRAM energy from a documented model, for the components given."""

    name = "estimate"

    def __init__(
        self,
        now: float,
        components: tuple[str, ...],
        power_model: CpuPowerModel,
        limit: CpuLimit,
        reasons: dict[str, str],
        *,
        cpu_time: ProcessCpuTime | None = None,
        rss: Callable[[], int] = resident_bytes,
    ) -> None:
        super().__init__()
        unknown = set(components) - {"cpu", "dram"}
        if unknown:
            raise ValueError(f"the estimate backend knows cpu and dram, not {sorted(unknown)}")
        self._components = list(components)
        self.power_model = power_model
        self.limit = limit
        self._reasons = reasons
        self._cpu_time = cpu_time or ProcessCpuTime()
        self._rss = rss
        self._cpu0 = self._cpu_time.seconds(scan_children=True)
        self._last_scan = now
        self._rss_t, self._rss_last = now, self._rss()
        self._rss_gib_s = 0.0

    def components(self) -> list[str]:
        return list(self._components)

    def _read(self, now: float, exact: bool) -> Readings:
        readings: Readings = {}
        if "cpu" in self._components:
            scan = exact or now - self._last_scan >= _CHILD_SCAN_PERIOD_S
            if scan:
                self._last_scan = now
            cpu_s = self._cpu_time.seconds(scan_children=scan) - self._cpu0
            readings["cpu"] = Reading(
                joules=self.power_model.watts_per_logical_cpu * cpu_s,
                method=Method.ESTIMATED,
                reason=self._reasons.get("cpu"),
                aux={"cpu_seconds": cpu_s},
                detail=self._cpu_detail(),
            )
        if "dram" in self._components:
            rss = self._rss()
            if now > self._rss_t:
                mean_gib = (rss + self._rss_last) / 2 / _GIB
                self._rss_gib_s += mean_gib * (now - self._rss_t)
                self._rss_t, self._rss_last = now, rss
            readings["dram"] = Reading(
                joules=DRAM_WATTS_PER_GIB * self._rss_gib_s,
                method=Method.ESTIMATED,
                reason=self._reasons.get("dram"),
                aux={"rss_gib_seconds": self._rss_gib_s},
                detail={
                    "model": "W per GiB x resident memory (RSS) integrated over time",
                    "watts_per_gib": DRAM_WATTS_PER_GIB,
                    "source": DRAM_SOURCE,
                    "uncertainty": DRAM_UNCERTAINTY,
                },
            )
        return readings

    def window_energy(
        self, start: Readings, stop: Readings, duration_s: float
    ) -> dict[str, ComponentEnergy]:
        result = super().window_energy(start, stop, duration_s)
        cpu = result.get("cpu")
        if cpu is not None and cpu.joules is not None and duration_s > 0:
            busy = cpu.detail.get("cpu_seconds", 0.0) / duration_s
            cpu.detail["mean_cores_busy"] = busy
            cpu.detail["mean_load_of_available"] = busy / self.limit.cores
        dram = result.get("dram")
        if dram is not None and dram.joules is not None and duration_s > 0:
            dram.detail["mean_rss_gib"] = dram.detail.get("rss_gib_seconds", 0.0) / duration_s
        return result

    def _cpu_detail(self) -> dict[str, Any]:
        model = self.power_model
        return {
            "model": "watts per logical CPU x CPU-seconds of this process and its children",
            "watts_per_logical_cpu": model.watts_per_logical_cpu,
            "tdp_w": model.tdp_w,
            "threads_per_package": model.threads_per_package,
            "cpu_model": model.cpu_model,
            "source": model.source,
            "cores_available": self.limit.cores,
            "cores_available_source": self.limit.source,
            "uncertainty": CPU_UNCERTAINTY,
        }

    def nominal(self) -> dict[str, tuple[Method | None, str | None]]:
        return {c: (Method.ESTIMATED, self._reasons.get(c)) for c in self._components}

    def describe(self) -> dict[str, Any]:
        return {
            "backend": self.name,
            "components": self.components(),
            "method": Method.ESTIMATED.value,
            "reasons": dict(self._reasons),
            "cpu_power_model": self.power_model.to_dict(),
            "cpu_limit": self.limit.to_dict(),
            "dram_watts_per_gib": DRAM_WATTS_PER_GIB,
            "dram_source": DRAM_SOURCE,
        }
