"""Tab-indented code that libcst's tokenizer rejects but Python accepts.

Python reads a tab in the indentation as a move to the next multiple of 8 columns, so a
block indented ``"\\t       "`` (15 columns) may sit next to one indented with 12
spaces. libcst compares indentation strings instead and gives up ("no matching outer
block for dedent"). Such a file is analysed as its indentation-expanded copy, which
has the same lines and the same meaning; the findings' columns are mapped back, and
their automatic edits are dropped (they were computed on the copy's text).
"""

from __future__ import annotations

import dataclasses

from .findings import Finding
from .lines import split_lines


def expand_indentation(text: str) -> str | None:
    """``text`` with the tabs of each line's indentation expanded as Python reads them,
    or None when no line is indented with a tab."""
    lines = split_lines(text)
    changed = False
    out: list[str] = []
    for line in lines:
        body = line.lstrip(" \t")
        indent = line[: len(line) - len(body)]
        if "\t" in indent:
            changed = True
            indent = indent.expandtabs(8)
        out.append(indent + body)
    return "".join(out) if changed else None


def map_back(findings: list[Finding], original: str) -> list[Finding]:
    """The findings of the expanded copy with columns of ``original`` and no edits."""
    widths = [_indent_widths(line) for line in split_lines(original)]

    def column(line: int, col: int) -> int:
        if not 1 <= line <= len(widths):
            return col
        written, expanded = widths[line - 1]
        if col - 1 <= expanded:  # within the indentation: its end in the original
            return min(col, written + 1)
        return col - (expanded - written)

    mapped: list[Finding] = []
    for finding in findings:
        related = tuple(
            dataclasses.replace(
                r, column=column(r.line, r.column), end_column=column(r.end_line, r.end_column)
            )
            for r in finding.related
        )
        mapped.append(
            dataclasses.replace(
                finding,
                column=column(finding.line, finding.column),
                end_column=column(finding.end_line, finding.end_column),
                fix=dataclasses.replace(finding.fix, edits=()) if finding.fix else None,
                related=related,
            )
        )
    return mapped


def _indent_widths(line: str) -> tuple[int, int]:
    """(characters, columns once expanded) of the line's indentation."""
    body = line.lstrip(" \t")
    indent = line[: len(line) - len(body)]
    return len(indent), len(indent.expandtabs(8))
