"""Functions that never run: a script's top-level function, or a private function or
method anywhere, that nothing in the file refers to.

``def train(...)`` in ``main.py`` whose only call is commented out (``#net = train(x, y)``)
wastes nothing, so no finding is reported inside it. Public functions count only in
scripts (a module with an ``if __name__ == "__main__":`` block: what it runs is all there
is); a library's public functions are for its importers, its private ones (``_closure``,
at module level or in a class without bases) are not. A function is kept when it is
decorated (a framework calls it: ``@app.command``, ``@hydra.main``), when it is a test
(``test_*``: pytest calls it), when its name appears anywhere else in the code outside
comments (a call, a reference, a call written in a string: ``cProfile.run("train()")``;
not a name in a plain string such as a split's ``'train'``, a docstring or code quoted out
with triple quotes, nor a call from a script's function that is itself dead: a loss helper
only an unused loss calls), and in files that look names up at run time (``globals()``,
``getattr``, ``vars()``, ``sys.modules``, ``importlib``, ``fire.Fire()``). A script whose
functions another file imports cannot be told from here.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

import libcst as cst

# Builtins as themselves (not ``model.eval()``), and ``importlib.import_module``/``fire.Fire``.
_RUNTIME_LOOKUP = re.compile(
    r"(?<![\w.])(?:globals|locals|vars|getattr|eval|exec|__import__)\s*\("
    r"|\b(?:import_module|Fire)\s*\(|__dict__|sys\.modules"
)
_IDENTIFIER = re.compile(r"(?<![\w.])[^\W\d]\w*")  # not ``pp.train``: another object's
_WORD = re.compile(r"(?<!\w)[^\W\d]\w*")  # also ``self._closure``


def unreferenced_functions(module: cst.Module, code: Callable[[], str]) -> list[cst.FunctionDef]:
    """Functions nothing refers to (``code`` gives the text without comments): a script's
    top-level functions, and anywhere the private ones (``_closure``: a leading underscore
    says no other module calls it), module functions and methods of plain classes."""
    script = any(_is_main_guard(statement) for statement in module.body)
    private = _private_functions(module)
    if not script and not private:
        return []
    text = code()
    if _RUNTIME_LOOKUP.search(text):
        return []
    text = _without_strings(text)
    found: list[cst.FunctionDef] = []
    if script:
        counts = Counter(_IDENTIFIER.findall(text))  # one pass, however many functions
        candidates = [
            statement
            for statement in module.body
            if type(statement) is cst.FunctionDef
            and not statement.decorators
            and not statement.name.value.startswith("test")
        ]
        dead: list[cst.FunctionDef] = []
        bodies: dict[str, str] | None = None
        while True:  # a helper only dead functions call is dead too
            new = [f for f in candidates if counts[f.name.value] == 1 and f not in dead]
            if not new:
                break
            dead += new
            bodies = _top_level_bodies(text) if bodies is None else bodies
            for function in new:  # what it refers to loses those references
                counts.subtract(_IDENTIFIER.findall(bodies.get(function.name.value, "")))
                counts[function.name.value] += 1  # (its own ``def`` is still there)
        found += dead
    if private:
        words = Counter(_WORD.findall(text))  # ``self._closure(...)`` counts too
        found += [f for f in private if words[f.name.value] == 1 and f not in found]
    return found


def _top_level_bodies(text: str) -> dict[str, str]:
    """Each top-level function's text after its name, up to the next line that starts at
    column 0 (``text`` as the filter reads it: no comments, strings emptied); one pass."""
    bodies: dict[str, str] = {}
    starts = [(m.start(), m.end(), m.group(1)) for m in _TOP_LEVEL_DEF.finditer(text)]
    edges = [m.start() for m in _COLUMN_ZERO.finditer(text)]
    index = 0
    for start, name_end, name in starts:
        while index < len(edges) and edges[index] <= start:
            index += 1
        end = edges[index] if index < len(edges) else len(text)
        bodies.setdefault(name, text[name_end:end])
    return bodies


_TOP_LEVEL_DEF = re.compile(r"^(?:async\s+)?def\s+(\w+)", re.M)
_COLUMN_ZERO = re.compile(r"^\S", re.M)


def _private_functions(module: cst.Module) -> list[cst.FunctionDef]:
    """Undecorated ``_name`` functions at module level and in classes without bases (a
    library base class may call a private method its subclass overrides)."""
    found: list[cst.FunctionDef] = []
    for statement in module.body:
        if type(statement) is cst.FunctionDef:
            found.append(statement)
        elif type(statement) is cst.ClassDef and not statement.bases:
            body = statement.body.body
            found += [s for s in body if type(s) is cst.FunctionDef]
    return [
        f
        for f in found
        if f.name.value.startswith("_")
        and not f.name.value.startswith("__")
        and f.name.value.strip("_")  # not ``def _(torch):``, a marimo cell
        and not f.decorators
    ]


def _is_main_guard(statement: cst.BaseStatement) -> bool:
    """``if __name__ == "__main__":`` (not ``!=``: that is a library's guard)."""
    if type(statement) is not cst.If or type(statement.test) is not cst.Comparison:
        return False
    test = statement.test
    if len(test.comparisons) != 1 or type(test.comparisons[0].operator) is not cst.Equal:
        return False
    sides = [test.left, test.comparisons[0].comparator]
    return any(type(side) is cst.Name and side.value == "__name__" for side in sides)


def _without_strings(text: str) -> str:
    """``text`` without what its plain strings say: triple-quoted strings (docstrings, code
    quoted out) and one-line strings (``'train'``, ``"data/train.tsv"``) are emptied, unless
    they hold a call (``cProfile.run("train()")``). Prefixed strings stay as written (an
    f-string's fields are code). Strings are matched from their opening quote, prefix
    included, left to right, so a closing quote never starts one."""
    if "'" not in text and '"' not in text:
        return text
    return _STRING.sub(_blank_plain, text)


def _blank_plain(match: re.Match[str]) -> str:
    whole = match.group(0)
    if match.group("prefix") or ("(" in whole and not whole.startswith(('"""', "'''"))):
        return whole
    return "''"


_STRING = re.compile(
    r"(?<![\w'\"])(?P<prefix>[rRbBuUfF]{0,2})"
    r"(?:\"\"\"(?:\\.|[^\\])*?\"\"\"|'''(?:\\.|[^\\])*?'''"
    r"|\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*')"
)
