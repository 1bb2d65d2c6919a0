"""Session totals, decided once for every front end.

The sidebar stream, ``%greenprofile status``, ``green-assist run``, MLflow and every
report sum records with :func:`session_totals` (the kernel with ``RunningTotals``, the
same sums one record at a time). Unknowns stay visible: energy no
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
    running = RunningTotals()
    for record in records:
        running.add(record)
    return running.totals()


class _KnownSum:
    """A sum of the known values (None until there is one) and how many were unknown."""

    def __init__(self) -> None:
        self.total: float | None = None
        self.unknown = 0

    def add(self, value: float | None) -> None:
        if value is None:
            self.unknown += 1
        else:
            self.total = (self.total or 0.0) + value


class RunningTotals:
    """``session_totals`` kept up to date one record at a time, in constant memory: the
    kernel keeps no list of its records (they live in the session log)."""

    def __init__(self) -> None:
        self.cells = 0
        self.errors = 0
        self.duration_s = 0.0
        self._energy = _KnownSum()
        self._co2e = _KnownSum()
        self._embodied = _KnownSum()
        self._water = _KnownSum()
        self._methods: set[str] = set()
        self._missing: set[str] = set()
        self._flops = 0
        self._flops_counted = 0
        self._flops_complete = True
        self._peak_rss: int | None = None

    def add(self, record: ProfileRecord) -> None:
        self.cells += 1
        self.errors += record.status == "error"
        self.duration_s += record.duration_s or 0.0
        self._energy.add(record.energy_j)
        if record.energy_j is not None and record.energy_method is not None:
            self._methods.add(record.energy_method)
        self._co2e.add(record.co2e_g)
        self._embodied.add(record.embodied_co2e_g)
        self._water.add(record.water_l)
        self._missing.update(record.energy_missing)
        if record.flops is not None:
            self._flops += record.flops
            self._flops_counted += 1
            self._flops_complete = self._flops_complete and record.flops_complete is not False
        if record.peak_rss_bytes is not None:
            self._peak_rss = max(self._peak_rss or 0, record.peak_rss_bytes)

    def totals(self) -> Totals:
        counted = self._flops_counted > 0
        return Totals(
            cells=self.cells,
            errors=self.errors,
            duration_s=self.duration_s,
            energy_j=self._energy.total,
            energy_method=least_certain(self._methods),
            energy_unknown=self._energy.unknown,
            energy_missing_components=sorted(self._missing),
            co2e_g=self._co2e.total,
            co2e_unknown=self._co2e.unknown,
            flops=self._flops if counted else None,
            flops_counted=self._flops_counted,
            flops_complete=self._flops_complete if counted else None,
            peak_rss_bytes=self._peak_rss,
            embodied_co2e_g=self._embodied.total,
            embodied_unknown=self._embodied.unknown,
            water_l=self._water.total,
            water_unknown=self._water.unknown,
        )
