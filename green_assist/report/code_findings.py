"""The analyzer's findings for the code a session ran, costliest cells first.

Cell records carry their source, so the cells are analysed as one notebook (each
distinct source once, in order of first run). Script records name a file; it is
read only when it lies inside ``code_root`` (the server passes its root folder), so
a report never reads files it was not meant to. The code is parsed, never run.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..analysis import (
    AnalysisResult,
    Config,
    ConfigError,
    Finding,
    analyze_cells,
    analyze_path,
    get_rule,
)
from ..analysis.workspace import inside

if TYPE_CHECKING:
    from .model import Cell

_SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class CodeFinding:
    """One analyzer finding, placed in the report's cells, with the refactor it suggests."""

    code: str
    name: str
    severity: str
    message: str
    cells: list[int]
    where: str
    line: int
    column: int
    fix: str | None
    fix_applicable: bool
    refactor: str
    fixed_example: str
    energy_j: float | None
    codemods: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity,
            "message": self.message,
            "cells": self.cells,
            "where": self.where,
            "line": self.line,
            "column": self.column,
            "fix": self.fix,
            "fix_applicable": self.fix_applicable,
            "refactor": self.refactor,
            "fixed_example": self.fixed_example,
            "energy_j": self.energy_j,
            "codemods": self.codemods,
        }


@dataclass
class CodeAnalysis:
    """The top findings, how many there were, and what could not be analysed."""

    findings: list[CodeFinding] = field(default_factory=list)
    total: int = 0
    analysed_sources: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    ran: bool = True

    @classmethod
    def skipped(cls) -> CodeAnalysis:
        return cls(ran=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ran": self.ran,
            "analysed_sources": self.analysed_sources,
            "total_findings": self.total,
            "findings": [finding.to_dict() for finding in self.findings],
            "errors": self.errors,
        }


def _energy(cells: list[Cell], indices: list[int]) -> float | None:
    known = [cells[i].record.energy_j for i in indices]
    values = [value for value in known if value is not None]
    return sum(values) if values else None


def codemods_for(code: str) -> list[dict[str, str]]:
    """The one-click refactors (``green-assist refactor NAME``) that answer a rule."""
    from ..refactor.registry import refactors_answering

    return [
        {"name": refactor.name, "summary": refactor.summary}
        for refactor in refactors_answering(code)
    ]


def _finding(finding: Finding, indices: list[int], where: str, cells: list[Cell]) -> CodeFinding:
    try:
        doc = get_rule(finding.code).doc
        refactor, example = doc.fix, doc.fixed_example
    except KeyError:
        refactor, example = "", ""
    return CodeFinding(
        code=finding.code,
        name=finding.name,
        severity=finding.severity.value,
        message=finding.message,
        cells=indices,
        where=where,
        line=finding.line,
        column=finding.column,
        fix=finding.fix.description if finding.fix else None,
        fix_applicable=bool(finding.fix and finding.fix.applicable),
        refactor=refactor,
        fixed_example=example,
        energy_j=_energy(cells, indices),
        codemods=codemods_for(finding.code),
    )


def _script_path(source: str, code_root: Path) -> Path | None:
    """The ``.py`` file a script record names, if it lies inside ``code_root``."""
    try:
        first = shlex.split(source)[0]
    except (ValueError, IndexError):
        return None
    if not first.endswith(".py"):
        return None
    path = inside(code_root, first)
    return path if path is not None and path.is_file() else None


def analyze_session_code(
    cells: list[Cell], *, max_findings: int = 10, code_root: Path | None = None
) -> CodeAnalysis:
    """Findings for every distinct cell source (and readable script), ranked."""
    sources: dict[str, list[int]] = {}
    scripts: dict[Path, list[int]] = {}
    skipped_scripts: list[str] = []
    for cell in cells:
        record = cell.record
        if not record.source:
            continue
        if record.kind == "script":
            path = _script_path(record.source, code_root) if code_root else None
            if path is None:
                skipped_scripts.append(record.source.split("\n", 1)[0])
            else:
                scripts.setdefault(path, []).append(cell.index)
        else:
            sources.setdefault(record.source, []).append(cell.index)

    analysis = CodeAnalysis(analysed_sources=len(sources) + len(scripts))
    found: list[CodeFinding] = []
    if sources:
        texts = list(sources)
        result = analyze_cells(texts, path="<session>")
        owners = [sources[text] for text in texts]
        for finding in result.findings:
            indices = owners[finding.cell] if finding.cell is not None else []
            where = cells[indices[0]].name if indices else "session"
            found.append(_finding(finding, indices, where, cells))
        analysis.errors.extend(_errors(result, owners, cells))
    for path, indices in scripts.items():
        try:
            result = analyze_path(path)
        except ConfigError as err:  # a broken [tool.green-assist] must not stop a report
            analysis.warnings.append(f"{path.name}: {err}; analysed with default settings")
            result = analyze_path(path, Config())
        for finding in result.findings:
            found.append(_finding(finding, indices, path.name, cells))
        analysis.errors.extend(f"{path.name}: {error.message}" for error in result.errors)
    if skipped_scripts:
        analysis.warnings.append(
            "scripts not analysed (not found inside the folder the report was made in): "
            + ", ".join(dict.fromkeys(skipped_scripts))
        )
    found.sort(key=lambda f: (_SEVERITY_RANK.get(f.severity, 3), -(f.energy_j or 0.0)))
    analysis.total = len(found)
    analysis.findings = found[:max_findings]
    return analysis


def _errors(result: AnalysisResult, owners: list[list[int]], cells: list[Cell]) -> list[str]:
    messages = []
    for error in result.errors:
        if error.cell is not None and error.cell < len(owners):
            name = cells[owners[error.cell][0]].name
        else:
            name = "session"
        line = f", line {error.line}" if error.line is not None else ""
        messages.append(f"{name}{line}: {error.message}")
    return messages
