"""The CSV report: one row per cell (per matched pair for a comparison).

Numbers are raw (joules, seconds, grams, FLOPs, bytes) so spreadsheets can sum them;
each energy figure has a ``*_method`` column beside it. Text from the log that a
spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@`` first) is prefixed
with ``'`` (the usual CSV-injection guard).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from .compare import METRICS, Comparison
from .model import Cell, SessionReport

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

CELL_COLUMNS = [
    "index", "session_id", "name", "label", "cell_id", "execution_count", "kind", "mode",
    "started_at", "duration_s", "status", "error", "energy_j", "energy_method",
    "energy_missing", "co2e_g", "carbon_intensity_g_per_kwh", "pue", "flops",
    "flops_complete", "peak_rss_bytes", "source_sha256",
]  # fmt: skip


def _text(value: Any) -> Any:
    """Text made safe for spreadsheets; numbers and empty values as they are."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _write(header: list[str], rows: list[list[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([_text(name) for name in header])
    for row in rows:
        writer.writerow(["" if value is None else _text(value) for value in row])
    return out.getvalue()


def _cell_values(cell: Cell) -> dict[str, Any]:
    record = cell.record
    error = record.error or {}
    return {
        "index": cell.index,
        "session_id": record.session_id,
        "name": cell.name,
        "label": record.label,
        "cell_id": record.cell_id,
        "execution_count": record.execution_count,
        "kind": record.kind,
        "mode": record.mode,
        "started_at": record.started_at,
        "duration_s": record.duration_s,
        "status": record.status,
        "error": ": ".join(str(v) for v in (error.get("ename"), error.get("evalue")) if v),
        "energy_j": record.energy_j,
        "energy_method": record.energy_method,
        "energy_missing": ";".join(record.energy_missing),
        "co2e_g": record.co2e_g,
        "carbon_intensity_g_per_kwh": record.carbon_intensity_g_per_kwh,
        "pue": record.pue,
        "flops": record.flops,
        "flops_complete": record.flops_complete,
        "peak_rss_bytes": record.peak_rss_bytes,
        "source_sha256": record.source_sha256,
    }


def render_session(report: SessionReport, generated_at: str = "") -> str:
    """One row per cell; per-component energy and GPU memory columns as the log has them."""
    components = list(dict.fromkeys(name for c in report.cells for name in c.record.energy))
    gpus = list(
        dict.fromkeys(name for c in report.cells for name in c.record.gpu_peak_memory_bytes)
    )
    header = CELL_COLUMNS[:]
    for name in components:
        header += [f"{name}_j", f"{name}_method"]
    header += [f"{name}_peak_memory_bytes" for name in gpus]
    rows = []
    for cell in report.cells:
        values = _cell_values(cell)
        row = [values[column] for column in CELL_COLUMNS]
        for name in components:
            entry = cell.record.energy.get(name)
            entry = entry if isinstance(entry, dict) else {}
            row += [entry.get("joules"), entry.get("method")]
        row += [cell.record.gpu_peak_memory_bytes.get(name) for name in gpus]
        rows.append(row)
    return _write(header, rows)


def render_comparison(comparison: Comparison, generated_at: str = "") -> str:
    """One row per matched pair (or one-sided cell) with before, after and the change."""
    header = ["name", "matched_by", "before_cell", "after_cell"]
    for metric in METRICS:
        header += [
            f"{metric}_before",
            f"{metric}_after",
            f"{metric}_change",
            f"{metric}_change_pct",
        ]
    rows = []
    for pair in comparison.pairs:
        row: list[Any] = [
            pair.name,
            pair.matched_by,
            pair.before.index if pair.before else None,
            pair.after.index if pair.after else None,
        ]
        for metric in METRICS:
            change = pair.change(metric)
            row += [change.before, change.after, change.delta, change.percent]
        rows.append(row)
    return _write(header, rows)
