"""From session logs to a report file: pick the format, render, write atomically.

The file appears whole or not at all: the text goes to a temporary file in the
same folder, is flushed to disk, then renamed over the target (``os.replace``). A
reader never sees half a report, and a failure leaves an earlier report in place.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from types import ModuleType

from ..profiler.session_log import ProfileRecord
from . import to_csv, to_html, to_json, to_markdown
from .compare import Comparison, compare
from .loading import LoadedSessions, ReportInputError, load_sessions
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


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def render(report: SessionReport | Comparison, fmt: str, generated_at: str | None = None) -> str:
    """The text of ``report`` (a session report or a comparison) in format ``fmt``."""
    module = FORMATS[format_for(None, fmt)]
    stamp = generated_at or now_iso()
    if isinstance(report, Comparison):
        return module.render_comparison(report, stamp)
    return module.render_session(report, stamp)


def atomic_write_text(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename."""
    path = Path(path)
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    # O_EXCL: never write through a file (or link) someone else placed there; mode
    # 0o666 lets the umask decide the permissions, as for any new file.
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        # "replace": a lone surrogate read from a log (JSON allows "\ud800") must not
        # stop the report; it shows as "?".
        with os.fdopen(fd, "w", encoding="utf-8", errors="replace", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


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
) -> SessionReport | Comparison:
    """The report of ``sessions``, or their comparison with ``compare_with`` (AFTER)."""
    before = build_report(load_sessions(sessions), analyze_code=analyze_code, code_root=code_root)
    if not compare_with:
        return before
    after = build_report(
        load_sessions(compare_with, what="AFTER log"),
        analyze_code=analyze_code,
        code_root=code_root,
    )
    return compare(before, after)


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
) -> WrittenReport:
    """Load, build, render and atomically write a report; the format comes from ``output``.

    Raises ``ReportInputError`` for bad input (missing or empty logs, unknown format)
    and ``OSError`` when the file cannot be written.
    """
    chosen = format_for(output, fmt)
    report = make_report(sessions, compare_with, code_root=code_root)
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
) -> WrittenReport:
    """``write_report`` for records already in memory (``%greenprofile report PATH``,
    ``green-assist run --report``); ``~`` is expanded and a missing folder is made."""
    chosen = format_for(output, fmt)
    output = Path(output).expanduser()
    output.parent.mkdir(parents=True, exist_ok=True)
    report = build_report(LoadedSessions.from_records(records, source), code_root=code_root)
    atomic_write_text(output, render(report, chosen, generated_at))
    return WrittenReport(Path(output), chosen, len(report.cells), list(report.warnings))
