"""Embodied (manufacturing) emissions of the hardware a run occupied, amortised per hour.

For each part, ``kg CO2e of the part / service life in hours x hours used x share``:

- host (the server without its GPUs): charged per logical-CPU-hour the run used, as a
  share of a reference server's 128 logical CPUs (two 32-core AMD EPYC 7543 with SMT,
  as in the A100 nodes of the BLOOM assessment). Per CPU-hour rather than per machine:
  a 2-vCPU VM is a small slice of a large host, not a whole server;
- memory: ``kg per GB x peak resident GB`` (the run holds that memory for its duration);
- GPUs: each device the run used, whole, for its duration.

Service life: 6 years, the useful life Microsoft (fiscal 2023) and Alphabet (2023) give
servers in their annual reports; ``GREEN_ASSIST_HARDWARE_YEARS`` sets another. Idle,
unsold capacity is not charged. An estimate: the per-part figures come from a few
published life-cycle assessments (``data/embodied.csv``), not from your hardware.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .tables import embodied_factors

YEARS_ENV = "GREEN_ASSIST_HARDWARE_YEARS"
DEFAULT_YEARS = 6.0
YEARS_SOURCE = (
    "service life of servers in the providers' annual reports (Microsoft fiscal 2023, "
    "Alphabet 2023: 6 years)"
)
HOURS_PER_YEAR = 8766.0
REFERENCE_HOST_CPUS = 128
REFERENCE_HOST_SOURCE = (
    "reference server: 128 logical CPUs (2 x 32-core AMD EPYC 7543 with SMT, the CPUs of the "
    "A100 nodes in the BLOOM assessment)"
)
_GB = 1e9


def embodied(
    *,
    duration_s: float,
    cpu_seconds: float | None,
    peak_rss_bytes: int | None,
    gpus_used: list[str],
    years: float = DEFAULT_YEARS,
) -> dict[str, Any]:
    """``{"embodied_co2e_g", "method", "parts", ...}``; a part that cannot be computed is
    None with its reason, and the total is then a lower bound (``complete`` False)."""
    factors = embodied_factors()
    hours = max(0.0, duration_s) / 3600.0
    per_hour = 1.0 / (years * HOURS_PER_YEAR)
    parts: dict[str, dict[str, Any]] = {}

    host = _kg(factors["host"])
    if cpu_seconds is None:
        parts["host"] = {"grams": None, "reason": "the run's CPU time is unknown"}
    else:
        cpu_hours = max(0.0, cpu_seconds) / 3600.0
        grams = host * 1000 * per_hour * cpu_hours / REFERENCE_HOST_CPUS
        parts["host"] = {"grams": grams, "cpu_hours": cpu_hours, "kg_co2e": host}
    if peak_rss_bytes is None:
        parts["memory"] = {"grams": None, "reason": "peak resident memory unknown"}
    else:
        gb = peak_rss_bytes / _GB
        kg = _kg(factors["memory"]) * gb
        parts["memory"] = {"grams": kg * 1000 * per_hour * hours, "gb": gb, "kg_co2e": kg}
    for label in gpus_used:
        kg = _kg(factors["gpu"])
        parts[label] = {"grams": kg * 1000 * per_hour * hours, "kg_co2e": kg}
    known = [part["grams"] for part in parts.values() if part["grams"] is not None]
    return {
        "embodied_co2e_g": sum(known) if known else None,
        "method": "estimated",
        "complete": len(known) == len(parts),
        "parts": parts,
        "service_life_years": years,
        "sources": {
            "host": f"{factors['host']['source']}; {REFERENCE_HOST_SOURCE}",
            "memory": factors["memory"]["source"],
            "gpu": factors["gpu"]["source"],
            "service_life": YEARS_SOURCE,
        },
    }


def service_life(env: Mapping[str, str], problems: list[str]) -> float:
    from ..sensors.settings import env_number

    years = env_number(env, YEARS_ENV, problems, 0.1)
    return DEFAULT_YEARS if years is None else years


def _kg(row: Mapping[str, str]) -> float:
    return float(row["kg_co2e"])
