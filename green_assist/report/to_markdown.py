"""The Markdown report: a short summary table fit for a pull-request comment.

Estimates are prefixed ``≈``; a footnote says how energy and CO2e were obtained.
Cell names come from the log and are escaped so they cannot break the table or
inject markup.
"""

from __future__ import annotations

import re

from .. import __version__
from ..methods import describe, is_measured
from ..profiler.flops import CONVENTION as FLOP_CONVENTION
from ..profiler.flops import METHOD as FLOP_METHOD
from . import units
from .compare import METRICS, CellChange, Change, Comparison
from .model import Cell, SessionReport, fix_summary

TOP_CELLS = 5
MAX_PAIRS = 20
_SPECIAL = re.compile(r"([\\`*_\[\]|#~!])")
NAMES = {"duration_s": "Time", "energy_j": "Energy", "co2e_g": "CO₂e"}


def escape_md(text: str) -> str:
    """Plain text for a Markdown table cell: one line, markup characters escaped."""
    text = " ".join(text.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _SPECIAL.sub(r"\\\1", text)


def _est(text: str, method: str | None) -> str:
    if text in ("unknown", "not counted"):
        return text
    return text if is_measured(method) else f"≈ {text}"


def _flops(count: int | None, complete: bool | None) -> str:
    if count is None:
        return "not counted"
    return ("≥ " if complete is False else "") + units.flops(count)


def _row(name: str, cell_or_totals: Cell | SessionReport) -> str:
    if isinstance(cell_or_totals, Cell):
        r = cell_or_totals.record
        values = (r.duration_s, r.energy_j, r.energy_method, r.co2e_g, r.flops, r.flops_complete)
    else:
        t = cell_or_totals.totals
        values = (t.duration_s, t.energy_j, t.energy_method, t.co2e_g, t.flops, t.flops_complete)
    duration, energy, method, co2e, flops, complete = values
    cells = [
        units.duration(duration),
        _est(units.energy(energy), method),
        _est(units.co2e(co2e), method),
        _flops(flops, complete),
    ]
    return f"| {name} | " + " | ".join(cells) + " |"


def _lifecycle_note(report: SessionReport) -> str:
    """Embodied CO2e and water, when the records have them: estimates, said so."""
    totals = report.totals
    parts = []
    if totals.embodied_co2e_g is not None:
        parts.append(f"embodied CO₂e ≈{units.co2e(totals.embodied_co2e_g)}")
    if totals.water_l is not None:
        parts.append(f"water ≈{totals.water_l:.3g} L")
    if not parts:
        return ""
    return (
        f" Lifecycle (estimates from published factors, see the HTML or JSON report): "
        f"{', '.join(parts)}."
    )


def _methods_note(report: SessionReport) -> str:
    components = ", ".join(
        f"{escape_md(c.component)} {escape_md(c.method or 'unknown')}"
        for c in report.methods.components
    )
    carbon = report.methods.carbon
    if len(carbon) == 1:
        basis = carbon[0]
        where = basis.region or ("world average" if basis.is_default else "set by you")
        year = f" {basis.year}" if basis.year else ""
        intensity = (
            "unknown" if basis.intensity_g_per_kwh is None else f"{basis.intensity_g_per_kwh:g}"
        )
        pue = "unknown" if basis.pue is None else f"{basis.pue:g}"
        carbon_text = f"{intensity} gCO₂e/kWh ({escape_md(where)}{year}), PUE {pue}"
    else:
        carbon_text = f"{len(carbon)} different intensities (see the HTML or JSON report)"
    text = (
        f"≈ estimated (a model, not a measurement). Energy by component: {components or 'none'}. "
        f"CO₂e = energy × PUE × {carbon_text}."
    )
    if report.totals.flops_counted:
        text += f" FLOPs: {FLOP_METHOD} ({FLOP_CONVENTION})."
    text += _lifecycle_note(report)
    software = ", ".join(
        f"{escape_md(name)} {escape_md(' / '.join(versions))}"
        for name, versions in report.methods.software.items()
        if name != "platform"
    )
    if software:
        text += f" Software: {software}."
    return text


def render_session(report: SessionReport, generated_at: str = "") -> str:
    totals = report.totals
    lines = [
        f"### Energy report: {escape_md(report.title)}",
        "",
        "| | Time | Energy | CO₂e | FLOPs |",
        "|:--|--:|--:|--:|--:|",
        _row(f"**Total ({totals.cells} cells)**", report),
    ]
    costly = sorted(report.cells, key=lambda c: -(c.record.energy_j or 0.0))[:TOP_CELLS]
    for cell in sorted(costly, key=lambda c: c.index):
        lines.append(_row(escape_md(cell.name), cell))
    lines += ["", _methods_note(report)]
    if len(report.cells) > len(costly):
        lines[-1] += f" Showing the {len(costly)} costliest of {totals.cells} cells."
    if report.fixes:
        lines += ["", "Fixes applied and their measured effect:"]
        lines += [f"- {escape_md(fix.name)}: {escape_md(fix_summary(fix))}" for fix in report.fixes]
    code = report.code
    if code.ran and code.total:
        listed = ", ".join(
            f"{escape_md(f.code)} {escape_md(f.name)} in {escape_md(f.where)}"
            for f in code.findings[:3]
        )
        lines += ["", f"Code findings: {code.total} ({listed}{', ...' if code.total > 3 else ''})."]
    if report.warnings:
        lines += ["", f"{len(report.warnings)} warning(s) while reading; see the full report."]
    lines += ["", f"<sub>green-assist {__version__}</sub>", ""]
    return "\n".join(lines)


def _change_text(metric: str, change: Change) -> str:
    if change.delta is None:
        return "n/a"
    like = units.like_of(change.before, change.after)
    delta = units.signed(metric, change.delta, like)
    if metric != "duration_s":
        delta = _est(delta, change.method)
    return f"{delta} ({units.percent(change.percent)})"


def _pair_text(metric: str, pair: CellChange) -> str:
    """``19.9 s → 6.83 s (-65.6%)``: both sides in one unit, then the change in percent."""
    change = pair.change(metric)
    like = units.like_of(change.before, change.after)
    fmt = units.FORMATTERS[metric]
    before = fmt(change.before, like) if pair.before else "not run"
    after = fmt(change.after, like) if pair.after else "not run"
    sides = f"{before} → {after}"
    if metric != "duration_s" and not is_measured(change.method):
        sides = f"≈ {sides}"
    return sides if change.percent is None else f"{sides} ({units.percent(change.percent)})"


def render_comparison(comparison: Comparison, generated_at: str = "") -> str:
    before, after = comparison.before, comparison.after
    methods = {"before": before.totals.energy_method, "after": after.totals.energy_method}
    lines = [
        "### Energy: before vs after",
        "",
        "| | Before | After | Change |",
        "|:--|--:|--:|--:|",
    ]
    for metric in METRICS:
        total = comparison.total(metric)
        fmt = units.FORMATTERS[metric]
        like = units.like_of(total.before, total.after)
        shown = [fmt(total.before, like), fmt(total.after, like)]
        if metric != "duration_s":
            shown = [_est(shown[0], methods["before"]), _est(shown[1], methods["after"])]
        lines.append(
            f"| {NAMES[metric]} | {shown[0]} | {shown[1]} | {_change_text(metric, total)} |"
        )
    lines += [
        "",
        f"Whole sessions ({len(before.cells)} cells before, {len(after.cells)} after); "
        f"energy before: {describe(methods['before'])}; after: {describe(methods['after'])}.",
        "",
        f"<details><summary>Per cell ({comparison.matched_pairs} matched)</summary>",
        "",
        "| Cell | Matched by | Time | Energy | CO₂e |",
        "|:--|:--|--:|--:|--:|",
    ]
    for pair in comparison.pairs[:MAX_PAIRS]:
        cells = [_pair_text(metric, pair) for metric in METRICS]
        lines.append(
            f"| {escape_md(pair.name)} | {pair.matched_by or 'one side only'} | "
            + " | ".join(cells)
            + " |"
        )
    if len(comparison.pairs) > MAX_PAIRS:
        lines += ["", f"First {MAX_PAIRS} of {len(comparison.pairs)} rows."]
    lines += ["", "</details>"]
    for warning in comparison.warnings:
        lines += ["", f"> {escape_md(warning)}"]
    lines += ["", f"<sub>green-assist {__version__}</sub>", ""]
    return "\n".join(lines)
