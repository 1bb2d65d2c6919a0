"""Parse a module one top-level statement at a time, reusing statements parsed before.

The sidebar and the language server re-analyse a file on every edit, and an edit
touches one top-level statement (a function, a class, a cell's line). Parsing with
libcst is the largest cost of an analysis, so the text is cut before each top-level
statement, every piece is parsed on its own and kept in a bounded cache keyed by its
text, and the pieces are joined into one ``libcst.Module`` whose code is exactly the
original text. Unchanged pieces come from the cache; so do their ``ast`` statement
lines, which ``positions.py`` needs.

A piece starts at a statement that begins in column 0 (not ``else``/``elif``/
``except``/``finally``, not the ``def`` under a decorator) together with the blank and
column-0 comment lines just above it. Texts with ``\\r`` newlines, and pieces that do
not parse alone, fall back to one ordinary parse (the caller's job).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

import libcst as cst

from .lines import LogicalLines, split_lines
from .nesting import SUSPICIOUS_DEPTH, bracket_depth
from .suppressions import suppressions

Statement = cst.SimpleStatementLine | cst.BaseCompoundStatement
# Bounded: a few thousand statements of recently analysed files.
CACHE_SIZE = 4096
_CONTINUATIONS = ("else", "elif", "except", "finally")


@dataclass
class Chunk:
    """One parsed piece: its module, its statements with leading lines folded in, ``ast`` lines."""

    text: str
    module: cst.Module
    # The piece's statements as they sit after another piece (its header folded into
    # the first statement's leading lines), built once.
    following: list[Statement] = field(default_factory=list)
    # (first line, first decorator line or 0, indentation) of every statement, relative
    # to the piece; None until asked for, () when ``ast`` rejects the piece.
    statement_lines: tuple[Anchor, ...] | None = None
    # ``# green: ignore`` comments: {line in the piece: codes}, read once with the piece.
    silenced: dict[int, frozenset[str]] = field(default_factory=dict)


# (first line, first decorator line or 0, the line's indentation) of a statement.
Anchor = tuple[int, int, str]


_cache: OrderedDict[str, Chunk] = OrderedDict()
_lock = threading.Lock()  # the server analyses in a thread pool


def _starts_piece(line: str, after_decorator: bool) -> bool:
    if not line or line[0] in " \t\f#\r\n" or after_decorator:
        return False
    word = line.split(None, 1)[0].rstrip(":")
    return word not in _CONTINUATIONS


def split_pieces(text: str) -> list[tuple[int, str]]:
    """(first line, text) of each piece; joined, the texts are ``text``."""
    lines = split_lines(text)
    starts: list[int] = []
    tracker = LogicalLines()
    after_decorator = False
    for number, line in enumerate(lines):
        if tracker.at_statement_start and line.strip() and not line.lstrip().startswith("#"):
            if _starts_piece(line, after_decorator):
                starts.append(number)
            after_decorator = line.startswith("@")
        tracker.feed(line)
    pieces: list[tuple[int, str]] = []
    boundaries: list[int] = []
    for start in starts:
        # Blank lines and column-0 comments just above a statement belong to it.
        while start > 0 and (not lines[start - 1].strip() or lines[start - 1].startswith("#")):
            start -= 1
        if not boundaries or start > boundaries[-1]:
            boundaries.append(start)
    if not boundaries or boundaries[0] != 0:
        boundaries.insert(0, 0)
    boundaries.append(len(lines))
    for begin, end in zip(boundaries, boundaries[1:], strict=False):
        if end > begin:
            pieces.append((begin + 1, "".join(lines[begin:end])))
    return pieces


class TooDeep(ValueError):
    """A piece nested too deeply for libcst's native parser (see nesting.py)."""


def _chunk(text: str, cached: bool = True) -> Chunk:
    """The parsed piece, from the cache unless ``cached`` is False (a fresh copy)."""
    with _lock:
        found = _cache.get(text) if cached else None
        if found is not None:
            _cache.move_to_end(text)
            return found
    if bracket_depth(text) > SUSPICIOUS_DEPTH:
        raise TooDeep  # never hand it to libcst; the whole-text path reports it
    module = cst.parse_module(text)
    statements = list(module.body)
    if statements and module.header:
        statements[0] = statements[0].with_changes(
            leading_lines=[*module.header, *statements[0].leading_lines]
        )
    found = Chunk(text, module, statements, silenced=suppressions(text))
    if not cached:
        return found
    with _lock:
        _cache[text] = found
        if len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return found


def statement_lines(chunk: Chunk) -> tuple[Anchor, ...]:
    """The piece's statement anchors (``ast`` lines and indents), computed once per piece."""
    if chunk.statement_lines is None:
        from .positions import text_anchors

        found = chunk.statement_lines = tuple(text_anchors(chunk.text) or ())
        return found
    return chunk.statement_lines


def _indents(text: str) -> bool:
    return "\n " in text or "\n\t" in text or text.startswith((" ", "\t"))


@dataclass
class ChunkedModule:
    """The joined module, and for each piece its first line and cached parse: everything
    later stages need from the text (statement anchors, suppression comments) comes from
    the pieces, computed once per piece text and reused while the piece is cached."""

    module: cst.Module
    pieces: list[tuple[int, Chunk]]

    def anchors(self) -> list[Anchor] | None:
        """Statement anchors of the whole module, in the order libcst's walk meets them."""
        found: list[Anchor] = []
        for start, chunk in self.pieces:
            shift = start - 1
            for line, decorator_line, indent in statement_lines(chunk):
                found.append(
                    (line + shift, decorator_line + shift if decorator_line else 0, indent)
                )
        return found

    def suppressions(self) -> dict[int, frozenset[str]]:
        """``# green: ignore`` comments by module line."""
        found: dict[int, frozenset[str]] = {}
        for start, chunk in self.pieces:
            for line, codes in chunk.silenced.items():
                found[line + start - 1] = codes
        return found


def parse_chunked(text: str) -> ChunkedModule | None:
    """Parse ``text`` piece by piece (see the module docstring); None to fall back."""
    if "\r" in text:
        return None
    parsed: list[tuple[int, Chunk]] = []
    used: set[int] = set()
    try:
        for start, piece_text in split_pieces(text):
            chunk = _chunk(piece_text)
            if id(chunk) in used:
                # The same text twice in one file (a repeated cell line): rules and
                # positions tell nodes apart by identity, so this one gets its own parse.
                chunk = _chunk(piece_text, cached=False)
            used.add(id(chunk))
            parsed.append((start, chunk))
    except Exception:  # a piece that does not parse alone: let the full parse decide
        return None
    if not parsed:
        return None
    body: list[Statement] = []
    pending: list[cst.EmptyLine] = []  # lines that go in front of the next statement
    first = parsed[0][1].module
    for index, (_, chunk) in enumerate(parsed):
        piece = chunk.module
        statements = list(piece.body) if index == 0 else chunk.following
        if not statements:
            pending += [] if index == 0 else list(piece.header)
        elif pending:  # rare: a piece that ended in oddly indented comments
            statements = list(statements)
            statements[0] = statements[0].with_changes(
                leading_lines=[*pending, *statements[0].leading_lines]
            )
            pending = []
        pending += list(piece.footer)
        body.extend(statements)
    indents = {c.module.default_indent for _, c in parsed if _indents(c.text)}
    if len(indents) > 1:
        return None  # pieces indented differently: their blocks' default indents differ
    indent = indents.pop() if indents else first.default_indent
    module = cst.Module(
        body=body,
        header=first.header,
        footer=pending,
        encoding=first.encoding,
        default_indent=indent,
        default_newline="\n",
        has_trailing_newline=parsed[-1][1].module.has_trailing_newline,
    )
    return ChunkedModule(module, [(start, chunk) for start, chunk in parsed])
