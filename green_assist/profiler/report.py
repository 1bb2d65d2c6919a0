"""Session totals and report files (``%greenprofile report PATH``, ``green-assist run --report``).

``write_report(path, records)`` is the one entry point: it picks a writer from
``REPORT_WRITERS`` by the format name or the file suffix; every format (JSON, HTML,
CSV, Markdown) is written by ``green_assist.report``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..sensors.types import Method, least_certain
from .messages import Totals
from .session_log import ProfileRecord

ReportWriter = Callable[[Path, Sequence[ProfileRecord], dict[str, Any]], None]


def summarize(records: Sequence[ProfileRecord]) -> Totals:
    """Totals over records: energy, CO2e, time and (where counted) FLOPs."""
    methods = [Method(r.energy_method) for r in records if r.energy_method in _METHODS]
    least = least_certain(methods)
    counted = [r.flops for r in records if r.flops is not None]
    return {
        "cells": len(records),
        "errors": sum(1 for r in records if r.status != "ok"),
        "duration_s": sum(r.duration_s for r in records),
        "energy_j": sum(r.energy_j or 0.0 for r in records),
        "energy_method": least.value if least else None,
        "co2e_g": sum(r.co2e_g or 0.0 for r in records),
        "flops": sum(counted),
        "flops_cells": len(counted),
    }


_METHODS = {method.value for method in Method}


def _session_report(fmt: str) -> ReportWriter:
    """A writer that hands ``records`` to ``green_assist.report`` (charts, methods, findings)."""

    def write(path: Path, records: Sequence[ProfileRecord], meta: dict[str, Any]) -> None:
        from ..report import write_records_report

        source = str(meta.get("log_path") or "this kernel session")
        # Scripts (green-assist run) are named relative to the working directory.
        write_records_report(path, records, fmt=fmt, source=source, code_root=Path.cwd())

    return write


# Every format goes through green_assist.report, so a JSON report from the kernel is
# the same versioned document (green_assist/report/schema.json) as from the CLI.
REPORT_WRITERS: dict[str, ReportWriter] = {
    fmt: _session_report(fmt) for fmt in ("json", "html", "csv", "md")
}


def report_format(path: Path, fmt: str | None = None) -> str:
    """The format to write: ``fmt`` if given, else the file suffix (``report.json``)."""
    name = (fmt or path.suffix.lstrip(".")).lower()
    if name not in REPORT_WRITERS:
        known = ", ".join(sorted(REPORT_WRITERS))
        given = f"format {name!r}" if name else f"no format in {path.name!r}"
        raise ValueError(f"cannot write a report with {given}: use a file ending in one of {known}")
    return name


def write_report(
    path: Path | str,
    records: Sequence[ProfileRecord],
    *,
    fmt: str | None = None,
    meta: dict[str, Any] | None = None,
) -> Path:
    """Write ``records`` to ``path`` in the format its suffix names; return the path."""
    path = Path(path).expanduser()
    name = report_format(path, fmt)
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    REPORT_WRITERS[name](path, records, dict(meta or {}))
    return path
