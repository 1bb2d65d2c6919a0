"""Embodied (manufacturing) emissions of the hardware a run occupied, amortised per hour.

For each part, ``kg CO2e of the part / service life in hours x hours used x share``:

- host (the server without its GPUs): its share is the run's share of the host's CPUs,
  ``CPU-seconds / (duration x logical CPUs)``;
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
_GB = 1e9


def embodied(
    *,
    duration_s: float,
    cpu_seconds: float | None,
    host_cpus: int | None,
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
    if cpu_seconds is None or not host_cpus or duration_s <= 0:
        parts["host"] = {"grams": None, "reason": "the run's CPU time or the host's CPUs unknown"}
    else:
        share = min(1.0, cpu_seconds / (duration_s * host_cpus))
        grams = host * 1000 * per_hour * hours * share
        parts["host"] = {"grams": grams, "share": share, "kg_co2e": host}
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
            "host": factors["host"]["source"],
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
