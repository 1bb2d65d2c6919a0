"""What a change to a cell did: each run linked to the previous run of the same cell.

Every record of a notebook cell (JupyterLab sends the cell's id with each execution)
gets two fields:

* ``previous_run``: ``{execution_count, energy_j, duration_s, flops, source_changed,
  refactor}`` of the last run of the same ``cell_id`` (this session, or an earlier
  session's log in the same folder, so a kernel restart between a fix and the re-run
  loses nothing). ``refactor`` names the fix applied from the sidebar in between
  (``{"name", "title"}``; the sidebar tells the kernel and keeps it in the cell's
  metadata), else None.
* ``change``: ``{energy_pct, duration_pct, basis, noise_pct, verdict}``: the relative
  change of energy (or of time, where energy is unknown) against that run, and the
  verdict ``saved``, ``worse`` or ``no clear change``.

Noise: a change is only called saved or worse when it is larger than the run-to-run
spread measured in this session: the 90th percentile of the changes between
consecutive runs of the same, unchanged cell (its last 50), and never less than
:data:`NOISE_FLOOR_PCT` (two identical kernels on a shared 2-vCPU VM differ by 6-10%,
``bench/profiler_overhead.py``). Cells shorter than :data:`MIN_DURATION_S` get no
verdict: their timing is mostly noise.

State is the last record of each cell (at most :data:`MAX_CELLS_KEPT` cells), not of
every run. "The same cell" is the front end's cell id, else the ``--label``, else (a
script run) the command line (:func:`cell_key`); runs of earlier sessions are matched
by cell id only.
"""

from __future__ import annotations

import math
from collections import OrderedDict, deque
from collections.abc import Iterable
from pathlib import Path

from .session_log import LOG_SUFFIX, ProfileRecord, read_log

NOISE_FLOOR_PCT = 10.0
MIN_DURATION_S = 0.05
# How many unchanged re-runs the spread is measured over.
NOISE_SAMPLES = 50
# Earlier session logs read for the last run of each cell (newest first).
EARLIER_LOGS = 20
# The last runs of at most this many cells are kept (cells of a long terminal session
# without ids are not kept at all).
MAX_CELLS_KEPT = 1000

SAVED, WORSE, NO_CLEAR_CHANGE = "saved", "worse", "no clear change"


def cell_key(record: ProfileRecord) -> str | None:
    """What makes two runs "the same cell": the front end's cell id, else the
    ``--label``, else (scripts) the command line; None when nothing identifies it."""
    if record.cell_id:
        return f"id:{record.cell_id}"
    if record.label:
        return f"label:{record.label}"
    if record.kind == "script" and record.source:
        return f"script:{record.source}"
    return None


def percent_change(before: float | None, after: float | None) -> float | None:
    """``(after - before) / before`` in percent; None when either is unknown or zero."""
    if before is None or after is None or before <= 0 or not math.isfinite(after):
        return None
    return 100.0 * (after - before) / before


def judge(change_pct: float | None, noise_pct: float) -> str | None:
    """``saved`` / ``worse`` beyond the noise, else ``no clear change`` (None: unknown)."""
    if change_pct is None:
        return None
    if abs(change_pct) <= noise_pct:
        return NO_CLEAR_CHANGE
    return SAVED if change_pct < 0 else WORSE


class RunHistory:
    """The last run of each cell, pending fixes, and the session's run-to-run spread."""

    def __init__(self, log_dir: Path | None = None, own_log: Path | None = None) -> None:
        # The last run of each cell (see ``cell_key``), least recently run first.
        self.last: OrderedDict[str, ProfileRecord] = OrderedDict()
        self._fixes: dict[str, dict[str, str]] = {}
        self._spread: deque[float] = deque(maxlen=NOISE_SAMPLES)
        self._log_dir = log_dir
        self._own_log = own_log
        self._earlier_loaded = log_dir is None

    # -- what the front end tells ----------------------------------------------------
    def fix_applied(self, cell_id: str, name: str, title: str) -> None:
        """The sidebar applied refactor ``name`` to the cell; its next run says so."""
        self._fixes[f"id:{cell_id}"] = {"name": name, "title": title}

    def fix_undone(self, cell_id: str) -> None:
        self._fixes.pop(f"id:{cell_id}", None)

    # -- linking ---------------------------------------------------------------------
    @property
    def noise_pct(self) -> float:
        """The measured run-to-run spread (90th percentile), at least the floor."""
        if not self._spread:
            return NOISE_FLOOR_PCT
        ordered = sorted(self._spread)
        p90 = ordered[min(len(ordered) - 1, math.ceil(0.9 * len(ordered)) - 1)]
        return max(NOISE_FLOOR_PCT, p90)

    def link(self, record: ProfileRecord) -> None:
        """Fill ``record.previous_run`` and ``record.change``; remember this run."""
        key = cell_key(record)
        if key is None:
            return
        self._load_earlier()
        previous = self.last.get(key)
        fix = self._fixes.pop(key, None)
        self._remember(key, record)
        if previous is None:
            return
        changed = previous.source_sha256 != record.source_sha256
        record.previous_run = {
            "execution_count": previous.execution_count,
            "energy_j": previous.energy_j,
            "duration_s": previous.duration_s,
            "flops": previous.flops,
            "source_changed": changed,
            "refactor": fix,
        }
        energy_pct = percent_change(previous.energy_j, record.energy_j)
        duration_pct = percent_change(previous.duration_s, record.duration_s)
        basis, pct = ("energy", energy_pct) if energy_pct is not None else ("time", duration_pct)
        comparable = (
            record.status == "ok"
            and previous.status == "ok"
            and min(previous.duration_s, record.duration_s) >= MIN_DURATION_S
        )
        noise = self.noise_pct  # measured before this run joins the spread
        record.change = {
            "energy_pct": energy_pct,
            "duration_pct": duration_pct,
            "basis": basis,
            "noise_pct": noise,
            "verdict": judge(pct, noise) if comparable else None,
        }
        if not changed and comparable and pct is not None:
            self._spread.append(abs(pct))

    def _remember(self, key: str, record: ProfileRecord) -> None:
        self.last[key] = record
        self.last.move_to_end(key)
        while len(self.last) > MAX_CELLS_KEPT:
            self.last.popitem(last=False)

    # -- earlier sessions in the same folder -------------------------------------------
    def _load_earlier(self) -> None:
        """The last run of each cell from earlier logs (a restart keeps the link)."""
        if self._earlier_loaded:
            return
        self._earlier_loaded = True
        assert self._log_dir is not None
        try:
            logs = sorted(
                (p for p in self._log_dir.glob(f"*{LOG_SUFFIX}") if p != self._own_log),
                key=lambda p: p.stat().st_mtime,
            )[-EARLIER_LOGS:]
        except OSError:
            return
        for record in _records(logs):
            key = cell_key(record)
            if record.cell_id and key is not None:  # ids are stable across sessions
                self._remember(key, record)


def _records(logs: Iterable[Path]) -> Iterable[ProfileRecord]:
    for path in logs:  # oldest first, so the newest run of each cell wins
        try:
            yield from read_log(path, warn=False).records
        except (OSError, ValueError):
            continue
