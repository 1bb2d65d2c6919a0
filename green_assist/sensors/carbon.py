"""CO2e from energy: ``grams = kWh x PUE x grid intensity (gCO2e/kWh)``.

Settings come from the environment (``CarbonSettings.from_env``):

- ``GREEN_ASSIST_CARBON_INTENSITY``: gCO2e/kWh, a number you know (your utility's figure,
  a live value); wins over the region.
- ``GREEN_ASSIST_REGION``: a country (ISO 3166-1 alpha-2 ``DE`` or alpha-3 ``DEU``) or a
  cloud region (``us-central1``, ``aws:eu-west-1``, ``azure:westeurope``), looked up in the
  shipped table ``data/grid_intensity.csv`` (every row with its source and data year).
- ``GREEN_ASSIST_PUE``: the data centre's power usage effectiveness, default 1.0 (no
  overhead counted).

Unknown region or none set: the world average, with ``is_default=True`` and a note that
says so. A bad value never stops a measurement: it is ignored, listed in ``problems``
(``green-assist doctor`` shows them) and the next-best setting is used.
"""

from __future__ import annotations

import csv
import difflib
import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from .settings import env_number

REGION_ENV = "GREEN_ASSIST_REGION"
INTENSITY_ENV = "GREEN_ASSIST_CARBON_INTENSITY"
PUE_ENV = "GREEN_ASSIST_PUE"
JOULES_PER_KWH = 3.6e6


@dataclass(frozen=True)
class GridIntensity:
    """One row of the shipped table."""

    kind: str  # world | country | gcp | aws | azure
    code: str
    name: str
    g_per_kwh: float
    year: int
    source: str
    alias: str = ""

    @property
    def key(self) -> str:
        return self.code if self.kind in ("world", "country") else f"{self.kind}:{self.code}"


@functools.lru_cache(maxsize=1)
def grid_table() -> tuple[GridIntensity, ...]:
    """Every row of ``green_assist/sensors/data/grid_intensity.csv``."""
    text = resources.files(__package__).joinpath("data/grid_intensity.csv").read_text("utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return tuple(
        GridIntensity(
            kind=row["kind"],
            code=row["code"],
            name=row["name"],
            g_per_kwh=float(row["g_per_kwh"]),
            year=int(row["year"]),
            source=row["source"],
            alias=row["alias"],
        )
        for row in csv.DictReader(lines)
    )


def world_average() -> GridIntensity:
    return next(row for row in grid_table() if row.kind == "world")


def lookup_region(region: str) -> GridIntensity:
    """The table row for a country code or cloud region; KeyError says what would match."""
    wanted = region.strip()
    provider, _, name = wanted.rpartition(":")
    provider, name_l = provider.lower(), name.lower()
    matches = [
        row
        for row in grid_table()
        if row.kind != "world"
        and (not provider or row.kind == provider)
        and name_l in (row.code.lower(), row.alias.lower())
    ]
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        options = ", ".join(row.key for row in matches)
        raise KeyError(f"region {region!r} is ambiguous: use one of {options}")
    keys = [row.key for row in grid_table() if row.kind != "world"]
    close = difflib.get_close_matches(wanted, keys, n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise KeyError(
        f"region {region!r} is not in green_assist's grid intensity table{hint} "
        f"(countries by ISO code like DE or DEU, cloud regions like us-central1, "
        f"aws:eu-west-1, azure:westeurope; or set {INTENSITY_ENV} in gCO2e/kWh)"
    )


@dataclass(frozen=True)
class CarbonSettings:
    """The grid intensity and PUE in use, and where they come from."""

    intensity_g_per_kwh: float
    region: str | None
    source: str
    year: int | None
    pue: float = 1.0
    is_default: bool = False
    problems: tuple[str, ...] = ()

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> CarbonSettings:
        env = os.environ if env is None else env
        problems: list[str] = []
        pue = env_number(env, PUE_ENV, problems, 1.0)
        pue = 1.0 if pue is None else pue
        region = (env.get(REGION_ENV) or "").strip() or None

        intensity = env_number(env, INTENSITY_ENV, problems, 0.0)
        if intensity is not None:
            source = f"{INTENSITY_ENV} (set by you)"
            return cls(intensity, region, source, None, pue, problems=tuple(problems))
        if region is not None:
            try:
                row = lookup_region(region)
            except KeyError as err:
                problems.append(str(err.args[0]))
            else:
                return cls(
                    row.g_per_kwh, row.key, row.source, row.year, pue, problems=tuple(problems)
                )
        world = world_average()
        why = "no region set" if region is None else f"region {region!r} not found"
        problems.append(
            f"{why}: using the world average {world.g_per_kwh:g} gCO2e/kWh ({world.year}); "
            f"set {REGION_ENV} (e.g. DE, us-central1) or {INTENSITY_ENV}"
        )
        return cls(world.g_per_kwh, None, world.source, world.year, pue, True, tuple(problems))

    def co2e_grams(self, joules: float | None) -> float | None:
        """Grams of CO2e for ``joules`` of electricity (None stays None)."""
        if joules is None:
            return None
        return joules / JOULES_PER_KWH * self.pue * self.intensity_g_per_kwh

    @property
    def note(self) -> str:
        """One line for people: the intensity, where it comes from, whether it is a default."""
        where = self.region or ("world average" if self.is_default else "your setting")
        year = f", {self.year}" if self.year else ""
        default = " (default: region unknown)" if self.is_default else ""
        return (
            f"{self.intensity_g_per_kwh:g} gCO2e/kWh for {where}{year}{default}; PUE {self.pue:g}"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "intensity_g_per_kwh": self.intensity_g_per_kwh,
            "region": self.region,
            "source": self.source,
            "year": self.year,
            "pue": self.pue,
            "is_default": self.is_default,
            "note": self.note,
            "problems": list(self.problems),
        }
