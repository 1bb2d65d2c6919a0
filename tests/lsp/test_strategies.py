"""The green strategies in an editor: each refactor's code action equals the CLI's result."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from lsprotocol import types

from .helpers import (
    FIXTURES,
    RecordingClient,
    apply_text_edits,
    document_edits,
    next_publish,
    open_document,
    publishes,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")

ATTENTION = (FIXTURES / "refactor" / "efficient-attention" / "nanogpt.in.py").read_text()
BIG_BATCH = (FIXTURES / "refactor" / "grad-accumulation" / "plain_loop.in.py").read_text()
TRAINED_CNN = (FIXTURES / "refactor" / "prune" / "after_training.in.py").read_text()


def _whole(text: str) -> types.Range:
    lines = text.splitlines()
    return types.Range(types.Position(0, 0), types.Position(len(lines), 0))


async def _actions(
    client: RecordingClient, uri: str, text: str, only: list[str] | None = None
) -> dict[str, types.CodeAction]:
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri),
            range=_whole(text),
            context=types.CodeActionContext(
                diagnostics=list(client.diagnostics.get(uri, [])),
                only=only,
                trigger_kind=types.CodeActionTriggerKind.Invoked,
            ),
        )
    )
    return {a.title: a for a in actions or [] if isinstance(a, types.CodeAction)}


def _cli_result(folder: Path, name: str, text: str, *options: str) -> str:
    copy = folder / "cli" / f"{name}.py"
    copy.parent.mkdir(parents=True, exist_ok=True)
    copy.write_text(text, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "green_assist", "refactor", name, str(copy), "--write", *options],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return copy.read_text(encoding="utf-8")


async def _open(client: RecordingClient, path: Path, text: str) -> list[types.Diagnostic]:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    uri = path.as_uri()
    seen = len(publishes(client, uri))
    open_document(client, uri, text)
    return list((await next_publish(client, uri, seen)).diagnostics)


async def test_manual_attention_gets_a_quick_fix_equal_to_the_cli(
    client: RecordingClient, workspace: Path
) -> None:
    path = workspace / "attention" / "model.py"
    diagnostics = await _open(client, path, ATTENTION)
    assert [d.code for d in diagnostics] == ["GA116"]
    action = (await _actions(client, path.as_uri(), ATTENTION))[
        "Use fused attention (scaled_dot_product_attention)"
    ]
    assert action.kind == types.CodeActionKind.QuickFix
    assert [d.code for d in action.diagnostics or []] == ["GA116"]
    ((_, edits),) = document_edits(action).items()
    from_editor = apply_text_edits(ATTENTION, edits)
    assert from_editor == _cli_result(workspace, "efficient-attention", ATTENTION)
    assert "F.scaled_dot_product_attention(" in from_editor


async def test_oversized_batch_gets_gradient_accumulation_equal_to_the_cli(
    client: RecordingClient, workspace: Path
) -> None:
    path = workspace / "accumulation" / "train.py"
    diagnostics = await _open(client, path, BIG_BATCH)
    assert "GA113" in [d.code for d in diagnostics]
    action = (await _actions(client, path.as_uri(), BIG_BATCH))[
        "Accumulate gradients over micro-batches"
    ]
    assert action.kind == types.CodeActionKind.QuickFix
    assert [d.code for d in action.diagnostics or []] == ["GA113"]
    ((_, edits),) = document_edits(action).items()
    from_editor = apply_text_edits(BIG_BATCH, edits)
    assert from_editor == _cli_result(workspace, "grad-accumulation", BIG_BATCH)
    assert "(loss / accumulation_steps).backward()" in from_editor


async def test_prune_is_offered_in_the_refactor_menu_equal_to_the_cli(
    client: RecordingClient, workspace: Path
) -> None:
    path = workspace / "prune" / "train.py"
    await _open(client, path, TRAINED_CNN)
    action = (await _actions(client, path.as_uri(), TRAINED_CNN, ["refactor"]))[
        "Prune the model's smallest weights"
    ]
    assert action.kind == types.CodeActionKind.RefactorRewrite
    ((_, edits),) = document_edits(action).items()
    from_editor = apply_text_edits(TRAINED_CNN, edits)
    assert from_editor == _cli_result(workspace, "prune", TRAINED_CNN)
    assert "prune.l1_unstructured(" in from_editor
