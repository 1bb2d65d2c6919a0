"""The profiler's messages over the ``green_assist`` comm, defined once.

Mirrored in ``labextension/src/protocol.ts``; change both together. Kernel to front end:

- ``profile_live``: while a measured cell runs, about every 0.5 s (and once when it
  starts). Energy is cumulative since the cell started, so a late or lost message loses
  nothing; power is the recent rate. Every number carries its ``method``.
- ``profile_record``: a cell finished; its session-log record (without ``source``: the
  front end has the cell) and the session totals.
- ``profile_state``: auto mode, totals and recent records; sent when auto mode changes
  and on request. The same object is in the ``hello`` under the key ``profiler``, so a
  sidebar that (re)connects restores the session.

Front end to kernel: ``profile_set_auto`` (``enabled``, optional ``flops``) switches
automatic profiling; ``profile_request_state`` asks for a ``profile_state``;
``profile_configure`` (``region``, ``carbon_intensity``, ``pue``, ``sample_interval_s``,
each optional or null) applies the sidebar's settings to this kernel (they win over the
``GREEN_ASSIST_*`` environment) and is answered with a ``profile_state``.
"""

from __future__ import annotations

from typing import Any, Final, Literal, TypedDict

LIVE: Final = "profile_live"
RECORD: Final = "profile_record"
STATE: Final = "profile_state"
SET_AUTO = "profile_set_auto"
REQUEST_STATE = "profile_request_state"
CONFIGURE = "profile_configure"
# front end -> kernel: a fix from the sidebar was applied to / undone in a cell
# ({"cell_id", "refactor", "title"} / {"cell_id"}); its next run names it (verdict.py).
FIX_APPLIED = "profile_fix_applied"
FIX_UNDONE = "profile_fix_undone"
# front end -> kernel: where each cell is in the notebook ({"positions": {cell_id: index}}),
# sent on connect and when cells move, so records can say "cell 6 · In [4]".
CELL_POSITIONS = "profile_cell_positions"
MAX_CELL_POSITIONS = 20_000
HELLO_KEY = "profiler"
RECENT_RECORDS = 50


class EnergyFigure(TypedDict):
    joules: float | None
    method: str | None
    reason: str | None


class PowerFigure(TypedDict):
    watts: float | None
    method: str | None
    reason: str | None


class LiveMessage(TypedDict):
    type: Literal["profile_live"]
    session_id: str
    seq: int  # 0 when the cell starts, then 1, 2, ...
    execution_count: int | None
    cell_id: str | None
    label: str | None
    mode: str  # "magic" | "auto" | "script"
    started_at: str
    elapsed_s: float
    energy: dict[str, EnergyFigure]  # cumulative since the cell started
    energy_j: float  # sum of the known components
    power: dict[str, PowerFigure]
    power_w: float | None  # sum of the known components, None when none is known
    flops_counting: bool


class AutoMode(TypedDict):
    enabled: bool
    flops: bool


class SessionState(TypedDict):
    session_id: str
    log_path: str
    log_problem: str | None  # why the log cannot be written, if so
    auto: AutoMode
    totals: dict[str, Any]  # totals.Totals.to_dict(): unknown energy stays None, counted apart
    recent: list[dict[str, Any]]  # the last records, oldest first, without "source"
    running: LiveMessage | None
    carbon: dict[str, Any]  # CarbonSettings.to_dict(): intensity, region, source, pue, note...
    settings_problems: list[str]  # front-end settings that could not be applied, and why


class RecordMessage(TypedDict):
    type: Literal["profile_record"]
    record: dict[str, Any]
    totals: dict[str, Any]


class StateMessage(SessionState):
    type: Literal["profile_state"]


def record_for_front_end(record: dict[str, Any]) -> dict[str, Any]:
    """A record as sent over the comm: everything but the cell source."""
    return {key: value for key, value in record.items() if key != "source"}
