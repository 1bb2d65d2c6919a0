"""A recording LSP client for the tests, and the client side of text edits."""

from __future__ import annotations

import asyncio
import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

FIXTURES = Path(__file__).parent.parent / "fixtures"
SERVER = [sys.executable, "-m", "green_assist", "lsp"]
_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


class RecordingClient(LanguageClient):
    """pytest-lsp's client that also keeps every publishDiagnostics, in order."""

    def __init__(self) -> None:
        super().__init__(converter_factory=default_converter)
        self.published: list[types.PublishDiagnosticsParams] = []


def _record(client: RecordingClient, params: types.PublishDiagnosticsParams) -> None:
    client.published.append(params)
    client.diagnostics[params.uri] = params.diagnostics


def make_client() -> RecordingClient:
    client = RecordingClient()
    features = {**DEFAULT_CLIENT_FEATURES, types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: _record}
    register_lsp_features(client, features)
    return client


def server_config(*arguments: str) -> ClientServerConfig:
    return ClientServerConfig(server_command=[*SERVER, *arguments], client_factory=make_client)


def initialize_params(root: Path) -> types.InitializeParams:
    return types.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"),
        root_uri=root.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name=root.name)],
    )


def publishes(client: RecordingClient, uri: str) -> list[types.PublishDiagnosticsParams]:
    return [params for params in client.published if params.uri == uri]


async def wait_until(condition: Callable[[], object], timeout: float = 20.0) -> None:
    """Poll ``condition`` until it is true (the server answers asynchronously)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {condition}")
        await asyncio.sleep(0.02)


async def next_publish(
    client: RecordingClient, uri: str, seen: int, timeout: float = 20.0
) -> types.PublishDiagnosticsParams:
    """The first publishDiagnostics for ``uri`` after the first ``seen`` ones."""
    await wait_until(lambda: len(publishes(client, uri)) > seen, timeout)
    return publishes(client, uri)[seen]


def open_document(client: LanguageClient, uri: str, text: str, version: int = 1) -> None:
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, "python", version, text))
    )


def replace_document(client: LanguageClient, uri: str, text: str, version: int) -> None:
    """A full-text didChange (the server also takes incremental ones)."""
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(version=version, uri=uri),
            [types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


def _offset(text: str, position: types.Position) -> int:
    """Offset in ``text`` of an LSP position in UTF-16 code units (VS Code's encoding)."""
    lines = _LINES.findall(text)
    if position.line >= len(lines):
        return len(text)
    start = sum(len(line) for line in lines[: position.line])
    line = lines[position.line].rstrip("\r\n")
    units = 0
    for index, char in enumerate(line):
        if units >= position.character:
            return start + index
        units += 2 if ord(char) > 0xFFFF else 1
    return start + len(line)


def apply_text_edits(text: str, edits: Sequence[types.TextEdit]) -> str:
    """What an editor does with a list of non-overlapping text edits."""
    spans = sorted(
        ((_offset(text, e.range.start), _offset(text, e.range.end), e.new_text) for e in edits),
        reverse=True,
    )
    for start, end, new_text in spans:
        text = text[:start] + new_text + text[end:]
    return text


def document_edits(action: types.CodeAction) -> dict[str, list[types.TextEdit]]:
    """The text edits of a code action's workspace edit, by document URI."""
    assert action.edit is not None, f"{action.title!r} has no edit"
    if action.edit.document_changes is not None:
        found: dict[str, list[types.TextEdit]] = {}
        for change in action.edit.document_changes:
            assert isinstance(change, types.TextDocumentEdit)
            found.setdefault(change.text_document.uri, []).extend(change.edits)
        return found
    return {uri: list(edits) for uri, edits in (action.edit.changes or {}).items()}
