"""initializationOptions.target: the advice fits the editor's hardware (``cpu`` here)."""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_lsp

from .helpers import (
    FIXTURES,
    RecordingClient,
    initialize_params,
    next_publish,
    open_document,
    server_config,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")

FP32_LOOP = (FIXTURES / "GA101" / "fp32_loop.py").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("target")


@pytest_lsp.fixture(config=server_config(), scope="module")
async def on_cpu(lsp_client: RecordingClient, folder: Path):
    params = initialize_params(folder)
    params.initialization_options = {"target": "cpu", "debounceMs": 0}
    await lsp_client.initialize_session(params)
    yield
    await lsp_client.shutdown_session()


async def test_cpu_target_drops_accelerator_advice(on_cpu: RecordingClient, folder: Path) -> None:
    client = on_cpu
    assert not any("target" in m.message for m in client.messages)
    uri = (folder / "train.py").as_uri()
    open_document(client, uri, FP32_LOOP)
    published = await next_publish(client, uri, 0)
    # The same file gives GA101 with the default target (tests/lsp/test_options.py).
    assert [d.code for d in published.diagnostics] == []
