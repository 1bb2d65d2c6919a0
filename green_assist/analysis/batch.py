"""Analyse many files, in parallel processes when there are enough of them.

Each worker loads the settings of its files itself (the nearest pyproject.toml,
cached per process) and applies the same command-line overrides.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ..target import Target
from .config import Config
from .engine import analyze_path
from .findings import AnalysisResult, ErrorKind, FileError
from .workspace import settings_for

# Below this many files per worker, starting processes costs more than it saves.
MIN_FILES_PER_JOB = 8


@dataclass(frozen=True)
class Settings:
    """How to pick a file's settings: a fixed config, or its nearest pyproject plus overrides."""

    config: Config | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    keep_sources: bool = True
    target: Target | None = None  # --target, resolved once (``auto`` probes this machine)

    def for_file(self, path: Path) -> Config:
        base = self.config if self.config is not None else settings_for(path)
        return base.with_overrides(self.select or None, self.ignore or None, self.target)


def _analyze_one(job: tuple[Path, Settings]) -> AnalysisResult:
    path, settings = job
    try:
        result = analyze_path(path, settings.for_file(path))
    except Exception as err:  # a ConfigError is checked up front; anything else is a bug
        error = FileError(str(path), ErrorKind.INTERNAL, f"cannot analyse this file: {err!r}")
        return AnalysisResult(str(path), errors=[error])
    if not settings.keep_sources:
        result.source = None  # do not ship file contents back from the worker
    return result


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def analyze_files(
    files: Sequence[Path], settings: Settings, jobs: int | None = None
) -> list[AnalysisResult]:
    """Results in the order of ``files``."""
    jobs = max(1, jobs or default_jobs())
    work = [(path, settings) for path in files]
    if jobs == 1 or len(files) < 2 * MIN_FILES_PER_JOB:
        return [_analyze_one(job) for job in work]
    jobs = min(jobs, len(files) // MIN_FILES_PER_JOB)
    # fork shares the already imported analyzer with the workers (spawn would re-import it).
    context = multiprocessing.get_context("fork") if sys.platform == "linux" else None
    chunk = max(1, len(work) // (jobs * 4))
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        return list(pool.map(_analyze_one, work, chunksize=chunk))
