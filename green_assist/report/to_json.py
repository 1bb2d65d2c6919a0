"""The JSON report, versioned and described by ``schema.json`` (JSON Schema 2020-12).

``report_schema_version`` changes when a field is removed or changes meaning; new
fields may be added within a version (consumers should ignore what they do not know).
Units are those of the session log: joules, seconds, grams of CO2e, FLOPs, bytes.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from .. import __version__
from .compare import Comparison
from .model import Cell, SessionReport

REPORT_SCHEMA_VERSION = 1


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    """The shipped JSON Schema of this format."""
    text = resources.files(__package__).joinpath("schema.json").read_text("utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


def _component(entry: Any) -> dict[str, Any]:
    entry = entry if isinstance(entry, dict) else {}
    joules = entry.get("joules")
    return {
        "joules": joules if isinstance(joules, (int, float)) else None,
        "method": entry.get("method"),
        "reason": entry.get("reason"),
    }


def _alternatives(lifecycle: Any) -> dict[str, Any]:
    found = lifecycle.get("alternatives") if isinstance(lifecycle, dict) else None
    if not isinstance(found, dict):
        return {}
    return {key: found.get(key) for key in ("lowest_nearby", "chosen") if key in found}


def cell_dict(cell: Cell) -> dict[str, Any]:
    record = cell.record
    first_line = (record.source or "").strip().split("\n", 1)[0]
    return {
        "index": cell.index,
        "name": cell.name,
        "session_id": record.session_id,
        "kind": record.kind,
        "mode": record.mode,
        "label": record.label,
        "cell_id": record.cell_id,
        "execution_count": record.execution_count,
        "started_at": record.started_at,
        "duration_s": record.duration_s,
        "status": record.status,
        "error": record.error,
        "energy_j": record.energy_j,
        "energy_method": record.energy_method,
        "energy_missing": list(record.energy_missing),
        "energy": {name: _component(entry) for name, entry in record.energy.items()},
        "mean_power_w": cell.mean_power_w,
        "co2e_g": record.co2e_g,
        "carbon_intensity_g_per_kwh": record.carbon_intensity_g_per_kwh,
        "pue": record.pue,
        "flops": record.flops,
        "flops_complete": record.flops_complete,
        "flops_per_s": record.flops_per_s,
        "flops_counter_s": record.flops_counter_s,
        "embodied_co2e_g": record.embodied_co2e_g,
        "water_l": record.water_l,
        "alternatives": _alternatives(record.lifecycle),
        "startup": record.startup if isinstance(record.startup, dict) else None,
        "peak_rss_bytes": record.peak_rss_bytes,
        "gpu_peak_memory_bytes": dict(record.gpu_peak_memory_bytes),
        "source_sha256": record.source_sha256,
        "source_first_line": first_line[:200],
        "advice": [str(item.get("code")) for item in record.advice if isinstance(item, dict)],
    }


def session_dict(report: SessionReport) -> dict[str, Any]:
    return {
        "title": report.title,
        "session_ids": report.session_ids,
        "sources": [source.to_dict() for source in report.sources],
        "totals": report.totals.to_dict(),
        "cells": [cell_dict(cell) for cell in report.cells],
        "code_findings": report.code.to_dict(),
        "advice": [item.to_dict() for item in report.advice],
        "methods": report.methods.to_dict(),
        "warnings": report.warnings,
        # The job when the records are the ranks of one distributed job; every job below.
        "distributed": report.jobs[0].to_dict() if len(report.jobs) == 1 else None,
        "distributed_jobs": [job.to_dict() for job in report.jobs],
        "fixes": [fix.to_dict() for fix in report.fixes],
    }


def _envelope(kind: str, generated_at: str) -> dict[str, Any]:
    return {
        "report_schema_version": REPORT_SCHEMA_VERSION,
        "kind": kind,
        "generator": {"name": "green-assist", "version": __version__},
        "generated_at": generated_at,
    }


def _dumps(data: dict[str, Any]) -> str:
    # allow_nan=False: the records hold no NaN (the writer stores None), and JSON has none.
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False, default=str) + "\n"


def session_document(report: SessionReport, generated_at: str) -> dict[str, Any]:
    return {**_envelope("session", generated_at), "session": session_dict(report)}


def comparison_document(comparison: Comparison, generated_at: str) -> dict[str, Any]:
    return {
        **_envelope("comparison", generated_at),
        "before": session_dict(comparison.before),
        "after": session_dict(comparison.after),
        "comparison": comparison.to_dict(),
    }


def render_session(report: SessionReport, generated_at: str) -> str:
    return _dumps(session_document(report, generated_at))


def render_comparison(comparison: Comparison, generated_at: str) -> str:
    return _dumps(comparison_document(comparison, generated_at))
