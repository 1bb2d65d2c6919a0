"""``green-assist run SCRIPT [ARGS...] [--flops] [--label NAME] [--report PATH]``: profile
a whole Python script the way ``%%greenprofile`` profiles a cell.

The script runs in this process as ``__main__`` (``sys.argv`` = script and its
arguments), so FLOPs can be counted and CUDA work is synchronised at the edges. One
record goes to the session log (``GREEN_ASSIST_SESSION_DIR``, default ``.green_assist/``),
a summary goes to stderr, and the exit code is the script's.
"""

from __future__ import annotations

import argparse
import os
import runpy
import shlex
import sys
import time
import traceback
from pathlib import Path
from typing import Any


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "run",
        help="run a Python script and record its energy, CO2e and (optionally) FLOPs",
        description=(
            "Run SCRIPT with ARGS under the green_assist profiler: energy per component "
            "(with how it was obtained), CO2e, peak memory and, with --flops, FLOPs "
            "(2 per multiply-add). One record is appended to the session log. Options go "
            "before SCRIPT; everything after SCRIPT is passed to the script."
        ),
    )
    parser.add_argument("--flops", action="store_true", help="count FLOPs (torch; slower)")
    parser.add_argument("--label", help="name this run in the record")
    parser.add_argument(
        "--report",
        metavar="PATH",
        help="also write a report (e.g. run.json; a rank of a torchrun/srun job writes "
        "run.rankN.json)",
    )
    parser.add_argument("--quiet", action="store_true", help="print no summary")
    parser.add_argument(
        "--mlflow",
        action="store_true",
        help="log energy, CO2e, time and the report to MLflow: the script's own run, the "
        "active run, or a new one (needs: pip install 'green-assist[mlflow]')",
    )
    parser.add_argument("script", help="the Python file to run")
    parser.add_argument("args", nargs=argparse.REMAINDER, help="arguments for the script")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    script = Path(args.script)
    if not script.is_file():
        print(f"green-assist run: {script} is not a file", file=sys.stderr)
        return 2
    if args.report:
        from ..report import format_for

        try:
            format_for(args.report)
        except ValueError as err:
            print(f"green-assist run: --report: {err}", file=sys.stderr)
            return 2
    tracker = None
    if args.mlflow:
        from ..mlflow_run import MlflowLogger, MlflowUnavailable

        try:
            tracker = MlflowLogger.create(run_name=f"green-assist run {script.name}")
        except MlflowUnavailable as err:
            print(f"green-assist run: {err}", file=sys.stderr)
            return 2
    from ..profiler.distributed import rank_identity
    from ..profiler.measurement import Target
    from ..profiler.session import ProfilerSession
    from ..profiler.startup import StartupWindow
    from ..sensors import EnergyMeter

    startup = StartupWindow(EnergyMeter.default())
    session = ProfilerSession()
    command = shlex.join([str(script), *args.args])
    rank = rank_identity()
    target = Target(
        kind="script",
        mode="script",
        source=command,
        label=args.label,
        distributed=dict(rank) if rank else None,
    )
    measurement = session.begin(target, flops=args.flops)
    if measurement.flops_problem:
        print(f"green-assist run: {measurement.flops_problem}", file=sys.stderr)
    script_started = time.time()
    exit_code, error = _run_script(script, args.args)
    record = session.finish(
        measurement,
        "ok" if error is None else "error",
        error,
        before_write=lambda r: startup.attach(r, script_started),
    )
    session.close()
    if not args.quiet:
        from ..profiler.display import format_text

        print(format_text(record), file=sys.stderr)
        where = session.writer.path if session.log_problem is None else session.log_problem
        print(f"  record  {where}", file=sys.stderr)
    if args.report:
        from ..report import write_records_report

        # Scripts a record names are read relative to the working directory.
        written = write_records_report(
            _rank_path(args.report, rank),
            [record],
            source=str(session.writer.path),
            code_root=Path.cwd(),
        )
        if not args.quiet:
            print(f"  report  {written.path}", file=sys.stderr)
    if tracker is not None:
        _log_to_mlflow(tracker, record, args.quiet)
    return exit_code


def _rank_path(path: str, rank: Any) -> Path:
    """``--report job.html`` of rank 3 writes ``job.rank3.html``: ranks share the name."""
    given = Path(path)
    if not rank:
        return given
    return given.with_name(f"{given.stem}.rank{rank['rank']}{given.suffix}")


def _log_to_mlflow(tracker: Any, record: Any, quiet: bool) -> None:
    """Log the run's record and report; a tracking failure never changes the exit code."""
    try:
        tracker.log_record(record, after_script=True)
        artifact = tracker.finish()
    except Exception as err:  # an unreachable server, a read-only store...
        print(f"green-assist run: could not log to MLflow: {err}", file=sys.stderr)
        return
    if not quiet:
        print(f"  mlflow  run {tracker.run_id} (report artifact {artifact})", file=sys.stderr)


def _run_script(script: Path, script_args: list[str]) -> tuple[int, dict[str, str] | None]:
    """Run ``script`` as ``__main__``; return its exit code and, on failure, the error."""
    saved_argv, saved_path = sys.argv[:], sys.path[:]
    sys.argv = [str(script), *script_args]
    sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
    try:
        runpy.run_path(str(script), run_name="__main__")
        return 0, None
    except SystemExit as exit_:
        code = exit_.code
        if code is None or code == 0:
            return 0, None
        if not isinstance(code, int):
            print(code, file=sys.stderr)
            code = 1
        return code, {"ename": "SystemExit", "evalue": str(exit_.code)}
    except KeyboardInterrupt as err:
        traceback.print_exc()
        return 130, {"ename": type(err).__name__, "evalue": str(err)}
    except Exception as err:
        traceback.print_exc()
        return 1, {"ename": type(err).__name__, "evalue": str(err)[:2000]}
    finally:
        sys.argv, sys.path = saved_argv, saved_path
