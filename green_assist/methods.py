"""How a figure was obtained: the one vocabulary every part of green_assist speaks.

The sensors label each reading with a :class:`Method`; the session log stores its
value; totals, reports, the CLI and the sidebar show it. A total is only as good as
its least certain part (:func:`least_certain`), and a method this version does not
know (written by a newer green_assist) is never shown as a measurement.

The sidebar's copy (``labextension/src/generated/payloads.ts``) is generated from this
module and the payload schema: ``python -m green_assist.protocol --write``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import TypeVar


class Method(str, enum.Enum):
    """How a figure was obtained, from most to least direct."""

    COUNTER = "counter"
    """A hardware energy counter (NVML total energy, RAPL energy_uj)."""
    POLLED = "polled"
    """Power samples integrated over time (trapezoid rule), or instant power x duration."""
    ATTRIBUTED = "attributed"
    """A measured device figure, of which this process's share was computed (shared GPU)."""
    ESTIMATED = "estimated"
    """A model (TDP x load, W per GiB of resident memory, MIG slice share), not a measurement."""

    def __str__(self) -> str:
        return self.value

    @property
    def measured(self) -> bool:
        return self is not Method.ESTIMATED

    @property
    def words(self) -> str:
        """The method for people, as reports and the sidebar write it."""
        return _WORDS[self]


_WORDS = {
    Method.COUNTER: "measured: hardware energy counter",
    Method.POLLED: "measured: power samples integrated over time",
    Method.ATTRIBUTED: "measured on the device; this process's share attributed",
    Method.ESTIMATED: "estimated with a model, not measured",
}
# From most to least direct; the declaration order of Method.
ORDER: tuple[str, ...] = tuple(method.value for method in Method)

M = TypeVar("M", bound=str)


def least_certain(methods: Iterable[M | None]) -> M | None:
    """The least direct of ``methods`` (None ignored; None if none is left).

    A name this version does not know counts as less certain than ``estimated``.
    Works on :class:`Method` members and on their stored string values alike.
    """
    known = [method for method in methods if method]
    if not known:
        return None
    return max(known, key=lambda m: ORDER.index(m) if m in ORDER else len(ORDER))


def is_measured(method: str | None) -> bool:
    return method in ORDER and Method(method).measured


def describe(method: str | None) -> str:
    if method is None:
        return "unknown"
    if method in ORDER:
        return Method(method).words
    return f"{method} (a method this version does not know)"
