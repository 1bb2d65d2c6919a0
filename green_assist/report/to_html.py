"""The HTML report: one self-contained file (inline CSS and SVG, no script, no network).

Sections: warnings, totals, distributed jobs (per rank and per node), timeline, per-cell
chart and table, code findings with their refactors, runtime advice, methods. Every figure
carries its provenance: an estimate is marked ``≈``, set in italics and tagged "estimated";
a measurement is tagged with its method. Everything taken from the log is escaped: it is user data.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from html import escape
from importlib import resources
from typing import Any

from .. import __version__
from ..methods import describe, is_measured
from ..profiler.flops import CONVENTION as FLOP_CONVENTION
from ..profiler.flops import METHOD as FLOP_METHOD
from . import svg, units
from .code_findings import CodeFinding
from .compare import METRICS, Change, Comparison
from .model import (
    FORMULAS_NOTE,
    OVERHEAD_NOTE,
    Cell,
    SessionReport,
    fix_summary,
)

METRIC_NAMES = {"duration_s": "Time", "energy_j": "Energy", "co2e_g": "CO₂e"}


def _css() -> str:
    return resources.files(__package__).joinpath("style.css").read_text("utf-8")


def _e(value: Any) -> str:
    return escape(str(value), quote=True)


_BACKTICKS = re.compile(r"`([^`]+)`")


def _rich(text: str) -> str:
    """Escaped text with Markdown-style `code` spans (rule docs and messages use them)."""
    return _BACKTICKS.sub(r"<code>\1</code>", _e(text))


def figure(text: str, method: str | None, *, tag: bool = True) -> str:
    """A number with its provenance: ``≈`` and italics for estimates, a method tag."""
    if text in ("unknown", "not counted", "n/a"):
        return f'<span class="fig unknown">{_e(text)}</span>'
    measured = is_measured(method)
    kind = "measured" if measured else "estimated"
    shown = text if measured else f"≈ {text}"
    label = method or "unknown method"
    badge = f'<span class="tag {kind}">{_e(label)}</span>' if tag else ""
    return (
        f'<span class="fig {kind}" data-method="{_e(label)}" title="{_e(describe(method))}">'
        f"{_e(shown)}</span>{badge}"
    )


def _flops_figure(count: int | None, complete: bool | None) -> str:
    if count is None:
        return '<span class="fig unknown">not counted</span>'
    lower = complete is False
    text = ("≥ " if lower else "") + units.flops(count)
    note = "counted by torch; some operations not counted" if lower else "counted by torch"
    return f'<span class="fig counted" title="{_e(note)}">{_e(text)}</span>'


def _table(head: Iterable[str], rows: Iterable[Iterable[str]], numeric: set[int]) -> str:
    """A table from already-escaped cells; columns in ``numeric`` are right-aligned."""
    header = "".join(
        f'<th class="num">{h}</th>' if i in numeric else f"<th>{h}</th>" for i, h in enumerate(head)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="num">{c}</td>' if i in numeric else f"<td>{c}</td>"
            for i, c in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>"


def _card(label: str, value: str, provenance: str) -> str:
    return (
        f'<div class="card"><div class="label">{_e(label)}</div>'
        f'<div class="value">{value}</div><div class="prov">{provenance}</div></div>'
    )


def _legend(comparison: bool = False) -> str:
    if comparison:
        sides = (
            '<span class="swatch before"></span>before <span class="swatch measured"></span>'
            "after (solid: measured) "
        )
    else:
        sides = '<span class="swatch measured"></span>measured (hardware counter or sampled power)'
    return (
        f'<p class="legend">{sides}<span class="swatch estimated"></span>estimated (a model, '
        "not a measurement): hatched in charts, ≈ and <i>italic</i> in text</p>"
    )


def _warnings(messages: list[str]) -> str:
    if not messages:
        return ""
    items = "".join(f"<li>{_e(message)}</li>" for message in messages)
    return (
        '<section id="warnings" class="warnings"><strong>Warnings</strong>'
        f"<ul>{items}</ul></section>"
    )


def _totals(report: SessionReport) -> str:
    totals = report.totals
    energy_note = describe(totals.energy_method)
    if totals.energy_unknown:
        energy_note += f"; {totals.energy_unknown} cell(s) without an energy figure not included"
    if totals.energy_missing_components:
        missing = ", ".join(totals.energy_missing_components)
        energy_note += f"; components not known: {missing}"
    carbon = report.methods.carbon
    intensity = (
        f"{carbon[0].intensity_g_per_kwh:g} gCO₂e/kWh"
        if len(carbon) == 1 and carbon[0].intensity_g_per_kwh is not None
        else "see Methods"
    )
    flops_note = f"counted in {totals.flops_counted} of {totals.cells} cells (torch)"
    if totals.flops_complete is False:
        flops_note += "; some operations not counted, so a lower bound"
    cards = [
        _card(
            "Energy",
            figure(units.energy(totals.energy_j), totals.energy_method, tag=False),
            _e(energy_note),
        ),  # fmt: skip
        _card(
            "CO₂e",
            figure(units.co2e(totals.co2e_g), totals.energy_method, tag=False),
            _e(f"energy × PUE × {intensity}"),
        ),  # fmt: skip
        _card(
            "Duration",
            _e(units.duration(totals.duration_s)),
            _e(f"measured wall time of {totals.cells} cell(s), {totals.errors} with errors"),
        ),
        _card("FLOPs", _flops_figure(totals.flops, totals.flops_complete), _e(flops_note)),
        *_lifecycle_cards(report),
    ]
    return (
        f'<section id="totals"><h2>Totals</h2><div class="cards">{"".join(cards)}</div>'
        f"{_legend()}{_where(report)}</section>"
    )


def _lifecycle_cards(report: SessionReport) -> list[str]:
    """Embodied CO2e and water: estimates from published factors, apart from the energy."""
    totals = report.totals
    cards = []
    if totals.embodied_co2e_g is not None:
        note = "hardware manufacturing, amortised over its service life (see Methods)"
        if totals.embodied_unknown:
            note += f"; {totals.embodied_unknown} cell(s) not included"
        shown = figure(units.co2e(totals.embodied_co2e_g), "estimated", tag=False)
        cards.append(_card("Embodied CO₂e", shown, _e(note)))
    if totals.water_l is not None:
        note = "cooling water and water to generate the electricity, where published"
        if totals.water_unknown:
            note += f"; {totals.water_unknown} cell(s) not included"
        litres = (
            f"{totals.water_l * 1000:.3g} mL" if totals.water_l < 1 else f"{totals.water_l:.3g} L"
        )
        cards.append(_card("Water", figure(litres, "estimated", tag=False), _e(note)))
    return cards


def _where(report: SessionReport) -> str:
    """What the same energy would have emitted elsewhere (from each cell's figures)."""
    sums: dict[tuple[str, str], list[float]] = {}
    details: dict[tuple[str, str], dict[str, object]] = {}
    for cell in report.cells:
        lifecycle = cell.record.lifecycle if isinstance(cell.record.lifecycle, dict) else {}
        for kind, found in (lifecycle.get("alternatives") or {}).items():
            if isinstance(found, dict) and isinstance(found.get("co2e_g"), (int, float)):
                key = (kind, str(found.get("region")))
                sums.setdefault(key, []).append(float(found["co2e_g"]))
                details[key] = found
    if not sums:
        return ""
    labels = {
        "lowest_nearby": "the provider's lowest-carbon region nearby",
        "chosen": "your region",
    }
    items = "".join(
        f"<li>in {_e(labels.get(kind, kind))}, {_e(region)} "
        f"({_e(details[(kind, region)].get('g_per_kwh'))} gCO₂e/kWh, "
        f"{_e(details[(kind, region)].get('year'))}): "
        f"{figure(units.co2e(sum(values)), 'estimated', tag=False)}"
        f" for the {len(values)} cell(s) with an energy figure</li>"
        for (kind, region), values in sums.items()
    )
    return f'<p class="note">The same energy elsewhere:</p><ul class="where">{items}</ul>'


def _components_text(cell: Cell) -> str:
    parts = []
    for name, entry in cell.record.energy.items():
        entry = entry if isinstance(entry, dict) else {}
        joules = entry.get("joules")
        value = units.energy(joules) if isinstance(joules, (int, float)) else "unknown"
        shown = figure(value, entry.get("method"), tag=False)
        parts.append(f'<span class="nowrap">{_e(name)} {shown}</span>')
    return "<br>".join(parts)


def first_code_line(source: str | None) -> str:
    """The first line that is code (not blank, not a %magic): how people recognise a cell."""
    for line in (source or "").splitlines():
        if line.strip() and not line.lstrip().startswith(("%", "!", "#")):
            return line.strip()
    return ""


def _cell_row(cell: Cell) -> list[str]:
    record = cell.record
    status = _e(record.status)
    if record.status == "error" and record.error:
        status = f'<span class="status-error">{_e(record.error.get("ename", "error"))}</span>'
    snippet = first_code_line(record.source)
    snippet = snippet if len(snippet) <= 40 else snippet[:39] + "…"
    return [
        str(cell.index + 1),
        f"{_e(cell.name)}<br><code>{_e(snippet)}</code>",
        f'<span title="{_e(record.started_at)}">{_e(record.started_at[11:19])}</span>',
        _e(units.duration(record.duration_s)),
        figure(units.energy(record.energy_j), record.energy_method),
        _components_text(cell),
        figure(units.co2e(record.co2e_g), record.energy_method, tag=False),
        _flops_figure(record.flops, record.flops_complete),
        _e(units.size(record.peak_rss_bytes)),
        status,
    ]


def _cells(report: SessionReport, prefix: str) -> str:
    bars, note = svg.cell_bars(report.cells, prefix=f"{prefix}-bars")
    head = [
        "#",
        "Cell",
        "Started",
        "Time",
        "Energy",
        "By component",
        "CO₂e",
        "FLOPs",
        "Peak RSS",
        "Status",
    ]
    table = _table(head, (_cell_row(cell) for cell in report.cells), {0, 3, 4, 6, 7, 8})
    note_html = f'<p class="note">{_e(note)}</p>' if note else ""
    return (
        f'<section id="cells"><h2>Per cell</h2>{bars}{note_html}{_legend()}'
        f'<div class="table-wrap">{table}</div></section>'
    )


def _timeline(report: SessionReport, prefix: str) -> str:
    return (
        '<section id="timeline"><h2>Power and energy over time</h2>'
        f"{svg.timeline(report.cells, prefix=f'{prefix}-tl')}"
        '<p class="note">Bars: mean power of each cell (energy ÷ time), as wide as the cell ran. '
        "Line: energy so far. Idle time between cells is not measured and left out.</p>"
        "</section>"
    )


def _finding_html(finding: CodeFinding, method: str | None) -> str:
    energy = (
        f" · its cell(s) used {figure(units.energy(finding.energy_j), method, tag=False)}"
        if finding.energy_j
        else ""
    )
    auto = " (automatic fix available)" if finding.fix_applicable else ""
    fix = f"<p><strong>Fix:</strong> {_rich(finding.fix)}{_e(auto)}</p>" if finding.fix else ""
    example = (
        f"<pre><code>{_e(finding.fixed_example)}</code></pre>" if finding.fixed_example else ""
    )
    codemods = "".join(
        f"<p><strong>One-click refactor:</strong> <code>green-assist refactor {_e(c['name'])}"
        f"</code> ({_e(c['summary'])}), or Fix in the sidebar.</p>"
        for c in finding.codemods
    )
    return (
        f'<div class="finding"><div><span class="code">{_e(finding.code)}</span> '
        f"{_e(finding.name)} · {_e(finding.severity)} · {_e(finding.where)}, line "
        f"{finding.line}{energy}</div><p>{_rich(finding.message)}</p>{fix}"
        f"<p><strong>Suggested refactor:</strong> {_rich(finding.refactor)}</p>{example}"
        f"{codemods}</div>"
    )


def _findings(report: SessionReport, heading: str = "Code findings") -> str:
    code = report.code
    if not code.ran:
        return ""
    if not code.findings:
        body = (
            f"<p>No findings in the {code.analysed_sources} distinct piece(s) of code "
            "this session ran.</p>"
        )
    else:
        body = (
            f'<p class="note">{len(code.findings)} of {code.total} finding(s), errors first, '
            "then by the energy of the cells they are in. Apply the fixes with "
            "<code>green-assist check --fix</code> on the notebook, or Fix in the sidebar.</p>"
        )
        method = report.totals.energy_method
        body += "".join(_finding_html(finding, method) for finding in code.findings)
    if code.errors:
        items = "".join(f"<li>{_e(error)}</li>" for error in code.errors)
        body += f'<p class="note">Not analysed:</p><ul class="note">{items}</ul>'
    return f'<section id="findings"><h2>{_e(heading)}</h2>{body}</section>'


def _fixes(report: SessionReport) -> str:
    """Fixes applied from the sidebar and what the next run of the cell measured."""
    if not report.fixes:
        return ""
    rows = []
    for fix in report.fixes:
        estimated = not is_measured(fix.energy_method) and fix.energy_pct is not None
        summary = fix_summary(fix) + (" (energy estimated)" if estimated else "")
        rows.append([_e(fix.name), _e(fix.title), _e(summary)])
    note = (
        '<p class="note">Each fix is compared with the run of the same cell before it; a'
        " change within the run-to-run spread measured in the session (at least 10%) is"
        " called no clear change.</p>"
    )
    table = _table(["Cell", "Fix", "Measured effect"], rows, set())
    return (
        '<section id="fixes"><h2>Fixes applied and their measured effect</h2>'
        f"{table}{note}</section>"
    )


def _advice(report: SessionReport) -> str:
    if not report.advice:
        body = "<p>The profiler gave no runtime advice for these cells.</p>"
    else:
        body = ""
        for item in report.advice:
            names = ", ".join(report.cells[i].name for i in item.cells)
            evidence = (
                f'<p class="note">Evidence: {_e(json.dumps(item.evidence, default=str))}</p>'
                if item.evidence
                else ""
            )
            fix = f"<p><strong>Fix:</strong> {_rich(item.fix)}</p>" if item.fix else ""
            body += (
                f'<div class="finding"><div><span class="code">{_e(item.code)}</span> '
                f"{_e(item.title)} · {_e(names)}</div><p>{_rich(item.message)}</p>{fix}"
                f"{evidence}</div>"
            )
    return f'<section id="advice"><h2>Runtime advice</h2>{body}</section>'


def _detail_text(detail: dict[str, Any]) -> str:
    keep = ("model", "source", "uncertainty", "device", "name")
    lines = [f"{key}: {detail[key]}" for key in keep if detail.get(key)]
    return "<br>".join(_e(line) for line in lines)


def hardware_value(key: str, value: Any) -> str:
    """A hardware fact for people: sizes in GiB, lists joined, one line per GPU."""
    if value is None or value == []:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int) and key.endswith("_bytes"):
        return _e(units.size(value))
    if isinstance(value, list):
        return "<br>".join(hardware_value(key, item) for item in value)
    if isinstance(value, dict):
        return _e(
            ", ".join(
                f"{k}: {units.size(v) if k.endswith('_bytes') and isinstance(v, int) else v}"
                for k, v in value.items()
                if v is not None
            )
        )
    return _e(value)


def _methods(report: SessionReport, heading: str = "Methods", anchor: str = "methods") -> str:
    methods = report.methods
    parts = [f"<h2>{_e(heading)}</h2>"]
    hardware_rows = [
        [_e(key.replace("_", " ")), hardware_value(key, value)]
        for hardware in methods.hardware
        for key, value in hardware.items()
    ]
    parts.append("<h3>Hardware</h3>")
    parts.append(
        _table(["", "Value"], hardware_rows, set())
        if hardware_rows
        else "<p>The records name no hardware.</p>"
    )
    software_rows = [[_e(name), _e(", ".join(v))] for name, v in methods.software.items()]
    software_rows.append([_e("report written by"), _e(f"green_assist {__version__}")])
    parts.append("<h3>Software</h3>" + _table(["", "Version"], software_rows, set()))

    parts.append("<h3>How each figure was obtained</h3>")
    component_rows = [
        [
            _e(c.component),
            figure(units.energy(c.joules), c.method),
            _e(describe(c.method))
            + (f" ({c.unknown_cells} cell(s) unknown)" if c.unknown_cells else ""),
            "<br>".join(_e(reason) for reason in c.reasons) + "<br>" + _detail_text(c.detail),
        ]
        for c in methods.components
    ]
    parts.append(
        _table(["Energy component", "Total", "Method", "Why / model"], component_rows, {1})
    )
    parts.append(
        "<ul><li>Time: wall clock of each cell, measured.</li>"
        "<li>Energy: summed over components; a total is as certain as its least certain part.</li>"
        "<li>CO₂e: energy × PUE × grid carbon intensity (below); an estimate whenever the "
        "energy is, and always dependent on the intensity figure.</li>"
        f"<li>FLOPs: {_e(FLOP_METHOD)} ({_e(FLOP_CONVENTION)}); ≥ marks counts that miss "
        f"some operations. Formulas: {_e(FORMULAS_NOTE)}; {_e(OVERHEAD_NOTE)}.</li></ul>"
    )
    carbon_rows = [
        [
            _e("unknown" if b.intensity_g_per_kwh is None else f"{b.intensity_g_per_kwh:g}"),
            _e("unknown" if b.pue is None else f"{b.pue:g}")
            + (f"<br><small>{_e(b.pue_source)}</small>" if b.pue_source else ""),
            _e(b.region or ("world average" if b.is_default else "set by you")),
            _e(b.source or "unknown"),
            _e(b.year or "—"),
            _e(b.cells),
        ]
        for b in methods.carbon
    ]
    parts.append(
        "<h3>Carbon intensity and PUE</h3>"
        + _table(["gCO₂e/kWh", "PUE", "Region", "Source", "Year", "Cells"], carbon_rows, {0, 1, 5})
    )
    if any(b.is_default for b in methods.carbon):
        parts.append(
            '<p class="note">No region was set, so the world average is used. Set '
            "<code>GREEN_ASSIST_REGION</code> (e.g. DE, us-central1) or "
            "<code>GREEN_ASSIST_CARBON_INTENSITY</code> for your grid.</p>"
        )
    if methods.lifecycle:
        titles = {
            "embodied": "Embodied CO₂e (estimate)",
            "water": "Water (estimate)",
            "alternatives": "Same energy elsewhere",
        }
        items = "".join(
            f"<li><strong>{_e(titles.get(key, key))}</strong><ul>"
            + "".join(f"<li>{_e(text)}</li>" for text in texts)
            + "</ul></li>"
            for key, texts in methods.lifecycle.items()
        )
        parts.append(
            "<h3>Lifecycle: embodied carbon, water, where</h3><p>Estimates from published "
            "figures, reported apart from the measured energy and operational CO₂e.</p>"
            f"<ul>{items}</ul>"
        )
    notes = methods.flops_notes + methods.memory_notes
    if notes:
        items = "".join(f"<li>{_e(note)}</li>" for note in notes)
        parts.append(f"<h3>FLOPs and memory notes</h3><ul>{items}</ul>")
    sources = [[_e(s.path), _e(s.records), _e(s.skipped_lines)] for s in report.sources]
    parts.append(
        "<h3>Session logs read</h3>" + _table(["File", "Records", "Lines skipped"], sources, {1, 2})
    )
    return f'<section id="{anchor}">{"".join(parts)}</section>'


def _jobs(report: SessionReport) -> str:
    """Per-rank and per-node tables of each distributed job in the report."""
    parts = []
    for job in report.jobs:
        data = job.to_dict()
        method = data["energy_method"]
        size = job.world_size if job.world_size is not None else "?"
        head = (
            f"<h3>Job {_e(job.job_id)} · {len(job.ranks)} of {_e(size)} rank(s) · "
            f"{figure(units.energy(job.energy_j), method)} · "
            f"{figure(units.co2e(job.co2e_g), method, tag=False)} CO₂e</h3>"
        )
        rank_rows = [
            [
                _e(rank["rank"]),
                _e(rank["node"]),
                _e(rank["status"]),
                _e(units.duration(rank["duration_s"])),
                figure(units.energy(rank["energy_j"]), rank["energy_method"]),
                figure(units.co2e(rank["co2e_g"]), rank["energy_method"], tag=False),
                _e(
                    ", ".join(
                        d["component"] + (" (node-wide, split)" if d["node_wide"] else "")
                        for d in rank["devices"]
                    )
                ),
            ]
            for rank in data["ranks"]
        ]
        ranks = _table(
            ["Rank", "Node", "Status", "Time", "Energy", "CO₂e", "Devices"],
            rank_rows,
            {0, 3, 4, 5},
        )
        node_rows = []
        for node in data["nodes"]:
            shared = "; ".join(
                f"{d['device']}: {units.energy(d['joules'])} counted once, split "
                + ("by share" if d["split"] == "share" else "equally")
                for d in node["node_wide_devices"]
            )
            node_rows.append(
                [
                    _e(node["node"]),
                    _e(", ".join(str(r) for r in node["ranks"])),
                    figure(units.energy(node["energy_j"]), node["energy_method"]),
                    figure(units.co2e(node["co2e_g"]), node["energy_method"], tag=False),
                    _e(shared or "none"),
                ]
            )
        nodes = _table(["Node", "Ranks", "Energy", "CO₂e", "Node-wide devices"], node_rows, {2, 3})
        parts.append(
            f'{head}<h4>Per rank</h4><div class="table-wrap">{ranks}</div>'
            f'<h4>Per node</h4><div class="table-wrap">{nodes}</div>'
        )
    if not parts:
        return ""
    note = (
        "<p>Node-wide figures (a RAPL CPU package, a GPU that several ranks read) are counted "
        "once per node and split among its ranks; the totals above use the split figures.</p>"
    )
    return f'<section id="distributed"><h2>Distributed job</h2>{note}{"".join(parts)}</section>'


def _page(title: str, subtitle: str, body: str, generated_at: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="green-assist {_e(__version__)}">'
        f"<title>{_e(title)}</title><style>{_css()}</style></head><body>"
        f'<header><h1>{_e(title)}</h1><p class="sub">{subtitle}</p></header>{body}'
        f"<footer>Written by green-assist {_e(__version__)} at {_e(generated_at)}. "
        "Self-contained: no scripts, no network. Print to PDF from the browser.</footer>"
        "</body></html>\n"
    )


def render_session(report: SessionReport, generated_at: str) -> str:
    """The HTML report of one or more sessions."""
    totals = report.totals
    subtitle = _e(
        f"{report.title} · started {report.started_at[:19].replace('T', ' ')} UTC · "
        f"{totals.cells} profiled cell(s)"
    )
    body = (
        _warnings(report.warnings)
        + _totals(report)
        + _jobs(report)
        + _timeline(report, "s")
        + _cells(report, "s")
        + _fixes(report)
        + _findings(report)
        + _advice(report)
        + _methods(report)
    )
    return _page("Energy report", subtitle, body, generated_at)


def _change_figures(change: Change, metric: str) -> tuple[str, str, str, str]:
    """Before, after, change and percentage, in one unit; estimates marked."""
    fmt = units.FORMATTERS[metric]
    like = units.like_of(change.before, change.after)
    delta = change.delta
    kind = "" if not delta else ("better" if delta < 0 else "worse")

    def shown(text: str) -> str:
        return _e(text) if metric == "duration_s" else figure(text, change.method, tag=False)

    return (
        shown(fmt(change.before, like)),
        shown(fmt(change.after, like)),
        f'<span class="{kind}">{shown(units.signed(metric, delta, like))}</span>',
        f'<span class="{kind}">{_e(units.percent(change.percent))}</span>',
    )


def _totals_table(comparison: Comparison, matched: bool) -> str:
    rows = []
    for metric in METRICS:
        change = comparison.matched(metric) if matched else comparison.total(metric)
        rows.append([_e(METRIC_NAMES[metric]), *_change_figures(change, metric)])
    return _table(["", "Before", "After", "Change", "%"], rows, {1, 2, 3, 4})


def _comparison(comparison: Comparison) -> str:
    methods = [
        f"{side}: {describe(report.totals.energy_method)}"
        for side, report in (("before", comparison.before), ("after", comparison.after))
    ]
    summary = (
        '<section id="comparison"><h2>Change in total</h2>'
        + _totals_table(comparison, matched=False)
        + f'<p class="note">Whole sessions: {len(comparison.before.cells)} cell(s) before, '
        f"{len(comparison.after.cells)} after. Energy {_e('; '.join(methods))}.</p>"
        + f"<h3>Matched cells only ({comparison.matched_pairs} pair(s))</h3>"
        + _totals_table(comparison, matched=True)
        + "</section>"
    )
    head = ["Cell", "Matched by"]
    for metric in METRICS:
        head += [f"{METRIC_NAMES[metric]}: before → after", "Change"]
    rows = []
    for pair in comparison.pairs:
        row = [_e(pair.name), _e(pair.matched_by or "one side only")]
        for metric in METRICS:
            before, after, delta, percent = _change_figures(pair.change(metric), metric)
            before = before if pair.before else "not run"
            after = after if pair.after else "not run"
            row += [f"{before} → {after}", f"{delta}<br>{percent}" if pair.matched_by else "—"]
        rows.append(row)
    per_cell = (
        '<section id="pairs"><h2>Change per cell</h2>'
        + svg.change_bars(comparison.pairs, prefix="cmp")
        + _legend(comparison=True)
        + f'<div class="table-wrap">{_table(head, rows, set(range(2, len(head))))}</div>'
        "</section>"
    )
    return summary + per_cell


def render_comparison(comparison: Comparison, generated_at: str) -> str:
    """BEFORE vs AFTER: totals, per-cell changes, AFTER's findings, both methods."""
    before, after = comparison.before, comparison.after
    subtitle = _e(f"before: {before.title} · after: {after.title}")
    warnings = (
        [f"before: {w}" for w in before.warnings]
        + [f"after: {w}" for w in after.warnings]
        + comparison.warnings
    )
    body = (
        _warnings(warnings)
        + _comparison(comparison)
        + _findings(after, "Code findings in AFTER")
        + _advice(after)
        + _methods(before, "Methods: before", "methods-before")
        + _methods(after, "Methods: after", "methods-after")
    )
    return _page("Energy comparison: before vs after", subtitle, body, generated_at)
