"""``green-assist check PATH...``: find energy waste in .py files and notebooks.

Exit status: 0 clean, 1 findings, 2 usage errors or files that could not be
analysed (syntax errors, bad encodings...). Like ruff: ``--fix`` applies safe
fixes (``--unsafe-fixes`` also the others), ``--diff`` shows them without writing.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..analysis.batch import Settings, analyze_files
from ..analysis.config import Config, ConfigError, config_from_file
from ..analysis.files import discover
from ..analysis.findings import AnalysisResult, ErrorKind, FileError
from ..analysis.fixes import FixOutcome, fix_result, unified_diff
from ..analysis.formats import FORMATS, render, render_errors_text
from ..analysis.sources import NotebookSource, PythonSource
from ..analysis.workspace import exclude_root, settings_for
from ..atomic import write_atomic
from ..cells import CellRef, parse_cell_ref
from ..target import TARGET_CHOICES, TargetError, parse_target
from ._text import plain

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "check",
        help="find energy waste in Python files and notebooks",
        description=plain(__doc__),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="*", default=["."], metavar="PATH", help="files or folders")
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format")
    parser.add_argument(
        "--select", help="comma-separated codes or prefixes to run (e.g. GA1,GA203)"
    )
    parser.add_argument("--ignore", help="comma-separated codes or prefixes to skip")
    parser.add_argument(
        "--target",
        choices=TARGET_CHOICES,
        help="hardware the advice is for: auto (this machine), any (every rule; the default),"
        " cpu, cuda, mps, xpu; also `target` in [tool.green-assist]",
    )
    parser.add_argument(
        "--cell",
        type=_cell_ref,
        metavar="CELL",
        help='notebooks: report only this cell: its position (6), its run count ("In [4]")'
        ' or both ("cell 6 · In [4]")',
    )
    parser.add_argument("--fix", action="store_true", help="apply safe fixes")
    parser.add_argument(
        "--unsafe-fixes",
        action="store_true",
        help="with --fix/--diff: also fixes that may change results",
    )
    parser.add_argument(
        "--diff", action="store_true", help="print the fixes as a diff, write nothing"
    )
    parser.add_argument(
        "--config", type=Path, help="pyproject.toml to use instead of the nearest one"
    )
    parser.add_argument(
        "--jobs", "-j", type=int, default=None, help="parallel processes (default: CPUs)"
    )
    parser.set_defaults(func=run)


def _cell_ref(text: str) -> CellRef:
    try:
        return parse_cell_ref(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _codes(value: str | None) -> tuple[str, ...]:
    return tuple(code for code in (value or "").split(",") if code.strip())


def _settings(args: argparse.Namespace) -> tuple[Settings, Config]:
    """Validate settings up front, so a bad option is one clear usage error.

    Returns the settings for the analysis and the configuration whose ``exclude``
    applies to the folders searched (``--config``, else that of the first path).
    """
    config: Config | None = None
    if args.config is not None:
        config = config_from_file(args.config)
    keep_sources = args.fix or args.diff
    try:
        target = parse_target(args.target) if args.target else None
    except TargetError as err:
        raise ConfigError(f"--target: {err}") from err
    settings = Settings(config, _codes(args.select), _codes(args.ignore), keep_sources, target)
    base = config or settings_for(args.paths[0])
    base.with_overrides(settings.select or None, settings.ignore or None)  # raises on bad codes
    return settings, base


def run(args: argparse.Namespace) -> int:
    try:
        settings, base = _settings(args)
    except ConfigError as err:
        print(f"green-assist check: {err}", file=sys.stderr)
        return EXIT_ERROR
    files, missing = discover(args.paths, base.exclude, exclude_root(base))
    for path in missing:
        print(f"green-assist check: {path}: no such file or folder", file=sys.stderr)
    if missing:
        return EXIT_ERROR
    results = analyze_files(files, settings, args.jobs)
    if args.cell is not None:
        _keep_cell(results, args.cell)
    explicit = {Path(p) for p in args.paths}
    # Empty files are worth a note only when named on the command line.
    for result in results:
        result.errors = [
            e
            for e in result.errors
            if e.kind is not ErrorKind.EMPTY or Path(result.path) in explicit
        ]
    if args.diff:
        return _show_diff(results, args.unsafe_fixes)
    if args.fix:
        results = _apply_fixes(results, settings, args)
    sys.stdout.write(render(results, args.format))
    errors = [error for result in results for error in result.errors]
    if args.format in ("text", "json"):
        sys.stderr.write(render_errors_text(errors))
    if any(error.blocking for error in errors):
        return EXIT_ERROR
    return EXIT_FINDINGS if any(result.findings for result in results) else EXIT_CLEAN


def _keep_cell(results: Sequence[AnalysisResult], ref: CellRef) -> None:
    """Only the findings in the named cell (a file without cells has none)."""
    for result in results:
        result.findings = [
            f
            for f in result.findings
            if f.cell is not None and ref.matches(f.cell, f.execution_count)
        ]


def _outcomes(results: Sequence[AnalysisResult], unsafe: bool) -> list[FixOutcome]:
    outcomes = []
    for result in results:
        outcome = fix_result(result, unsafe)
        if outcome is not None and outcome.changed:
            outcomes.append(outcome)
    return outcomes


def _show_diff(results: Sequence[AnalysisResult], unsafe: bool) -> int:
    outcomes = _outcomes(results, unsafe)
    for outcome in outcomes:
        if outcome.cells:
            for cell, (old, new) in sorted(outcome.cells.items()):
                label = f"{outcome.path}:cell {cell + 1}"
                sys.stdout.write(unified_diff(old, new, label))
        else:
            sys.stdout.write(unified_diff(outcome.original, outcome.fixed, outcome.path))
    fixes = sum(len(outcome.applied) for outcome in outcomes)
    print(f"Would fix {fixes} finding{'s' if fixes != 1 else ''}.", file=sys.stderr)
    if any(error.blocking for result in results for error in result.errors):
        return EXIT_ERROR
    return EXIT_FINDINGS if outcomes else EXIT_CLEAN


def _apply_fixes(
    results: list[AnalysisResult], settings: Settings, args: argparse.Namespace
) -> list[AnalysisResult]:
    """Write fixed files, then analyse them again so the report shows what is left."""
    fixed_paths: list[Path] = []
    count = 0
    for outcome in _outcomes(results, args.unsafe_fixes):
        result = next(r for r in results if r.path == outcome.path)
        source = result.source
        path = Path(outcome.path)
        if isinstance(source, PythonSource):
            data = outcome.fixed.encode(source.encoding)
        elif isinstance(source, NotebookSource):
            data = outcome.fixed.encode("utf-8")
        else:
            continue
        try:
            write_atomic(path, data)
        except OSError as err:
            # Reported like an unreadable file: the run fails, the file is untouched.
            message = f"not fixed: {err.strerror or err}"
            result.errors.append(FileError(str(path), ErrorKind.IO, message))
            continue
        fixed_paths.append(path)
        count += len(outcome.applied)
    if count:
        print(f"Fixed {count} finding{'s' if count != 1 else ''}.", file=sys.stderr)
    if not fixed_paths:
        return results
    again = {r.path: r for r in analyze_files(fixed_paths, settings, args.jobs)}
    return [again.get(result.path, result) for result in results]
