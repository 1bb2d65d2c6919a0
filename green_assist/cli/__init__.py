"""The ``green-assist`` command line.

Each subcommand is a module in this package that defines ``add_parser(subparsers)``
and sets ``func`` (returning an exit code) on its parser; modules are discovered,
so adding a command means adding a file.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

from .. import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="green-assist",
        description="The energy and carbon cost of ML code: check, fix, profile and report.",
    )
    parser.add_argument("--version", action="version", version=f"green-assist {__version__}")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        add_parser = getattr(module, "add_parser", None)
        if add_parser is not None:
            add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 0
    code = func(args)
    return int(code or 0)


if __name__ == "__main__":
    sys.exit(main())
