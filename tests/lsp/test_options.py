"""initializationOptions: refactor options reach the refactors; invalid ones are reported once."""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types

from .helpers import (
    FIXTURES,
    RecordingClient,
    apply_text_edits,
    document_edits,
    initialize_params,
    next_publish,
    open_document,
    server_config,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")

FP32_LOOP = (FIXTURES / "GA101" / "fp32_loop.py").read_text(encoding="utf-8")
OPTIONS = {
    "debounceMs": 50,
    "refactorOptions": {
        "mixed-precision": {"dtype": "fp16"},
        "distill": {"colour": "blue"},
        "grad-accumulation": {"steps": 8},
    },
}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("options")


@pytest_lsp.fixture(config=server_config(), scope="module")
async def configured(lsp_client: RecordingClient, folder: Path):
    params = initialize_params(folder)
    params.initialization_options = OPTIONS
    await lsp_client.initialize_session(params)
    yield
    await lsp_client.shutdown_session()


async def test_refactor_options_from_the_client(configured: RecordingClient, folder: Path) -> None:
    client = configured
    warnings = [m.message for m in client.messages]
    assert any("distill has no option 'colour'" in m for m in warnings), warnings

    uri = (folder / "train.py").as_uri()
    open_document(client, uri, FP32_LOOP)
    (found,) = (await next_publish(client, uri, 0)).diagnostics
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri),
            range=found.range,
            context=types.CodeActionContext(diagnostics=[found]),
        )
    )
    (action,) = [a for a in actions or [] if a.title == "Convert to mixed precision"]
    new_text = apply_text_edits(FP32_LOOP, document_edits(action)[uri])
    assert "torch.float16" in new_text and "GradScaler" in new_text  # fp16, not the bf16 default


async def test_strategy_options_from_the_client(configured: RecordingClient, folder: Path) -> None:
    client = configured
    text = (FIXTURES / "refactor" / "grad-accumulation" / "plain_loop.in.py").read_text()
    uri = (folder / "big_batch.py").as_uri()
    open_document(client, uri, text)
    diagnostics = (await next_publish(client, uri, 0)).diagnostics
    (found,) = [d for d in diagnostics if d.code == "GA113"]
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri),
            range=found.range,
            context=types.CodeActionContext(diagnostics=[found]),
        )
    )
    (action,) = [a for a in actions or [] if a.title == "Accumulate gradients over micro-batches"]
    new_text = apply_text_edits(text, document_edits(action)[uri])
    assert "accumulation_steps = 8" in new_text  # the client's steps, not the default 4
