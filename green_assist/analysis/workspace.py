"""Which settings apply to a file, whether ``exclude`` skips it, and whether a path
lies inside a root folder: decided here for the CLI, the language server and the
Jupyter server alike.

Settings come from the nearest ``pyproject.toml`` with a ``[tool.green-assist]`` table
at or above the file (``load_config``); ``exclude`` globs match the file's name, its
path as given, or its path relative to that ``pyproject.toml``'s folder.
"""

from __future__ import annotations

from pathlib import Path

from .config import Config, load_config
from .files import is_excluded


def settings_for(
    path: str | Path | None,
    fallback_folder: str | Path | None = None,
    stop_at: Path | None = None,
) -> Config:
    """Settings for a file or folder ``path`` (which need not exist yet).

    Without a path (an unsaved editor buffer), the settings of files in
    ``fallback_folder``; defaults when neither is given. ``stop_at``: no pyproject.toml
    above this (resolved) folder is read (a server's root). Raises ``ConfigError`` when
    the table is invalid.
    """
    start = path if path is not None else fallback_folder
    return load_config(start, stop_at=stop_at) if start is not None else Config()


def exclude_root(config: Config) -> Path | None:
    """The folder ``exclude`` patterns are relative to: that of the settings' pyproject.toml."""
    return config.source.parent if config.source else None


def excluded(path: str | Path, config: Config) -> bool:
    """True when ``config``'s ``exclude`` patterns skip the file ``path``."""
    return is_excluded(Path(path), config.exclude, exclude_root(config))


def inside(root: str | Path, value: str | Path) -> Path | None:
    """``value`` (relative to ``root``, or absolute) resolved, when it lies inside ``root``.

    ``resolve()`` follows ``..`` and the symbolic links of every existing component, so
    a link that leads out of ``root`` is outside. None when outside.
    """
    base = Path(root).expanduser().resolve()
    path = (base / value).resolve()
    return path if path.is_relative_to(base) else None
