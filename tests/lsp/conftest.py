"""A real green-assist language server over stdio, driven by pytest-lsp's client."""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_lsp

from .helpers import RecordingClient, initialize_params, server_config


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The client's workspace folder; documents live here (one folder per test module)."""
    return tmp_path_factory.mktemp("workspace")


@pytest_lsp.fixture(config=server_config(), scope="module")
async def client(lsp_client: RecordingClient, workspace: Path):
    """One server per test module (startup costs about a second); documents differ per test."""
    await lsp_client.initialize_session(initialize_params(workspace))
    yield
    await lsp_client.shutdown_session()
