"""Jupyter server extension: authenticated REST handlers under ``/green-assist/``.

The server parses code, never executes it. Each feature adds its handlers to
``ROUTES`` in its own module; ``_load_jupyter_server_extension`` mounts them all.
"""

from __future__ import annotations

from typing import Any

from .handlers import routes


def _load_jupyter_server_extension(server_app: Any) -> None:
    from jupyter_server.utils import url_path_join

    web_app = server_app.web_app
    base_url = web_app.settings["base_url"]
    handlers = [(url_path_join(base_url, "green-assist", path), cls) for path, cls in routes()]
    web_app.add_handlers(".*$", handlers)
    from .metrics import install

    install(server_app)  # per-kernel energy in the server's own /metrics
    server_app.log.info("green_assist: server extension loaded (%d routes)", len(handlers))


# Older jupyter_server and notebook look for this name.
load_jupyter_server_extension = _load_jupyter_server_extension
