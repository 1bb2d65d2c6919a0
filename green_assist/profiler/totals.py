"""Session totals, decided once for every front end.

The sidebar stream, ``%greenprofile status``, ``green-assist run``, MLflow and every
report sum records with :func:`session_totals`. Unknowns stay visible: energy no
component could measure or estimate is not counted as 0; a sum says how many cells it
could not include (None when it includes none), and its method is the least certain
method of its parts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..methods import least_certain
from .session_log import ProfileRecord


@dataclass(frozen=True)
class Totals:
    """Sums over records; ``*_unknown`` counts records a sum could not include."""

    cells: int
    errors: int
    duration_s: float
    energy_j: float | None
    energy_method: str | None
    energy_unknown: int
    energy_missing_components: list[str]
    co2e_g: float | None
    co2e_unknown: int
    flops: int | None
    flops_counted: int
    flops_complete: bool | None
    peak_rss_bytes: int | None
    # Lifecycle estimates (never measurements), each with the records it could not include.
    embodied_co2e_g: float | None = None
    embodied_unknown: int = 0
    water_l: float | None = None
    water_unknown: int = 0

    def to_dict(self) -> dict[str, Any]:
        """The shape of the report document's totals and of the comm's ``totals``."""
        return {
            "cells": self.cells,
            "errors": self.errors,
            "duration_s": self.duration_s,
            "energy_j": self.energy_j,
            "energy_method": self.energy_method,
            "energy_unknown_cells": self.energy_unknown,
            "energy_missing_components": self.energy_missing_components,
            "co2e_g": self.co2e_g,
            "co2e_unknown_cells": self.co2e_unknown,
            "flops": self.flops,
            "flops_counted_cells": self.flops_counted,
            "flops_complete": self.flops_complete,
            "peak_rss_bytes": self.peak_rss_bytes,
            "embodied_co2e_g": self.embodied_co2e_g,
            "embodied_unknown_cells": self.embodied_unknown,
            "water_l": self.water_l,
            "water_unknown_cells": self.water_unknown,
        }


def known_sum(values: Iterable[float | None]) -> tuple[float | None, int]:
    """The sum of the known values (None if none is known) and how many were unknown."""
    known: list[float] = []
    unknown = 0
    for value in values:
        if value is None:
            unknown += 1
        else:
            known.append(value)
    return (sum(known) if known else None), unknown


def session_totals(records: Sequence[ProfileRecord]) -> Totals:
    """Totals over ``records``: time, energy, CO2e, FLOPs where counted, peak memory."""
    energy, energy_unknown = known_sum(r.energy_j for r in records)
    co2e, co2e_unknown = known_sum(r.co2e_g for r in records)
    embodied, embodied_unknown = known_sum(r.embodied_co2e_g for r in records)
    water, water_unknown = known_sum(r.water_l for r in records)
    counted = [r for r in records if r.flops is not None]
    rss = [r.peak_rss_bytes for r in records if r.peak_rss_bytes is not None]
    return Totals(
        cells=len(records),
        errors=sum(1 for r in records if r.status == "error"),
        duration_s=sum(r.duration_s or 0.0 for r in records),
        energy_j=energy,
        energy_method=least_certain(r.energy_method for r in records if r.energy_j is not None),
        energy_unknown=energy_unknown,
        energy_missing_components=sorted({name for r in records for name in r.energy_missing}),
        co2e_g=co2e,
        co2e_unknown=co2e_unknown,
        flops=sum(r.flops or 0 for r in counted) if counted else None,
        flops_counted=len(counted),
        flops_complete=all(r.flops_complete is not False for r in counted) if counted else None,
        peak_rss_bytes=max(rss) if rss else None,
        embodied_co2e_g=embodied,
        embodied_unknown=embodied_unknown,
        water_l=water,
        water_unknown=water_unknown,
    )
