"""Water behind a run's energy (after Li, Yang, Islam & Ren, 'Making AI Less Thirsty', 2023):

    litres = kWh x WUE_on-site  +  kWh x PUE x EWIF_electricity

- on-site: the cloud provider's published fleet WUE (cooling water consumed per kWh of IT
  energy); none for your own machine or a provider that publishes none;
- electricity: the water consumed to generate the electricity (EWIF), for the countries
  where a published figure is shipped; elsewhere left out, and the result says so.

An estimate from fleet and national averages, never a measurement.
"""

from __future__ import annotations

from typing import Any

from ..sensors.carbon import JOULES_PER_KWH, CarbonSettings, provider_efficiency
from .tables import electricity_water


def water(energy_j: float | None, carbon: CarbonSettings) -> dict[str, Any]:
    """``{"water_l", "method", "on_site_l", "electricity_l", ...}`` (None when unknown)."""
    row = carbon.row
    notes: list[str] = []
    sources: dict[str, str] = {}
    if energy_j is None:
        return {"water_l": None, "method": None, "notes": ["energy unknown"], "sources": sources}
    kwh = energy_j / JOULES_PER_KWH

    on_site: float | None = None
    efficiency = provider_efficiency().get(row.kind) if row is not None else None
    if efficiency is None:
        notes.append("no data-centre cooling water counted (not a cloud region)")
    elif efficiency.wue_l_per_kwh is None:
        notes.append(f"{row.kind if row else 'the provider'} publishes no WUE")
    else:
        on_site = kwh * efficiency.wue_l_per_kwh
        sources["on_site"] = f"{efficiency.wue_source} ({efficiency.wue_year})"

    country = row.country if row is not None else ""
    ewif = electricity_water().get(country)
    electricity: float | None = None
    if ewif is None:
        where = country or "this region"
        notes.append(
            f"water to generate the electricity not counted: no published figure for {where}"
        )
    else:
        electricity = kwh * carbon.pue * float(ewif["l_per_kwh"])
        sources["electricity"] = f"{ewif['source']} ({ewif['year']})"

    parts = [value for value in (on_site, electricity) if value is not None]
    return {
        "water_l": sum(parts) if parts else None,
        "method": "estimated",
        "complete": (on_site is not None or efficiency is None) and electricity is not None,
        "on_site_l": on_site,
        "electricity_l": electricity,
        "notes": notes,
        "sources": sources,
    }
