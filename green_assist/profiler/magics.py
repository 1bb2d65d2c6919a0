"""Arguments of ``%%greenprofile`` and ``%greenprofile``, and the status text.

Cell magic::

    %%greenprofile [--flops] [--label NAME] [--interval MS] [--quiet]

Line magic::

    %greenprofile on [--flops] [--show] [--mlflow]
                                          profile every cell from the next one on
                                          (--mlflow: log each cell to MLflow)
    %greenprofile off                     stop automatic profiling
    %greenprofile status                  session totals, auto mode, log file
    %greenprofile report [PATH]           write a report (JSON; default beside the log)
"""

from __future__ import annotations

import argparse
import shlex
from dataclasses import dataclass

from ..sensors.sampler import check_interval
from .display import duration_text, energy_text, flops_text, grams_text
from .totals import Totals

CELL_USAGE = "%%greenprofile [--flops] [--label NAME] [--interval MS] [--quiet]"
LINE_USAGE = "%greenprofile on [--flops] [--show] [--mlflow] | off | status | report [PATH]"


class MagicUsageError(ValueError):
    """Bad magic arguments; the message says what is allowed."""


@dataclass
class CellOptions:
    flops: bool = False
    label: str | None = None
    interval_s: float | None = None
    quiet: bool = False


@dataclass
class LineCommand:
    action: str  # on | off | status | report
    flops: bool = False
    show: bool = False
    mlflow: bool = False
    path: str | None = None


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise MagicUsageError(f"{message}; usage: {self.usage}")


def _cell_parser() -> _Parser:
    parser = _Parser(prog="%%greenprofile", usage=CELL_USAGE, add_help=False, allow_abbrev=False)
    parser.add_argument("--flops", action="store_true")
    parser.add_argument("--label")
    parser.add_argument("--interval", type=float, metavar="MS")
    parser.add_argument("--quiet", action="store_true")
    return parser


def parse_cell_args(line: str) -> CellOptions:
    """Options of ``%%greenprofile``; ``MagicUsageError`` for anything else."""
    try:
        words = shlex.split(line)
    except ValueError as err:
        raise MagicUsageError(f"cannot read {line!r}: {err}; usage: {CELL_USAGE}") from None
    args = _cell_parser().parse_args(words)
    interval = None
    if args.interval is not None:
        try:
            interval = check_interval(args.interval / 1000)
        except ValueError as err:
            raise MagicUsageError(f"--interval {args.interval:g} ms: {err}") from None
    return CellOptions(args.flops, args.label, interval, args.quiet)


def parse_line(line: str) -> LineCommand:
    """``on``/``off``/``status``/``report``; ``MagicUsageError`` for anything else."""
    try:
        words = shlex.split(line)
    except ValueError as err:
        raise MagicUsageError(f"cannot read {line!r}: {err}; usage: {LINE_USAGE}") from None
    if not words:
        return LineCommand("status")
    action, rest = words[0], words[1:]
    if action == "on":
        unknown = [w for w in rest if w not in ("--flops", "--show", "--mlflow")]
        if unknown:
            raise MagicUsageError(f"unknown option(s) {' '.join(unknown)}; usage: {LINE_USAGE}")
        return LineCommand(
            "on", flops="--flops" in rest, show="--show" in rest, mlflow="--mlflow" in rest
        )
    if action in ("off", "status") and not rest:
        return LineCommand(action)
    if action == "report" and len(rest) <= 1:
        return LineCommand("report", path=rest[0] if rest else None)
    raise MagicUsageError(f"cannot understand %greenprofile {line.strip()}; usage: {LINE_USAGE}")


def status_text(totals: Totals, auto_on: bool, auto_flops: bool, log_path: str) -> str:
    method = f" ({totals.energy_method})" if totals.energy_method else ""
    unknown = (
        f" ({totals.energy_unknown} cell(s) with unknown energy not included)"
        if totals.energy_unknown and totals.energy_j is not None
        else ""
    )
    flops = (
        f"; {flops_text(totals.flops)} in {totals.flops_counted} cell(s) that counted FLOPs"
        if totals.flops_counted
        else ""
    )
    auto = "on" + (" with FLOPs" if auto_flops else "") if auto_on else "off"
    return "\n".join(
        [
            f"green_assist session: {totals.cells} profiled cell(s), "
            f"{totals.errors} with errors, {duration_text(totals.duration_s)}",
            f"  energy {energy_text(totals.energy_j)}{method}{unknown}; "
            f"CO2e {grams_text(totals.co2e_g)}{flops}",
            f"  automatic profiling {auto}; log {log_path}",
        ]
    )
