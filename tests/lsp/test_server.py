"""End to end over stdio: diagnostics, fixes to the code, refactor actions, hover, bad input."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from lsprotocol import types

from green_assist.analysis import get_rule

from .helpers import (
    FIXTURES,
    RecordingClient,
    apply_text_edits,
    document_edits,
    next_publish,
    open_document,
    publishes,
    replace_document,
    wait_until,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")

FP32_LOOP = (FIXTURES / "GA101" / "fp32_loop.py").read_text(encoding="utf-8")
BACKWARD = "loss.backward()"
FORWARD = "    loss = nn.functional.cross_entropy(model(x), y)\n"


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _range_of(text: str, needle: str) -> types.Range:
    """Where ``needle`` is in ``text``, in LSP lines (ends: \\r\\n, \\r, \\n; ASCII columns)."""
    for number, line in enumerate(re.split(r"\r\n|\r|\n", text)):
        column = line.find(needle)
        if column >= 0:
            return types.Range(
                types.Position(number, column), types.Position(number, column + len(needle))
            )
    raise AssertionError(f"{needle!r} not in the text")


def _cli(*arguments: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "green_assist", *arguments],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


async def _open(client: RecordingClient, path: Path) -> types.PublishDiagnosticsParams:
    uri = path.as_uri()
    seen = len(publishes(client, uri))
    open_document(client, uri, path.read_text(encoding="utf-8"))
    return await next_publish(client, uri, seen)


async def _code_actions(
    client: RecordingClient,
    uri: str,
    at: types.Range,
    only: list[str] | None = None,
) -> list[types.CodeAction]:
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri),
            range=at,
            context=types.CodeActionContext(
                diagnostics=list(client.diagnostics.get(uri, [])),
                only=only,
                trigger_kind=types.CodeActionTriggerKind.Invoked,
            ),
        )
    )
    return [action for action in actions or [] if isinstance(action, types.CodeAction)]


async def test_fp32_training_loop_gets_ga101_on_the_backward_call(
    client: RecordingClient, workspace: Path
) -> None:
    path = _write(workspace, "diagnostics/train.py", FP32_LOOP)
    published = await _open(client, path)
    assert published.version == 1
    (found,) = published.diagnostics
    assert found.code == "GA101"
    assert found.range == _range_of(FP32_LOOP, BACKWARD)
    assert found.source == "green-assist"
    assert found.severity == types.DiagnosticSeverity.Warning
    assert found.code_description is not None
    assert found.code_description.href.endswith("docs/rules.md#ga101-fp32-only-training")


async def test_fixing_the_loop_clears_the_diagnostic(
    client: RecordingClient, workspace: Path
) -> None:
    path = _write(workspace, "fixing/train.py", FP32_LOOP)
    uri = path.as_uri()
    assert [d.code for d in (await _open(client, path)).diagnostics] == ["GA101"]
    autocast = "    with torch.autocast(device_type=device, dtype=torch.bfloat16):\n    "
    seen = len(publishes(client, uri))
    replace_document(client, uri, FP32_LOOP.replace(FORWARD, autocast + FORWARD), 2)
    published = await next_publish(client, uri, seen)
    assert published.version == 2
    assert list(published.diagnostics) == []


async def test_mixed_precision_action_equals_the_cli_refactor(
    client: RecordingClient, workspace: Path
) -> None:
    path = _write(workspace, "actions/train.py", FP32_LOOP)
    uri = path.as_uri()
    await _open(client, path)
    loop = types.Range(_range_of(FP32_LOOP, "for x, y").start, _range_of(FP32_LOOP, BACKWARD).end)
    actions = await _code_actions(client, uri, loop)
    by_title = {action.title: action for action in actions}
    action = by_title["Convert to mixed precision"]
    assert action.kind == types.CodeActionKind.QuickFix
    assert [d.code for d in action.diagnostics or []] == ["GA101"]
    (edits,) = document_edits(action).items()
    assert edits[0] == uri
    from_editor = apply_text_edits(FP32_LOOP, edits[1])

    copy = _write(workspace, "actions/cli/train.py", FP32_LOOP)
    done = _cli("refactor", "mixed-precision", str(copy), "--write")
    assert done.returncode == 0, done.stderr
    assert from_editor == copy.read_text(encoding="utf-8")
    assert from_editor != FP32_LOOP


async def test_refused_refactors_are_offered_disabled_with_the_reason(
    client: RecordingClient, workspace: Path
) -> None:
    path = _write(workspace, "refused/train.py", FP32_LOOP)
    await _open(client, path)
    backward = _range_of(FP32_LOOP, BACKWARD)
    actions = await _code_actions(client, path.as_uri(), backward, ["refactor"])
    titles = {action.title: action for action in actions}
    # The loop has no model.eval(): nothing to quantize; nn.Linear has no known student.
    quantize = titles["Quantize model for inference"]
    assert quantize.edit is None
    assert quantize.disabled is not None and "eval" in quantize.disabled.reason
    assert titles["Convert to mixed precision"].disabled is None
    assert all(action.kind and action.kind.startswith("refactor") for action in actions)


async def test_hover_on_the_finding_shows_the_rules_rationale(
    client: RecordingClient, workspace: Path
) -> None:
    path = _write(workspace, "hover/train.py", FP32_LOOP)
    uri = path.as_uri()
    await _open(client, path)
    backward = _range_of(FP32_LOOP, BACKWARD)
    hover = await client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(uri), backward.start)
    )
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert hover.contents.kind == types.MarkupKind.Markdown
    doc = get_rule("GA101").doc
    for text in (doc.why, doc.fix, doc.sources[0], "#ga101-fp32-only-training"):
        assert text in hover.contents.value
    # It names the code action that makes the change, not a button of another front end.
    assert "the code action “Convert to mixed precision”" in hover.contents.value
    assert "sidebar" not in hover.contents.value
    assert hover.range == backward
    elsewhere = await client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(uri), types.Position(0, 0))
    )
    assert elsewhere is None


async def test_syntax_error_neither_crashes_nor_floods(
    client: RecordingClient, workspace: Path
) -> None:
    broken = FP32_LOOP.replace("for x, y in loader:", "for x, y in loader")
    path = _write(workspace, "syntax/train.py", broken)
    uri = path.as_uri()
    logged = len(client.log_messages)
    open_document(client, uri, broken)
    await wait_until(lambda: any("not analysed" in m.message for m in client.log_messages[logged:]))
    assert publishes(client, uri) == []  # nothing published for code that does not parse

    replace_document(client, uri, FP32_LOOP, 2)
    published = await next_publish(client, uri, 0)
    assert (published.version, [d.code for d in published.diagnostics]) == (2, ["GA101"])

    # Typing through a syntax error keeps the last good diagnostics in place.
    logged = len(client.log_messages)
    replace_document(client, uri, broken, 3)
    await wait_until(lambda: any("not analysed" in m.message for m in client.log_messages[logged:]))
    assert len(publishes(client, uri)) == 1
    assert [d.code for d in client.diagnostics[uri]] == ["GA101"]
    hover = await client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(uri), types.Position(0, 0))
    )
    assert hover is None  # and the server still answers


async def test_a_burst_of_edits_publishes_only_the_latest_version(
    client: RecordingClient, workspace: Path
) -> None:
    path = _write(workspace, "burst/train.py", FP32_LOOP)
    uri = path.as_uri()
    await _open(client, path)
    fixed = FP32_LOOP.replace(
        FORWARD,
        "    with torch.autocast(device_type=device, dtype=torch.bfloat16):\n    " + FORWARD,
    )
    last = 21
    for version in range(2, last + 1):  # alternate broken-for-GA101 and fixed, end fixed
        replace_document(client, uri, fixed if version % 2 else FP32_LOOP, version)
    await wait_until(lambda: publishes(client, uri)[-1].version == last)
    burst = publishes(client, uri)[1:]
    versions = [params.version for params in burst]
    assert versions == sorted(versions), "an older result was published after a newer one"
    assert len(burst) <= 2, f"debouncing failed: {versions}"
    assert list(burst[-1].diagnostics) == []


async def test_fix_all_equals_check_fix(client: RecordingClient, workspace: Path) -> None:
    text = (FIXTURES / "GA103" / "spelled_out.py").read_text(encoding="utf-8")
    path = _write(workspace, "fix_all/amp.py", text)
    uri = path.as_uri()
    published = await _open(client, path)
    assert {d.code for d in published.diagnostics} == {"GA103"}
    whole = types.Range(types.Position(0, 0), types.Position(0, 0))
    (fix_all,) = await _code_actions(client, uri, whole, ["source.fixAll"])
    assert fix_all.kind == "source.fixAll.green-assist"
    from_editor = apply_text_edits(text, document_edits(fix_all)[uri])

    copy = _write(workspace, "fix_all/cli/amp.py", text)
    done = _cli("check", "--fix", str(copy))
    assert done.returncode in (0, 1), done.stderr
    assert from_editor == copy.read_text(encoding="utf-8") != text

    # Each fixable finding also has its own quick fix, applying just its edits.
    first = published.diagnostics[0]
    quick = [
        action
        for action in await _code_actions(client, uri, first.range, ["quickfix"])
        if action.title.startswith("GA103")
    ]
    assert quick and quick[0].is_preferred
    fixed_line = apply_text_edits(text, document_edits(quick[0])[uri]).splitlines()[
        first.range.start.line
    ]
    assert "torch.amp." in fixed_line and "torch.cuda.amp" not in fixed_line


async def test_ignore_action_adds_a_suppression_that_silences_the_finding(
    client: RecordingClient, workspace: Path
) -> None:
    path = _write(workspace, "ignore/train.py", FP32_LOOP)
    uri = path.as_uri()
    await _open(client, path)
    actions = await _code_actions(client, uri, _range_of(FP32_LOOP, BACKWARD), ["quickfix"])
    (ignore,) = [a for a in actions if a.title == "Ignore GA101 on this line"]
    silenced = apply_text_edits(FP32_LOOP, document_edits(ignore)[uri])
    assert "# green: ignore[GA101]" in silenced
    seen = len(publishes(client, uri))
    replace_document(client, uri, silenced, 2)
    assert list((await next_publish(client, uri, seen)).diagnostics) == []


async def test_lines_end_only_where_python_ends_them(
    client: RecordingClient, workspace: Path
) -> None:
    """A form feed (allowed in Python source) or U+2028 in a string does not end a line."""
    text = "\x0c\n" + FP32_LOOP.replace("import torch\n", 'import torch\nNOTE = "a\u2028b"\n')
    path = _write(workspace, "line_ends/train.py", text)
    uri = path.as_uri()
    (found,) = (await _open(client, path)).diagnostics
    assert found.range == _range_of(text, BACKWARD)
    edited = "# a comment above everything\x0c\n" + text
    seen = len(publishes(client, uri))
    replace_document(client, uri, edited, 2)
    (found,) = (await next_publish(client, uri, seen)).diagnostics
    assert found.range == _range_of(edited, BACKWARD)


HOSTILE = {
    "deep_nesting.py": "x = " + "(" * 20_000 + ")" * 20_000 + "\n",
    "null_byte.py": "x = 1\x00\n" + FP32_LOOP,
    "lone_surrogate.py": 's = "\ud800"\n' + FP32_LOOP,
    "only_comments.py": "# nothing here\n",
    "empty.py": "",
    "long_line.py": "x = [" + "1, " * 200_000 + "]\n",
}


async def test_hostile_documents_do_not_stop_the_server(
    client: RecordingClient, workspace: Path
) -> None:
    logged = len(client.log_messages)
    for name, text in HOSTILE.items():
        open_document(client, (workspace / "hostile" / name).as_uri(), text)
    for name in HOSTILE:
        uri = (workspace / "hostile" / name).as_uri()
        # Each either publishes (at most one note) or logs why it was not analysed.
        await wait_until(
            lambda uri=uri, name=name: (
                publishes(client, uri)
                or any(name in m.message for m in client.log_messages[logged:])
            ),
            timeout=60,
        )
        assert all(len(params.diagnostics) <= 1 for params in publishes(client, uri)), name
    path = _write(workspace, "hostile/after.py", FP32_LOOP)
    assert [d.code for d in (await _open(client, path)).diagnostics] == ["GA101"]
