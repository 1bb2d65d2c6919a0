"""Numbers read from environment variables: a bad value is reported, never fatal.

A measurement must not fail because ``GREEN_ASSIST_PUE=1,2`` has a typo: the value is
ignored, the problem is appended to ``problems`` (``green-assist doctor`` lists them)
and the caller falls back to its default.
"""

from __future__ import annotations

from collections.abc import Mapping


def env_number(
    env: Mapping[str, str],
    name: str,
    problems: list[str],
    minimum: float,
    *,
    allow_minimum: bool = True,
) -> float | None:
    """``env[name]`` as a finite float >= ``minimum`` (> it unless ``allow_minimum``);
    None when unset or invalid, with the reason added to ``problems``."""
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return None
    try:
        value = float(raw)
    except ValueError:
        problems.append(f"{name}={raw!r} is not a number; ignored")
        return None
    low_ok = value >= minimum if allow_minimum else value > minimum
    if not (low_ok and value < float("inf")):
        bound = ">=" if allow_minimum else ">"
        problems.append(f"{name}={raw!r} must be a number {bound} {minimum:g}; ignored")
        return None
    return value
