"""From session logs to a report file: pick the format, render, write atomically.

The file appears whole or not at all (``green_assist.atomic``): a reader never sees
half a report, and a failure leaves an earlier report in place. A report is never
written over a session log.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from types import ModuleType

from ..atomic import write_atomic
from ..profiler.session_log import LOG_SUFFIX, ProfileRecord
from . import to_csv, to_html, to_json, to_markdown
from .anonymize import anonymize as anonymized
from .compare import Comparison, compare
from .loading import LoadedSessions, ReportInputError, load_sessions, log_paths
from .model import SessionReport, build_report

FORMATS: dict[str, ModuleType] = {
    "html": to_html,
    "json": to_json,
    "csv": to_csv,
    "md": to_markdown,
}
EXTENSIONS = {
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".csv": "csv",
    ".md": "md",
    ".markdown": "md",
}


def format_for(path: str | Path | None, fmt: str | None = None) -> str:
    """``fmt`` if given, else the format the file extension names (Markdown for stdout).

    Raises ``ReportInputError`` when neither names a known format.
    """
    if fmt:
        if fmt not in FORMATS:
            raise ReportInputError(
                f"unknown report format {fmt!r}; use one of {', '.join(FORMATS)}"
            )
        return fmt
    if path is None:
        return "md"
    suffix = Path(path).suffix.lower()
    if suffix not in EXTENSIONS:
        raise ReportInputError(
            f"cannot tell the report format from {str(path)!r}: name the file "
            f"{', '.join(EXTENSIONS)} or pass --format {'|'.join(FORMATS)}"
        )
    return EXTENSIONS[suffix]


def check_output(output: str | Path, inputs: Sequence[str | Path]) -> None:
    """Refuse to write a report over a session log, the inputs' above all.

    Raises ``ReportInputError`` when ``output`` is named like a session log or is
    (through a link or not) one of the logs ``inputs`` name.
    """
    output = Path(output)
    if output.suffix.lower() == LOG_SUFFIX:
        raise ReportInputError(
            f"{output} is named like a session log (*{LOG_SUFFIX}); "
            "write the report to a .html, .json, .csv or .md file"
        )
    if not output.exists():
        return
    for log in log_paths(inputs):
        if log.exists() and os.path.samefile(log, output):
            raise ReportInputError(
                f"{output} is one of the session logs being reported on; "
                "writing the report there would destroy it: choose another output"
            )


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def render(report: SessionReport | Comparison, fmt: str, generated_at: str | None = None) -> str:
    """The text of ``report`` (a session report or a comparison) in format ``fmt``."""
    module = FORMATS[format_for(None, fmt)]
    stamp = generated_at or now_iso()
    text: str
    if isinstance(report, Comparison):
        text = module.render_comparison(report, stamp)
    else:
        text = module.render_session(report, stamp)
    return text


def atomic_write_text(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all (UTF-8)."""
    # "replace": a lone surrogate read from a log (JSON allows "\ud800") must not stop
    # the report; it shows as "?".
    write_atomic(path, text.encode("utf-8", errors="replace"))


@dataclass
class WrittenReport:
    """What ``write_report`` wrote."""

    path: Path
    format: str
    cells: int
    warnings: list[str] = field(default_factory=list)


def make_report(
    sessions: Sequence[str | Path],
    compare_with: Sequence[str | Path] | None = None,
    *,
    analyze_code: bool = True,
    code_root: Path | None = None,
    anonymize: bool = False,
) -> SessionReport | Comparison:
    """The report of ``sessions``, or their comparison with ``compare_with`` (AFTER);
    ``anonymize`` leaves out host names and absolute paths (see ``anonymize``)."""
    before = build_report(load_sessions(sessions), analyze_code=analyze_code, code_root=code_root)
    if not compare_with:
        return anonymized(before) if anonymize else before
    after = build_report(
        load_sessions(compare_with, what="AFTER log"),
        analyze_code=analyze_code,
        code_root=code_root,
    )
    comparison = compare(before, after)
    return anonymized(comparison) if anonymize else comparison


def all_warnings(report: SessionReport | Comparison) -> list[str]:
    if isinstance(report, Comparison):
        return (
            [f"before: {w}" for w in report.before.warnings]
            + [f"after: {w}" for w in report.after.warnings]
            + report.warnings
        )
    return list(report.warnings)


def write_report(
    sessions: Sequence[str | Path],
    output: str | Path,
    *,
    fmt: str | None = None,
    compare_with: Sequence[str | Path] | None = None,
    code_root: Path | None = None,
    generated_at: str | None = None,
    anonymize: bool = False,
) -> WrittenReport:
    """Load, build, render and atomically write a report; the format comes from ``output``.

    Raises ``ReportInputError`` for bad input (missing or empty logs, unknown format)
    and ``OSError`` when the file cannot be written.
    """
    check_output(output, [*sessions, *(compare_with or ())])
    chosen = format_for(output, fmt)
    report = make_report(sessions, compare_with, code_root=code_root, anonymize=anonymize)
    atomic_write_text(output, render(report, chosen, generated_at))
    cells = len(report.after.cells if isinstance(report, Comparison) else report.cells)
    return WrittenReport(Path(output), chosen, cells, all_warnings(report))


def write_records_report(
    output: str | Path,
    records: Sequence[ProfileRecord],
    *,
    fmt: str | None = None,
    source: str = "this kernel session",
    code_root: Path | None = None,
    generated_at: str | None = None,
    anonymize: bool = False,
) -> WrittenReport:
    """``write_report`` for records already in memory (``%greenprofile report PATH``,
    ``green-assist run --report``); ``~`` is expanded and a missing folder is made."""
    chosen = format_for(output, fmt)
    output = Path(output).expanduser()
    output.parent.mkdir(parents=True, exist_ok=True)
    report = build_report(LoadedSessions.from_records(records, source), code_root=code_root)
    if anonymize:
        report = anonymized(report)
    atomic_write_text(output, render(report, chosen, generated_at))
    return WrittenReport(Path(output), chosen, len(report.cells), list(report.warnings))
