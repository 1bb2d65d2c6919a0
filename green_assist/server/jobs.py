"""What the handlers run in a worker process: plain functions from validated fields to JSON.

This module imports the analyzer, the refactors and the reports but nothing of the
web server, so a worker process stays small. Each function returns what the
handler sends (or a small dict of refusals the handler turns into 400/413).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..analysis import Config, analyze_cells, analyze_source
from ..analysis.findings import AnalysisResult, ErrorKind
from ..analysis.registry import all_rules
from ..atomic import ReadOnlyFileError
from ..catalog import rule_info
from ..expected import expected_effect
from ..refactor import OptionError, refactor_cells, refactor_text
from ..report import ReportInputError, write_report
from ..target import ANY, Target
from . import limits


def analysis(
    cells: list[Any] | None, text: str | None, path: str, config: Config
) -> dict[str, Any]:
    """Findings (and the rules that fired) for a notebook's cells or a file's text, or
    ``{"too_large": why}`` past the server's limit on code per analysis."""
    size = limits.ANALYSIS_MAX_SOURCE_BYTES
    capped = config.max_file_size > size
    if capped:  # the project may allow more; a request to this server may not
        config = replace(config, max_file_size=size)
    if cells is not None:
        result = analyze_cells(cells, path, config)
    else:
        result = analyze_source(text or "", path, config)
    if capped and any(error.kind is ErrorKind.TOO_LARGE for error in result.errors):
        return {
            "too_large": f"more than the {size:,} bytes of code an analysis may take here;"
            " analyse it with `green-assist check`, which takes the project's `max-file-size`"
        }
    return analysis_payload(result, config)


def analysis_payload(result: AnalysisResult, config: Config) -> dict[str, Any]:
    """Findings plus, for each rule that fired, what the sidebar's "Why?" and "Fix" need,
    and the hardware the findings were chosen for."""
    payload = result.to_dict()
    payload["target"] = config.target.to_dict()
    codes = {finding.code for finding in result.findings}
    payload["rules"] = {rule.code: rule_info(rule) for rule in all_rules() if rule.code in codes}
    return payload


def refactor(
    name: str,
    cells: list[Any] | None,
    text: str | None,
    path: str | None,
    options: dict[str, Any],
    cell: int | None,
    target: Target = ANY,
    profile: dict[str, float] | None = None,
) -> dict[str, Any]:
    """The refactor's result, or ``{"bad_request": why}`` / ``{"too_large": why}``.

    ``target`` (the kernel's hardware) is what the notes and ``expected`` (the saving
    expected there, from the cell's last ``profile``; an estimate) describe.
    """
    size = limits.REFACTOR_MAX_SOURCE_BYTES
    try:
        if cells is not None:
            result = refactor_cells(
                name, cells, path or "<notebook>", options, cell, size, target=target
            )
        else:
            result = refactor_text(
                name, text or "", path or "<string>", options, size, target=target
            )
    except OptionError as err:
        return {"bad_request": str(err)}
    if any(error.kind is ErrorKind.TOO_LARGE for error in result.errors):
        return {
            "too_large": f"{result.reason} (the limit is {size:,} bytes of code per refactor);"
            " refactor one notebook or file at a time, or one cell"
        }
    payload = result.to_dict()
    payload["expected"] = expected_effect(name, target, profile) if result.changed else None
    return payload


def report(
    sessions: Sequence[Path],
    output: Path,
    fmt: str,
    compare_with: Sequence[Path] | None,
    root: Path,
    anonymize: bool = False,
) -> dict[str, Any]:
    """Write the report; ``{"bad_request"|"read_only"|"cannot_write": why}`` when it cannot."""
    try:
        written = write_report(
            sessions,
            output,
            fmt=fmt,
            compare_with=compare_with,
            code_root=root,
            anonymize=anonymize,
        )
    except ReportInputError as err:
        return {"bad_request": str(err).replace(f"{root}/", "")}
    except ReadOnlyFileError:
        return {"read_only": f"{output.relative_to(root).as_posix()} is read-only"}
    except OSError as err:
        return {"cannot_write": f"{output.relative_to(root).as_posix()}: {err.strerror or err}"}
    return {
        "path": written.path.relative_to(root).as_posix(),
        "format": written.format,
        "cells": written.cells,
        "warnings": [warning.replace(f"{root}/", "") for warning in written.warnings],
    }
