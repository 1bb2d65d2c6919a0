"""The session log: one JSON line per profiled cell (or script run), never losing one.

Where: ``<session dir>/<session id>.jsonl``. The session dir is ``GREEN_ASSIST_SESSION_DIR``
when set, else ``.green_assist/`` in the kernel's working directory (which Jupyter sets
to the notebook's folder). One file per kernel session; ``session_id`` is in its name
and in every record.

Writing: each record is one ``json.dumps`` line written with a single ``write`` call
on the cell's own thread as the cell finishes (``SessionLogWriter.write``), so the line
is in the file before the kernel replies; a kernel that dies (even ``kill -9``) keeps
every finished record, at worst the line being written is cut short. ``sync`` (fsync)
makes lines survive a crash of the machine too: the profiler runs it on its background
thread, one fsync for all lines written since the last (group commit), and waits for
it before the next cell starts and at exit. ``append`` does both at once.

Reading (``read_log``, ``read_session_dir``) is tolerant: a truncated or corrupt line is
skipped with a warning naming the file and line, fields this version does not know are
kept (``ProfileRecord.extra``) and written back unchanged by ``to_dict``, and records
of a newer ``schema_version`` are read as far as their known fields go.

Record fields (schema version 1; all present in every record, ``None``/empty when not
applicable). Units: joules, seconds, bytes, grams of CO2e, FLOPs (1 multiply-add = 2).

=============================  ==================================================================
``schema_version``             ``1``
``session_id``                 kernel session, e.g. ``20250301T101502Z-3f9a1c``
``kind``                       ``"cell"`` (notebook, IPython) or ``"script"`` (green-assist run)
``mode``                       ``"magic"`` (``%%greenprofile``), ``"auto"`` (``%greenprofile on``),
                               ``"script"``
``execution_count``            the cell's ``In [n]`` number (None for scripts and silent runs)
``cell_id``                    the front end's cell id (JupyterLab sends it), else None
``cell_index``                 the cell's position in the notebook (0-based) when it ran, as
                               the sidebar told the kernel; with ``execution_count`` it
                               names the cell everywhere: ``cell 6 · In [4]`` (cells.py)
``label``                      ``--label NAME``, or None
``source``                     the cell source as typed (script path and args for scripts)
``source_sha256``              hex digest of the whole source (find the same cell again)
``source_truncated``           True when ``source`` was cut at 100,000 characters
``started_at``                 ISO 8601 with UTC offset, when measuring began
``duration_s``                 wall time of the measured code
``status``                     ``"ok"`` or ``"error"``
``error``                      ``{"ename", "evalue"}`` when ``status == "error"``, else None
``energy``                     per component (``cpu``, ``dram``, ``gpu:0``...): ``{"joules",
                               "method", "reason", "detail"}``; ``method`` is ``counter``,
                               ``polled``, ``attributed`` or ``estimated``; ``joules`` None
                               when unknown (``reason`` says why)
``energy_j``                   sum of the known components
``energy_method``              the least certain method among them
``energy_missing``             components whose energy is unknown
``co2e_g``                     ``energy_j`` x ``pue`` x intensity
``carbon_intensity_g_per_kwh`` grid intensity used
``pue``                        data-centre overhead factor used
``region``                     grid region used (None: world average or a number you set)
``carbon``                     where the intensity comes from (``source``, ``year``,
                               ``is_default``, ``note``, ``pue_source``, ``pue_year``)
``embodied_co2e_g``            manufacturing emissions of the hardware used, amortised over its
                               service life (an estimate; ``lifecycle.embodied`` has the parts)
``water_l``                    on-site cooling water and the water to generate the electricity
                               (an estimate; ``lifecycle.water`` says what is counted)
``startup``                    ``green-assist run`` only: ``startup_s`` (process start to the
                               script's first line), ``energy_with_startup_j``,
                               ``startup_energy_j``, ``unmetered_s``; None for cells
``lifecycle``                  ``embodied``, ``water`` and ``alternatives`` (the same energy in
                               the provider's lowest-carbon nearby region and a region you
                               chose), each with method, sources and years
``flops``                      FLOPs counted by ``torch.utils.flop_counter``, None when not
                               counted (``--flops`` off, or no torch)
``flops_forward``/``_backward`` the forward / backward (autograd) part of ``flops``
``flops_complete``             False when something was seen that is not counted (see notes);
                               None when FLOPs were not counted
``flops_notes``                what the count covers and what it misses, for people
``flops_by_operator``          ``{"aten.mm": n, ...}``
``flops_by_module``            top modules: ``[{"module": "Sequential.0", "flops": n}, ...]``
``flops_by_dtype``             ``{"float32": n, "bfloat16": n}``
``flops_per_s``                ``flops / duration_s``
``flops_counter_s``            seconds the FLOP counter itself spent (part of ``duration_s`` and
                               so of the energy; a lower bound), None when not counted
``flops_peak``                 for known hardware: ``{"fraction", "peak_flops_per_s",
                               "precision", "device", "source"}``, else None
``peak_rss_bytes``             peak resident memory of the kernel process during the cell
``gpu_peak_memory_bytes``      per device ``{"gpu:0": bytes}``
``peak_memory_notes``          where each peak comes from
``hardware``                   ``cpu_model``, ``cpu_count``, ``gpu_names``, per-GPU details
``advice``                     list of ``{"code", "title", "message", "evidence", "fix"}``
``previous_run``               the last run of the same ``cell_id``: ``{"execution_count",
                               "energy_j", "duration_s", "flops", "source_changed",
                               "refactor"}`` (``refactor``: the fix applied from the sidebar
                               in between, ``{"name", "title"}``), else None (verdict.py)
``change``                     against that run: ``{"energy_pct", "duration_pct", "basis",
                               "noise_pct", "verdict"}``; ``verdict`` is ``saved``,
                               ``worse``, ``no clear change`` or None (too short, an error)
``distributed``                a rank of a distributed job (``green-assist run`` under torchrun
                               or srun): ``{"job_id", "job_id_source", "rank", "local_rank",
                               "world_size", "node"}`` (see ``profiler.distributed``), else None
``green_assist_version``       version that wrote the record
=============================  ==================================================================
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import secrets
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 1
SESSION_DIR_ENV = "GREEN_ASSIST_SESSION_DIR"
DEFAULT_SESSION_DIR = ".green_assist"
LOG_SUFFIX = ".jsonl"
# A cell longer than this is stored cut (``source_truncated``).
MAX_SOURCE_CHARS = 100_000


class SessionLogWarning(UserWarning):
    """A line of a session log could not be read (it is skipped)."""


@dataclass
class ProfileRecord:
    """One profiled cell or script run; see the module docstring for every field."""

    session_id: str
    started_at: str
    duration_s: float
    status: str = "ok"
    kind: str = "cell"
    mode: str = "magic"
    execution_count: int | None = None
    cell_id: str | None = None
    cell_index: int | None = None
    label: str | None = None
    source: str | None = None
    source_sha256: str | None = None
    source_truncated: bool = False
    error: dict[str, str] | None = None
    energy: dict[str, dict[str, Any]] = field(default_factory=dict)
    energy_j: float | None = None
    energy_method: str | None = None
    energy_missing: list[str] = field(default_factory=list)
    co2e_g: float | None = None
    carbon_intensity_g_per_kwh: float | None = None
    pue: float | None = None
    region: str | None = None
    carbon: dict[str, Any] = field(default_factory=dict)
    embodied_co2e_g: float | None = None
    water_l: float | None = None
    lifecycle: dict[str, Any] = field(default_factory=dict)
    startup: dict[str, Any] | None = None
    flops: int | None = None
    flops_forward: int | None = None
    flops_backward: int | None = None
    flops_complete: bool | None = None
    flops_notes: list[str] = field(default_factory=list)
    flops_by_operator: dict[str, int] = field(default_factory=dict)
    flops_by_module: list[dict[str, Any]] = field(default_factory=list)
    flops_by_dtype: dict[str, int] = field(default_factory=dict)
    flops_per_s: float | None = None
    flops_counter_s: float | None = None
    flops_peak: dict[str, Any] | None = None
    peak_rss_bytes: int | None = None
    gpu_peak_memory_bytes: dict[str, int] = field(default_factory=dict)
    peak_memory_notes: dict[str, str] = field(default_factory=dict)
    hardware: dict[str, Any] = field(default_factory=dict)
    advice: list[dict[str, Any]] = field(default_factory=list)
    distributed: dict[str, Any] | None = None
    previous_run: dict[str, Any] | None = None
    change: dict[str, Any] | None = None
    green_assist_version: str | None = None
    schema_version: int = SCHEMA_VERSION
    # Fields written by another version of green_assist: kept, and written back as they were.
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: the known fields in a stable order, then ``extra``."""
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "extra"}
        data = {"schema_version": data.pop("schema_version"), **data}
        for key, value in self.extra.items():
            data.setdefault(key, value)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ProfileRecord:
        """Build a record from a parsed line; unknown keys go to ``extra``.

        Raises ``ValueError`` when a required field (``session_id``, ``started_at``,
        ``duration_s``) is missing.
        """
        known = {f.name for f in fields(cls)} - {"extra"}
        missing = [name for name in ("session_id", "started_at", "duration_s") if name not in data]
        if missing:
            raise ValueError(f"record lacks required field(s) {', '.join(missing)}")
        kwargs = {key: value for key, value in data.items() if key in known}
        extra = {key: value for key, value in data.items() if key not in known}
        return cls(**kwargs, extra=extra)

    @property
    def started(self) -> datetime:
        return datetime.fromisoformat(self.started_at)


def new_session_id(now: datetime | None = None) -> str:
    """A sortable, file-name-safe id: UTC start time plus a random suffix."""
    now = now or datetime.now(timezone.utc)
    return f"{now.astimezone(timezone.utc):%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


def session_dir(env: dict[str, str] | None = None, cwd: Path | None = None) -> Path:
    """``GREEN_ASSIST_SESSION_DIR`` if set, else ``.green_assist`` in the working directory."""
    env = dict(os.environ) if env is None else env
    configured = (env.get(SESSION_DIR_ENV) or "").strip()
    if configured:
        return Path(configured).expanduser()
    return (cwd or Path.cwd()) / DEFAULT_SESSION_DIR


def source_fields(source: str | None) -> dict[str, Any]:
    """The record's ``source``, ``source_sha256`` (of the whole text) and ``source_truncated``."""
    if source is None:
        return {"source": None, "source_sha256": None, "source_truncated": False}
    digest = hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()
    return {
        "source": source[:MAX_SOURCE_CHARS],
        "source_sha256": digest,
        "source_truncated": len(source) > MAX_SOURCE_CHARS,
    }


class SessionLogWriter:
    """Append-only writer of one session's log.

    ``write`` puts a record's line in the file (it survives the process); ``sync`` makes
    everything written so far durable (fsync); ``append`` is both. The file (and folder)
    is created by the first write, so a kernel that never profiles anything leaves no
    file behind. An ``OSError`` (read-only folder, full disk) propagates with a message
    naming the path and the setting to change.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._name = os.fspath(self.path)

    @classmethod
    def for_session(cls, session_id: str, directory: Path | None = None) -> SessionLogWriter:
        directory = session_dir() if directory is None else Path(directory)
        return cls(directory / f"{session_id}{LOG_SUFFIX}")

    def append(self, record: ProfileRecord | dict[str, Any]) -> None:
        """Write ``record`` and fsync: on disk when this returns."""
        self.write(record)
        self.sync()

    def write(self, record: ProfileRecord | dict[str, Any]) -> None:
        """Append ``record``'s line with one ``write`` call (no fsync)."""
        data = record.to_dict() if isinstance(record, ProfileRecord) else record
        try:
            payload = _encode_line(data)
        except ValueError:  # NaN or infinity somewhere (rare): stored as unknown
            payload = _encode_line(_finite(data))
        try:
            fd = self._open()
            try:
                written = os.write(fd, payload)
                while written < len(payload):
                    written += os.write(fd, payload[written:])
            finally:
                os.close(fd)
        except OSError as err:
            raise self._error(err) from err

    def sync(self) -> None:
        """fsync the log: every line written so far survives a crash of the machine."""
        if not os.path.exists(self._name):
            return
        try:
            fd = os.open(self._name, os.O_WRONLY | os.O_APPEND)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as err:
            raise self._error(err) from err

    def _open(self) -> int:
        # O_APPEND: each write lands at the end even if two processes share the file.
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT
        try:
            return os.open(self._name, flags, 0o644)
        except FileNotFoundError:  # first record, or the folder was removed meanwhile
            self.path.parent.mkdir(parents=True, exist_ok=True)
            return os.open(self._name, flags, 0o644)

    def _error(self, err: OSError) -> OSError:
        return OSError(
            err.errno,
            f"cannot write the green_assist session log {self.path}: {err.strerror}; "
            f"set {SESSION_DIR_ENV} to a writable folder",
        )


def _encode_line(data: dict[str, Any]) -> bytes:
    """One UTF-8 JSON line. Text that UTF-8 cannot hold (a lone surrogate pasted into a
    cell) is written as JSON escapes instead, so the record is never lost to it."""
    line = json.dumps(data, ensure_ascii=False, allow_nan=False, default=_json_default)
    if "\n" in line:  # json.dumps escapes newlines; this guards the one-line format
        raise ValueError("a session-log record must serialise to a single line")
    try:
        return (line + "\n").encode("utf-8")
    except UnicodeEncodeError:
        ascii_line = json.dumps(data, ensure_ascii=True, allow_nan=False, default=_json_default)
        return (ascii_line + "\n").encode("ascii")


@dataclass
class SessionLog:
    """The readable records of one log file, and what had to be skipped."""

    path: Path
    records: list[ProfileRecord]
    problems: list[str] = field(default_factory=list)

    @property
    def session_ids(self) -> list[str]:
        return sorted({record.session_id for record in self.records})


def read_log(path: Path | str, *, warn: bool = True) -> SessionLog:
    """Every readable record of a ``.jsonl`` session log, in file order.

    A line that is not JSON (typically the last one, cut by a crash) or not a record is
    skipped; each skip is listed in ``problems`` and, with ``warn``, raised as a
    ``SessionLogWarning``. A missing file raises ``FileNotFoundError``.
    """
    path = Path(path)
    records: list[ProfileRecord] = []
    problems: list[str] = []
    with open(path, "rb") as fh:
        lines = fh.read().split(b"\n")
    last = len(lines) - 1
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw.decode("utf-8"))
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
            records.append(ProfileRecord.from_dict(data))
        except (UnicodeDecodeError, ValueError, TypeError, RecursionError) as err:
            where = "last line, cut short (the kernel stopped while writing it?)"
            what = where if number - 1 == last else f"line {number}"
            problems.append(f"{path}: skipped {what}: {err}")
    if warn:
        for problem in problems:
            warnings.warn(problem, SessionLogWarning, stacklevel=2)
    return SessionLog(path, records, problems)


def read_session_dir(directory: Path | str | None = None, *, warn: bool = True) -> list[SessionLog]:
    """Every session log in ``directory`` (default: ``session_dir()``), oldest first."""
    directory = session_dir() if directory is None else Path(directory)
    if not directory.is_dir():
        return []
    logs = [(path, read_log(path, warn=warn)) for path in sorted(directory.glob(f"*{LOG_SUFFIX}"))]
    # Named by the second the session started: two sessions of one second (a kernel
    # restarted at once) are ordered by their first run's start, not their random suffix.
    logs.sort(
        key=lambda item: (
            item[0].name.partition("-")[0],  # the second: ``20261205T085735Z``
            min((r.started_at for r in item[1].records), default=""),
        )
    )
    return [log for _, log in logs]


def all_records(logs: Iterable[SessionLog]) -> list[ProfileRecord]:
    """The records of several logs in one list, ordered by start time."""
    records = [record for log in logs for record in log.records]
    return sorted(records, key=lambda r: r.started_at)


def _finite(value: Any) -> Any:
    """NaN and infinity are not JSON: stored as None (unknown) rather than losing the record."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(item) for item in value]
    return value


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if hasattr(value, "value"):  # enums
        return value.value
    raise TypeError(f"cannot store {type(value).__name__} in a session-log record")
