"""Find the ``.py`` and ``.ipynb`` files below the paths given on the command line."""

from __future__ import annotations

import contextlib
import fnmatch
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

SOURCE_SUFFIXES = (".py", ".ipynb")
# Folders never searched when found inside a given folder (an explicitly given path is
# always searched, so ``check .venv/lib/.../torch/nn`` works).
SKIPPED_FOLDERS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        "__pycache__",
        "node_modules",
        ".ipynb_checkpoints",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        ".eggs",
        "build",
        "dist",
        "site-packages",
    }
)


def is_excluded(path: Path, patterns: Sequence[str], root: Path | None = None) -> bool:
    """True when ``path`` matches a glob in ``patterns`` (by name or by path under ``root``)."""
    if not patterns:
        return False
    candidates = {path.name, path.as_posix()}
    if root is not None:
        with contextlib.suppress(ValueError):
            candidates.add(path.resolve().relative_to(root.resolve()).as_posix())
    return any(
        fnmatch.fnmatch(candidate, pattern) for pattern in patterns for candidate in candidates
    )


def discover(
    paths: Iterable[str | os.PathLike[str]],
    exclude: Sequence[str] = (),
    root: Path | None = None,
) -> tuple[list[Path], list[str]]:
    """(files to check, paths that do not exist); files are sorted and unique.

    Files named explicitly are always checked; inside folders only ``.py``/``.ipynb``
    files are, skipping hidden and build folders and ``exclude`` patterns.
    """
    found: dict[Path, None] = {}
    missing: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for file in _walk(path, exclude, root):
                found[file] = None
        elif path.exists():  # a FIFO or device too: loading it says it was skipped
            found[path] = None
        else:
            missing.append(str(raw))
    return sorted(found), missing


def _walk(folder: Path, exclude: Sequence[str], root: Path | None) -> Iterable[Path]:
    for current, folders, files in os.walk(folder):
        here = Path(current)
        folders[:] = sorted(
            name
            for name in folders
            if name not in SKIPPED_FOLDERS
            and not name.startswith(".")
            and not is_excluded(here / name, exclude, root)
        )
        for name in sorted(files):
            file = here / name
            if file.suffix in SOURCE_SUFFIXES and not is_excluded(file, exclude, root):
                yield file
