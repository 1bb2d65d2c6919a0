"""Load ``.py`` files and ``.ipynb`` notebooks into one parseable module text.

A notebook's code cells are joined into one module, so that module-level facts
(``autocast`` used in cell 3) count for the whole notebook. Each cell is preceded
by a marker comment (``# green-assist: cell 4``) and IPython syntax is masked
before parsing, keeping every line in place:

* ``%magic ...``, ``!shell ...``, ``?help``/``help?`` statements become
  ``...  # green-assist: masked 7`` (same indentation), ``x = !cmd`` becomes
  ``x = ...  # green-assist: masked 8``; backslash-continued lines become
  ``# green-assist: masked-continued 7``;
* a ``%%cell`` magic masks the whole cell, except magics whose body is Python
  (``%%time``, ``%%timeit``, ``%%capture``, ...), where only the first line is masked;
* a cell whose first line is indented is dedented, as IPython does.

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
import tokenize
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .findings import ErrorKind, FileError

# Source code larger than this is refused with a clear error (configurable as
# ``max-file-size``): generated files of this size are not worth seconds of parsing.
DEFAULT_MAX_SOURCE_BYTES = 2_000_000
# A notebook file may be much larger than its code (images in outputs); only the
# code counts toward the source limit, but a file this large is not even read.
MAX_NOTEBOOK_FILE_BYTES = 200_000_000

# Cell magics whose body is Python that IPython runs: only their first line is masked.
PYTHON_BODY_CELL_MAGICS = frozenset(
    {"time", "timeit", "capture", "prun", "debug", "greenprofile", "memit", "mprun"}
)

CELL_MARKER = "# green-assist: cell {index}"
_CELL_MARKER_RE = re.compile(r"^# green-assist: cell (\d+)[ \t]*(\r\n|\r|\n)?$")
_MASK_SUFFIX = "...  # green-assist: masked {id}"
_MASKED_RE = re.compile(r"^.*\.\.\.  # green-assist: masked (\d+)[ \t]*(\r\n|\r|\n)?$")
_MASK_CONTINUED = "# green-assist: masked-continued {id}"
_MASK_CONTINUED_RE = re.compile(
    r"^[ \t]*# green-assist: masked-continued (\d+)[ \t]*(\r\n|\r|\n)?$"
)
_NEWLINE_RE = re.compile(r"\r\n|\r|\n")
# ``x = !ls`` / ``a, b = %sx cmd``: simple targets, a plain ``=``, then ``!`` or ``%``.
_ASSIGN_MAGIC_RE = re.compile(r"^\s*[A-Za-z_][\w.]*(\s*,\s*[A-Za-z_][\w.]*)*\s*=\s*[%!]")
_CELL_MAGIC_RE = re.compile(r"^\s*%%(\w*)")
# Characters that change the state of _LogicalLines, and the ends of each kind of string.
_SPECIAL = re.compile(r"[#'\"()\[\]{}]")
_STRING_END = {quote: re.compile(r"\\.|" + quote) for quote in ('"', "'", '"""', "'''")}
_CODING_COOKIE_RE = re.compile(rb"^[ \t\f]*#.*?coding[:=]", re.MULTILINE)


def split_lines(text: str) -> list[str]:
    """Lines with their endings; only ``\\r\\n``, ``\\r`` and ``\\n`` end a line (as in Python)."""
    lines: list[str] = []
    start = 0
    for match in _NEWLINE_RE.finditer(text):
        lines.append(text[start : match.end()])
        start = match.end()
    if start < len(text):
        lines.append(text[start:])
    return lines


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
        restored: list[str] = []
        for line in lines:
            if _MASK_CONTINUED_RE.match(line):
                continue
            masked = _MASKED_RE.match(line)
            if masked and int(masked.group(1)) in cell.masks:
                restored.extend(cell.masks[int(masked.group(1))])
                continue
            if cell.indent and line.strip():
                line = cell.indent + line
            restored.append(line)
        text = "".join(restored)
        if not cell.source.endswith(("\n", "\r")) and text.endswith("\n"):
            text = text[:-1]
        return text


class _LogicalLines:
    """Tracks brackets, strings and backslashes to know where a Python statement starts."""

    def __init__(self) -> None:
        self.depth = 0
        self.string: str | None = None
        self.continued = False

    @property
    def at_statement_start(self) -> bool:
        return self.depth == 0 and self.string is None and not self.continued

    def feed(self, line: str) -> int | None:
        """Consume one physical line; return the column where its comment starts, if any."""
        body = line.rstrip("\r\n")
        length = len(body)
        comment_at: int | None = None
        i = 0
        while i < length:
            if self.string is not None:
                ending = _STRING_END[self.string]
                found = ending.search(body, i)
                while found is not None and found.group() != self.string:
                    found = ending.search(body, found.end())  # an escaped character
                if found is None:
                    if len(self.string) == 1 and not body.endswith("\\"):
                        self.string = None  # unterminated: the parser will say so
                    break
                i = found.end()
                self.string = None
                continue
            special = _SPECIAL.search(body, i)
            if special is None:
                break
            char, i = special.group(), special.start()
            if char == "#":
                comment_at = i
                break
            if char in "([{":
                self.depth += 1
            elif char in ")]}":
                self.depth = max(0, self.depth - 1)
            else:
                triple = body[i : i + 3]
                self.string = triple if triple in ('"""', "'''") else char
                i += len(self.string)
                continue
            i += 1
        self.continued = self.string is None and comment_at is None and body.endswith("\\")
        return comment_at


def _is_ipython_statement(code: str) -> bool:
    stripped = code.strip()
    if not stripped:
        return False
    if stripped[0] in "%!?" or stripped.endswith("?"):
        return True
    return bool(_ASSIGN_MAGIC_RE.match(code))


def _placeholder(code: str, mask_id: int, ending: str) -> str:
    """Keep the indentation (or the ``x = `` of an assignment magic), mask the rest."""
    assign = _ASSIGN_MAGIC_RE.match(code)
    keep = assign.group(0)[:-1] if assign else code[: len(code) - len(code.lstrip())]
    return keep + _MASK_SUFFIX.format(id=mask_id) + ending


def _ending(line: str) -> str:
    return line[len(line.rstrip("\r\n")) :] or "\n"


def mask_ipython(source: str, first_id: int = 0) -> tuple[str, dict[int, list[str]]]:
    """Mask IPython syntax in one cell; returns (masked text, {mask id: original lines}).

    The masked text has exactly the lines of ``source``; unmasked lines are unchanged.
    """
    lines = split_lines(source)
    masks: dict[int, list[str]] = {}
    next_id = first_id
    out: list[str] = []
    first_code = next((i for i, line in enumerate(lines) if line.strip()), None)
    start = 0
    if first_code is not None:
        cell_magic = _CELL_MAGIC_RE.match(lines[first_code])
        if cell_magic:
            out.extend(lines[:first_code])
            if cell_magic.group(1) in PYTHON_BODY_CELL_MAGICS:
                masks[next_id] = [lines[first_code]]
                out.append(_MASK_SUFFIX.format(id=next_id) + _ending(lines[first_code]))
                start = first_code + 1
            else:
                masks[next_id] = lines[first_code:]
                out.append(_MASK_SUFFIX.format(id=next_id) + _ending(lines[first_code]))
                for line in lines[first_code + 1 :]:
                    out.append(_MASK_CONTINUED.format(id=next_id) + _ending(line))
                return "".join(out), masks
            next_id += 1
    tracker = _LogicalLines()
    i = start
    while i < len(lines):
        line = lines[i]
        if tracker.at_statement_start and line.strip():
            probe = _LogicalLines()
            comment_at = probe.feed(line)
            code = line.rstrip("\r\n")[:comment_at]
            if _is_ipython_statement(code):
                group = [line]
                while group[-1].rstrip("\r\n").endswith("\\") and i + len(group) < len(lines):
                    group.append(lines[i + len(group)])
                masks[next_id] = group
                out.append(_placeholder(code, next_id, _ending(line)))
                out.extend(_MASK_CONTINUED.format(id=next_id) + _ending(g) for g in group[1:])
                next_id += 1
                i += len(group)
                continue
            tracker = probe
        else:
            tracker.feed(line)
        out.append(line)
        i += 1
    return "".join(out), masks


def _dedent_cell(source: str) -> tuple[str, str]:
    """IPython's leading-indent rule: a cell whose first line is indented is dedented."""
    lines = split_lines(source)
    first = next((line for line in lines if line.strip()), None)
    if first is None or first[0] not in " \t":
        return source, ""
    indent = first[: len(first) - len(first.lstrip(" \t"))]
    if not all(line.startswith(indent) for line in lines if line.strip()):
        return source, ""
    return "".join(line[len(indent) :] if line.strip() else line for line in lines), indent


def _cell_text(raw: Any) -> str:
    if isinstance(raw, list):
        return "".join(str(part) for part in raw)
    return raw if isinstance(raw, str) else ""


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
        if isinstance(raw, str):
            source, cell_id = raw, None
        elif isinstance(raw, Mapping):
            if raw.get("cell_type", "code") != "code":
                continue
            source = _cell_text(raw.get("source", ""))
            cell_id = raw.get("id") if isinstance(raw.get("id"), str) else None
        else:
            return FileError(
                path, ErrorKind.NOTEBOOK, f"cell {index + 1} is neither text nor a cell object"
            )
        total += len(source.encode("utf-8", "surrogatepass"))
        dedented, indent = _dedent_cell(source)
        masked, masks = mask_ipython(dedented, next_id)
        next_id += len(masks)
        code_cells.append(NotebookCell(index, source, masked, cell_id, indent, masks=masks))
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


def load_path(
    path: str | os.PathLike[str], max_source_bytes: int = DEFAULT_MAX_SOURCE_BYTES
) -> PythonSource | NotebookSource | FileError:
    """Read a ``.py`` or ``.ipynb`` file; every failure is a :class:`FileError`."""
    shown = str(path)
    file_path = Path(path)
    is_notebook = file_path.suffix == ".ipynb"
    try:
        size = file_path.stat().st_size
        limit = MAX_NOTEBOOK_FILE_BYTES if is_notebook else max_source_bytes
        if size > limit:
            return _too_large(shown, size, limit)
        data = file_path.read_bytes()
    except OSError as err:
        return FileError(shown, ErrorKind.IO, f"cannot read the file: {err.strerror or err}")
    if is_notebook:
        return notebook_from_json(data, shown, max_source_bytes)
    return decode_python(data, shown, max_source_bytes)
