"""What the server analyses: snapshots of open documents, and what one analysis produced.

A *target* is what the analyzer sees as one module: an open ``.py`` document, or a
notebook document (LSP notebook sync) whose cells are separate text documents. A
:class:`Snapshot` freezes a target's text at one moment, so the analysis can run in a
worker thread while the editor keeps sending changes; its :class:`Outcome` says which
diagnostics to publish for which document, and which documents must keep the
diagnostics they have (their code does not parse right now).

Settings come from the nearest ``pyproject.toml`` of the document (``load_config``),
``exclude`` patterns included; ``# green: ignore[...]`` comments are honoured by the
analyzer itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..analysis import (
    AnalysisResult,
    Config,
    ConfigError,
    ErrorKind,
    FileError,
    Finding,
    analyze_loaded,
    analyze_source,
)
from ..analysis.lines import split_lines
from ..analysis.sources import notebook_from_cells
from ..analysis.workspace import excluded, settings_for
from ..target import Target

logger = logging.getLogger(__name__)

# Errors after which the document keeps its previous diagnostics (it is being edited).
_TRANSIENT = frozenset({ErrorKind.SYNTAX})
# Errors that are notes, not problems.
_QUIET = frozenset({ErrorKind.EMPTY})


@dataclass(frozen=True)
class Part:
    """One text document of a target: the ``.py`` file itself, or one notebook cell."""

    uri: str
    version: int | None
    text: str
    is_code: bool = True


@dataclass(frozen=True)
class Snapshot:
    """The text of one target at one moment (``key``: the document or notebook URI)."""

    key: str
    path: str | None  # file-system path, when the URI is a file
    parts: tuple[Part, ...]
    notebook: bool = False

    @property
    def label(self) -> str:
        return self.path or self.key

    def part(self, uri: str) -> Part | None:
        return next((part for part in self.parts if part.uri == uri), None)

    def uri_for_cell(self, cell: int | None) -> str | None:
        """The part that holds cell ``cell`` of the analysed notebook (the file: None)."""
        if not self.notebook:
            return self.parts[0].uri
        if cell is None or not 0 <= cell < len(self.parts):
            return None
        return self.parts[cell].uri

    def locator(self) -> Callable[[int | None], tuple[str, Sequence[str]] | None]:
        """URI and lines of the part holding a cell (lines split once per part)."""
        lines: dict[str, list[str]] = {}

        def locate(cell: int | None) -> tuple[str, Sequence[str]] | None:
            uri = self.uri_for_cell(cell)
            part = self.part(uri) if uri is not None else None
            if part is None or uri is None:
                return None
            if uri not in lines:
                lines[uri] = split_lines(part.text)
            return uri, lines[uri]

        return locate

    def cells(self) -> list[dict[str, Any]]:
        """The parts as nbformat cells (non-Python cells count as markdown: not analysed)."""
        return [
            {"cell_type": "code" if part.is_code else "markdown", "source": part.text}
            for part in self.parts
        ]


@dataclass
class Outcome:
    """What one analysis of a snapshot produced."""

    snapshot: Snapshot
    findings: dict[str, list[Finding]] = field(default_factory=dict)  # by part URI
    keep: set[str] = field(default_factory=set)  # part URIs whose diagnostics stay as they are
    notice: FileError | None = None  # the target could not be analysed at all (too large...)
    log: list[str] = field(default_factory=list)  # lines for the client's log
    config: Config = field(default_factory=Config)
    config_error: str | None = None
    result: AnalysisResult | None = None

    def findings_for(self, uri: str) -> list[Finding]:
        return self.findings.get(uri, [])


def config_for(
    path: str | None, fallback_folder: str | None, target: Target | None = None
) -> tuple[Config, str | None]:
    """Settings for a document (nearest pyproject.toml; ``target`` from the client's
    ``initializationOptions`` wins); invalid ones: defaults and a message."""
    try:
        return settings_for(path, fallback_folder).with_overrides(target=target), None
    except ConfigError as err:
        return Config().with_overrides(target=target), (
            f"{err} (using the default settings until it is fixed)"
        )


def analyze_snapshot(
    snapshot: Snapshot, fallback_folder: str | None = None, target: Target | None = None
) -> Outcome:
    """Analyse one snapshot; never raises (a failure keeps every diagnostic as it is)."""
    config, config_error = config_for(snapshot.path, fallback_folder, target)
    outcome = Outcome(snapshot, config=config, config_error=config_error)
    try:
        _analyze(snapshot, outcome)
    except Exception as err:  # the analyzer should never raise; a server must not die of it
        logger.exception("analysis of %s failed", snapshot.label)
        return failed(snapshot, f"internal error: {err!r}")
    return outcome


def failed(snapshot: Snapshot, reason: str) -> Outcome:
    """The outcome of an analysis that did not finish: every document keeps its diagnostics."""
    outcome = Outcome(snapshot, keep={part.uri for part in snapshot.parts})
    outcome.log.append(f"{snapshot.label}: not analysed ({reason}); diagnostics kept")
    return outcome


def _analyze(snapshot: Snapshot, outcome: Outcome) -> None:
    code_parts = [part for part in snapshot.parts if part.is_code]
    outcome.findings = {part.uri: [] for part in code_parts}
    if snapshot.path is not None and excluded(snapshot.path, outcome.config):
        outcome.log.append(f"{snapshot.label}: excluded by `exclude` in {outcome.config.source}")
        return
    if snapshot.notebook:
        # The cells double as the notebook, so that fixes can be applied (fix all).
        cells = snapshot.cells()
        loaded = notebook_from_cells(
            cells, snapshot.label, {"cells": cells}, outcome.config.max_file_size
        )
        result = analyze_loaded(loaded, outcome.config)
    else:
        result = analyze_source(snapshot.parts[0].text, snapshot.label, outcome.config)
    outcome.result = result
    for finding in result.findings:
        uri = _part_uri(snapshot, finding.cell)
        if uri is not None:
            outcome.findings.setdefault(uri, []).append(finding)
    for error in result.errors:
        _record_error(snapshot, outcome, error, code_parts)


def _part_uri(snapshot: Snapshot, cell: int | None) -> str | None:
    return snapshot.uri_for_cell(cell)


def _record_error(
    snapshot: Snapshot, outcome: Outcome, error: FileError, code_parts: list[Part]
) -> None:
    where = error.location().replace(error.path, snapshot.label, 1)
    if error.kind in _QUIET:
        return
    if error.kind in _TRANSIENT:
        uri = _part_uri(snapshot, error.cell) if error.cell is not None else None
        kept = {uri} if uri else {part.uri for part in code_parts}
        outcome.keep |= kept
        for part_uri in kept:
            outcome.findings.pop(part_uri, None)
        outcome.log.append(f"{where}: not analysed ({error.message}); diagnostics kept")
    elif error.kind is ErrorKind.INTERNAL:
        outcome.log.append(f"{where}: {error.message}")
    elif outcome.notice is None:
        outcome.notice = error
        outcome.log.append(f"{where}: not analysed: {error.message}")


def same_text(first: Snapshot, second: Snapshot) -> bool:
    """True when two snapshots hold the same documents at the same versions and text."""
    return first.key == second.key and first.parts == second.parts
