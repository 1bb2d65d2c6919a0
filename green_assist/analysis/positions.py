"""Positions of reported nodes, computed only for the statements that hold findings.

libcst nodes carry no positions: ``PositionProvider`` regenerates the whole module
to know where every node is, which costs more than parsing. Findings are rare, so
this positions one statement at a time:

1. the walker records each node's innermost statement (``StatementMap``);
2. Python's ``ast`` (a fast C parser) gives each statement's first line and
   indentation; libcst and ``ast`` list statements in the same order;
3. the statement alone is regenerated with libcst's position-tracking code
   generator, started at that line and indentation. For a compound statement the
   header is tried first, with the body stubbed out, since nodes of the body belong
   to inner statements.

If anything does not line up (``ast`` rejects code that libcst accepts, say), the
whole module is regenerated once instead: slower, same result.
"""

from __future__ import annotations

import ast
import threading
import warnings
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import libcst as cst
from libcst.metadata import CodeRange
from libcst.metadata.position_provider import PositionProvidingCodegenState

from .context import StatementMap
from .lines import split_lines

# Statements' positions relative to their first line, kept across analyses: after an
# edit, the statements of unchanged pieces (see chunks.py) are the same objects.
_RELATIVE_CACHE_SIZE = 4096
_relative: OrderedDict[
    tuple[int, bool, str, str], tuple[cst.CSTNode, Mapping[cst.CSTNode, CodeRange]]
] = OrderedDict()
_lock = threading.Lock()
_STUB_BODY = cst.IndentedBlock(body=[cst.SimpleStatementLine(body=[cst.Pass()])])
_COMPOUND_FIELDS = ("body", "handlers", "orelse", "finalbody", "cases")


class _Sink:
    """Stands in for a metadata provider: the code generator writes ranges here."""

    def __init__(self) -> None:
        self._computed: dict[cst.CSTNode, CodeRange] = {}


def generated_positions(
    node: cst.CSTNode, module: cst.Module, line: int = 1, indent: str = ""
) -> Mapping[cst.CSTNode, CodeRange]:
    """Ranges of ``node`` and its children when its code starts at ``line`` after ``indent``."""
    sink = _Sink()
    state = PositionProvidingCodegenState(
        default_indent=module.default_indent,
        default_newline=module.default_newline,
        provider=sink,  # type: ignore[arg-type]
    )
    if indent:
        state.indent_tokens = [indent]
    state.line = line
    node._codegen(state)
    return sink._computed


def ast_statement_lines(tree: ast.Module) -> tuple[tuple[int, int], ...]:
    """(line, first decorator's line or 0) of every statement, in the order libcst's walk
    meets them."""
    found: list[tuple[int, int]] = []

    def add(statements: list[ast.stmt]) -> None:
        for statement in statements:
            decorators = getattr(statement, "decorator_list", None)
            found.append((statement.lineno, decorators[0].lineno if decorators else 0))
            for name in _COMPOUND_FIELDS:
                for child in getattr(statement, name, ()):
                    if isinstance(child, ast.stmt):
                        add([child])
                    else:  # except handlers and match cases hold their own bodies
                        add(child.body)

    add(tree.body)
    return tuple(found)


# Python warns about suspicious code (``"a"()``, ``is 1``) while compiling it; the
# analyzer compiles other people's code to learn line numbers, so those are not ours.
_AST_FILENAME = "<green-assist>"
warnings.filterwarnings("ignore", category=SyntaxWarning, module=_AST_FILENAME)


def parse_ast(text: str) -> ast.Module | None:
    """``ast`` of ``text`` (top-level ``await`` allowed, as in notebooks); None if invalid."""
    try:
        tree: ast.Module = compile(
            text, _AST_FILENAME, "exec", ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, True
        )
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    return tree


def text_anchors(text: str) -> list[tuple[int, int, str]] | None:
    """(line, decorator line or 0, indentation) of every statement of ``text``, in the
    order libcst's walk meets them (None when ``ast`` rejects the text)."""
    tree = parse_ast(text)
    if tree is None:
        return None
    lines = split_lines(text)
    found: list[tuple[int, int, str]] = []
    for line, decorator_line in ast_statement_lines(tree):
        first = decorator_line or line
        source_line = lines[first - 1] if first <= len(lines) else ""
        indent = source_line[: len(source_line) - len(source_line.lstrip(" \t\f"))]
        found.append((line, decorator_line, indent))
    return found


def _first_code_line(statement: cst.CSTNode) -> int:
    """1-based line, within the statement's own code, of the line ``ast`` reports."""
    leading = len(getattr(statement, "leading_lines", ()))
    decorators = getattr(statement, "decorators", ())
    if decorators:
        return leading + len(decorators[0].leading_lines) + 1
    return leading + 1


class PositionIndex:
    """``range_of(node)``: (line, column, end_line, end_column), 1-based, end exclusive."""

    def __init__(
        self,
        module: cst.Module,
        text: str,
        statements: StatementMap,
        anchors: Callable[[], Sequence[tuple[int, int, str]] | None] | None = None,
    ) -> None:
        """``anchors`` gives :func:`text_anchors` for the module (``chunks.py`` supplies
        them from its cached pieces; by default ``text`` is parsed with ``ast``)."""
        self.module = module
        self.statements = statements
        self._statement_anchors = anchors or (lambda: text_anchors(text))
        self._anchors: dict[int, tuple[int, str]] | None = None
        self._anchored = False
        self._whole: Mapping[cst.CSTNode, CodeRange] | None = None

    def _build_anchors(self) -> dict[int, tuple[int, str]] | None:
        """id(statement) -> (first line of its code, indentation), from ``ast``."""
        flat = self._statement_anchors()
        if flat is None:
            return None
        anchors: dict[int, tuple[int, str]] = {}
        index = 0
        for node in self.statements.sequence:
            simple = isinstance(node, (cst.SimpleStatementLine, cst.SimpleStatementSuite))
            weight = len(getattr(node, "body", ())) if simple else 1
            if index >= len(flat):
                return None
            if not isinstance(node, cst.SimpleStatementSuite):
                line, decorator_line, indent = flat[index]
                line = decorator_line or line
                anchors[id(node)] = (line - _first_code_line(node) + 1, indent)
            index += weight
        return anchors if index == len(flat) else None

    def first_line(self, statement: cst.CSTNode) -> int | None:
        """The first line of a statement (its first decorator's), cheaply: no codegen."""
        if not self._anchored:
            self._anchors, self._anchored = self._build_anchors(), True
        anchor = self._anchors.get(id(statement)) if self._anchors else None
        return anchor[0] if anchor is not None else None

    def _statement_ranges(
        self, statement: cst.CSTNode, header_only: bool
    ) -> tuple[Mapping[cst.CSTNode, CodeRange], int] | None:
        """Ranges of the statement's nodes relative to its first line, and that line."""
        if not self._anchored:
            self._anchors, self._anchored = self._build_anchors(), True
        anchor = self._anchors.get(id(statement)) if self._anchors else None
        if anchor is None:
            return None
        first_line, indent = anchor
        key = (id(statement), header_only, indent, self.module.default_indent)
        with _lock:
            cached = _relative.get(key)
        if cached is not None and cached[0] is statement:
            return cached[1], first_line
        ranges = self._generate(statement, header_only, indent)
        if ranges is None:
            return None
        with _lock:
            _relative[key] = (statement, ranges)
            if len(_relative) > _RELATIVE_CACHE_SIZE:
                _relative.popitem(last=False)
        return ranges, first_line

    def _generate(
        self, statement: cst.CSTNode, header_only: bool, indent: str
    ) -> Mapping[cst.CSTNode, CodeRange] | None:
        target = statement
        if header_only:
            body = getattr(statement, "body", None)
            if not isinstance(body, cst.IndentedBlock) or isinstance(statement, cst.TryStar):
                return None
            changes: dict[str, Any] = {"body": _STUB_BODY}
            for name in ("orelse", "finalbody"):
                if getattr(statement, name, None) is not None:
                    changes[name] = None
            if isinstance(statement, cst.Try):
                changes["handlers"] = ()
                changes["finalbody"] = cst.Finally(body=_STUB_BODY)
            target = statement.with_changes(**changes)
        ranges = generated_positions(target, self.module, 1, indent)
        if header_only:
            stub = ranges[_STUB_BODY].start
            ranges = {
                node: r
                for node, r in ranges.items()
                if (r.end.line, r.end.column) <= (stub.line, stub.column)
            }
        return ranges

    def _find(self, node: cst.CSTNode) -> tuple[CodeRange, int]:
        """The node's range and the line offset to add to it."""
        statement = self.statements.owner.get(id(node))
        if statement is not None:
            if isinstance(statement, cst.BaseCompoundStatement):
                header = self._statement_ranges(statement, header_only=True)
                if header is not None and node in header[0]:
                    return header[0][node], header[1] - 1
            ranges = self._statement_ranges(statement, header_only=False)
            if ranges is not None and node in ranges[0]:
                return ranges[0][node], ranges[1] - 1
        if self._whole is None:
            self._whole = generated_positions(self.module, self.module)
        return self._whole[node], 0

    @property
    def used_whole_module(self) -> bool:
        """True when some position needed the slow path (for tests and profiling)."""
        return self._whole is not None

    def range_of(self, node: cst.CSTNode) -> tuple[int, int, int, int]:
        found, shift = self._find(node)
        start, end = found.start, found.end
        return start.line + shift, start.column + 1, end.line + shift, end.column + 1
