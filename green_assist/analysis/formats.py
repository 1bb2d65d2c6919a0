"""Findings as text (like ruff), JSON, SARIF 2.1.0 (code scanning) and GitHub annotations.

Notebook positions are (cell, line, column): text output shows
``nb.ipynb:cell 3 · In [2]:2:5`` (position counted from 1 as Jupyter users see cells,
and the run count saved with the notebook; see ``green_assist.cells``); JSON keeps the
0-based index and adds ``cell_label``.
SARIF and GitHub annotations cannot address a cell, so they point at the notebook
file with the cell's line and column and name the cell in the message.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .. import __version__
from ..cells import cell_label
from .findings import AnalysisResult, FileError, Finding, Severity
from .registry import all_rules

FORMATS = ("text", "json", "sarif", "github")
DOCS_URL = "https://github.com/green-assist/green_assist/blob/main/docs/rules.md"


def _location(finding: Finding) -> str:
    cell = f"{finding.cell_label}:" if finding.cell is not None else ""
    return f"{finding.path}:{cell}{finding.line}:{finding.column}"


def _fix_mark(finding: Finding) -> str:
    fix = finding.fix
    if fix is None or not fix.applicable:
        return ""
    return "[*] " if fix.safe else "[-] "


def findings_of(results: Sequence[AnalysisResult]) -> list[Finding]:
    return [finding for result in results for finding in result.findings]


def errors_of(results: Sequence[AnalysisResult]) -> list[FileError]:
    return [error for result in results for error in result.errors]


def render_text(results: Sequence[AnalysisResult]) -> str:
    """``path:line:col: GA101 [*] message`` lines and a summary (``[*]``: ``--fix`` fixes it)."""
    findings = findings_of(results)
    lines = [f"{_location(f)}: {f.code} {_fix_mark(f)}{f.message}" for f in findings]
    unreadable = len({e.path for e in errors_of(results) if e.blocking})
    if not findings:
        if unreadable:
            noun = "file" if unreadable == 1 else "files"
            lines.append(f"No findings, but {unreadable} {noun} could not be analysed.")
        else:
            lines.append("All checks passed!")
        return "\n".join(lines) + "\n"
    safe = sum(1 for f in findings if f.fix and f.fix.applicable and f.fix.safe)
    unsafe = sum(1 for f in findings if f.fix and f.fix.applicable and not f.fix.safe)
    noun = "finding" if len(findings) == 1 else "findings"
    summary = f"Found {len(findings)} {noun}"
    notes = []
    if safe:
        notes.append(f"{safe} fixable with `--fix`")
    if unsafe:
        notes.append(f"{unsafe} more with `--fix --unsafe-fixes`")
    if notes:
        summary += " (" + ", ".join(notes) + ")"
    if unreadable:
        summary += f"; {unreadable} file{'s' if unreadable != 1 else ''} could not be analysed"
    lines.append(summary + ".")
    return "\n".join(lines) + "\n"


def render_errors_text(errors: Sequence[FileError]) -> str:
    lines = []
    for error in errors:
        level = "error" if error.blocking else "note"
        lines.append(f"{error.location()}: {level}: {error.message}")
    return "\n".join(lines) + ("\n" if lines else "")


def render_json(results: Sequence[AnalysisResult]) -> str:
    """An array of findings (``Finding.to_dict``)."""
    return json.dumps([f.to_dict() for f in findings_of(results)], indent=2) + "\n"


_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _uri(path: str) -> str:
    candidate = Path(path)
    with contextlib.suppress(ValueError, OSError):
        candidate = candidate.resolve().relative_to(Path.cwd().resolve())
    return candidate.as_posix()


def _region(
    line: int | None, column: int | None, end_line: int | None = None, end_column: int | None = None
) -> dict[str, int]:
    region: dict[str, int] = {}
    if line is not None:
        region["startLine"] = line
        if column is not None:
            region["startColumn"] = column
        if end_line is not None:
            region["endLine"] = end_line
        if end_column is not None:
            region["endColumn"] = end_column
    return region


def _cell_note(cell: int | None, execution_count: int | None = None) -> str:
    return f" (notebook {cell_label(cell, execution_count)})" if cell is not None else ""


def _sarif_rule(rule: Any) -> dict[str, Any]:
    doc = rule.doc
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": doc.what},
        "help": {
            "text": f"{doc.why}\n\nFix: {doc.fix}",
            "markdown": f"{doc.why}\n\n**Fix:** {doc.fix}",
        },
        "helpUri": f"{DOCS_URL}#{rule.code.lower()}-{rule.name}",
        "defaultConfiguration": {"level": _SARIF_LEVEL[rule.severity]},
        "properties": {"tags": ["energy", "performance"]},
    }


def _notification(error: FileError) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(error.path)}}
    region = _region(error.line, error.column)
    if region:
        physical["region"] = region
    return {
        "level": "error" if error.blocking else "note",
        "message": {"text": error.message + _cell_note(error.cell)},
        "locations": [{"physicalLocation": physical}],
    }


def render_sarif(results: Sequence[AnalysisResult]) -> str:
    """SARIF 2.1.0: one run, every rule described, findings as results, errors as notifications."""
    rules = list(all_rules())
    index = {rule.code: position for position, rule in enumerate(rules)}
    sarif_results = []
    for finding in findings_of(results):
        location = {
            "physicalLocation": {
                "artifactLocation": {"uri": _uri(finding.path)},
                "region": _region(
                    finding.line, finding.column, finding.end_line, finding.end_column
                ),
            }
        }
        entry: dict[str, Any] = {
            "ruleId": finding.code,
            "level": _SARIF_LEVEL[finding.severity],
            "message": {
                "text": finding.message + _cell_note(finding.cell, finding.execution_count)
            },
            "locations": [location],
        }
        if finding.related:
            entry["relatedLocations"] = [
                {
                    "id": number,
                    "physicalLocation": {
                        "artifactLocation": {"uri": _uri(related.path)},
                        "region": _region(
                            related.line, related.column, related.end_line, related.end_column
                        ),
                    },
                    "message": {"text": related.message + _cell_note(related.cell)},
                }
                for number, related in enumerate(finding.related)
            ]
        if finding.code in index:
            entry["ruleIndex"] = index[finding.code]
        if finding.cell is not None:
            entry["properties"] = {"cell": finding.cell, "cell_id": finding.cell_id}
        sarif_results.append(entry)
    notifications = [_notification(error) for error in errors_of(results)]
    document = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "green-assist",
                        "version": __version__,
                        "informationUri": DOCS_URL,
                        "rules": [_sarif_rule(rule) for rule in rules],
                    }
                },
                "results": sarif_results,
                "invocations": [
                    {
                        "executionSuccessful": not any(e.blocking for e in errors_of(results)),
                        "toolExecutionNotifications": notifications,
                    }
                ],
            }
        ],
    }
    return json.dumps(document, indent=2) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def render_github(results: Sequence[AnalysisResult]) -> str:
    """GitHub Actions workflow commands: ``::warning file=...,line=...::message``."""
    lines = []
    for f in findings_of(results):
        properties = (
            f"file={_escape_property(f.path)},line={f.line},col={f.column},"
            f"endLine={f.end_line},endColumn={f.end_column},"
            f"title={_escape_property(f'{f.code} {f.name}')}"
        )
        message = _escape_data(f"{f.code} {f.message}{_cell_note(f.cell, f.execution_count)}")
        lines.append(f"::{_GITHUB_LEVEL[f.severity]} {properties}::{message}")
    for error in errors_of(results):
        level = "error" if error.blocking else "notice"
        properties = f"file={_escape_property(error.path)}"
        if error.line is not None:
            properties += f",line={error.line}"
            if error.column is not None:
                properties += f",col={error.column}"
        message = _escape_data(error.message + _cell_note(error.cell))
        lines.append(f"::{level} {properties}::{message}")
    return "\n".join(lines) + ("\n" if lines else "")


def render(results: Sequence[AnalysisResult], output_format: str) -> str:
    renderers = {
        "text": render_text,
        "json": render_json,
        "sarif": render_sarif,
        "github": render_github,
    }
    return renderers[output_format](results)
