"""Run one refactor on a ``.py`` text, notebook cells or a file; never writes anything.

The result holds the new text (or the changed cells), a unified diff, notes for
the user, and the status: ``changed``, ``unchanged`` (nothing to do, or already
done), ``refused`` (with the reason) or ``error`` (the input could not be read or
parsed). A notebook is refactored as one module (its code cells joined, IPython
syntax masked), then split back: only cells whose code changed are touched.
"""

from __future__ import annotations

import ast
import copy
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import libcst as cst

from ..analysis.findings import ErrorKind, FileError
from ..analysis.fixes import unified_diff
from ..analysis.lines import split_lines
from ..analysis.nesting import check_nesting
from ..analysis.sources import (
    DEFAULT_MAX_SOURCE_BYTES,
    CellSplitError,
    NotebookSource,
    PythonSource,
    load_path,
    notebook_from_cells,
    notebook_from_json,
)
from ..target import ANY, Target
from .base import OptionError, Refactor, RefactorRefused
from .context import RefactorContext, Source
from .registry import get_refactor

Status = Literal["changed", "unchanged", "refused", "error"]


@dataclass(frozen=True)
class CellChange:
    """One notebook cell whose code the refactor changed."""

    index: int  # 0-based position in the notebook's cell list
    cell_id: str | None
    old: str
    new: str


@dataclass
class RefactorResult:
    """What a refactor would do to one file or notebook (see the module docstring)."""

    refactor: str
    path: str
    status: Status
    notes: list[str] = field(default_factory=list)
    reason: str | None = None
    errors: list[FileError] = field(default_factory=list)
    original: str | None = None  # .py text
    text: str | None = None  # new .py text
    encoding: str = "utf-8"
    cells: list[CellChange] = field(default_factory=list)  # notebooks: changed cells
    notebook: dict[str, Any] | None = None  # notebooks read as JSON: the new notebook

    @property
    def changed(self) -> bool:
        return self.status == "changed"

    def diff(self) -> str:
        """A unified diff of the change (per cell for notebooks, labelled ``path:cell N``)."""
        if self.cells:
            return "".join(
                unified_diff(c.old, c.new, f"{self.path}:cell {c.index + 1}") for c in self.cells
            )
        if self.original is not None and self.text is not None:
            return unified_diff(self.original, self.text, self.path)
        return ""

    def to_dict(self) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "refactor": self.refactor,
            "path": self.path,
            "status": self.status,
            "notes": self.notes,
            "reason": self.reason,
            "errors": [error.to_dict() for error in self.errors],
            "diff": self.diff(),
        }
        if self.text is not None:
            payload["text"] = self.text
        if self.cells or self.notebook is not None or self.original is None:
            payload["cells"] = [
                {"index": c.index, "id": c.cell_id, "source": c.new} for c in self.cells
            ]
        return payload


def refactor_text(
    name: str,
    text: str,
    path: str = "<string>",
    options: Mapping[str, Any] | None = None,
    max_source_bytes: int = DEFAULT_MAX_SOURCE_BYTES,
    target: Target = ANY,
) -> RefactorResult:
    """Refactor Python source text. Raises KeyError/OptionError for a bad name or option."""
    refactor = get_refactor(name)
    values = refactor.parse_options(options or {})
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_source_bytes:
        error = FileError(
            path,
            ErrorKind.TOO_LARGE,
            f"the source is {size:,} bytes, over the {max_source_bytes:,}-byte limit",
        )
        return RefactorResult(name, path, "error", errors=[error], reason=error.message)
    return _run(refactor, PythonSource(path, text), values, None, target)


def refactor_cells(
    name: str,
    cells: Sequence[str | Mapping[str, Any]],
    path: str = "<notebook>",
    options: Mapping[str, Any] | None = None,
    cell: int | None = None,
    max_source_bytes: int = DEFAULT_MAX_SOURCE_BYTES,
    target: Target = ANY,
) -> RefactorResult:
    """Refactor notebook cells (strings or nbformat cell dicts); ``cell`` is 0-based."""
    refactor = get_refactor(name)
    values = refactor.parse_options(options or {})
    loaded = notebook_from_cells(cells, path, None, max_source_bytes)
    return _run_loaded(refactor, loaded, values, cell, target)


def refactor_notebook(
    name: str,
    notebook: bytes | str | Mapping[str, Any],
    path: str = "<notebook>",
    options: Mapping[str, Any] | None = None,
    cell: int | None = None,
    target: Target = ANY,
) -> RefactorResult:
    """Refactor an nbformat-4 notebook (JSON text or dict); the result holds the new one."""
    refactor = get_refactor(name)
    values = refactor.parse_options(options or {})
    return _run_loaded(refactor, notebook_from_json(notebook, path), values, cell, target)


def refactor_path(
    name: str,
    path: str | os.PathLike[str],
    options: Mapping[str, Any] | None = None,
    cell: int | None = None,
    target: Target = ANY,
) -> RefactorResult:
    """Refactor a ``.py`` or ``.ipynb`` file (read only; writing is the caller's choice).

    ``target`` is the hardware the notes describe (what the new code will do there).
    """
    refactor = get_refactor(name)
    values = refactor.parse_options(options or {})
    loaded = load_path(path)
    if isinstance(loaded, PythonSource) and cell is not None:
        raise OptionError("--cell applies to notebooks (.ipynb) only")
    return _run_loaded(refactor, loaded, values, cell, target)


def _run_loaded(
    refactor: type[Refactor],
    loaded: Source | FileError,
    options: dict[str, Any],
    cell: int | None,
    target: Target = ANY,
) -> RefactorResult:
    if isinstance(loaded, FileError):
        return RefactorResult(
            refactor.name, loaded.path, "error", errors=[loaded], reason=loaded.message
        )
    if isinstance(loaded, NotebookSource) and cell is not None:
        known = {c.index for c in loaded.cells}
        if cell not in known:
            raise OptionError(
                f"cell {cell + 1} is not a code cell of this notebook"
                f" (code cells: {', '.join(str(i + 1) for i in sorted(known)) or 'none'})"
            )
    return _run(refactor, loaded, options, cell, target)


def _syntax_error(source: Source, text: str) -> FileError:
    try:
        ast.parse(text)
    except SyntaxError as err:
        line, column, message = err.lineno, err.offset, f"syntax error: {err.msg}"
    else:
        line, column, message = None, None, "libcst cannot parse this code"
    cell = None
    if line is not None and isinstance(source, NotebookSource):
        cell, line, column = source.locate(line, column or 1)
    return FileError(source.path, ErrorKind.SYNTAX, message, line, column, cell)


def _run(
    refactor: type[Refactor],
    source: Source,
    options: dict[str, Any],
    cell: int | None,
    target: Target = ANY,
) -> RefactorResult:
    name, path = refactor.name, source.path
    text = source.module_text
    original = source.text if isinstance(source, PythonSource) else None
    encoding = source.encoding if isinstance(source, PythonSource) else "utf-8"
    result = RefactorResult(name, path, "unchanged", original=original, encoding=encoding)
    if not text.strip():
        result.status, result.reason = "refused", "there is no code to refactor"
        return result
    try:
        check_nesting(text)  # libcst would crash the process on absurd nesting
        module = cst.parse_module(text)
    except Exception:
        error = _syntax_error(source, text)
        where = f" (cell {error.cell + 1})" if error.cell is not None else ""
        result.status, result.errors = "error", [error]
        result.reason = f"the code does not parse{where}: {error.message}; fix it first"
        return result
    context = RefactorContext(module, source, options, cell, target)
    try:
        refactor().apply(context)
        new_text = context.finish().code
    except RefactorRefused as refusal:
        result.status, result.reason, result.notes = "refused", refusal.reason, context.notes
        return result
    result.notes = context.notes
    if new_text == text:
        if original is not None:
            result.text = original
        return result
    try:
        ast.parse(new_text)
    except SyntaxError as err:  # a bug in a refactor: say so, change nothing
        result.status = "refused"
        result.reason = (
            f"internal error: the {name} refactor produced code that does not parse"
            f" ({err.msg}, line {err.lineno}); nothing was changed. Please report it."
        )
        return result
    if isinstance(source, PythonSource):
        result.status, result.text = "changed", new_text
        return result
    return _split_notebook(source, new_text, result)


def _split_notebook(
    source: NotebookSource, new_text: str, result: RefactorResult
) -> RefactorResult:
    try:
        new_sources = source.split_cells(new_text)
    except CellSplitError as err:
        result.status = "refused"
        result.reason = f"the change would move code across notebook cells ({err})"
        return result
    for cell in source.cells:
        new = new_sources.get(cell.index, cell.source)
        if new != cell.source:
            result.cells.append(CellChange(cell.index, cell.cell_id, cell.source, new))
    if not result.cells:
        return result
    result.status = "changed"
    if source.notebook is not None:
        notebook = copy.deepcopy(source.notebook)
        for change in result.cells:
            raw = notebook["cells"][change.index]
            raw["source"] = (
                split_lines(change.new) if isinstance(raw.get("source"), list) else change.new
            )
        result.notebook = notebook
    return result
