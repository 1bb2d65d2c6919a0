"""Findings and edits as LSP types: positions, ranges, diagnostics and text edits.

The analyzer counts 1-based lines and 1-based columns in code points (``end_column``
exclusive); LSP counts 0-based lines and columns in the client's position encoding
(UTF-16 unless the client chose another). Lines are split as Python and LSP split
them (``\\r\\n``, ``\\r``, ``\\n`` only), not by ``str.splitlines``.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence

from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec

from ..analysis.findings import Edit, FileError, Finding, Severity
from ..analysis.formats import DOCS_URL
from ..analysis.lines import split_lines
from ..analysis.registry import get_rule

SOURCE = "green-assist"
_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


def rule_url(code: str) -> str:
    """The rule's section of docs/rules.md (the same anchor as SARIF's ``helpUri``)."""
    try:
        rule = get_rule(code)
    except KeyError:
        return DOCS_URL
    return f"{DOCS_URL}#{rule.code.lower()}-{rule.name}"


def _line_text(lines: Sequence[str], index: int) -> str:
    if 0 <= index < len(lines):
        return lines[index].rstrip("\r\n")
    return ""


def to_client_position(
    lines: Sequence[str], line: int, column: int, codec: PositionCodec
) -> types.Position:
    """The LSP position of a 1-based (line, column) in code points."""
    text = _line_text(lines, line - 1)
    return types.Position(line - 1, codec.client_num_units(text[: max(column - 1, 0)]))


def from_client_position(
    lines: Sequence[str], position: types.Position, codec: PositionCodec
) -> tuple[int, int]:
    """The 1-based (line, column) in code points of an LSP position."""
    text = _line_text(lines, position.line)
    if text.isascii():
        return position.line + 1, min(position.character, len(text)) + 1
    units = 0
    for index, char in enumerate(text):
        if units >= position.character:
            return position.line + 1, index + 1
        units += codec.client_num_units(char)
    return position.line + 1, len(text) + 1


def to_client_range(
    lines: Sequence[str],
    line: int,
    column: int,
    end_line: int,
    end_column: int,
    codec: PositionCodec,
) -> types.Range:
    return types.Range(
        to_client_position(lines, line, column, codec),
        to_client_position(lines, end_line, end_column, codec),
    )


def finding_range(finding: Finding, lines: Sequence[str], codec: PositionCodec) -> types.Range:
    return to_client_range(
        lines, finding.line, finding.column, finding.end_line, finding.end_column, codec
    )


# Where a related location's cell (None: the file itself) lives: its URI and lines.
PartLocator = Callable[[int | None], tuple[str, Sequence[str]] | None]


def diagnostic(
    finding: Finding,
    lines: Sequence[str],
    codec: PositionCodec,
    locate: PartLocator | None = None,
) -> types.Diagnostic:
    """One finding as a diagnostic: code, severity, link to the rule's documentation, and
    the finding's evidence elsewhere as related information (``locate`` finds its cell)."""
    related = related_information(finding, locate, codec) if locate is not None else []
    return types.Diagnostic(
        range=finding_range(finding, lines, codec),
        message=finding.message,
        severity=_SEVERITY.get(finding.severity, types.DiagnosticSeverity.Warning),
        code=finding.code,
        code_description=types.CodeDescription(href=rule_url(finding.code)),
        source=SOURCE,
        related_information=related or None,
    )


def related_information(
    finding: Finding, locate: PartLocator, codec: PositionCodec
) -> list[types.DiagnosticRelatedInformation]:
    """``finding.related`` as LSP locations: the ``.item()`` in the helper, the default."""
    found = []
    for related in finding.related:
        where = locate(related.cell)
        if where is None:
            continue
        uri, lines = where
        span = to_client_range(
            lines, related.line, related.column, related.end_line, related.end_column, codec
        )
        found.append(types.DiagnosticRelatedInformation(types.Location(uri, span), related.message))
    return found


def error_diagnostic(error: FileError) -> types.Diagnostic:
    """The one diagnostic for a document that could not be analysed at all (too large...)."""
    return types.Diagnostic(
        range=types.Range(types.Position(0, 0), types.Position(0, 0)),
        message=f"not analysed: {error.message}",
        severity=types.DiagnosticSeverity.Information,
        source=SOURCE,
    )


def text_edit(edit: Edit, lines: Sequence[str], codec: PositionCodec) -> types.TextEdit:
    """A finding's fix edit (positions within its file or cell) as an LSP text edit."""
    return types.TextEdit(
        to_client_range(lines, edit.line, edit.column, edit.end_line, edit.end_column, codec),
        edit.text,
    )


def _boundary(lines: Sequence[str], index: int, codec: PositionCodec) -> types.Position:
    """The position where line ``index`` starts (or the end of the text past the last line)."""
    if index < len(lines) or not lines:
        return types.Position(index, 0)
    last = lines[-1]
    stripped = last.rstrip("\r\n")
    if stripped != last:
        return types.Position(len(lines), 0)
    return types.Position(len(lines) - 1, codec.client_num_units(stripped))


def diff_edits(old: str, new: str, codec: PositionCodec) -> list[types.TextEdit]:
    """Edits that turn ``old`` into ``new``, replacing only the lines that differ.

    Smaller than one whole-document edit, so editors keep the cursor, folds and
    markers outside the changed lines.
    """
    old_lines, new_lines = split_lines(old), split_lines(new)
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    edits = []
    for tag, start, end, new_start, new_end in matcher.get_opcodes():
        if tag == "equal":
            continue
        edits.append(
            types.TextEdit(
                types.Range(_boundary(old_lines, start, codec), _boundary(old_lines, end, codec)),
                "".join(new_lines[new_start:new_end]),
            )
        )
    return edits
