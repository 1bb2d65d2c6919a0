"""Session reports: HTML, JSON, CSV and Markdown, and BEFORE/AFTER comparisons.

One call does it all (the CLI, the kernel magic and the server use it)::

    from green_assist.report import write_report

    written = write_report(["run.jsonl"], "report.html")            # format from the name
    written = write_report(["before.jsonl"], "pr.md", compare_with=["after.jsonl"])
    written.warnings                                                 # lines skipped, ...
    write_records_report("report.md", records)   # records in memory (the kernel's own)

Step by step::

    from green_assist.report import load_sessions, build_report, compare, render

    report = build_report(load_sessions(["run.jsonl"]))  # SessionReport
    html = render(report, "html")
    diff = compare(report, build_report(load_sessions(["after.jsonl"])))
    render(diff, "md")

Layers, each with one job: ``loading`` reads logs (tolerantly, through
``profiler.session_log.read_log``) and raises ``ReportInputError`` when nothing is
usable; ``model`` computes totals and methods; ``code_findings`` runs the analyzer on
the session's code; ``compare`` matches cells; ``to_html`` / ``to_json`` /
``to_csv`` / ``to_markdown`` lay a report out (``svg`` draws the charts); ``writing``
picks the format and writes atomically. The JSON format is described by
``schema.json`` in this package (``to_json.schema()``).
"""

from __future__ import annotations

from .compare import CellChange, Change, Comparison, compare
from .loading import LoadedSessions, ReportInputError, load_sessions
from .model import SessionReport, build_report
from .to_json import REPORT_SCHEMA_VERSION, schema
from .writing import (
    EXTENSIONS,
    FORMATS,
    WrittenReport,
    atomic_write_text,
    format_for,
    make_report,
    render,
    write_records_report,
    write_report,
)

__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "REPORT_SCHEMA_VERSION",
    "CellChange",
    "Change",
    "Comparison",
    "LoadedSessions",
    "ReportInputError",
    "SessionReport",
    "WrittenReport",
    "atomic_write_text",
    "build_report",
    "compare",
    "format_for",
    "load_sessions",
    "make_report",
    "render",
    "schema",
    "write_records_report",
    "write_report",
]
