"""Read session logs for a report: files or folders, with warnings instead of crashes.

Parsing is ``profiler.session_log.read_log``'s job (it skips cut and corrupt lines);
this module adds what a report needs on top: several files, folders, the order of
records, and warnings people should see in the report (lines skipped, several
sessions mixed, records written by a newer green_assist). Nothing readable means a
``ReportInputError`` that says what to do.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..profiler.session_log import (
    LOG_SUFFIX,
    SCHEMA_VERSION,
    ProfileRecord,
    read_log,
)


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


def _log_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given; folders expanded to the ``.jsonl`` files inside (sorted)."""
    found: list[Path] = []
    for given in paths:
        path = Path(given).expanduser()
        if path.is_dir():
            inside = sorted(path.glob(f"*{LOG_SUFFIX}"))
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
    files = _log_paths(paths)
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
