"""Apply the text edits of fixable findings to a file's text or a notebook's cells.

Edits of one finding are applied together or not at all; a finding whose edits
overlap an earlier one is left for the next run (as ruff does).
"""

from __future__ import annotations

import copy
import difflib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .findings import AnalysisResult, Edit, Finding
from .lines import split_lines
from .sources import NotebookSource, PythonSource


def unified_diff(old: str, new: str, label: str) -> str:
    """The change from ``old`` to ``new`` as a unified diff whose lines all end in a newline."""
    lines = difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), label, label
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


@dataclass
class FixOutcome:
    """The fixed text (``.py``) or notebook JSON, and which findings were fixed."""

    path: str
    original: str
    fixed: str
    applied: list[Finding] = field(default_factory=list)
    # Notebooks: cell index -> (old source, new source) for the cells that changed.
    cells: dict[int, tuple[str, str]] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return self.fixed != self.original


def _offset(lines: list[str], starts: list[int], line: int, column: int) -> int:
    if line > len(lines):
        return starts[-1] + len(lines[-1]) if lines else 0
    return starts[line - 1] + column - 1


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """Apply non-overlapping edits (1-based, end exclusive) to ``text``."""
    lines = split_lines(text)
    starts: list[int] = []
    total = 0
    for line in lines:
        starts.append(total)
        total += len(line)
    spans = sorted(
        (
            _offset(lines, starts, e.line, e.column),
            _offset(lines, starts, e.end_line, e.end_column),
            e.text,
        )
        for e in edits
    )
    pieces: list[str] = []
    cursor = 0
    for start, end, replacement in spans:
        if start < cursor:
            raise ValueError("overlapping edits")
        pieces.append(text[cursor:start])
        pieces.append(replacement)
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)


def _choose(findings: Sequence[Finding], unsafe: bool) -> list[Finding]:
    """Fixable findings in order, skipping those whose edits overlap a chosen one."""
    chosen: list[Finding] = []
    taken: list[tuple[int | None, int, int, int, int]] = []
    for finding in findings:
        fix = finding.fix
        if fix is None or not fix.applicable or (not fix.safe and not unsafe):
            continue
        spans = [(e.cell, e.line, e.column, e.end_line, e.end_column) for e in fix.edits]
        if any(_overlaps(span, other) for span in spans for other in taken):
            continue
        chosen.append(finding)
        taken.extend(spans)
    return chosen


def _overlaps(
    a: tuple[int | None, int, int, int, int], b: tuple[int | None, int, int, int, int]
) -> bool:
    if a[0] != b[0]:
        return False
    return (a[1], a[2]) < (b[3], b[4]) and (b[1], b[2]) < (a[3], a[4])


def _cell_source_value(original: Any, text: str) -> Any:
    """Keep nbformat's representation: a list of lines stays a list of lines."""
    return split_lines(text) if isinstance(original, list) else text


def fix_result(result: AnalysisResult, unsafe: bool = False) -> FixOutcome | None:
    """Apply the fixable findings of ``result``; None when the source is not at hand."""
    source = result.source
    chosen = _choose(result.findings, unsafe)
    if isinstance(source, PythonSource):
        edits = [edit for finding in chosen for edit in finding.fix.edits]  # type: ignore[union-attr]
        fixed = apply_edits(source.text, edits) if edits else source.text
        return FixOutcome(source.path, source.text, fixed, chosen)
    if isinstance(source, NotebookSource) and source.notebook is not None:
        return _fix_notebook(source, chosen)
    return None


def _fix_notebook(source: NotebookSource, chosen: list[Finding]) -> FixOutcome:
    notebook = source.notebook or {}
    original = json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"
    by_cell: dict[int, list[Edit]] = {}
    for finding in chosen:
        for edit in finding.fix.edits:  # type: ignore[union-attr]
            if edit.cell is not None:
                by_cell.setdefault(edit.cell, []).append(edit)
    new_notebook = copy.deepcopy(notebook)
    changed: dict[int, tuple[str, str]] = {}
    for cell in source.cells:
        edits = by_cell.get(cell.index)
        if not edits:
            continue
        new_text = apply_edits(cell.source, edits)
        raw_cell = new_notebook["cells"][cell.index]
        raw_cell["source"] = _cell_source_value(raw_cell.get("source"), new_text)
        changed[cell.index] = (cell.source, new_text)
    fixed = json.dumps(new_notebook, indent=1, ensure_ascii=False) + "\n" if changed else original
    return FixOutcome(source.path, original, fixed, chosen, changed)
