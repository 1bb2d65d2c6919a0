"""What ``green-assist doctor`` reports: how each component's energy is obtained here,
why, and for each gap the fix.

``diagnose()`` runs the same discovery as ``EnergyMeter.default()`` (NVML, RAPL, the
estimate) and adds what a user needs to judge the figures: the estimate's constants,
cgroup CPU limits, the powercap scan, the GPUs and their capabilities, the carbon
settings. It returns plain JSON-ready data; the CLI formats it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from ..methods import Method
from .carbon import INTENSITY_ENV, REGION_ENV, CarbonSettings, provider_efficiency
from .cpu import cpu_limit
from .estimate import DRAM_SOURCE, DRAM_WATTS_PER_GIB
from .meter import EnergyMeter
from .rapl import permission_fix, powercap_root, scan_powercap
from .sampler import MIN_INTERVAL_S
from .tdp import TDP_ENV, THREADS_ENV, resolve_cpu_power_model


def diagnose(env: Mapping[str, str] | None = None) -> dict[str, Any]:
    env = os.environ if env is None else env
    meter = EnergyMeter.from_environment(env, start_sampler=False)
    try:
        nominal: dict[str, tuple[Method | None, str | None]] = {}
        for backend in meter.backends:
            nominal.update(backend.nominal())
        description = meter.describe()
        sample_interval = meter.sample_interval_s
    finally:
        meter.close()

    root = powercap_root(env)
    scan = scan_powercap(root)
    power_model = resolve_cpu_power_model(env)
    carbon = CarbonSettings.from_env(env)
    gpu_note = str(meter.notes.get("gpu") or "")

    components: dict[str, dict[str, Any]] = {}
    for name, (method, reason) in nominal.items():
        components[name] = _component(method, reason)
    if not any(name.startswith("gpu") for name in components):
        components["gpu"] = {
            "method": None,
            "status": "absent",
            "reason": gpu_note,
            "fix": _gpu_fix(gpu_note),
        }
    for name in ("cpu", "dram"):
        entry = components.get(name)
        if entry is not None and entry["method"] != Method.COUNTER.value:
            entry["fix"] = _rapl_fix(name, scan.problems.get(name, ""), root)
    for entry in components.values():
        if entry["method"] == Method.POLLED.value:
            entry["fix"] = (
                "this GPU has no energy counter (older or virtualised): its power is sampled "
                f"every {sample_interval:g} s; meter.set_sample_interval({MIN_INTERVAL_S}) "
                "samples faster for short cells"
            )

    for entry in components.values():
        entry["gap"] = bool(entry["fix"]) and not entry["fix"].startswith(NOTHING_TO_FIX)
    gaps = [
        {"component": name, "problem": entry["reason"], "fix": entry["fix"]}
        for name, entry in components.items()
        if entry["gap"]
    ]
    gaps += [
        {"component": "cpu power figure", "problem": p, "fix": _power_model_fix(p)}
        for p in power_model.problems
    ]
    carbon_fix = None
    if carbon.is_default or carbon.problems:
        carbon_fix = f"set {REGION_ENV} (e.g. DE, us-central1, aws:eu-west-1) or {INTENSITY_ENV}"
        problem = "; ".join(carbon.problems) or carbon.note
        gaps.append({"component": "carbon", "problem": problem, "fix": carbon_fix})

    return {
        "components": components,
        "gpu": {
            "note": gpu_note,
            "cuda_visible_devices": env.get("CUDA_VISIBLE_DEVICES"),
            "devices": [
                device
                for backend in description["backends"]
                for device in backend.get("devices", [])
            ],
            "order": "gpu:<i> follows CUDA_VISIBLE_DEVICES, else NVML's PCI order "
            "(CUDA's order only with CUDA_DEVICE_ORDER=PCI_BUS_ID)",
        },
        "rapl": scan.to_dict(),
        "cpu": {
            "power_model": power_model.to_dict(),
            "limit": cpu_limit().to_dict(),
            "settings": {TDP_ENV: env.get(TDP_ENV), THREADS_ENV: env.get(THREADS_ENV)},
        },
        "dram": {"watts_per_gib": DRAM_WATTS_PER_GIB, "source": DRAM_SOURCE},
        "carbon": {**carbon.to_dict(), "fix": carbon_fix, "table": _table_sources(carbon)},
        "lifecycle": _lifecycle_sources(env, carbon),
        "sampling": {
            "interval_s": sample_interval,
            "min_interval_s": MIN_INTERVAL_S,
            "peak_memory": description["peak_memory"],
        },
        "gaps": gaps,
    }


def _component(method: Method | None, reason: str | None) -> dict[str, Any]:
    if method is None:
        status = "unavailable"
    elif method is Method.ESTIMATED:
        status = "estimated"
    else:
        status = "measured"
    return {
        "method": method.value if method else None,
        "status": status,
        "reason": reason,
        "fix": None,
    }


# A component "fix" that starts so is an explanation, not a gap (nothing can be done).
NOTHING_TO_FIX = "none needed"


def _rapl_fix(component: str, problem: str, root: Any) -> str:
    if problem.startswith("permission denied"):
        return f"make the RAPL counters readable: {permission_fix(root)}"
    if component == "dram" and "no RAPL dram zone" in problem:
        return f"{NOTHING_TO_FIX}: this CPU exposes no DRAM energy domain (most AMD CPUs do not)"
    exposed = (
        f"RAPL is not exposed at {root} (virtual machines and most containers hide it); on "
        "bare-metal Linux, mount the host's /sys/class/powercap into the container and set "
        "GREEN_ASSIST_POWERCAP_ROOT to it"
    )
    if component == "dram":
        return (
            f"{exposed}; then RAPL's DRAM domain measures it where the CPU has one (most "
            "Intel server CPUs). Until then DRAM stays an estimate from resident memory "
            f"({DRAM_WATTS_PER_GIB} W per GiB) that no setting makes closer"
        )
    return (
        f"{exposed}. Until then the CPU is estimated from its TDP (the CPU estimate "
        f"constants below; {TDP_ENV} overrides the figure)"
    )


def _power_model_fix(problem: str) -> str:
    """The fix for a problem with the CPU estimate's TDP figure."""
    if f"{THREADS_ENV} as well" in problem:
        return f"set {THREADS_ENV} to the hardware threads of one CPU package"
    return (
        f"set {TDP_ENV} to your CPU's TDP in watts (its datasheet), and {THREADS_ENV} to "
        "its hardware threads in a VM"
    )


def _gpu_fix(note: str) -> str | None:
    if "Library Not Found" in note:
        return (
            "none if this machine has no NVIDIA GPU; otherwise install the NVIDIA driver "
            "(it provides libnvidia-ml.so) and check with nvidia-smi"
        )
    if "nvidia-ml-py is not installed" in note:
        return "pip install nvidia-ml-py"
    if "CUDA_VISIBLE_DEVICES" in note:
        return "unset CUDA_VISIBLE_DEVICES or list the GPUs this process should use"
    return "check the NVIDIA driver with nvidia-smi"


def _table_sources(carbon: CarbonSettings) -> dict[str, Any]:
    """Where the grid figure in use sits in the shipped table, and how the table is built."""
    row = carbon.row
    return {
        "region_basis": row.basis if row is not None else None,
        "rebuild": "python -m green_assist.sensors.grid_table (offline, from data/grid_sources)",
    }


def _lifecycle_sources(env: Mapping[str, str], carbon: CarbonSettings) -> dict[str, Any]:
    """The published factors behind embodied CO2e and water, and the settings in use."""
    from ..lifecycle.alternatives import COMPARE_ENV
    from ..lifecycle.embodied import YEARS_SOURCE, service_life
    from ..lifecycle.tables import electricity_water, embodied_factors

    problems: list[str] = []
    years = service_life(env, problems)
    provider = provider_efficiency().get(carbon.row.kind) if carbon.row is not None else None
    cooling = None
    if provider is not None and provider.wue_l_per_kwh is not None:
        cooling = f"{provider.wue_l_per_kwh:g} L/kWh ({provider.wue_year}): {provider.wue_source}"
    return {
        "cooling_water": cooling,
        "embodied": {
            part: f"{row['kg_co2e']} kgCO2e per {row['unit']}: {row['source']}"
            for part, row in embodied_factors().items()
        },
        "service_life_years": years,
        "service_life_source": YEARS_SOURCE,
        "electricity_water": {
            country: f"{row['l_per_kwh']} L/kWh ({row['year']}): {row['source']}"
            for country, row in electricity_water().items()
        },
        "compare_region": env.get(COMPARE_ENV) or None,
        "problems": problems,
    }
