"""Shared fixtures: a real Jupyter server (pytest-jupyter) and a real IPython kernel."""

from __future__ import annotations

import pytest

from .kernel_session import KernelSession

pytest_plugins = ("pytest_jupyter.jupyter_server",)


@pytest.fixture
def jp_server_config():
    """Run the test server with the green_assist server extension enabled."""
    return {"ServerApp": {"jpserver_extensions": {"green_assist": True}}}


@pytest.fixture
def kernel(tmp_path):
    """A fresh python3 kernel (this environment's ipykernel) started in a temp folder."""
    session = KernelSession.start(cwd=tmp_path)
    try:
        yield session
    finally:
        session.shutdown()
