"""CO2e from energy: ``grams = kWh x PUE x grid intensity (gCO2e/kWh)``.

Settings come from the environment (``CarbonSettings.from_env``):

- ``GREEN_ASSIST_CARBON_INTENSITY``: gCO2e/kWh, a number you know (your utility's figure,
  a live value); wins over the region.
- ``GREEN_ASSIST_REGION``: a country (ISO 3166-1 alpha-2 ``DE`` or alpha-3 ``DEU``) or a
  cloud region (``us-central1``, ``aws:eu-west-1``, ``azure:westeurope``), looked up in the
  shipped table ``data/grid_intensity.csv`` (every row with its source and data year;
  cloud regions take the finest published figure for their grid, see ``grid_table``).
- ``GREEN_ASSIST_PUE``: the data centre's power usage effectiveness. Default: for a cloud
  region, its provider's published fleet PUE (``data/provider_efficiency.csv``, with source
  and year); otherwise 1.0 (no overhead counted: your own machine).

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
PUE_NONE = "no data-centre overhead counted (PUE 1.0: your own machine); set GREEN_ASSIST_PUE"


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
    area: str = ""  # continent of a cloud region ("nearby" means the same area)
    country: str = ""  # ISO 3166-1 alpha-2
    basis: str = ""  # why this figure fits the place (cloud regions)

    @property
    def key(self) -> str:
        return self.code if self.kind in ("world", "country") else f"{self.kind}:{self.code}"

    @property
    def is_cloud(self) -> bool:
        return self.kind not in ("world", "country")

    @property
    def described_source(self) -> str:
        """The source, and for a cloud region the reason it fits."""
        if self.is_cloud and self.basis and not self.basis.startswith("Google's figure"):
            return f"{self.source}; {self.basis}"
        return self.source


@dataclass(frozen=True)
class ProviderEfficiency:
    """A cloud provider's published fleet PUE and on-site WUE (None: not published)."""

    provider: str
    pue: float
    pue_year: int
    pue_source: str
    wue_l_per_kwh: float | None
    wue_year: int | None
    wue_source: str | None


@functools.lru_cache(maxsize=1)
def provider_efficiency() -> dict[str, ProviderEfficiency]:
    """``data/provider_efficiency.csv`` by provider (``gcp``, ``aws``, ``azure``)."""
    text = resources.files(__package__).joinpath("data/provider_efficiency.csv").read_text("utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return {
        row["provider"]: ProviderEfficiency(
            provider=row["provider"],
            pue=float(row["pue"]),
            pue_year=int(row["pue_year"]),
            pue_source=row["pue_source"],
            wue_l_per_kwh=float(row["wue_l_per_kwh"]) if row["wue_l_per_kwh"] else None,
            wue_year=int(row["wue_year"]) if row["wue_year"] else None,
            wue_source=row["wue_source"] or None,
        )
        for row in rows
    }


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
            area=row.get("area") or "",
            country=row.get("country") or "",
            basis=row.get("basis") or "",
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
    pue_source: str = PUE_NONE
    pue_year: int | None = None
    # The table row of the region (None: a number you set, or the world average).
    row: GridIntensity | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> CarbonSettings:
        env = os.environ if env is None else env
        problems: list[str] = []
        user_pue = env_number(env, PUE_ENV, problems, 1.0)
        region = (env.get(REGION_ENV) or "").strip() or None
        row: GridIntensity | None = None
        if region is not None:
            try:
                row = lookup_region(region)
            except KeyError as err:
                problems.append(str(err.args[0]))
        pue, pue_source, pue_year = _pue(user_pue, row)

        intensity = env_number(env, INTENSITY_ENV, problems, 0.0)

        def settings(
            grams: float, key: str | None, source: str, year: int | None, default: bool = False
        ) -> CarbonSettings:
            return cls(
                grams, key, source, year, pue, default, tuple(problems), pue_source, pue_year, row
            )

        if intensity is not None:
            return settings(intensity, region, f"{INTENSITY_ENV} (set by you)", None)
        if row is not None:
            return settings(row.g_per_kwh, row.key, row.described_source, row.year)
        world = world_average()
        why = "no region set" if region is None else f"region {region!r} not found"
        problems.append(
            f"{why}: using the world average {world.g_per_kwh:g} gCO2e/kWh ({world.year}); "
            f"set {REGION_ENV} (e.g. DE, us-central1) or {INTENSITY_ENV}"
        )
        return settings(world.g_per_kwh, None, world.source, world.year, default=True)

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
        pue_year = f", {self.pue_year}" if self.pue_year else ""
        pue_from = "" if self.pue_source == PUE_NONE else f" ({self._pue_origin}{pue_year})"
        return (
            f"{self.intensity_g_per_kwh:g} gCO2e/kWh for {where}{year}{default}; "
            f"PUE {self.pue:g}{pue_from}"
        )

    @property
    def _pue_origin(self) -> str:
        if self.pue_source.startswith(PUE_ENV):
            return "set by you"
        provider = self.row.kind if self.row is not None else ""
        return f"{provider} fleet average" if provider else "published"

    def to_dict(self) -> dict[str, Any]:
        return {
            "intensity_g_per_kwh": self.intensity_g_per_kwh,
            "region": self.region,
            "source": self.source,
            "year": self.year,
            "pue": self.pue,
            "pue_source": self.pue_source,
            "pue_year": self.pue_year,
            "is_default": self.is_default,
            "note": self.note,
            "problems": list(self.problems),
        }


def _pue(user_pue: float | None, row: GridIntensity | None) -> tuple[float, str, int | None]:
    """The PUE in use, its source and year: yours, else the cloud provider's fleet figure."""
    if user_pue is not None:
        return user_pue, f"{PUE_ENV} (set by you)", None
    efficiency = provider_efficiency().get(row.kind) if row is not None else None
    if efficiency is None:
        return 1.0, PUE_NONE, None
    return efficiency.pue, efficiency.pue_source, efficiency.pue_year
