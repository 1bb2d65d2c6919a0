"""Shared fixtures: a real Jupyter server (pytest-jupyter) and a real IPython kernel."""

from __future__ import annotations

import pytest

from green_assist.profiler.live_status import LIVE_DIR_ENV
from green_assist.server.base import WORKERS_SETTING

from .kernel_session import KernelSession

pytest_plugins = ("pytest_jupyter.jupyter_server",)


@pytest.fixture
def jp_server_config(monkeypatch):
    """Run the test server with the green_assist server extension enabled.

    The extension names its kernels' live-status folder in the environment; setenv
    makes the test restore it afterwards, so other tests' kernels do not inherit it."""
    monkeypatch.setenv(LIVE_DIR_ENV, "")
    return {"ServerApp": {"jpserver_extensions": {"green_assist": True}}}


@pytest.fixture
def kernel(tmp_path):
    """A fresh python3 kernel (this environment's ipykernel) started in a temp folder."""
    session = KernelSession.start(cwd=tmp_path)
    try:
        yield session
    finally:
        session.shutdown()


@pytest.fixture
def jp_serverapp(jp_serverapp):
    """The test server; its worker processes are stopped with it, as at a real exit."""
    yield jp_serverapp
    pool = jp_serverapp.web_app.settings.get(WORKERS_SETTING)
    if pool is not None:
        pool.stop()
