"""``green-assist refactor NAME PATH``: apply a one-click refactor to a .py file or notebook.

Prints the change as a unified diff (the default, or ``--diff``) or writes it
(``--write``: atomically, and only when the result parses). Notes about what was
done and the trade-offs go to stderr.

Exit status: 0 done (or nothing to change), 1 refused (the reason is printed and
nothing is written), 2 usage errors or a file that cannot be read or parsed.
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
from pathlib import Path
from typing import Any

from ..analysis.findings import FileError
from ..analysis.sources import notebook_from_json
from ..atomic import write_atomic
from ..cells import parse_cell_ref, resolve_cell
from ..expected import expected_effect
from ..refactor import REFACTORS, OptionError, RefactorResult, refactor_path
from ..target import TARGET_CHOICES, parse_target
from ._text import hanging, plain

EXIT_OK, EXIT_REFUSED, EXIT_ERROR = 0, 1, 2


def _epilog() -> str:
    lines = ["refactors and their options (--option KEY=VALUE):"]
    for name, refactor in REFACTORS.items():
        lines.append(hanging(f"{name}: {refactor.summary}", 2))
        for key, option in refactor.options.items():
            default = "" if option.default is None else f" [default: {option.default}]"
            lines.append(hanging(f"{key}: {option.help}{default}", 6))
    return "\n".join(lines)


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "refactor",
        help=f"apply a refactor ({', '.join(REFACTORS)})",
        description=plain(__doc__),
        epilog=_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("name", metavar="NAME", choices=list(REFACTORS), help="the refactor")
    parser.add_argument("path", metavar="PATH", type=Path, help="a .py file or .ipynb notebook")
    parser.add_argument(
        "--cell",
        metavar="CELL",
        help="notebooks: change only this cell: its position (6, counted from 1), its run count"
        ' ("In [4]") or both ("cell 6 · In [4]")',
    )
    parser.add_argument(
        "--target",
        choices=TARGET_CHOICES,
        default="auto",
        help="hardware the notes and the expected saving describe (default: this machine);"
        " the code written is the same for every target",
    )
    parser.add_argument(
        "--option",
        "-o",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a refactor option (repeatable), e.g. dtype=fp16",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--diff", action="store_true", help="print the diff, write nothing (default)")
    mode.add_argument("--write", action="store_true", help="write the refactored file in place")
    parser.set_defaults(func=run)


def _options(pairs: list[str]) -> dict[str, str]:
    options: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise OptionError(f"--option {pair!r}: write it as KEY=VALUE, e.g. dtype=fp16")
        options[key.strip()] = value.strip()
    return options


def _cell_index(text: str, path: Path) -> int:
    """``--cell 6``, ``--cell "In [4]"``: the 0-based index of that notebook cell."""
    ref = parse_cell_ref(text)
    if path.suffix != ".ipynb":
        raise OptionError("--cell applies to notebooks (.ipynb) only")
    if ref.execution_count is None and ref.position is not None:
        return ref.position - 1  # the refactor says when it is not a code cell
    try:
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError, AttributeError) as err:
        raise OptionError(f"{path}: cannot read its cells ({err})") from err
    return resolve_cell(ref, cells if isinstance(cells, list) else [])


def _fail(message: str) -> int:
    print(f"green-assist refactor: {message}", file=sys.stderr)
    return EXIT_ERROR


def run(args: argparse.Namespace) -> int:
    path: Path = args.path
    if not path.is_file():
        return _fail(f"{path}: no such file")
    if path.suffix not in (".py", ".ipynb"):
        return _fail(f"{path}: only .py files and .ipynb notebooks can be refactored")
    try:
        cell = _cell_index(args.cell, path) if args.cell is not None else None
        target = parse_target(args.target)
        result = refactor_path(args.name, path, _options(args.option), cell, target)
    except (OptionError, ValueError) as err:
        return _fail(str(err))
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)
    expected = expected_effect(args.name, target) if result.changed else None
    if expected is not None:
        print(f"expected (estimate): {expected['summary']}", file=sys.stderr)
    if result.status == "error":
        for error in result.errors:
            print(f"{error.location()}: {error.message}", file=sys.stderr)
        return EXIT_ERROR
    if result.status == "refused":
        print(f"{path}: {args.name} refused: {result.reason}", file=sys.stderr)
        return EXIT_REFUSED
    if result.status == "unchanged":
        print(f"{path}: nothing to change", file=sys.stderr)
        return EXIT_OK
    if not args.write:
        sys.stdout.write(result.diff())
        return EXIT_OK
    try:
        _write(path, result)
    except (OSError, ValueError) as err:
        return _fail(f"{path}: not written: {err}")
    print(f"{path}: written ({args.name})", file=sys.stderr)
    return EXIT_OK


def _write(path: Path, result: RefactorResult) -> None:
    """Write the result whole or not at all, through a link to its target."""
    if result.notebook is not None:
        text = _notebook_text(path, result.notebook)
        _check_notebook(text)
        data = text.encode("utf-8")
    elif result.text is not None:
        try:
            ast.parse(result.text)
        except SyntaxError as err:
            raise ValueError(
                f"the new code would not parse ({err.msg}, line {err.lineno})"
            ) from err
        data = result.text.encode(result.encoding)
    else:
        raise ValueError("the refactor produced no new text")
    write_atomic(path, data)


def _check_notebook(text: str) -> None:
    """The notebook as it will be read back: valid JSON whose code parses."""
    loaded = notebook_from_json(text)
    if isinstance(loaded, FileError):
        raise ValueError(loaded.message)
    try:
        ast.parse(loaded.joined)
    except SyntaxError as err:
        cell, line, _ = loaded.locate(err.lineno or 1, 1)
        where = f"cell {cell + 1} line {line}" if cell is not None else f"line {line}"
        raise ValueError(f"the new code would not parse ({err.msg}, {where})") from err


def _notebook_text(path: Path, notebook: dict[str, Any]) -> str:
    """nbformat's layout (one-space indent unless the file used another), keys in order."""
    indent = 1
    with path.open(encoding="utf-8") as file:
        file.readline()
        second = file.readline()
    if second.strip():
        indent = len(second) - len(second.lstrip(" ")) or 1
    return json.dumps(notebook, indent=indent, ensure_ascii=False) + "\n"
