"""green_assist: the energy and carbon cost of ML code, shown where it is written.

Entry points that Jupyter and IPython look for live here; everything else is
imported lazily so that ``import green_assist`` stays cheap (no torch, no server).
"""

from __future__ import annotations

from typing import Any

try:
    from ._version import __version__
except ImportError:  # a source checkout that was never built
    __version__ = "0.0.0+unknown"

__all__ = ["__version__", "load_ipython_extension", "unload_ipython_extension"]


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    """Where JupyterLab finds the prebuilt front end."""
    return [{"src": "labextension", "dest": "green-assist"}]


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    """The Jupyter server extension (REST handlers under /green-assist/)."""
    return [{"module": "green_assist.server"}]


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext green_assist``: register the magics and the front-end link."""
    from .profiler.extension import load

    load(ipython)


def unload_ipython_extension(ipython: Any) -> None:
    """``%unload_ext green_assist``: remove hooks and close the comm."""
    from .profiler.extension import unload

    unload(ipython)
