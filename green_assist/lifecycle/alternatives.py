"""Where and when: what the same energy would emit elsewhere.

- ``lowest_nearby``: the provider's region with the lowest grid intensity in the same
  area (continent) as the region in use, with its provider's PUE;
- ``chosen``: a region you name (``GREEN_ASSIST_COMPARE_REGION``, e.g. ``FR`` or
  ``gcp:europe-north2``).

Each gives the figure's year: grid figures from different years compare years as well as
places.
"""

from __future__ import annotations

from typing import Any

from ..sensors.carbon import (
    JOULES_PER_KWH,
    CarbonSettings,
    GridIntensity,
    grid_table,
    lookup_region,
    provider_efficiency,
)

COMPARE_ENV = "GREEN_ASSIST_COMPARE_REGION"


def lowest_nearby(row: GridIntensity) -> GridIntensity | None:
    """The same provider's lowest-carbon region in the same area (None: not a cloud region)."""
    if not row.is_cloud or not row.area:
        return None
    nearby = [r for r in grid_table() if r.kind == row.kind and r.area == row.area]
    return min(nearby, key=lambda r: (r.g_per_kwh, r.key)) if nearby else None


def _pue(row: GridIntensity, fallback: float) -> float:
    efficiency = provider_efficiency().get(row.kind)
    return efficiency.pue if efficiency is not None else fallback


def _figure(row: GridIntensity, energy_j: float | None, pue: float) -> dict[str, Any]:
    grams = None if energy_j is None else energy_j / JOULES_PER_KWH * pue * row.g_per_kwh
    return {
        "region": row.key,
        "name": row.name,
        "g_per_kwh": row.g_per_kwh,
        "year": row.year,
        "pue": pue,
        "co2e_g": grams,
        "source": row.described_source,
    }


def alternatives(
    energy_j: float | None, carbon: CarbonSettings, compare: str | None, problems: list[str]
) -> dict[str, Any]:
    """``{"lowest_nearby": figure | None, "chosen": figure | None}``."""
    result: dict[str, Any] = {"lowest_nearby": None, "chosen": None}
    row = carbon.row
    if row is not None:
        best = lowest_nearby(row)
        if best is not None:
            result["lowest_nearby"] = _figure(best, energy_j, _pue(best, carbon.pue))
    if compare:
        try:
            chosen = lookup_region(compare)
        except KeyError as err:
            problems.append(f"{COMPARE_ENV}: {err.args[0]}")
        else:
            pue = _pue(chosen, 1.0) if chosen.is_cloud else carbon.pue
            result["chosen"] = _figure(chosen, energy_j, pue)
    return result
