"""Route table of the server extension.

Each feature module in this package declares ``ROUTES``: (path under
/green-assist/, handler class) pairs. They are collected here, so adding an
endpoint means adding a module (or a row to its ``ROUTES``), not editing this file.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

from tornado import web

from .. import __version__
from ..capabilities import optional_capabilities
from .base import GreenAssistHandler


class HealthHandler(GreenAssistHandler):
    """``GET /green-assist/health``: package version and which optional parts work."""

    @web.authenticated
    def get(self) -> None:
        self.write_json(
            {"name": "green-assist", "version": __version__, "optional": optional_capabilities()}
        )


ROUTES: list[tuple[str, type[Any]]] = [("health", HealthHandler)]


def routes() -> list[tuple[str, type[Any]]]:
    """Every (path, handler) pair declared by a module of this package."""
    package = importlib.import_module(__package__ or "green_assist.server")
    found: list[tuple[str, type[Any]]] = list(ROUTES)
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if info.name in {"handlers", "base"} or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        found.extend(getattr(module, "ROUTES", []))
    return found
