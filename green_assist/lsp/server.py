"""The language server: documents in, diagnostics, hovers and code actions out.

Flow for a document (a ``.py`` file, or a notebook with LSP notebook sync):

1. ``didOpen`` analyses at once; ``didChange`` waits ``debounce`` seconds of quiet
   first (30 ms: it merges the burst of changes one editor action sends, and keeps
   edit-to-diagnostics well under 150 ms), and each change bumps the target's
   *generation*;
2. the analysis runs on a snapshot of the text in a worker process (``green_assist.worker``):
   the event loop keeps reading messages, and a crash in native code costs only
   the worker. One analysis per target at a time: changes that arrive while one
   runs are merged into a single next run on the newest text, so fast typing on a
   slow file never queues up analyses of texts already gone;
3. its diagnostics are published only if no newer change arrived meanwhile, so a
   stale result never replaces a newer one. A document whose code does not parse
   keeps its diagnostics (see ``documents.py``).

Requests (hover, code actions) use the analysis of the current text, running one
at once when the last one is out of date. Refactors run in a second worker process
(``proposals.py``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

from lsprotocol import types
from pygls.capabilities import get_capability
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path
from pygls.workspace import TextDocument

from .. import __version__
from ..analysis.lines import split_lines
from ..refactor import REFACTORS, OptionError
from ..target import TARGET_CHOICES, Target, TargetError, parse_target
from ..worker import Worker, WorkerCrashed, WorkerTimeout
from .actions import (
    FIX_ALL_KIND,
    ActionBuilder,
    ActionRequest,
    build_actions,
    findings_in_range,
    kind_text,
    refactors_to_propose,
)
from .convert import diagnostic, error_diagnostic, finding_range, from_client_position
from .documents import Outcome, Part, Snapshot, analyze_snapshot, failed, same_text
from .hover import hover_markdown
from .proposals import ProposalRunner

logger = logging.getLogger(__name__)

DEFAULT_DEBOUNCE_S = 0.03
# An analysis takes well under a second; this only stops a hung one.
ANALYSIS_TIMEOUT_S = 60.0
NOTEBOOK_SYNC = types.NotebookDocumentSyncOptions(
    notebook_selector=[
        types.NotebookDocumentFilterWithCells(
            cells=[types.NotebookCellLanguage(language="python")], notebook="*"
        )
    ]
)


def _is_python(document: TextDocument) -> bool:
    if document.language_id:
        return document.language_id == "python"
    return str(document.path or document.uri).endswith(".py")


class GreenAssistServer(LanguageServer):
    """pygls server with green-assist's state; features are registered by :func:`create_server`."""

    def __init__(self, debounce: float = DEFAULT_DEBOUNCE_S) -> None:
        super().__init__(
            "green-assist",
            __version__,
            # Whole texts, not incremental edits: pygls applies incremental edits with
            # str.splitlines, which also splits at form feeds and U+2028 (LSP does not),
            # so an edit below such a line would land on the wrong line.
            text_document_sync_kind=types.TextDocumentSyncKind.Full,
            notebook_document_sync=NOTEBOOK_SYNC,
        )
        self.debounce = debounce
        # The hardware the advice is for (initializationOptions.target; None: pyproject).
        self.target: Target | None = None
        self.proposals = ProposalRunner(self.is_current)
        self._analysis = Worker("green-assist analysis")
        self._generation: dict[str, int] = {}
        self._pending: dict[str, asyncio.Task[None]] = {}
        # One analysis per target at a time: the lock, and the task that holds it.
        self._running: dict[str, asyncio.Lock] = {}
        self._analysing: dict[str, asyncio.Task[None]] = {}
        self._latest: dict[str, Outcome] = {}
        # target key -> {document URI: diagnostics last published there}
        self._published: dict[str, dict[str, list[types.Diagnostic]]] = {}
        self._told: set[str] = set()

    # -- documents ---------------------------------------------------------------------
    def text_document(self, uri: str) -> TextDocument | None:
        document: TextDocument | None = self.workspace.text_documents.get(unquote(uri))
        return document

    def target_key(self, uri: str) -> str | None:
        """The notebook of a cell, or the document itself; None for documents not analysed."""
        notebook = self.workspace.get_notebook_document(cell_uri=uri)
        if notebook is not None:
            return notebook.uri
        document = self.text_document(uri)
        return uri if document is not None and _is_python(document) else None

    def snapshot(self, key: str) -> Snapshot | None:
        """The current text of a target, frozen."""
        notebook = self.workspace.get_notebook_document(notebook_uri=key)
        if notebook is not None:
            parts = []
            for cell in notebook.cells:
                document = self.text_document(cell.document)
                if document is None:  # never synced: keep its place, so cell indices hold
                    parts.append(Part(cell.document, None, "", is_code=False))
                    continue
                is_code = cell.kind == types.NotebookCellKind.Code and _is_python(document)
                parts.append(Part(cell.document, document.version, document.source, is_code))
            return Snapshot(key, to_fs_path(key), tuple(parts), notebook=True)
        document = self.text_document(key)
        if document is None:
            return None
        part = Part(key, document.version, document.source)
        return Snapshot(key, to_fs_path(key), (part,))

    def is_current(self, snapshot: Snapshot) -> bool:
        current = self.snapshot(snapshot.key)
        return current is not None and same_text(current, snapshot)

    def _fallback_folder(self) -> str | None:
        try:
            root: str | None = self.workspace.root_path
            return root
        except RuntimeError:  # not initialised
            return None

    # -- analysis ----------------------------------------------------------------------
    def schedule(self, key: str, delay: float) -> None:
        """Analyse ``key`` after ``delay`` seconds unless it changes again before."""
        generation = self._generation.get(key, 0) + 1
        self._generation[key] = generation
        pending = self._pending.pop(key, None)
        if pending is not None and pending is not self._analysing.get(key):
            pending.cancel()  # still waiting: its text is gone (a running one is left to finish)
        self._pending[key] = asyncio.ensure_future(self._analyse_later(key, generation, delay))

    async def _analyse_later(self, key: str, generation: int, delay: float) -> None:
        try:
            if delay > 0:
                await asyncio.sleep(delay)
            # A newer change cancels this task while it waits here, so only the
            # newest text runs next; the run in progress is left to finish.
            async with self._running.setdefault(key, asyncio.Lock()):
                if self._generation.get(key) != generation:
                    return
                task = asyncio.current_task()
                assert task is not None
                self._analysing[key] = task
                snapshot = self.snapshot(key)
                if snapshot is None:
                    return
                latest = self._latest.get(key)  # a hover or code action may have analysed it
                if latest is not None and same_text(latest.snapshot, snapshot):
                    outcome = latest
                else:
                    logger.debug("analysis starts: %s generation %d", key, generation)
                    try:
                        outcome = await self._run_analysis(snapshot)
                    finally:
                        logger.debug("analysis ends: %s generation %d", key, generation)
                if self._generation.get(key) != generation:
                    return  # newer text arrived; its own run publishes
                self._latest[key] = outcome
                self.publish(outcome)
        except asyncio.CancelledError:
            raise
        except Exception as err:  # never let one document take the server down
            logger.exception("analysing %s failed", key)
            self.log(f"{key}: analysis failed: {err!r}", types.MessageType.Error)
        finally:
            if self._pending.get(key) is asyncio.current_task():
                del self._pending[key]
            if self._analysing.get(key) is asyncio.current_task():
                del self._analysing[key]

    async def _run_analysis(self, snapshot: Snapshot) -> Outcome:
        try:
            outcome: Outcome = await self._analysis.call(
                analyze_snapshot,
                snapshot,
                self._fallback_folder(),
                self.target,
                timeout=ANALYSIS_TIMEOUT_S,
            )
        except (WorkerCrashed, WorkerTimeout, RuntimeError) as err:
            logger.warning("analysis of %s failed: %s", snapshot.label, err)
            return failed(snapshot, f"the analyzer failed on this text: {err}")
        return outcome

    def warm_up(self) -> None:
        """Start the analysis process now, so that the first document does not wait for it."""
        self._analysis.start()

    async def current_outcome(self, key: str) -> Outcome | None:
        """The analysis of the target's current text (run now if the last one is older)."""
        snapshot = self.snapshot(key)
        if snapshot is None:
            return None
        latest = self._latest.get(key)
        if latest is not None and same_text(latest.snapshot, snapshot):
            return latest
        outcome = await self._run_analysis(snapshot)
        if self.is_current(snapshot):
            self._latest[key] = outcome
        return outcome

    def close(self, key: str) -> None:
        """Forget a closed target and clear the diagnostics it had."""
        self._generation[key] = self._generation.get(key, 0) + 1
        pending = self._pending.pop(key, None)
        if pending is not None:
            pending.cancel()
        lock = self._running.get(key)
        if lock is not None and not lock.locked():
            del self._running[key]
        self._latest.pop(key, None)
        self.proposals.forget(key)
        for uri, diagnostics in self._published.pop(key, {}).items():
            if diagnostics:
                self._send(uri, [], None)

    # -- output ------------------------------------------------------------------------
    def publish(self, outcome: Outcome) -> None:
        snapshot = outcome.snapshot
        codec = self.workspace.position_codec
        last = self._published.setdefault(snapshot.key, {})
        first_code = next((part for part in snapshot.parts if part.is_code), None)
        locate = snapshot.locator()
        for part in snapshot.parts:
            if part.uri in outcome.keep:
                continue
            lines = split_lines(part.text)
            found = [diagnostic(f, lines, codec, locate) for f in outcome.findings_for(part.uri)]
            if outcome.notice is not None and part is first_code:
                found.insert(0, error_diagnostic(outcome.notice))
            # Notebook cells without news are skipped: dozens of cells, one edit.
            if snapshot.notebook and last.get(part.uri, []) == found:
                continue
            self._send(part.uri, found, part.version)
            last[part.uri] = found
        uris = {part.uri for part in snapshot.parts}
        for uri in [uri for uri in last if uri not in uris]:  # cells deleted from a notebook
            if last.pop(uri):
                self._send(uri, [], None)
        for line in outcome.log:
            self.log(line)
        if outcome.config_error:
            self.tell_once(outcome.config_error)

    def _send(self, uri: str, diagnostics: list[types.Diagnostic], version: int | None) -> None:
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version)
        )

    def log(self, message: str, kind: types.MessageType = types.MessageType.Log) -> None:
        self.window_log_message(types.LogMessageParams(type=kind, message=message))

    def tell_once(self, message: str) -> None:
        """A warning the user sees once per server run (a bad setting, say), not per edit."""
        if message in self._told:
            return
        self._told.add(message)
        self.window_show_message(
            types.ShowMessageParams(
                type=types.MessageType.Warning, message=f"green-assist: {message}"
            )
        )

    # -- settings ----------------------------------------------------------------------
    def configure(self, options: Any) -> None:
        """``initializationOptions``: ``debounceMs``, ``target`` and ``refactorOptions``."""
        if not isinstance(options, Mapping):
            return
        target = options.get("target")
        if target is not None:
            try:
                if not isinstance(target, str):
                    raise TargetError(f"target must be one of {', '.join(TARGET_CHOICES)}")
                self.target = parse_target(target)
            except TargetError as err:
                self.tell_once(f"initializationOptions.target: {err}")
        debounce = options.get("debounceMs")
        if isinstance(debounce, (int, float)) and not isinstance(debounce, bool) and debounce >= 0:
            self.debounce = debounce / 1000
        refactor_options = options.get("refactorOptions") or {}
        if not isinstance(refactor_options, Mapping):
            self.tell_once("initializationOptions.refactorOptions must be an object")
            return
        for name, values in refactor_options.items():
            refactor = REFACTORS.get(name)
            try:
                if refactor is None:
                    known = ", ".join(REFACTORS)
                    raise OptionError(f"no refactor named {name!r} (refactors: {known})")
                if not isinstance(values, Mapping):
                    raise OptionError(f"options of {name} must be an object")
                refactor.parse_options(values)  # validate now, once
            except OptionError as err:
                self.tell_once(f"refactorOptions: {err}")
                continue
            self.proposals.options[name] = dict(values)

    def shutdown_workers(self) -> None:
        self.proposals.close()
        self._analysis.stop()

    def shutdown(self) -> None:
        """pygls calls this when the connection ends, with or without an LSP shutdown."""
        self.shutdown_workers()
        super().shutdown()


# -- features --------------------------------------------------------------------------
def initialize(ls: GreenAssistServer, params: types.InitializeParams) -> None:
    ls.configure(params.initialization_options)
    ls.warm_up()


def did_open(ls: GreenAssistServer, params: types.DidOpenTextDocumentParams) -> None:
    key = ls.target_key(params.text_document.uri)
    if key is not None:
        ls.schedule(key, 0)


def did_change(ls: GreenAssistServer, params: types.DidChangeTextDocumentParams) -> None:
    key = ls.target_key(params.text_document.uri)
    if key is not None:
        ls.schedule(key, ls.debounce)


def did_close(ls: GreenAssistServer, params: types.DidCloseTextDocumentParams) -> None:
    ls.close(params.text_document.uri)


def notebook_did_open(ls: GreenAssistServer, params: types.DidOpenNotebookDocumentParams) -> None:
    ls.schedule(params.notebook_document.uri, 0)


def notebook_did_change(
    ls: GreenAssistServer, params: types.DidChangeNotebookDocumentParams
) -> None:
    ls.schedule(params.notebook_document.uri, ls.debounce)


def notebook_did_close(ls: GreenAssistServer, params: types.DidCloseNotebookDocumentParams) -> None:
    ls.close(params.notebook_document.uri)


async def hover(ls: GreenAssistServer, params: types.HoverParams) -> types.Hover | None:
    uri = params.text_document.uri
    key = ls.target_key(uri)
    outcome = await ls.current_outcome(key) if key is not None else None
    part = outcome.snapshot.part(uri) if outcome is not None else None
    if outcome is None or part is None:
        return None
    lines = split_lines(part.text)
    codec = ls.workspace.position_codec
    here = from_client_position(lines, params.position, codec)
    found = [
        f
        for f in outcome.findings_for(uri)
        if (f.line, f.column) <= here <= (f.end_line, f.end_column)
    ]
    markdown = hover_markdown(found)
    if markdown is None:
        return None
    return types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=markdown),
        range=finding_range(found[0], lines, codec),
    )


async def code_action(
    ls: GreenAssistServer, params: types.CodeActionParams
) -> list[types.CodeAction] | None:
    uri = params.text_document.uri
    key = ls.target_key(uri)
    outcome = await ls.current_outcome(key) if key is not None else None
    part = outcome.snapshot.part(uri) if outcome is not None else None
    if outcome is None or part is None or not part.is_code:
        return None
    lines = split_lines(part.text)
    codec = ls.workspace.position_codec
    context = params.context
    request = ActionRequest(
        part,
        from_client_position(lines, params.range.start, codec),
        from_client_position(lines, params.range.end, codec),
        tuple(kind_text(kind) for kind in context.only) if context.only else None,
        context.trigger_kind != types.CodeActionTriggerKind.Automatic,
    )
    names = refactors_to_propose(findings_in_range(outcome, request), request)
    max_bytes = outcome.config.max_file_size
    proposals = [await ls.proposals.proposal(name, outcome.snapshot, max_bytes) for name in names]
    capabilities = ls.client_capabilities
    builder = ActionBuilder(
        outcome.snapshot,
        codec,
        versioned=bool(get_capability(capabilities, "workspace.workspace_edit.document_changes")),
        disabled_support=bool(
            get_capability(capabilities, "text_document.code_action.disabled_support")
        ),
    )
    return build_actions(builder, outcome, request, proposals)


def shutdown(ls: GreenAssistServer, params: Any = None) -> None:
    ls.shutdown_workers()


def create_server(debounce: float = DEFAULT_DEBOUNCE_S) -> GreenAssistServer:
    """A server with every feature registered; start it with ``start_io()`` or ``start_tcp()``."""
    server = GreenAssistServer(debounce)
    server.feature(types.INITIALIZE)(initialize)
    server.feature(types.TEXT_DOCUMENT_DID_OPEN)(did_open)
    server.feature(types.TEXT_DOCUMENT_DID_CHANGE)(did_change)
    server.feature(types.TEXT_DOCUMENT_DID_CLOSE)(did_close)
    server.feature(types.NOTEBOOK_DOCUMENT_DID_OPEN)(notebook_did_open)
    server.feature(types.NOTEBOOK_DOCUMENT_DID_CHANGE)(notebook_did_change)
    server.feature(types.NOTEBOOK_DOCUMENT_DID_CLOSE)(notebook_did_close)
    server.feature(types.TEXT_DOCUMENT_HOVER)(hover)
    server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[
                types.CodeActionKind.QuickFix,
                types.CodeActionKind.RefactorRewrite,
                FIX_ALL_KIND,
            ]
        ),
    )(code_action)
    server.feature(types.SHUTDOWN)(shutdown)
    return server
