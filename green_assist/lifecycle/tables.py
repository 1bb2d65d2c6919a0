"""The shipped lifecycle data (``data/*.csv``), read once."""

from __future__ import annotations

import csv
import functools
from importlib import resources


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files(__package__).joinpath(f"data/{name}").read_text("utf-8")
    return list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))


@functools.lru_cache(maxsize=1)
def embodied_factors() -> dict[str, dict[str, str]]:
    """``{"gpu" | "host" | "memory": {"kg_co2e", "unit", "source"}}``."""
    return {row["part"]: row for row in _rows("embodied.csv")}


@functools.lru_cache(maxsize=1)
def electricity_water() -> dict[str, dict[str, str]]:
    """Water consumed to generate electricity, by country: ``{"l_per_kwh", "year", "source"}``."""
    return {row["country"]: row for row in _rows("electricity_water.csv")}
