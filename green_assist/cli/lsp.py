"""``green-assist lsp``: run the language server (stdio, or ``--tcp HOST:PORT`` to debug).

Editors start it themselves: see docs/editors.md. Over stdio
the LSP messages own standard output, so anything else the process prints goes
to standard error.
"""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Any

from ..target import TARGET_CHOICES, parse_target
from ._text import plain


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "lsp",
        help="run the language server (diagnostics, hovers, quick fixes, refactors)",
        description=plain(__doc__),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--tcp",
        metavar="HOST:PORT",
        help="listen on a TCP port instead of stdio (for debugging), e.g. 127.0.0.1:2087",
    )
    parser.add_argument(
        "--debounce-ms",
        type=float,
        default=None,
        metavar="MS",
        help="quiet time after an edit before analysing (default 30)",
    )
    parser.add_argument(
        "--target",
        choices=TARGET_CHOICES,
        help="hardware the advice is for (auto: this machine; default: `target` in"
        " [tool.green-assist], else any); initializationOptions.target wins",
    )
    parser.add_argument("--log-file", help="write the server's own log (debug level) to this file")
    parser.set_defaults(func=run)


def _address(value: str) -> tuple[str, int]:
    host, sep, port = value.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"--tcp {value!r}: write it as HOST:PORT, e.g. 127.0.0.1:2087")
    return host, int(port)


def run(args: argparse.Namespace) -> int:
    try:
        address = _address(args.tcp) if args.tcp else None
    except ValueError as err:
        print(f"green-assist lsp: {err}", file=sys.stderr)
        return 2
    if args.debounce_ms is not None and args.debounce_ms < 0:
        print("green-assist lsp: --debounce-ms must be 0 or more", file=sys.stderr)
        return 2
    if args.log_file:
        logging.basicConfig(filename=args.log_file, level=logging.DEBUG)
    else:
        logging.basicConfig(stream=sys.stderr, level=logging.WARNING)
    from ..lsp import DEFAULT_DEBOUNCE_S, create_server  # pygls: only for this command

    debounce = DEFAULT_DEBOUNCE_S if args.debounce_ms is None else args.debounce_ms / 1000
    server = create_server(debounce)
    if args.target is not None:
        server.target = parse_target(args.target)
    if address is not None:
        server.start_tcp(*address)
        return 0
    # The protocol owns stdout: keep a handle for it, send stray prints to stderr.
    protocol_out = sys.stdout.buffer
    sys.stdout = sys.stderr
    server.start_io(sys.stdin.buffer, protocol_out)
    return 0
