"""What an analysis run produces: findings (with optional fixes) and per-file errors.

Positions everywhere are 1-based lines and 1-based columns, with ``end_column``
exclusive (the column just after the last character), as in ruff's JSON and SARIF.
In a notebook, ``line`` and ``column`` count within the cell ``cell`` (the 0-based
index of the cell in the notebook's cell list, markdown cells included).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from ..cells import cell_label


class Severity(str, Enum):
    """How loudly a rule speaks; maps onto SARIF levels and GitHub annotations."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Edit:
    """Replace the text from (line, column) up to (end_line, end_column) by ``text``."""

    line: int
    column: int
    end_line: int
    end_column: int
    text: str
    cell: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "text": self.text,
            "cell": self.cell,
        }


@dataclass(frozen=True)
class Fix:
    """How to resolve a finding.

    ``edits`` is empty when the fix needs a human (or a refactor from
    ``green_assist.refactor``); ``safe`` is False when applying the edits may
    change behaviour (different random numbers, different weights): ``--fix``
    applies those only with ``--unsafe-fixes``.
    """

    description: str
    edits: tuple[Edit, ...] = ()
    safe: bool = True

    @property
    def applicable(self) -> bool:
        return bool(self.edits)


@dataclass(frozen=True)
class Related:
    """Evidence elsewhere: the ``.item()`` inside ``accuracy_fn`` that a loop reaches, the
    ``default=1`` that makes a logging guard run every step.

    ``function`` names the function the location is in (None: module level), so a
    front end can say "via accuracy_fn (cell 3)".
    """

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    message: str
    cell: int | None = None
    cell_id: str | None = None
    function: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "cell": self.cell,
            "cell_id": self.cell_id,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "function": self.function,
            "message": self.message,
        }


@dataclass(frozen=True)
class Finding:
    """One place where a rule matched; ``related`` points at causes elsewhere."""

    code: str
    name: str
    message: str
    severity: Severity
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    cell: int | None = None
    cell_id: str | None = None
    fix: Fix | None = None
    related: tuple[Related, ...] = ()
    execution_count: int | None = None  # the cell's ``In [n]`` when the notebook was saved

    @property
    def cell_label(self) -> str | None:
        """``cell 6 · In [4]`` (see ``green_assist.cells``); None outside notebooks."""
        return cell_label(self.cell, self.execution_count) if self.cell is not None else None

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape shared by the CLI (``--format json``) and the REST endpoint."""
        return {
            "code": self.code,
            "name": self.name,
            "message": self.message,
            "severity": self.severity.value,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "cell": self.cell,
            "cell_id": self.cell_id,
            "execution_count": self.execution_count,
            "cell_label": self.cell_label,
            "fix": self.fix.description if self.fix else None,
            "fix_applicable": bool(self.fix and self.fix.applicable),
            "fix_safe": bool(self.fix and self.fix.safe),
            "edits": [edit.to_dict() for edit in self.fix.edits] if self.fix else [],
            "related": [related.to_dict() for related in self.related],
        }


class ErrorKind(str, Enum):
    """Why a file could not be (fully) analysed."""

    EMPTY = "empty"
    SYNTAX = "syntax"
    ENCODING = "encoding"
    TOO_LARGE = "too-large"
    NOTEBOOK = "notebook"
    UNSUPPORTED = "unsupported"
    IO = "io"
    INTERNAL = "internal"
    # Not a regular file (a FIFO, socket or device named *.py): reading it could block forever.
    SKIPPED = "skipped"


@dataclass(frozen=True)
class FileError:
    """A file (or one notebook cell) that could not be analysed, and what to do about it."""

    path: str
    kind: ErrorKind
    message: str
    line: int | None = None
    column: int | None = None
    cell: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "kind": self.kind.value,
            "message": self.message,
            "line": self.line,
            "column": self.column,
            "cell": self.cell,
        }

    @property
    def blocking(self) -> bool:
        """False for notes (an empty file, a skipped FIFO) that do not make a run fail."""
        return self.kind not in (ErrorKind.EMPTY, ErrorKind.SKIPPED)

    def location(self) -> str:
        """``path[:cell N][:line:col]`` for human-readable output (cells 1-based, as shown)."""
        parts = [self.path]
        if self.cell is not None:
            parts.append(f"cell {self.cell + 1}")
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


@dataclass
class AnalysisResult:
    """Everything one file (or one notebook, or one snippet) produced.

    ``source`` is the loaded source (``PythonSource`` or ``NotebookSource``), kept so
    that fixes can be applied to exactly the text that was analysed.
    """

    path: str
    findings: list[Finding] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    source: Any = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "findings": [finding.to_dict() for finding in self.findings],
            "errors": [error.to_dict() for error in self.errors],
        }
