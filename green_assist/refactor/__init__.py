"""One-click refactors (libcst codemods) that cut the energy cost of training and inference.

Public API::

    from green_assist.refactor import refactor_text, refactor_path

    result = refactor_text("mixed-precision", source, options={"dtype": "bf16"})
    if result.changed:
        print(result.diff())          # unified diff; result.text is the new source
    print(result.notes)               # what was done, trade-offs to know
    if result.status == "refused":
        print(result.reason)          # why nothing was changed, and what to do

Refactors (``REFACTORS``): ``mixed-precision``, ``quantize``, ``distill``, ``pretrained``,
``efficient-attention``.
Each keeps comments and formatting, adds the imports it needs, changes nothing the
second time it runs, and refuses (``status == "refused"``) rather than emit code
that would not run. Nothing here writes files: ``green-assist refactor --write``
and the JupyterLab sidebar do that.
"""

from __future__ import annotations

from .base import Option, OptionError, Refactor, RefactorRefused
from .registry import REFACTORS, get_refactor
from .runner import (
    CellChange,
    RefactorResult,
    refactor_cells,
    refactor_notebook,
    refactor_path,
    refactor_text,
)

__all__ = [
    "REFACTORS",
    "CellChange",
    "Option",
    "OptionError",
    "Refactor",
    "RefactorRefused",
    "RefactorResult",
    "get_refactor",
    "refactor_cells",
    "refactor_notebook",
    "refactor_path",
    "refactor_text",
]
