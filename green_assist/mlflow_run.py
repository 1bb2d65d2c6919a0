"""Energy, CO2e and time in MLflow, next to the accuracy of the same run.

``green-assist run --mlflow SCRIPT`` and ``%greenprofile on --mlflow`` log each profiled
record to an MLflow run, through MLflow's own client (so the tracking URI is whatever
MLflow reads: ``MLFLOW_TRACKING_URI``, or ``mlflow.set_tracking_uri`` in the notebook):

- metrics ``green_assist.energy_j``, ``green_assist.co2e_g``, ``green_assist.duration_s``
  per record (``step`` = the cell's execution count; 0 for a script), and the running
  totals ``green_assist.total.energy_j`` / ``.co2e_g`` / ``.duration_s`` at the same step;
- params: hardware (``green_assist.cpu_model``, ``.cpu_count``, ``.gpus``), carbon basis
  (``.region``, ``.carbon_intensity_g_per_kwh``, ``.pue``), how each component was
  measured (``green_assist.method.cpu`` = ``estimated``...). MLflow params cannot change:
  a value that differs later (a method that changed) is kept as first logged, and said
  once;
- tags (which may change): for a rank of a distributed job, ``green_assist.job_id``,
  ``.rank`` and ``.world_size`` (ranks that share a run overwrite them; each rank's
  metrics are its own figures, the merged job is ``green-assist report``);
- at the end (the script's end, ``%greenprofile off``, or the kernel's exit) the HTML
  report of the records as the artifact ``green_assist/green_assist_report.html``.

Which run: the active run (``mlflow.active_run()``); for a script that opened and closed
its own run, that run (``mlflow.last_active_run()``, when it started after the script
did), so energy lands next to the script's metrics; else a new run that green_assist
starts and ends. MLflow is optional: ``pip install 'green-assist[mlflow]'``.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any

from .profiler.session_log import ProfileRecord
from .profiler.totals import session_totals

INSTALL_HINT = "pip install 'green-assist[mlflow]'"
PREFIX = "green_assist."
REPORT_NAME = "green_assist_report.html"
ARTIFACT_DIR = "green_assist"


class MlflowUnavailable(RuntimeError):
    """MLflow cannot be imported; the message says how to install it."""


def import_mlflow() -> ModuleType:
    try:
        import mlflow
    except ImportError as err:
        raise MlflowUnavailable(
            f"--mlflow needs MLflow, which is not installed here ({err}). Install it with: "
            f"{INSTALL_HINT}"
        ) from None
    module: ModuleType = mlflow
    return module


class MlflowLogger:
    """Logs records to one MLflow run at a time (see the module docstring for which)."""

    def __init__(self, mlflow: ModuleType, *, run_name: str | None = None) -> None:
        self.mlflow = mlflow
        self.client = mlflow.MlflowClient()
        self.run_name = run_name
        self.records: list[ProfileRecord] = []
        self.run_id: str | None = None
        self.started_run = False  # we started it, so we end it
        self.problem: str | None = None
        self._params: dict[str, str] = {}
        self._finished = False
        self._pending: list[Any] = []  # MLflow's RunOperations still being written
        self._since_ms = int(time.time() * 1000)

    @classmethod
    def create(cls, run_name: str | None = None) -> MlflowLogger:
        """A logger, or ``MlflowUnavailable`` with the install command."""
        return cls(import_mlflow(), run_name=run_name)

    # -- which run -------------------------------------------------------------------------
    def use_run(self, *, after_script: bool = False) -> str:
        """The run to log to: the active one, the script's own, or a new one."""
        active = self.mlflow.active_run()
        if active is not None:
            return self._switch(active.info.run_id, started=False)
        if after_script:
            last = self.mlflow.last_active_run()
            if last is not None and last.info.start_time >= self._since_ms:
                return self._switch(last.info.run_id, started=False)
        # No active run (none yet, or the user ended the one we started): start one.
        run = self.mlflow.start_run(run_name=self.run_name)
        return self._switch(run.info.run_id, started=True)

    def _switch(self, run_id: str, *, started: bool) -> str:
        if run_id != self.run_id:
            self.finish()  # the previous run gets its report before we move on
            self.run_id, self.started_run = run_id, started
            self.records, self._finished = [], False
            existing = self.client.get_run(run_id).data.params
            self._params = {k: v for k, v in existing.items() if k.startswith(PREFIX)}
        return run_id

    # -- logging ---------------------------------------------------------------------------
    def log_record(self, record: ProfileRecord, *, after_script: bool = False) -> None:
        """Log one record's metrics (and params it brings) to the run."""
        from mlflow.entities import Metric, Param, RunTag

        run_id = self.use_run(after_script=after_script)
        self.records.append(record)
        step = record.execution_count if record.execution_count is not None else 0
        if record.kind == "cell" and record.execution_count is None:
            step = len(self.records)
        now = int(time.time() * 1000)
        values = {
            "energy_j": record.energy_j,
            "co2e_g": record.co2e_g,
            "duration_s": record.duration_s,
        }
        summed = session_totals(self.records)
        totals = {
            "total.energy_j": summed.energy_j,
            "total.co2e_g": summed.co2e_g,
            "total.duration_s": summed.duration_s,
        }
        metrics = [
            Metric(PREFIX + key, float(value), now, step)
            for key, value in {**values, **totals}.items()
            if value is not None
        ]
        params = [Param(k, v) for k, v in self._new_params(record).items()]
        tags = [RunTag(k, v) for k, v in record_tags(record).items()]
        # MLflow's own background logging: the cell does not wait for the store.
        pending = self.client.log_batch(
            run_id, metrics=metrics, params=params, tags=tags, synchronous=False
        )
        if pending is not None:
            self._pending.append(pending)

    def _new_params(self, record: ProfileRecord) -> dict[str, str]:
        wanted = record_params(record)
        new = {}
        for key, value in wanted.items():
            logged = self._params.get(key)
            if logged is None:
                new[key] = value
            elif logged != value and self.problem is None:
                self.problem = (
                    f"MLflow param {key} stays {logged!r} (params cannot change); this record "
                    f"has {value!r}"
                )
                print(f"green_assist: {self.problem}", file=sys.stderr)
        self._params.update(new)
        return new

    def flush(self) -> None:
        """Wait until every record logged so far is in the store (errors surface here)."""
        pending, self._pending = self._pending, []
        for operations in pending:
            operations.wait()

    def finish(self) -> Path | None:
        """Log the HTML report of the records as an artifact; end the run if ours."""
        if self._finished or self.run_id is None or not self.records:
            return None
        from .report import write_records_report

        self._finished = True
        self.flush()
        with tempfile.TemporaryDirectory(prefix="green-assist-mlflow-") as folder:
            path = Path(folder) / REPORT_NAME
            write_records_report(path, self.records, source="this MLflow run")
            self.client.log_artifact(self.run_id, str(path), ARTIFACT_DIR)
        if self.started_run:
            active = self.mlflow.active_run()
            if active is not None and active.info.run_id == self.run_id:
                self.mlflow.end_run()
            elif self.client.get_run(self.run_id).info.status == "RUNNING":
                self.client.set_terminated(self.run_id)
        return Path(ARTIFACT_DIR) / REPORT_NAME


def record_params(record: ProfileRecord) -> dict[str, str]:
    """The params a record gives: hardware, carbon basis, methods, job identity."""
    hardware = record.hardware or {}
    params: dict[str, Any] = {
        "cpu_model": hardware.get("cpu_model"),
        "cpu_count": hardware.get("cpu_count"),
        "gpus": ", ".join(str(n) for n in hardware.get("gpu_names") or []) or "none",
        "region": record.region or ("world average (default)" if _default(record) else "set"),
        "carbon_intensity_g_per_kwh": record.carbon_intensity_g_per_kwh,
        "pue": record.pue,
        "green_assist_version": record.green_assist_version,
    }
    for component, entry in sorted(record.energy.items()):
        if isinstance(entry, dict):
            params[f"method.{component}"] = entry.get("method") or "unknown"
    # MLflow keeps params as text of at most 6000 characters.
    return {PREFIX + k: str(v)[:6000] for k, v in params.items() if v is not None}


def record_tags(record: ProfileRecord) -> dict[str, str]:
    """A rank's job identity (tags, not params: ranks sharing a run differ in them)."""
    identity = record.distributed or {}
    keys = ("job_id", "rank", "world_size", "node")
    return {PREFIX + k: str(identity[k]) for k in keys if identity.get(k) is not None}


def _default(record: ProfileRecord) -> bool:
    return bool((record.carbon or {}).get("is_default"))
