"""One way to name a notebook cell everywhere: ``cell 6 · In [4]``.

``cell 6`` is the cell's position in the notebook (counted from 1, markdown cells
included, as the notebook shows them); ``In [4]`` is its run count, the number
Jupyter prints beside it. Positions stay put while the code is re-run; run counts
are what the kernel, the profiler and the session log know. The CLI (``--cell``), the
analyzer's output, the language server, the sidebar (``labextension/src/format.ts``,
``cellLabel``) and reports all write and read this one form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SEPARATOR = " · "
_POSITION = re.compile(r"^\s*(?:cell\s*)?(\d+)\s*$", re.IGNORECASE)
_RUN_COUNT = re.compile(r"^\s*(?:in\s*)?\[\s*(\d+)\s*\]\s*$", re.IGNORECASE)
_BOTH = re.compile(r"^\s*cell\s*(\d+)\s*(?:·|,|/)\s*(in\s*\[\s*\d+\s*\])\s*$", re.IGNORECASE)


def cell_label(index: int | None, execution_count: int | None = None) -> str:
    """``cell 6 · In [4]`` for the 0-based ``index`` 5 last run as In [4]."""
    parts = []
    if index is not None:
        parts.append(f"cell {index + 1}")
    if execution_count is not None:
        parts.append(f"In [{execution_count}]")
    return SEPARATOR.join(parts) if parts else "cell"


@dataclass(frozen=True)
class CellRef:
    """A cell as a user names it: by position (1-based) or by run count, or both."""

    position: int | None = None
    execution_count: int | None = None

    def matches(self, index: int, execution_count: int | None) -> bool:
        if self.position is not None and self.position != index + 1:
            return False
        return self.execution_count is None or self.execution_count == execution_count


def parse_cell_ref(text: str) -> CellRef:
    """``6``, ``cell 6``, ``In [4]``, ``[4]`` or ``cell 6 · In [4]``; ValueError otherwise."""
    both = _BOTH.match(text)
    if both:
        count = _RUN_COUNT.match(both.group(2))
        assert count is not None
        return _checked(CellRef(int(both.group(1)), int(count.group(1))))
    position = _POSITION.match(text)
    if position:
        return _checked(CellRef(position=int(position.group(1))))
    count = _RUN_COUNT.match(text)
    if count:
        return CellRef(execution_count=int(count.group(1)))
    raise ValueError(
        f"{text!r} names no cell: give its position (6, as counted in the notebook from 1),"
        " its run count (In [4]) or both (cell 6 · In [4])"
    )


def resolve_cell(ref: CellRef, cells: list[object]) -> int:
    """The 0-based index of the notebook cell ``ref`` names (nbformat cell dicts)."""
    for index, cell in enumerate(cells):
        count = cell.get("execution_count") if isinstance(cell, dict) else None
        if ref.matches(index, count if isinstance(count, int) else None):
            return index
    raise ValueError(f"no cell of this notebook is {cell_label(_index(ref), ref.execution_count)}")


def _index(ref: CellRef) -> int | None:
    return ref.position - 1 if ref.position is not None else None


def _checked(ref: CellRef) -> CellRef:
    if ref.position is not None and ref.position < 1:
        raise ValueError("cells are counted from 1, as Jupyter shows them")
    return ref
