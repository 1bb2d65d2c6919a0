"""All lifecycle figures of one record, from facts the profiler already has."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..sensors.carbon import CarbonSettings
from .alternatives import COMPARE_ENV, alternatives
from .embodied import embodied, service_life
from .water import water


@dataclass
class LifecycleFacts:
    """What a run used: time, energy, CPU time, memory, GPUs."""

    duration_s: float
    energy_j: float | None
    cpu_seconds: float | None
    peak_rss_bytes: int | None
    gpus_used: list[str] = field(default_factory=list)


def assess(
    facts: LifecycleFacts, carbon: CarbonSettings, env: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """``{"embodied", "water", "alternatives", "problems"}`` for one record."""
    env = os.environ if env is None else env
    problems: list[str] = []
    years = service_life(env, problems)
    return {
        "embodied": embodied(
            duration_s=facts.duration_s,
            cpu_seconds=facts.cpu_seconds,
            peak_rss_bytes=facts.peak_rss_bytes,
            gpus_used=facts.gpus_used,
            years=years,
        ),
        "water": water(facts.energy_j, carbon),
        "alternatives": alternatives(facts.energy_j, carbon, env.get(COMPARE_ENV), problems),
        "problems": problems,
    }
