"""Functions that never run: a script's top-level function that nothing in it refers to.

``def train(...)`` in ``main.py`` whose only call is commented out (``#net = train(x, y)``)
wastes nothing, so no finding is reported inside it. Only scripts count (a module with an
``if __name__ == "__main__":`` block: what it runs is all there is); a library's
functions are for its importers. A function is kept when it is decorated (a framework
calls it: ``@app.command``, ``@hydra.main``), when its name appears anywhere else in the
code outside comments (a call, a reference, a string), and in files that look names up
at run time (``globals()``, ``getattr``, ``eval``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import libcst as cst

_RUNTIME_LOOKUP = re.compile(r"\b(?:globals|locals|getattr|eval|exec|__import__)\s*\(")


def unreferenced_functions(module: cst.Module, code: Callable[[], str]) -> list[cst.FunctionDef]:
    """Top-level functions of a script that nothing refers to (``code`` gives the text
    without comments; asked only of scripts)."""
    if not any(_is_main_guard(statement) for statement in module.body):
        return []
    text = code()
    if _RUNTIME_LOOKUP.search(text):
        return []
    found: list[cst.FunctionDef] = []
    for statement in module.body:
        if type(statement) is not cst.FunctionDef or statement.decorators:
            continue
        name = statement.name.value
        # Only its own ``def`` (``pp.train`` is another object's attribute, not this).
        if len(re.findall(rf"(?<![\w.]){re.escape(name)}\b", text)) == 1:
            found.append(statement)
    return found


def _is_main_guard(statement: cst.BaseStatement) -> bool:
    if type(statement) is not cst.If or type(statement.test) is not cst.Comparison:
        return False
    test = statement.test
    sides = [test.left, *(c.comparator for c in test.comparisons)]
    return any(type(side) is cst.Name and side.value == "__name__" for side in sides)
