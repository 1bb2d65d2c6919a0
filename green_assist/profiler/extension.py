"""``%load_ext green_assist``: what the IPython extension registers.

One ``KernelAgent`` per kernel holds the comm link, the profiler session and the
automatic mode. It registers:

- ``%green_assist_connect`` (run silently by the lab extension): opens the comm;
- ``%%greenprofile`` / ``%greenprofile`` (see ``magics``), with an input transformer
  that lets IPython itself run a ``%%greenprofile`` cell's body (see ``runner``);
- ``pre_run_cell`` / ``post_run_cell`` hooks: they remember which cell runs, start a
  measurement in automatic mode and finish the cell's measurement (one record per cell,
  however it was started).

Loading twice is a no-op, as IPython users expect. Nothing heavy is imported until a
cell is measured.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .comm import FrontendLink

if TYPE_CHECKING:
    from ..mlflow_run import MlflowLogger
    from .measurement import Measurement
    from .messages import LiveMessage, SessionState
    from .readout import LiveReadout
    from .session import ProfilerSession
    from .session_log import ProfileRecord
    from .totals import Totals

log = logging.getLogger(__name__)


@dataclass
class AutoMode:
    enabled: bool = False
    flops: bool = False
    show: bool = False


class KernelAgent:
    """Everything green_assist keeps inside one kernel."""

    def __init__(self, shell: Any) -> None:
        from . import messages

        self.shell = shell
        self.link = FrontendLink()
        self.auto = AutoMode()
        self._session: ProfilerSession | None = None
        self._cells: list[Any] = []  # ExecutionInfo of the cells running (nested run_cell)
        self._readout: LiveReadout | None = None
        self._mlflow: MlflowLogger | None = None
        self.link.on("request_hello", lambda _data: self.link.send(self.link.hello()))
        self.link.on(messages.SET_AUTO, self._set_auto_from_front_end)
        self.link.on(messages.REQUEST_STATE, lambda _data: self._send_state())
        self.link.on(messages.CONFIGURE, self._configure_from_front_end)
        self.link.on(messages.FIX_APPLIED, self._fix_applied)
        self.link.on(messages.FIX_UNDONE, self._fix_undone)
        self.link.on(messages.CELL_POSITIONS, self._cell_positions_from_front_end)
        self._cell_positions: dict[str, int] = {}
        self.link.hello_extras[messages.HELLO_KEY] = self.profiler_state
        # What the sidebar sends with analyses, so advice fits this kernel's machine.
        self.link.hello_extras["hardware"] = lambda: self.session.hardware()

    # -- the profiler session (created on first use) --------------------------------------
    @property
    def session(self) -> ProfilerSession:
        if self._session is None:
            from .live_status import LiveStatusWriter
            from .session import ProfilerSession

            # Live messages need a front end: a kernel (ZMQ shell), not terminal IPython.
            session = ProfilerSession(live=hasattr(self.shell, "kernel"))
            session.on_live.append(self._on_live)
            session.on_record_synced.append(self._on_record)
            # The Jupyter server's /metrics reads this kernel's status file, if it asked.
            status = LiveStatusWriter.for_kernel(session) if session.live else None
            if status is not None:
                status.attach()
            session.live_wanted = lambda: (
                self.link.connected or self._readout is not None or status is not None
            )
            self._session = session
        return self._session

    def profiler_state(self) -> SessionState:
        return self.session.state(self.auto.enabled, self.auto.flops)

    # -- magics ------------------------------------------------------------------------------
    def connect_magic(self, line: str = "") -> None:
        """Open the comm to the JupyterLab extension (run silently by the extension)."""
        self.link.connect()

    def line_magic(self, line: str = "") -> Any:
        """%greenprofile on [--flops] [--show] [--mlflow] | off | status | report [PATH]"""
        from IPython.core.error import UsageError

        from .magics import MagicUsageError, parse_line
        from .runner import BEGIN_FLAG

        try:
            if line.strip().startswith(BEGIN_FLAG):
                self.begin_cell(line.strip()[len(BEGIN_FLAG) :])
                return None
            command = parse_line(line)
        except MagicUsageError as err:
            raise UsageError(str(err)) from None
        if command.action == "on":
            tracking = self._start_mlflow() if command.mlflow else self._stop_mlflow()
            self.set_auto(True, command.flops, command.show)
            print(
                "green_assist: automatic profiling on from the next cell"
                + (" (with FLOPs: ~15-20 us per torch operator)" if command.flops else "")
                + f"; records go to {self.session.writer.path}"
                + (f"; {tracking}" if tracking else "")
            )
        elif command.action == "off":
            self.set_auto(False)
            stopped = self._stop_mlflow()
            print("green_assist: automatic profiling off" + (f"; {stopped}" if stopped else ""))
        elif command.action == "status":
            self._show_status()
        elif command.action == "report":
            return self._write_report(command.path)
        return None

    def cell_magic(self, line: str = "", cell: str = "") -> None:
        """%%greenprofile [--flops] [--label NAME] [--interval MS] [--quiet]

        Measures the cell: wall time, energy per component (with how it was obtained),
        CO2e, peak memory and, with --flops, FLOPs (2 per multiply-add). The record goes
        to the session log before the result is shown."""
        from .runner import run_body

        # Only reached through shell.run_cell_magic(...): a cell that starts with
        # %%greenprofile is rewritten so that IPython runs it (see runner.rewrite_cell).
        measurement = self.begin_cell(line)
        if measurement.target.info is not None:
            run_body(self.shell, cell)  # finished by post_run_cell, on error too
            return
        status, error = "ok", None
        try:
            run_body(self.shell, cell)
        except BaseException as err:
            status, error = "error", _error_fields(err)
            raise
        finally:
            self._finish(measurement, status, error)

    def begin_cell(self, args: str) -> Measurement:
        """Start (or upgrade the automatic) measurement of the running cell."""
        from IPython.core.error import UsageError

        from .magics import MagicUsageError, parse_cell_args

        try:
            options = parse_cell_args(args)
        except MagicUsageError as err:
            raise UsageError(str(err)) from None
        session = self.session
        measurement = session.current
        if measurement is None or not measurement.running:
            measurement = session.begin(self._target("magic", options.label))
        measurement.target.mode = "magic"
        measurement.target.label = options.label or measurement.target.label
        measurement.quiet = options.quiet
        if options.interval_s is not None:
            measurement.set_sample_interval(options.interval_s)
        if options.flops:
            measurement.enable_flops()
        if measurement.flops_problem:
            print(f"green_assist: {measurement.flops_problem}", file=sys.stderr)
        if not options.quiet and session.live and not self.link.connected:
            from .readout import LiveReadout

            self._readout = LiveReadout.create(measurement.live_message())
        return measurement

    # -- MLflow (``%greenprofile on --mlflow``) ---------------------------------------------
    def _start_mlflow(self) -> str:
        from IPython.core.error import UsageError

        from ..mlflow_run import MlflowLogger, MlflowUnavailable

        self._stop_mlflow()
        notebook = os.path.basename(os.environ.get("JPY_SESSION_NAME", "")) or "notebook"
        try:
            self._mlflow = MlflowLogger.create(run_name=f"green_assist: {notebook}")
        except MlflowUnavailable as err:
            raise UsageError(str(err)) from None
        self.session.on_record.append(self._log_to_mlflow)
        atexit.register(self._stop_mlflow)  # the report artifact when the kernel stops
        return "each cell is logged to MLflow (the active run, or one started for it)"

    def _log_to_mlflow(self, record: ProfileRecord) -> None:
        tracker = self._mlflow
        if tracker is None:
            return
        try:
            tracker.log_record(record)
        except Exception as err:  # tracking must never stop the user's work
            if tracker.problem is None:
                tracker.problem = str(err)
                print(f"green_assist: could not log to MLflow: {err}", file=sys.stderr)

    def _stop_mlflow(self) -> str:
        """Log the report artifact, end the run if green_assist started it, stop logging."""
        tracker, self._mlflow = self._mlflow, None
        if tracker is None:
            return ""
        atexit.unregister(self._stop_mlflow)
        if self._session is not None and self._log_to_mlflow in self._session.on_record:
            self._session.on_record.remove(self._log_to_mlflow)
        try:
            artifact = tracker.finish()
        except Exception as err:
            return f"could not log the report to MLflow: {err}"
        if artifact is None:
            return "MLflow logging off"
        return f"MLflow run {tracker.run_id}: report logged as {artifact}"

    # -- automatic mode and cell events ------------------------------------------------------
    def set_auto(self, enabled: bool, flops: bool = False, show: bool = False) -> None:
        self.auto = AutoMode(enabled, flops and enabled, show and enabled)
        self._send_state()

    def pre_run_cell(self, info: Any) -> None:
        self._cells.append(info)
        try:
            if self.auto.enabled and (self._session is None or self._session.current is None):
                self.session.begin(self._target("auto", None), flops=self.auto.flops)
            elif self._session is not None and self._session.current is None:
                self._session.end_idle()
        except Exception as err:  # profiling must never stop the user's cell
            log.warning("green_assist: could not start measuring this cell: %s", err)

    def post_run_cell(self, result: Any) -> None:
        info = getattr(result, "info", None)
        if self._cells and self._cells[-1] is info:
            self._cells.pop()
        session = self._session
        if session is None:
            return
        measurement = session.current
        if measurement is None or measurement.target.info is not info or info is None:
            if measurement is None:
                session.start_idle()
            return
        if getattr(info, "store_history", False):
            measurement.target.execution_count = result.execution_count
        err = result.error_in_exec or result.error_before_exec
        self._finish(measurement, "error" if err else "ok", _error_fields(err) if err else None)

    # -- internals ---------------------------------------------------------------------------
    def _target(self, mode: str, label: str | None) -> Any:
        from .measurement import Target

        info = self._cells[-1] if self._cells else None
        count = None
        if info is not None and getattr(info, "store_history", False):
            count = self.shell.execution_count - 1
        return Target(
            kind="cell",
            mode=mode,
            execution_count=count,
            cell_id=getattr(info, "cell_id", None),
            cell_index=self._cell_positions.get(getattr(info, "cell_id", None) or ""),
            source=getattr(info, "raw_cell", None),
            label=label,
            info=info,
        )

    def _finish(self, measurement: Measurement, status: str, error: dict[str, str] | None) -> None:
        from .display import ProfileResult, one_line

        readout, self._readout = self._readout, None
        try:
            record = self.session.finish(measurement, status, error)
        except Exception as err:
            log.warning("green_assist: could not finish measuring this cell: %s", err)
            return
        mode = measurement.target.mode
        if mode == "magic" and not measurement.quiet:
            result = ProfileResult(record)
            if readout is not None:
                readout.finish(result.mimebundle())
            else:
                from IPython.display import display

                display(result)
        elif mode == "auto" and self.auto.show:
            print(one_line(record))

    def _on_live(self, message: LiveMessage) -> None:
        if self.link.connected:
            self.link.send(dict(message))
        readout = self._readout
        if readout is not None:
            readout.update(message)

    def _on_record(self, record: ProfileRecord, totals: Totals) -> None:
        """Runs on the profiler's background thread, after the record's fsync."""
        if not self.link.connected:
            return
        from .messages import RECORD, record_for_front_end

        message = {
            "type": RECORD,
            "record": record_for_front_end(record.to_dict()),
            "totals": totals.to_dict(),
        }
        self.link.send(message)

    def _send_state(self) -> None:
        if self.link.connected:
            from .messages import STATE

            self.link.send({"type": STATE, **self.profiler_state()})

    def _fix_applied(self, data: dict[str, Any]) -> None:
        cell_id, name, title = data.get("cell_id"), data.get("refactor"), data.get("title")
        if (
            isinstance(cell_id, str)
            and isinstance(name, str)
            and isinstance(title, str)
            and all(0 < len(v) <= 200 for v in (cell_id, name, title))
        ):
            self.session.history.fix_applied(cell_id, name, title)

    def _cell_positions_from_front_end(self, data: dict[str, Any]) -> None:
        from .messages import MAX_CELL_POSITIONS

        positions = data.get("positions")
        if not isinstance(positions, dict) or len(positions) > MAX_CELL_POSITIONS:
            return
        self._cell_positions = {
            key: value
            for key, value in positions.items()
            if isinstance(key, str)
            and len(key) <= 200
            and isinstance(value, int)
            and not isinstance(value, bool)
            and 0 <= value < MAX_CELL_POSITIONS
        }

    def _fix_undone(self, data: dict[str, Any]) -> None:
        cell_id = data.get("cell_id")
        if isinstance(cell_id, str) and 0 < len(cell_id) <= 200:
            self.session.history.fix_undone(cell_id)

    def _set_auto_from_front_end(self, data: dict[str, Any]) -> None:
        self.set_auto(bool(data.get("enabled")), bool(data.get("flops")), self.auto.show)

    def _configure_from_front_end(self, data: dict[str, Any]) -> None:
        """Carbon settings and sampling period from the sidebar's settings."""
        from ..sensors.carbon import INTENSITY_ENV, PUE_ENV, REGION_ENV

        session = self.session
        problems: list[str] = []
        overrides: dict[str, str] = {}
        for key, env_name in (
            ("region", REGION_ENV),
            ("carbon_intensity", INTENSITY_ENV),
            ("pue", PUE_ENV),
        ):
            value = data.get(key)
            if value is not None and str(value).strip():
                overrides[env_name] = str(value).strip()
        session.carbon_overrides = overrides
        problems += [p for p in session.carbon().problems if "no region set" not in p]
        interval = data.get("sample_interval_s")
        if interval is not None:
            try:
                session.set_sample_interval(float(interval))
            except (TypeError, ValueError) as err:
                problems.append(f"sample interval not changed: {err}")
        session.settings_problems = problems
        self._send_state()

    def _show_status(self) -> None:
        from .magics import status_text

        session = self.session
        text = status_text(
            session.totals(), self.auto.enabled, self.auto.flops, str(session.writer.path)
        )
        if session.log_problem:
            text += f"\n  log problem: {session.log_problem}"
        print(text)

    def _write_report(self, path: str | None) -> Any:
        from IPython.core.error import UsageError

        from ..report import write_records_report

        session = self.session
        target = path or str(session.writer.path.with_name(f"{session.session_id}-report.json"))
        try:
            records = session.records()
            # Scripts a record names are read relative to the working directory.
            written = write_records_report(
                target, records, source=str(session.writer.path), code_root=Path.cwd()
            )
        except (ValueError, OSError) as err:
            raise UsageError(f"green_assist: {err}") from None
        print(f"green_assist: wrote {written.path} ({len(records)} record(s))")
        return None

    def close(self) -> None:
        self._stop_mlflow()
        if self._session is not None:
            current = self._session.current
            if current is not None and current.running:
                current.stop()
            self._session.close()
        self.link.close()


def _error_fields(err: BaseException) -> dict[str, str]:
    return {"ename": type(err).__name__, "evalue": str(err)[:2000]}


_agent: KernelAgent | None = None


def current_agent() -> KernelAgent | None:
    """The agent of this kernel, or None when the extension is not loaded."""
    return _agent


def load(shell: Any) -> KernelAgent:
    global _agent
    if _agent is not None and _agent.shell is shell:
        return _agent
    from .runner import rewrite_cell

    _agent = KernelAgent(shell)
    shell.register_magic_function(_agent.connect_magic, "line", "green_assist_connect")
    shell.register_magic_function(_agent.line_magic, "line", "greenprofile")
    shell.register_magic_function(_agent.cell_magic, "cell", "greenprofile")
    shell.events.register("pre_run_cell", _agent.pre_run_cell)
    shell.events.register("post_run_cell", _agent.post_run_cell)
    if rewrite_cell not in shell.input_transformers_cleanup:
        shell.input_transformers_cleanup.append(rewrite_cell)
    return _agent


def unload(shell: Any) -> None:
    global _agent
    if _agent is None:
        return
    from .runner import rewrite_cell

    agent, _agent = _agent, None
    agent.close()
    for event, hook in (
        ("pre_run_cell", agent.pre_run_cell),
        ("post_run_cell", agent.post_run_cell),
    ):
        with contextlib.suppress(ValueError):
            shell.events.unregister(event, hook)
    if rewrite_cell in shell.input_transformers_cleanup:
        shell.input_transformers_cleanup.remove(rewrite_cell)
    shell.magics_manager.magics["line"].pop("green_assist_connect", None)
    shell.magics_manager.magics["line"].pop("greenprofile", None)
    shell.magics_manager.magics["cell"].pop("greenprofile", None)
