"""``green-assist report SESSION.jsonl... -o OUT.html``: what a session cost, to keep and share.

Formats: html (self-contained, charts, methods), json (validates against the shipped
schema), csv (one row per cell), md (a summary for a pull-request comment). The
format comes from the output's extension, or ``--format``; without ``-o`` the report
goes to standard output (Markdown unless ``--format`` says otherwise).

``--compare AFTER.jsonl`` compares the SESSION logs (BEFORE) with AFTER: cells matched
by label, cell id, then order; the change in time, energy and CO2e per cell and in total.

``--anonymize`` leaves out the host name and cuts absolute paths to their last part
(``…/train.py``), for a report to share.

A session argument may be a folder (every ``*.jsonl`` in it, e.g. ``.green_assist/``).
Exit status: 0 written, 2 bad usage or input (missing or empty log, unknown format,
output not writable). Warnings (skipped lines, mixed sessions) go to standard error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..report import FORMATS, ReportInputError, atomic_write_text, format_for, make_report, render
from ..report.writing import all_warnings, check_output
from ._text import plain

EXIT_OK, EXIT_USAGE = 0, 2


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "report",
        help="write a session report (html, json, csv, md), or compare two sessions",
        description=plain(__doc__),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "sessions", nargs="+", metavar="SESSION.jsonl", help="session logs or folders of them"
    )
    parser.add_argument(
        "-o", "--output", metavar="OUT", help="report file (.html, .json, .csv, .md)"
    )
    parser.add_argument("--format", choices=tuple(FORMATS), help="format (default: from OUT)")
    parser.add_argument(
        "--compare",
        nargs="+",
        metavar="AFTER.jsonl",
        help="session log(s) after a change, compared with SESSION (before)",
    )
    parser.add_argument(
        "--no-findings",
        action="store_true",
        help="leave out the analyzer's findings for the session's code",
    )
    parser.add_argument(
        "--anonymize",
        action="store_true",
        help="leave out the host name and absolute paths (for sharing)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        if args.output:
            check_output(args.output, [*args.sessions, *(args.compare or ())])
        fmt = format_for(args.output, args.format)
        report = make_report(
            args.sessions,
            args.compare,
            analyze_code=not args.no_findings,
            code_root=Path.cwd(),
            anonymize=args.anonymize,
        )
    except ReportInputError as err:
        print(f"green-assist report: {err}", file=sys.stderr)
        return EXIT_USAGE
    for warning in all_warnings(report):
        print(f"green-assist report: warning: {warning}", file=sys.stderr)
    text = render(report, fmt)
    if not args.output:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        atomic_write_text(args.output, text)
    except OSError as err:
        print(
            f"green-assist report: cannot write {args.output}: {err.strerror or err}; "
            "choose another path with -o",
            file=sys.stderr,
        )
        return EXIT_USAGE
    print(f"green-assist report: wrote {args.output} ({fmt})", file=sys.stderr)
    return EXIT_OK
