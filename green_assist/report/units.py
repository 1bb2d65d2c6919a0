"""Numbers for people: energy in J/Wh/kWh, CO2e in mg/g/kg, time, FLOPs, bytes, changes.

Plain text only; each format escapes and decorates (``≈`` for estimates) itself.
"""

from __future__ import annotations

import math

JOULES_PER_WH = 3600.0


def _sig(value: float, digits: int = 3) -> str:
    """``value`` with ``digits`` significant figures, without scientific notation."""
    if value == 0:
        return "0"
    text = f"{value:.{digits}g}"
    if "e" in text:
        text = f"{value:.{max(0, digits - 1)}f}" if abs(value) >= 1 else f"{value:.2e}"
    return text


# (below this magnitude, unit, size of the unit): the first row that fits is used.
_ENERGY_UNITS = ((JOULES_PER_WH, "J", 1.0), (3.6e6, "Wh", JOULES_PER_WH), (math.inf, "kWh", 3.6e6))
_CO2E_UNITS = ((1.0, "mg", 1e-3), (1000.0, "g", 1.0), (math.inf, "kg", 1000.0))


def _scaled(
    value: float | None, like: float | None, ladder: tuple[tuple[float, str, float], ...]
) -> str:
    """``value`` in the unit the ladder picks for ``like`` (or for ``value`` itself)."""
    if value is None:
        return "unknown"
    magnitude = abs(like if like is not None else value)
    _, unit, size = next(row for row in ladder if magnitude < row[0])
    return f"{_sig(value / size)} {unit}"


def energy(joules: float | None, like: float | None = None) -> str:
    """Joules up to 1 Wh, then Wh, then kWh; ``like`` picks the unit (rows that compare)."""
    return _scaled(joules, like, _ENERGY_UNITS)


def co2e(grams: float | None, like: float | None = None) -> str:
    """Milligrams below 1 g, grams, then kilograms."""
    return _scaled(grams, like, _CO2E_UNITS)


def duration(seconds: float | None, like: float | None = None) -> str:
    if seconds is None:
        return "unknown"
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    scale = abs(like if like is not None else seconds)
    if scale < 1:
        return f"{sign}{_sig(seconds * 1000)} ms"
    if scale < 60:
        return f"{sign}{_sig(seconds)} s"
    minutes, secs = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{sign}{minutes} min {secs} s"
    hours, minutes = divmod(minutes, 60)
    return f"{sign}{hours} h {minutes} min"


def flops(count: float | None) -> str:
    if count is None:
        return "not counted"
    for unit, size in (("PFLOP", 1e15), ("TFLOP", 1e12), ("GFLOP", 1e9), ("MFLOP", 1e6)):
        if abs(count) >= size:
            return f"{_sig(count / size)} {unit}"
    return f"{int(count)} FLOP"


def power(watts: float | None) -> str:
    return "unknown" if watts is None else f"{_sig(watts)} W"


def size(count: float | None) -> str:
    if count is None:
        return "unknown"
    for unit, step in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if count >= step:
            return f"{_sig(count / step)} {unit}"
    return f"{int(count)} B"


def percent(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:+.1f}%"


FORMATTERS = {"duration_s": duration, "energy_j": energy, "co2e_g": co2e}


def signed(metric: str, delta: float | None, like: float | None = None) -> str:
    """A change with its sign: ``+1.2 J``, ``-30 s``; ``like`` picks the unit."""
    if delta is None:
        return "n/a"
    text = FORMATTERS[metric](abs(delta), like)
    return ("-" if delta < 0 else "+") + text if delta else text


def like_of(*values: float | None) -> float | None:
    """The largest magnitude among ``values``: one unit for a row that compares them."""
    known = [abs(value) for value in values if value is not None]
    return max(known) if known else None
