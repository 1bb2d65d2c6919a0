"""Load ``.py`` files and ``.ipynb`` notebooks into one parseable module text.

A notebook's code cells are joined into one module, so that module-level facts
(``autocast`` used in cell 3) count for the whole notebook. Each cell is preceded
by a marker comment (``# green-assist: cell 4``) and its IPython syntax is masked
(:mod:`green_assist.analysis.masking`), keeping every line in place.

Positions in the joined module map back with :meth:`NotebookSource.locate`, and
a modified joined module (from a refactor) splits back into cells with
:meth:`NotebookSource.split_cells`, which restores the masked IPython lines.

Problems never raise: loaders return a :class:`~green_assist.analysis.findings.FileError`.
"""

from __future__ import annotations

import bisect
import io
import json
import os
import re
import stat
import tokenize
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .findings import ErrorKind, FileError
from .lines import split_lines
from .masking import dedent_cell, mask_ipython, unmask_ipython

# Source code larger than this is refused with a clear error (configurable as
# ``max-file-size``): generated files of this size are not worth seconds of parsing.
DEFAULT_MAX_SOURCE_BYTES = 2_000_000
# A notebook file may be much larger than its code (images in outputs); only the
# code counts toward the source limit, but a file this large is not even read.
MAX_NOTEBOOK_FILE_BYTES = 200_000_000

CELL_MARKER = "# green-assist: cell {index}"
_CELL_MARKER_RE = re.compile(r"^# green-assist: cell (\d+)[ \t]*(\r\n|\r|\n)?$")
_CODING_COOKIE_RE = re.compile(rb"^[ \t\f]*#.*?coding[:=]", re.MULTILINE)


@dataclass(frozen=True)
class PythonSource:
    """A ``.py`` file (or a snippet) decoded to text; ``encoding`` is kept for writing fixes."""

    path: str
    text: str
    encoding: str = "utf-8"

    @property
    def module_text(self) -> str:
        return self.text

    def locate(self, line: int, column: int) -> tuple[int | None, int, int]:
        """(cell, line, column) of a module position: files have no cells."""
        return None, line, column


@dataclass
class NotebookCell:
    """One code cell: its original source, masked source and place in the joined module."""

    index: int
    source: str
    masked: str
    cell_id: str | None = None
    indent: str = ""
    execution_count: int | None = None  # ``In [n]`` as saved in the notebook, if run
    start_line: int = 0
    line_count: int = 0
    masks: dict[int, list[str]] = field(default_factory=dict)
    excluded: bool = False


class CellSplitError(ValueError):
    """A modified joined module can no longer be split into the notebook's cells."""


@dataclass
class NotebookSource:
    """A notebook's code cells joined into one module (see the module docstring)."""

    path: str
    cells: list[NotebookCell]
    notebook: dict[str, Any] | None = None
    joined: str = ""
    _starts: list[int] = field(default_factory=list, repr=False)

    @property
    def module_text(self) -> str:
        return self.joined

    def rejoin(self) -> None:
        """(Re)build ``joined`` and each cell's ``start_line``; excluded cells keep a marker."""
        parts: list[str] = []
        line = 1
        self._starts = []
        for cell in self.cells:
            parts.append(CELL_MARKER.format(index=cell.index) + "\n")
            line += 1
            cell.start_line = line
            self._starts.append(line)
            body = "" if cell.excluded else cell.masked
            if body and not body.endswith(("\n", "\r")):
                body += "\n"
            cell.line_count = len(split_lines(body))
            parts.append(body)
            line += cell.line_count
        self.joined = "".join(parts)

    def cell_at(self, line: int) -> NotebookCell | None:
        """The cell holding joined-module line ``line`` (None for marker lines)."""
        position = bisect.bisect_right(self._starts, line) - 1
        if position < 0:
            return None
        cell = self.cells[position]
        if line >= cell.start_line + cell.line_count:
            return None
        return cell

    def locate(self, line: int, column: int) -> tuple[int | None, int, int]:
        """Map a joined-module (line, column), both 1-based, to (cell index, line, column)."""
        cell = self.cell_at(line)
        if cell is None:
            return None, line, column
        cell_line = line - cell.start_line + 1
        # Dedented cells: every non-blank line had the indent; put it back.
        return cell.index, cell_line, column + len(cell.indent)

    def split_cells(self, joined: str) -> dict[int, str]:
        """Split a modified joined module back into cell sources, restoring masked lines.

        Returns ``{cell index: new source}`` for every code cell. Raises
        :class:`CellSplitError` when a cell marker is missing, duplicated or
        indented (a change that merged code across cells cannot be mapped back).
        """
        by_index = {cell.index: cell for cell in self.cells}
        chunks: dict[int, list[str]] = {}
        current: list[str] | None = None
        for line in split_lines(joined):
            marker = _CELL_MARKER_RE.match(line)
            if marker:
                index = int(marker.group(1))
                if index not in by_index or index in chunks:
                    raise CellSplitError(f"cell marker {index} is unknown or repeated")
                current = chunks[index] = []
                continue
            if current is None:
                if line.strip():
                    raise CellSplitError("code before the first cell marker")
                continue
            current.append(line)
        missing = sorted(set(by_index) - set(chunks))
        if missing:
            raise CellSplitError(f"markers of cells {missing} were lost")
        return {index: self._restore(by_index[index], lines) for index, lines in chunks.items()}

    @staticmethod
    def _restore(cell: NotebookCell, lines: list[str]) -> str:
        if cell.excluded and not any(line.strip() for line in lines):
            return cell.source
        text = unmask_ipython(lines, cell.masks, cell.indent)
        if not cell.source.endswith(("\n", "\r")) and text.endswith("\n"):
            text = text[:-1]
        return text


def cell_problem(raw: object) -> str | None:
    """What is wrong with one cell as a client or a notebook file sent it, or None.

    A cell is code text, or an nbformat cell object whose ``source`` is text or a list
    of text (lines) and whose ``cell_type`` and ``id``, when present, are text.
    """
    if isinstance(raw, str):
        return None
    if not isinstance(raw, Mapping):
        return "is neither text nor a cell object"
    for key in ("cell_type", "id"):
        if key in raw and not isinstance(raw[key], str):
            return f"has a `{key}` that is not text"
    if "source" not in raw:
        return "has no `source`"
    source = raw["source"]
    if isinstance(source, list) and all(isinstance(part, str) for part in source):
        return None
    if not isinstance(source, str):
        return "has a `source` that is neither text nor a list of lines"
    return None


def _cell_text(raw: str | list[str]) -> str:
    return "".join(raw) if isinstance(raw, list) else raw


def notebook_from_cells(
    cells: Sequence[str | Mapping[str, Any]],
    path: str = "<notebook>",
    notebook: dict[str, Any] | None = None,
    max_source_bytes: int = DEFAULT_MAX_SOURCE_BYTES,
) -> NotebookSource | FileError:
    """Build a :class:`NotebookSource` from cells: plain strings (code) or nbformat dicts.

    Non-code cells keep their index (so findings point at the right cell) but are skipped.
    """
    code_cells: list[NotebookCell] = []
    next_id = 0
    total = 0
    for index, raw in enumerate(cells):
        problem = cell_problem(raw)
        if problem is not None:
            return FileError(path, ErrorKind.NOTEBOOK, f"cell {index + 1} {problem}", cell=index)
        count: int | None = None
        if isinstance(raw, str):
            source, cell_id = raw, None
        else:
            if raw.get("cell_type", "code") != "code":
                continue
            source = _cell_text(raw["source"])
            cell_id = raw.get("id")
            saved = raw.get("execution_count")
            count = saved if isinstance(saved, int) and not isinstance(saved, bool) else None
        total += len(source.encode("utf-8", "surrogatepass"))
        dedented, indent = dedent_cell(source)
        masked, masks = mask_ipython(dedented, next_id)
        next_id += len(masks)
        code_cells.append(NotebookCell(index, source, masked, cell_id, indent, count, masks=masks))
    if total > max_source_bytes:
        return FileError(
            path,
            ErrorKind.TOO_LARGE,
            f"the notebook holds {total:,} bytes of code, over the {max_source_bytes:,}-byte limit;"
            " split it, or raise `max-file-size` in [tool.green-assist]",
        )
    source_nb = NotebookSource(path=path, cells=code_cells, notebook=notebook)
    source_nb.rejoin()
    return source_nb


def notebook_from_json(
    data: bytes | str | Mapping[str, Any],
    path: str = "<notebook>",
    max_source_bytes: int = DEFAULT_MAX_SOURCE_BYTES,
) -> NotebookSource | FileError:
    """Parse nbformat-4 JSON (bytes, text or an already-loaded dict)."""
    if isinstance(data, (bytes, str)):
        if not data.strip():
            return FileError(
                path, ErrorKind.NOTEBOOK, "the notebook file is empty (0 bytes of JSON)"
            )
        try:
            loaded = json.loads(data)
        except UnicodeDecodeError as err:
            return FileError(path, ErrorKind.ENCODING, f"the notebook is not UTF-8 JSON: {err}")
        except json.JSONDecodeError as err:
            return FileError(
                path,
                ErrorKind.NOTEBOOK,
                f"not a valid notebook: JSON error at line {err.lineno} column {err.colno}"
                f" ({err.msg}); open it in Jupyter to repair it",
            )
        except RecursionError:
            return FileError(
                path, ErrorKind.NOTEBOOK, "not a valid notebook: its JSON is nested too deeply"
            )
    else:
        loaded = dict(data)
    if not isinstance(loaded, dict) or not isinstance(loaded.get("cells"), list):
        if isinstance(loaded, dict) and "worksheets" in loaded:
            return FileError(
                path,
                ErrorKind.UNSUPPORTED,
                "nbformat 3 notebooks are not supported; open and save it in Jupyter to upgrade",
            )
        return FileError(path, ErrorKind.NOTEBOOK, "not a notebook: no `cells` list in the JSON")
    metadata = loaded.get("metadata")
    if not isinstance(metadata, dict):
        metadata = {}
    language = (metadata.get("kernelspec") or {}).get("language") or (
        metadata.get("language_info") or {}
    ).get("name")
    if isinstance(language, str) and language.lower() not in {"python", "python3", ""}:
        return FileError(
            path,
            ErrorKind.UNSUPPORTED,
            f"the notebook's language is {language!r}; only Python notebooks are analysed",
        )
    return notebook_from_cells(loaded["cells"], path, loaded, max_source_bytes)


def decode_python(
    data: bytes, path: str = "<string>", max_source_bytes: int = DEFAULT_MAX_SOURCE_BYTES
) -> PythonSource | FileError:
    """Decode a ``.py`` file's bytes (PEP 263 coding cookie honoured, UTF-8 by default)."""
    if len(data) > max_source_bytes:
        return _too_large(path, len(data), max_source_bytes)
    if b"\x00" in data:
        return FileError(
            path, ErrorKind.ENCODING, "the file contains NUL bytes: it is binary, not Python source"
        )
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as err:
        if _CODING_COOKIE_RE.search(b"\n".join(data.splitlines()[:2])):
            return FileError(path, ErrorKind.ENCODING, f"bad encoding declaration: {err.msg}")
        encoding = "utf-8"  # no declaration, just bytes that are not UTF-8: say which
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        column = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        return FileError(
            path,
            ErrorKind.ENCODING,
            f"not valid {encoding}: byte 0x{data[err.start]:02x} cannot be decoded; save the"
            " file as UTF-8 or declare its encoding with a `# -*- coding: ... -*-` line",
            line=line,
            column=column,
        )
    # "utf-8-sig" (a BOM) is kept as the encoding, so fixes write the BOM back.
    return PythonSource(path=path, text=text, encoding=encoding)


def _too_large(path: str, size: int, limit: int) -> FileError:
    return FileError(
        path,
        ErrorKind.TOO_LARGE,
        f"the file is {size:,} bytes, over the {limit:,}-byte limit; exclude it, or raise"
        " `max-file-size` in [tool.green-assist]",
    )


class _NotRegular(Exception):
    pass


class _TooLarge(Exception):
    def __init__(self, size: int, limit: int) -> None:
        super().__init__(size, limit)
        self.size, self.limit = size, limit


def _read_regular_file(path: Path, limit: int) -> bytes:
    """The file's bytes; a FIFO is opened without blocking and refused, never read."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(descriptor, "rb") as file:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise _NotRegular
        if status.st_size > limit:
            raise _TooLarge(status.st_size, limit)
        return file.read()


def load_path(
    path: str | os.PathLike[str], max_source_bytes: int = DEFAULT_MAX_SOURCE_BYTES
) -> PythonSource | NotebookSource | FileError:
    """Read a ``.py`` or ``.ipynb`` file; every failure is a :class:`FileError`."""
    shown = str(path)
    file_path = Path(path)
    is_notebook = file_path.suffix == ".ipynb"
    try:
        limit = MAX_NOTEBOOK_FILE_BYTES if is_notebook else max_source_bytes
        data = _read_regular_file(file_path, limit)
    except _NotRegular:
        return FileError(
            shown, ErrorKind.SKIPPED, "not a regular file (a FIFO, socket or device); skipped"
        )
    except _TooLarge as err:
        return _too_large(shown, err.size, err.limit)
    except OSError as err:
        return FileError(shown, ErrorKind.IO, f"cannot read the file: {err.strerror or err}")
    if is_notebook:
        return notebook_from_json(data, shown, max_source_bytes)
    return decode_python(data, shown, max_source_bytes)
