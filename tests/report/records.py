"""Session-log records for the report tests, built with the real record type and writer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from green_assist.profiler.session_log import ProfileRecord, SessionLogWriter, source_fields

INTENSITY = 400.0  # gCO2e/kWh: round, so the arithmetic in tests is easy to follow


def record(
    count: int = 1,
    *,
    session_id: str = "20250301T100000Z-aaaaaa",
    joules: float | None = 36.0,
    method: str = "estimated",
    duration_s: float = 2.0,
    source: str = "x = 1\n",
    **changes: Any,
) -> ProfileRecord:
    """A cell record with consistent energy, CO2e and components."""
    energy = {"cpu": {"joules": joules, "method": method, "reason": "test", "detail": {}}}
    fields: dict[str, Any] = dict(
        session_id=session_id,
        started_at=f"2025-03-01T10:{count:02d}:00+00:00",
        duration_s=duration_s,
        execution_count=count,
        cell_id=f"cell-{count}",
        energy=energy,
        energy_j=joules,
        energy_method=method if joules is not None else None,
        co2e_g=None if joules is None else joules / 3.6e6 * INTENSITY,
        carbon_intensity_g_per_kwh=INTENSITY,
        pue=1.0,
        carbon={"source": "test table", "year": 2024, "is_default": False},
        hardware={"cpu_model": "Test CPU", "cpu_count": 2},
        green_assist_version="0.0.test",
        **source_fields(source),
    )
    fields.update(changes)
    return ProfileRecord(**fields)


def write_log(path: Path, records: list[ProfileRecord]) -> Path:
    writer = SessionLogWriter(path)
    for item in records:
        writer.append(item)
    return path


def append_raw(path: Path, data: dict[str, Any]) -> None:
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(data) + "\n")
