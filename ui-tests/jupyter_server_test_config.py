"""JupyterLab server for the browser tests (Galata defaults: no token, temp root)."""

import os

from jupyterlab.galata import configure_jupyter_server

configure_jupyter_server(c)  # noqa: F821 (c is injected by Jupyter's config loader)

# CI runs as root; the tests need a server that starts anyway.
c.ServerApp.allow_root = True  # noqa: F821
# 8898 leaves 8888 to a `make lab` that may be running; GREEN_ASSIST_UI_PORT moves it.
c.ServerApp.port = int(os.environ.get("GREEN_ASSIST_UI_PORT", "8898"))  # noqa: F821
c.ServerApp.port_retries = 0  # noqa: F821
