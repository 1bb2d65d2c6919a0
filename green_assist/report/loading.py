"""Read session logs for a report: files or folders, with warnings instead of crashes.

Parsing is ``profiler.session_log.read_log``'s job (it skips cut and corrupt lines);
this module adds what a report needs on top: several files, folders, the order of
records, and warnings people should see in the report (lines skipped, several
sessions mixed, records written by a newer green_assist). Nothing readable means a
``ReportInputError`` that says what to do.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..profiler.session_log import (
    LOG_SUFFIX,
    SCHEMA_VERSION,
    ProfileRecord,
    read_log,
)
from .distributed import is_rank_identity


class ReportInputError(ValueError):
    """The input cannot make a report (missing file, no records); the message says why."""


@dataclass(frozen=True)
class LogSource:
    """One file that was read, and how much of it was usable."""

    path: str
    records: int
    skipped_lines: int

    def to_dict(self) -> dict[str, object]:
        return {"path": self.path, "records": self.records, "skipped_lines": self.skipped_lines}


@dataclass
class LoadedSessions:
    """The records of one or more session logs, ordered by start time."""

    sources: list[LogSource]
    records: list[ProfileRecord]
    warnings: list[str] = field(default_factory=list)

    @property
    def session_ids(self) -> list[str]:
        """Session ids in order of first appearance."""
        return list(dict.fromkeys(record.session_id for record in self.records))

    @classmethod
    def from_records(
        cls, records: Sequence[ProfileRecord], source: str = "this kernel session"
    ) -> LoadedSessions:
        """Records already in memory (the kernel's own); ``ReportInputError`` when none."""
        if not records:
            raise ReportInputError(
                f"no profiled cells in {source} yet: profile a cell first "
                "(%%greenprofile, or %greenprofile on), then make the report"
            )
        ordered = sorted(records, key=lambda record: record.started_at)
        return cls([LogSource(source, len(ordered), 0)], ordered, [])


def log_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given; folders expanded to the ``.jsonl`` files inside (sorted).

    Inside a folder only regular files count (a FIFO named ``*.jsonl`` would block).
    """
    found: list[Path] = []
    for given in paths:
        path = Path(given).expanduser()
        if path.is_dir():
            inside = sorted(log for log in path.glob(f"*{LOG_SUFFIX}") if log.is_file())
            if not inside:
                raise ReportInputError(
                    f"{path} is a folder with no session logs (*{LOG_SUFFIX}) in it; "
                    "give a session log file or the folder the profiler writes to "
                    "(.green_assist/ next to the notebook)"
                )
            found.extend(inside)
        elif path.is_file():
            found.append(path)
        elif path.exists():
            raise ReportInputError(f"{path} is not a regular file")
        else:
            raise ReportInputError(
                f"{path} does not exist; session logs are written to .green_assist/ next to "
                "the notebook (or to GREEN_ASSIST_SESSION_DIR)"
            )
    return found


def load_sessions(paths: Sequence[str | Path], *, what: str = "session log") -> LoadedSessions:
    """Every readable record of ``paths`` (files or folders), with warnings.

    ``what`` names the input in messages ("session log", "AFTER log"). Raises
    ``ReportInputError`` when a path is missing or no record at all could be read.
    """
    if not paths:
        raise ReportInputError(f"no {what} given")
    files = log_paths(paths)
    sources: list[LogSource] = []
    records: list[ProfileRecord] = []
    warnings: list[str] = []
    seen: set[Path] = set()
    for path in files:
        resolved = path.resolve()
        if resolved in seen:
            warnings.append(f"{path} was given twice; read once")
            continue
        seen.add(resolved)
        try:
            log = read_log(path, warn=False)
        except OSError as err:
            raise ReportInputError(f"cannot read {path}: {err.strerror or err}") from err
        sources.append(LogSource(str(path), len(log.records), len(log.problems)))
        records.extend(log.records)
        warnings.extend(log.problems)
        warnings.extend(_version_warnings(path, log.records))
        warnings.extend(_repair_types(path, log.records))
        if len(log.session_ids) > 1:
            warnings.append(
                f"{path} holds records of {len(log.session_ids)} sessions "
                f"({', '.join(log.session_ids)}); they are reported together"
            )
    if not records:
        listed = ", ".join(str(path) for path in files)
        skipped = sum(source.skipped_lines for source in sources)
        why = f" ({skipped} unreadable line(s) skipped)" if skipped else ""
        raise ReportInputError(
            f"no profiled cells in {listed}{why}: the {what} is empty. Profile a cell first "
            "(%%greenprofile, or %greenprofile on), then make the report"
        )
    if len(sources) > 1:
        warnings.append(
            f"{len(sources)} files read ({sum(s.records for s in sources)} records); "
            "the report covers them all, in order of start time"
        )
    records.sort(key=lambda record: record.started_at)
    return LoadedSessions(sources, records, warnings)


def _version_warnings(path: Path, records: list[ProfileRecord]) -> list[str]:
    """Say when records come from a newer green_assist or carry fields we do not know."""
    warnings: list[str] = []
    newer = sorted({r.schema_version for r in records if r.schema_version > SCHEMA_VERSION})
    if newer:
        versions = ", ".join(str(version) for version in newer)
        warnings.append(
            f"{path}: records of session-log schema {versions}, newer than this green_assist "
            f"reads (schema {SCHEMA_VERSION}); the report shows the fields it knows. "
            "Upgrade green-assist for the rest"
        )
    unknown = sorted({key for r in records for key in r.extra})
    if unknown:
        warnings.append(f"{path}: fields this version does not show: {', '.join(unknown)}")
    return warnings


# What the report computes with, by type; a value of another type (a hand-edited or
# damaged log) is repaired to "unknown" (None, {} or []) with a warning.
NUMBER_FIELDS = (
    "duration_s", "energy_j", "co2e_g", "carbon_intensity_g_per_kwh", "pue", "flops",
    "flops_per_s", "flops_counter_s", "peak_rss_bytes", "embodied_co2e_g", "water_l",
)  # fmt: skip
TEXT_FIELDS = (
    "session_id", "started_at", "label", "cell_id", "source", "status", "kind", "mode",
    "energy_method", "region", "green_assist_version", "source_sha256",
)  # fmt: skip
DICT_FIELDS = (
    "energy", "carbon", "hardware", "flops_by_operator", "flops_by_dtype",
    "gpu_peak_memory_bytes", "peak_memory_notes", "lifecycle",
)  # fmt: skip
LIST_FIELDS = ("energy_missing", "flops_notes", "flops_by_module", "advice")


def _number(value: Any) -> bool:
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    return is_number and math.isfinite(value)


def _repair_record(record: ProfileRecord) -> set[str]:
    """Fix fields of the wrong type in place; return their names."""
    bad: set[str] = set()

    def repair(name: str, ok: bool, replacement: Any) -> None:
        if not ok:
            setattr(record, name, replacement)
            bad.add(name)

    for name in NUMBER_FIELDS:
        value = getattr(record, name)
        repair(name, value is None or _number(value), None)
    for name in TEXT_FIELDS:
        value = getattr(record, name)
        repair(name, value is None or isinstance(value, str), str(value))
    for name in DICT_FIELDS:
        repair(name, isinstance(getattr(record, name), dict), {})
    for name in LIST_FIELDS:
        repair(name, isinstance(getattr(record, name), list), [])
    repair("error", record.error is None or isinstance(record.error, dict), None)
    rank = record.distributed
    repair("distributed", rank is None or is_rank_identity(rank), None)
    count = record.execution_count
    repair("execution_count", count is None or isinstance(count, int), None)
    for component, entry in list(record.energy.items()):
        if not isinstance(entry, dict):
            record.energy[component] = {"joules": None, "method": None, "reason": None}
            bad.add(f"energy[{component}]")
        elif entry.get("joules") is not None and not _number(entry["joules"]):
            entry["joules"] = None
            bad.add(f"energy[{component}]")
    return bad


def _repair_types(path: Path, records: list[ProfileRecord]) -> list[str]:
    """Repair values of the wrong type (NaN, text where a number belongs) to unknown."""
    bad = set().union(*(_repair_record(record) for record in records)) if records else set()
    if not bad:
        return []
    return [f"{path}: values of the wrong type treated as unknown: {', '.join(sorted(bad))}"]
