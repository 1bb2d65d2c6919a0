"""Physical and logical lines of Python text, without tokenizing (the text may not parse).

:func:`split_lines` splits as Python does (only ``\\r\\n``, ``\\r`` and ``\\n`` end a line);
:class:`LogicalLines` follows brackets, strings and backslashes line by line, so that
IPython masking and the statement-by-statement parser know where a statement starts.
"""

from __future__ import annotations

import re

_NEWLINE_RE = re.compile(r"\r\n|\r|\n")
# Characters that change the state of LogicalLines, and the ends of each kind of string.
_SPECIAL = re.compile(r"[#'\"()\[\]{}]")
_STRING_END = {quote: re.compile(r"\\.|" + quote) for quote in ('"', "'", '"""', "'''")}


def split_lines(text: str) -> list[str]:
    """Lines with their endings; only ``\\r\\n``, ``\\r`` and ``\\n`` end a line (as in Python)."""
    lines: list[str] = []
    start = 0
    for match in _NEWLINE_RE.finditer(text):
        lines.append(text[start : match.end()])
        start = match.end()
    if start < len(text):
        lines.append(text[start:])
    return lines


class LogicalLines:
    """Tracks brackets, strings and backslashes to know where a Python statement starts."""

    def __init__(self) -> None:
        self.depth = 0
        self.string: str | None = None
        self.continued = False

    @property
    def at_statement_start(self) -> bool:
        return self.depth == 0 and self.string is None and not self.continued

    def feed(self, line: str) -> int | None:
        """Consume one physical line; return the column where its comment starts, if any."""
        body = line.rstrip("\r\n")
        length = len(body)
        comment_at: int | None = None
        i = 0
        while i < length:
            if self.string is not None:
                ending = _STRING_END[self.string]
                found = ending.search(body, i)
                while found is not None and found.group() != self.string:
                    found = ending.search(body, found.end())  # an escaped character
                if found is None:
                    if len(self.string) == 1 and not body.endswith("\\"):
                        self.string = None  # unterminated: the parser will say so
                    break
                i = found.end()
                self.string = None
                continue
            special = _SPECIAL.search(body, i)
            if special is None:
                break
            char, i = special.group(), special.start()
            if char == "#":
                comment_at = i
                break
            if char in "([{":
                self.depth += 1
            elif char in ")]}":
                self.depth = max(0, self.depth - 1)
            else:
                triple = body[i : i + 3]
                self.string = triple if triple in ('"""', "'''") else char
                i += len(self.string)
                continue
            i += 1
        self.continued = self.string is None and comment_at is None and body.endswith("\\")
        return comment_at
