"""How a figure was obtained, in words and in order of certainty.

The session log stores a method per energy component (``counter``, ``polled``,
``attributed``, ``estimated``; see ``sensors.types.Method``). A total is only as good as
its least certain part. A method this version does not know (written by a newer
green_assist) is never shown as a measurement.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..sensors.types import Method

# From most to least direct, as the sensors define them.
METHOD_ORDER: tuple[str, ...] = tuple(method.value for method in Method)
MEASURED = frozenset({"counter", "polled", "attributed"})

METHOD_WORDS = {
    "counter": "measured: hardware energy counter",
    "polled": "measured: power samples integrated over time",
    "attributed": "measured on the device; this process's share attributed",
    "estimated": "estimated with a model, not measured",
}


def is_measured(method: str | None) -> bool:
    return method in MEASURED


def least_certain(methods: Iterable[str | None]) -> str | None:
    """The least direct method; an unknown name counts as less certain than ``estimated``."""
    known = [method for method in methods if method]
    if not known:
        return None
    return max(known, key=lambda m: METHOD_ORDER.index(m) if m in METHOD_ORDER else 99)


def describe(method: str | None) -> str:
    if method is None:
        return "unknown"
    return METHOD_WORDS.get(method, f"{method} (a method this version does not know)")
