"""IPython syntax in a notebook cell, masked so that libcst can parse the cell, and restored.

Every line stays in place, so positions need no mapping inside a cell:

* ``%magic ...``, ``!shell ...``, ``?help``/``help?`` statements become
  ``...  # green-assist: masked 7`` (same indentation), ``x = !cmd`` becomes
  ``x = ...  # green-assist: masked 8``; backslash-continued lines become
  ``# green-assist: masked-continued 7``;
* a ``%%cell`` magic masks the whole cell, except magics whose body is Python
  (``%%time``, ``%%timeit``, ``%%capture``, ...), where only the first line is masked;
* a cell whose first line is indented is dedented, as IPython does (:func:`dedent_cell`).

:func:`unmask_ipython` puts the original lines back into a (possibly refactored) cell.
"""

from __future__ import annotations

import re

from .lines import LogicalLines, split_lines

# Cell magics whose body is Python that IPython runs: only their first line is masked.
PYTHON_BODY_CELL_MAGICS = frozenset(
    {"time", "timeit", "capture", "prun", "debug", "greenprofile", "memit", "mprun"}
)

_MASK_SUFFIX = "...  # green-assist: masked {id}"
_MASKED_RE = re.compile(r"^.*\.\.\.  # green-assist: masked (\d+)[ \t]*(\r\n|\r|\n)?$")
_MASK_CONTINUED = "# green-assist: masked-continued {id}"
_MASK_CONTINUED_RE = re.compile(
    r"^[ \t]*# green-assist: masked-continued (\d+)[ \t]*(\r\n|\r|\n)?$"
)
# ``x = !ls`` / ``a, b = %sx cmd``: simple targets, a plain ``=``, then ``!`` or ``%``.
_ASSIGN_MAGIC_RE = re.compile(r"^\s*[A-Za-z_][\w.]*(\s*,\s*[A-Za-z_][\w.]*)*\s*=\s*[%!]")
_CELL_MAGIC_RE = re.compile(r"^\s*%%(\w*)")


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
    tracker = LogicalLines()
    i = start
    while i < len(lines):
        line = lines[i]
        if tracker.at_statement_start and line.strip():
            probe = LogicalLines()
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


def dedent_cell(source: str) -> tuple[str, str]:
    """IPython's leading-indent rule: a cell whose first line is indented is dedented."""
    lines = split_lines(source)
    first = next((line for line in lines if line.strip()), None)
    if first is None or first[0] not in " \t":
        return source, ""
    indent = first[: len(first) - len(first.lstrip(" \t"))]
    if not all(line.startswith(indent) for line in lines if line.strip()):
        return source, ""
    return "".join(line[len(indent) :] if line.strip() else line for line in lines), indent


def unmask_ipython(lines: list[str], masks: dict[int, list[str]], indent: str = "") -> str:
    """The cell text of masked ``lines``: masked IPython lines restored, ``indent`` put back.

    Placeholders whose id is not in ``masks`` are left as they are (they were typed, not masked).
    """
    restored: list[str] = []
    for line in lines:
        if _MASK_CONTINUED_RE.match(line):
            continue
        masked = _MASKED_RE.match(line)
        if masked and int(masked.group(1)) in masks:
            restored.extend(masks[int(masked.group(1))])
            continue
        if indent and line.strip():
            line = indent + line
        restored.append(line)
    return "".join(restored)
