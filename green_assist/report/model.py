"""What a report says, independent of its format: cells, totals, methods, findings, advice.

``build_report(loaded)`` turns the records of ``loading.load_sessions`` into a
``SessionReport``; each format (``to_html``, ``to_json``, ``to_csv``, ``to_markdown``)
only lays it out. Totals come from ``profiler.totals.session_totals`` (unknowns stay
visible, as in the sidebar and ``%greenprofile status``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..cells import cell_label
from ..methods import least_certain
from ..profiler.flops import CONVENTION as FLOP_CONVENTION
from ..profiler.flops import METHOD as FLOP_METHOD
from ..profiler.session_log import ProfileRecord
from ..profiler.totals import Totals, session_totals
from . import units
from .code_findings import CodeAnalysis, analyze_session_code
from .distributed import DistributedJob, merge_jobs
from .loading import LoadedSessions, LogSource


@dataclass(frozen=True)
class Cell:
    """One record (a profiled cell or script run) as the report shows it."""

    index: int
    record: ProfileRecord

    @property
    def name(self) -> str:
        """What people call the cell: ``cell 6 · In [4]`` (its label first, if any), else
        ``In [n]``, its id, or its place in the report."""
        record = self.record
        if isinstance(record.cell_index, int):
            where = cell_label(record.cell_index, record.execution_count)
            return f"{record.label} ({where})" if record.label else where
        if record.label:
            return record.label
        if record.execution_count is not None:
            return f"In [{record.execution_count}]"
        if record.kind == "script" and record.source:
            return record.source.split("\n", 1)[0][:80]
        if record.cell_id:
            return f"cell {record.cell_id[:8]}"
        return f"#{self.index + 1}"

    @property
    def mean_power_w(self) -> float | None:
        record = self.record
        if record.energy_j is None or not record.duration_s or record.duration_s <= 0:
            return None
        return record.energy_j / record.duration_s


@dataclass
class ComponentMethod:
    """How one energy component (``cpu``, ``dram``, ``gpu:0``) was obtained over the session."""

    component: str
    joules: float | None = None
    cells: int = 0
    unknown_cells: int = 0
    methods: dict[str, int] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def method(self) -> str | None:
        return least_certain(self.methods)

    def to_dict(self) -> dict[str, Any]:
        return {
            "component": self.component,
            "joules": self.joules,
            "method": self.method,
            "methods": dict(self.methods),
            "cells": self.cells,
            "unknown_cells": self.unknown_cells,
            "reasons": list(self.reasons),
            "detail": self.detail,
        }


@dataclass(frozen=True)
class CarbonBasis:
    """One grid intensity and PUE used by some records, and where it comes from."""

    intensity_g_per_kwh: float | None
    pue: float | None
    region: str | None
    source: str | None
    year: int | None
    is_default: bool
    note: str | None
    cells: int
    pue_source: str | None = None
    pue_year: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "intensity_g_per_kwh": self.intensity_g_per_kwh,
            "pue": self.pue,
            "pue_source": self.pue_source,
            "pue_year": self.pue_year,
            "region": self.region,
            "source": self.source,
            "year": self.year,
            "is_default": self.is_default,
            "note": self.note,
            "cells": self.cells,
        }


FORMULAS_NOTE = (
    "torch's formulas, with ours where torch has none or a wrong one: grouped and depthwise "
    "convolution backward (torch counts the weight gradient `groups` times), fused recurrent "
    "layers (oneDNN, cuDNN, MIOpen, MPS; counted as the unfused path), CPU attention, "
    "matrix-vector and dot products"
)
OVERHEAD_NOTE = (
    "time and energy of a cell whose FLOPs were counted include the counter's own work "
    "(flops_counter_s per cell, a lower bound)"
)


@dataclass
class Methods:
    """The methods section: hardware, software, how each figure was obtained."""

    hardware: list[dict[str, Any]]
    software: dict[str, list[str]]
    components: list[ComponentMethod]
    carbon: list[CarbonBasis]
    flops_notes: list[str]
    memory_notes: list[str]
    lifecycle: dict[str, list[str]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "lifecycle": self.lifecycle,
            "hardware": self.hardware,
            "software": self.software,
            "components": [component.to_dict() for component in self.components],
            "carbon": [basis.to_dict() for basis in self.carbon],
            "flops": {
                "convention": FLOP_CONVENTION,
                "counter": "torch.utils.flop_counter.FlopCounterMode",
                "formulas": FORMULAS_NOTE,
                "overhead": OVERHEAD_NOTE,
                "method": FLOP_METHOD,
                "notes": self.flops_notes,
            },
            "memory_notes": self.memory_notes,
        }


@dataclass(frozen=True)
class AdviceItem:
    """One piece of runtime advice from the profiler, with the cells it was given for."""

    code: str
    title: str
    message: str
    fix: str
    evidence: Any
    cells: list[int]

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "title": self.title,
            "message": self.message,
            "fix": self.fix,
            "evidence": self.evidence,
            "cells": self.cells,
        }


@dataclass(frozen=True)
class FixEffect:
    """A fix applied from the sidebar, and what the next run of its cell measured."""

    cell: int  # index into the report's cells (the run after the fix)
    name: str  # the cell, as people call it
    refactor: str
    title: str
    before_energy_j: float | None
    after_energy_j: float | None
    before_duration_s: float | None
    after_duration_s: float
    energy_pct: float | None
    duration_pct: float | None
    noise_pct: float | None
    verdict: str | None
    energy_method: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "cell": self.cell,
            "name": self.name,
            "refactor": self.refactor,
            "title": self.title,
            "before": {"energy_j": self.before_energy_j, "duration_s": self.before_duration_s},
            "after": {"energy_j": self.after_energy_j, "duration_s": self.after_duration_s},
            "energy_pct": self.energy_pct,
            "duration_pct": self.duration_pct,
            "noise_pct": self.noise_pct,
            "verdict": self.verdict,
            "energy_method": self.energy_method,
        }


def fix_summary(fix: FixEffect) -> str:
    """``-38% energy (23.2 J -> 14.4 J) after Convert to mixed precision: saved``."""
    energy = fix.energy_pct is not None
    pct = fix.energy_pct if energy else fix.duration_pct
    if energy:
        like = units.like_of(fix.before_energy_j, fix.after_energy_j)
        before = units.energy(fix.before_energy_j, like)
        after = units.energy(fix.after_energy_j, like)
    else:
        like = units.like_of(fix.before_duration_s, fix.after_duration_s)
        before = units.duration(fix.before_duration_s, like)
        after = units.duration(fix.after_duration_s, like)
    what = "energy" if energy else "time"
    figure = f"{pct:+.0f}% {what} ({before} → {after})" if pct is not None else "no figure"
    noise = f"±{fix.noise_pct:.0f}%" if fix.noise_pct is not None else "the"
    verdict = {
        "saved": "saved",
        "worse": f"worse: beyond the {noise} run-to-run spread; undo the fix",
        "no clear change": f"no clear change (within the {noise} run-to-run spread)",
    }.get(fix.verdict or "", "not judged (a short or failed run)")
    return f"{figure} after {fix.title}: {verdict}"


def _fixes(cells: list[Cell]) -> list[FixEffect]:
    """Each run that followed a fix from the sidebar (``previous_run.refactor``)."""
    found = []
    for cell in cells:
        record = cell.record
        previous = record.previous_run if isinstance(record.previous_run, dict) else None
        fix = previous.get("refactor") if previous else None
        if not isinstance(fix, dict) or previous is None:
            continue
        change = record.change if isinstance(record.change, dict) else {}
        found.append(
            FixEffect(
                cell=cell.index,
                name=cell.name,
                refactor=str(fix.get("name", "")),
                title=str(fix.get("title", fix.get("name", ""))),
                before_energy_j=previous.get("energy_j"),
                after_energy_j=record.energy_j,
                before_duration_s=previous.get("duration_s"),
                after_duration_s=record.duration_s,
                energy_pct=change.get("energy_pct"),
                duration_pct=change.get("duration_pct"),
                noise_pct=change.get("noise_pct"),
                verdict=change.get("verdict"),
                energy_method=record.energy_method,
            )
        )
    return found


@dataclass
class SessionReport:
    """Everything one report shows about one or more session logs."""

    sources: list[LogSource]
    session_ids: list[str]
    cells: list[Cell]
    totals: Totals
    methods: Methods
    code: CodeAnalysis
    advice: list[AdviceItem]
    warnings: list[str]
    # Distributed jobs among the records (ranks merged, node-wide figures counted once).
    jobs: list[DistributedJob] = field(default_factory=list)
    # Fixes applied from the sidebar and what the next run measured.
    fixes: list[FixEffect] = field(default_factory=list)

    @property
    def started_at(self) -> str:
        return self.cells[0].record.started_at

    @property
    def title(self) -> str:
        if len(self.session_ids) == 1:
            return f"session {self.session_ids[0]}"
        return f"{len(self.session_ids)} sessions"


def build_report(
    loaded: LoadedSessions,
    *,
    analyze_code: bool = True,
    max_findings: int = 10,
    code_root: Path | None = None,
) -> SessionReport:
    """The report of ``loaded``; ``analyze_code=False`` skips the analyzer's findings.

    Scripts a record points to are read only inside ``code_root`` (None: not read).
    The ranks of a distributed job count node-wide figures once (``distributed``), so
    cells, totals and methods all show the merged figures.
    """
    merged = merge_jobs(loaded.records)
    cells = [Cell(index, record) for index, record in enumerate(merged.records)]
    code = (
        analyze_session_code(cells, max_findings=max_findings, code_root=code_root)
        if analyze_code
        else CodeAnalysis.skipped()
    )
    return SessionReport(
        sources=loaded.sources,
        session_ids=loaded.session_ids,
        cells=cells,
        totals=session_totals([cell.record for cell in cells]),
        methods=_methods(cells),
        code=code,
        advice=_advice(cells),
        warnings=list(loaded.warnings) + merged.warnings + code.warnings,
        jobs=merged.jobs,
        fixes=_fixes(cells),
    )


def _unique(items: list[Any]) -> list[Any]:
    """Items without repeats (compared as JSON), in order of first appearance."""
    seen: dict[str, Any] = {}
    for item in items:
        seen.setdefault(json.dumps(item, sort_keys=True, default=str), item)
    return list(seen.values())


def _components(records: list[ProfileRecord]) -> list[ComponentMethod]:
    found: dict[str, ComponentMethod] = {}
    for record in records:
        for name, entry in record.energy.items():
            entry = entry if isinstance(entry, dict) else {}
            summary = found.setdefault(name, ComponentMethod(name))
            summary.cells += 1
            joules, method = entry.get("joules"), entry.get("method")
            if isinstance(joules, (int, float)):
                summary.joules = (summary.joules or 0.0) + joules
            else:
                summary.unknown_cells += 1
            if method:
                summary.methods[method] = summary.methods.get(method, 0) + 1
            reason = entry.get("reason")
            if reason and reason not in summary.reasons:
                summary.reasons.append(reason)
            if not summary.detail and isinstance(entry.get("detail"), dict):
                summary.detail = entry["detail"]
    return sorted(found.values(), key=lambda c: (c.component.startswith("gpu"), c.component))


# The order the methods section lists versions in; others follow.
SOFTWARE_ORDER = ("python", "torch", "jupyterlab", "ipykernel", "green_assist", "platform")


def _software(records: list[ProfileRecord]) -> dict[str, list[str]]:
    """Versions named by the records: Python, torch, JupyterLab, green_assist..."""
    versions: dict[str, list[str]] = {}

    def add(name: str, version: Any) -> None:
        if version is None or isinstance(version, (dict, list)):
            return
        listed = versions.setdefault(name, [])
        if str(version) not in listed:
            listed.append(str(version))

    for record in records:
        software = record.hardware.get("software") or record.extra.get("software")
        if isinstance(software, dict):
            for name, version in software.items():
                add(str(name), version)
        add("green_assist", record.green_assist_version)
        for key in ("python", "platform"):
            add(key, record.hardware.get(key))
    rank = {name: i for i, name in enumerate(SOFTWARE_ORDER)}
    return dict(sorted(versions.items(), key=lambda item: rank.get(item[0], len(rank))))


def _without_software(hardware: dict[str, Any]) -> dict[str, Any]:
    """The machine's facts; versions go to the software section."""
    return {key: value for key, value in hardware.items() if key != "software"}


def _carbon(records: list[ProfileRecord]) -> list[CarbonBasis]:
    groups: dict[tuple[Any, ...], list[ProfileRecord]] = {}
    for record in records:
        carbon = record.carbon or {}
        key = (
            record.carbon_intensity_g_per_kwh,
            record.pue,
            record.region,
            carbon.get("source"),
            carbon.get("year"),
        )
        groups.setdefault(key, []).append(record)
    bases = []
    for (intensity, pue, region, source, year), members in groups.items():
        carbon = members[0].carbon or {}
        bases.append(
            CarbonBasis(
                intensity_g_per_kwh=intensity,
                pue=pue,
                region=region,
                source=source,
                year=year,
                is_default=bool(carbon.get("is_default")),
                note=carbon.get("note"),
                cells=len(members),
                pue_source=carbon.get("pue_source"),
                pue_year=carbon.get("pue_year"),
            )
        )
    return bases


def _methods(cells: list[Cell]) -> Methods:
    records = [cell.record for cell in cells]
    memory_notes = [
        f"{name}: {note}" for r in records for name, note in r.peak_memory_notes.items()
    ]
    return Methods(
        hardware=_unique([_without_software(r.hardware) for r in records if r.hardware]),
        software=_software(records),
        components=_components(records),
        carbon=_carbon(records),
        flops_notes=_unique([note for r in records for note in r.flops_notes]),
        memory_notes=_unique(memory_notes),
        lifecycle=_lifecycle_sources(records),
    )


def _lifecycle_sources(records: list[ProfileRecord]) -> dict[str, list[str]]:
    """Every source and note the lifecycle estimates used, by figure."""
    found: dict[str, list[str]] = {"embodied": [], "water": [], "alternatives": []}

    def add(key: str, text: Any) -> None:
        if isinstance(text, str) and text and text not in found[key]:
            found[key].append(text)

    for record in records:
        lifecycle = record.lifecycle if isinstance(record.lifecycle, dict) else {}
        embodied = lifecycle.get("embodied") or {}
        for source in (embodied.get("sources") or {}).values():
            add("embodied", source)
        water = lifecycle.get("water") or {}
        for source in (water.get("sources") or {}).values():
            add("water", source)
        for note in water.get("notes") or []:
            add("water", note)
        for figure in (lifecycle.get("alternatives") or {}).values():
            if isinstance(figure, dict):
                add(
                    "alternatives",
                    f"{figure.get('region')} ({figure.get('year')}): {figure.get('source')}",
                )
    return {key: values for key, values in found.items() if values}


def _advice(cells: list[Cell]) -> list[AdviceItem]:
    """Advice grouped by code (the first wording kept), with every cell it applies to."""
    grouped: dict[str, tuple[dict[str, Any], list[int]]] = {}
    for cell in cells:
        for item in cell.record.advice:
            if not isinstance(item, dict):
                continue
            key = str(item.get("code") or item.get("title") or item.get("message"))
            first, indices = grouped.setdefault(key, (item, []))
            if cell.index not in indices:
                indices.append(cell.index)
    return [
        AdviceItem(
            code=str(item.get("code") or ""),
            title=str(item.get("title") or ""),
            message=str(item.get("message") or ""),
            fix=str(item.get("fix") or ""),
            evidence=item.get("evidence"),
            cells=indices,
        )
        for item, indices in grouped.values()
    ]
