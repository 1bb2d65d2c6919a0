"""Jupyter server extension: authenticated REST handlers under ``/green-assist/``.

The server parses code, never executes it. Each feature adds its handlers to
``ROUTES`` in its own module; ``_load_jupyter_server_extension`` mounts them all.
Analyses, refactors and reports run in a pool of worker processes, each job within
the time and memory budget of ``limits.py``.
"""

from __future__ import annotations

from typing import Any


def _load_jupyter_server_extension(server_app: Any) -> None:
    # Imported here: worker processes import this package's jobs without the web server.
    from jupyter_server.utils import url_path_join

    from ..worker import WorkerPool
    from . import limits
    from .base import WORKERS_SETTING
    from .handlers import routes
    from .metrics import install

    web_app = server_app.web_app
    base_url = web_app.settings["base_url"]
    handlers = [(url_path_join(base_url, "green-assist", path), cls) for path, cls in routes()]
    web_app.add_handlers(".*$", handlers)
    try:
        install(server_app)  # per-kernel energy in the server's own /metrics
    except OSError as err:  # e.g. a read-only runtime directory: the rest still works
        server_app.log.warning("green_assist: no per-kernel metrics in /metrics: %s", err)
    if WORKERS_SETTING not in web_app.settings:
        pool = WorkerPool(
            "green-assist server job",
            limits.WORKERS,
            limits.WORKER_MEMORY_BYTES,
            limits.WORKER_NICENESS,
        )
        web_app.settings[WORKERS_SETTING] = pool
    server_app.log.info("green_assist: server extension loaded (%d routes)", len(handlers))


# Older jupyter_server and notebook look for this name.
load_jupyter_server_extension = _load_jupyter_server_extension
