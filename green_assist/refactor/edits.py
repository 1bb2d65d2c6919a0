"""Planned changes to one parsed module, applied in a single libcst transform.

Refactors first look at the original tree and record what to change, keyed on the
original nodes; :meth:`ModuleEdits.apply` then rebuilds the tree once. Changes
to a node and to statements inside it compose: a block is rebuilt from its
already transformed statements, so a statement wrapped in ``with autocast`` keeps
the edits made inside it.

Comments and blank lines above a statement stay on top: when statements are
inserted before it (or it is wrapped), its ``leading_lines`` move to the first new
statement. That is also what keeps a notebook's cell marker comments in place.

Why not ``libcst.codemod``: its import helper adds imports at the top of the module
(a notebook's first cell, not the cell that needs them, see ``imports.py``), and its
transforms may move the cell markers and masked IPython lines that let a joined
notebook be split back into cells (CONTRIBUTING.md, "Add a refactor").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

import libcst as cst

Statement = cst.BaseStatement
Replacement: TypeAlias = "cst.CSTNode | Callable[[Any], cst.CSTNode]"


@dataclass
class _Wrap:
    last: Statement
    build: Callable[[list[Statement]], Statement]


def _body(node: cst.CSTNode) -> Sequence[Statement] | None:
    if isinstance(node, (cst.Module, cst.IndentedBlock)):
        return node.body
    return None


def move_leading_lines(source: Statement, target: Statement) -> tuple[Statement, Statement]:
    """``target`` takes the comments and blank lines above ``source`` (which loses them)."""
    lines = getattr(source, "leading_lines", ())
    if not lines:
        return source, target
    return source.with_changes(leading_lines=()), target.with_changes(leading_lines=lines)


class ModuleEdits:
    """Changes to make, keyed on nodes of the original module (see the module docstring)."""

    def __init__(self) -> None:
        self._replace: dict[cst.CSTNode, Replacement] = {}
        self._before: dict[Statement, list[Statement]] = {}
        self._after: dict[Statement, list[Statement]] = {}
        self._wraps: dict[Statement, _Wrap] = {}
        self._removed: set[Statement] = set()
        self._padding: dict[Statement, int] = {}

    def __bool__(self) -> bool:
        return bool(self._replace or self._before or self._after or self._wraps or self._removed)

    def replace(self, node: cst.CSTNode, new: Replacement) -> None:
        """Replace ``node``: by a node, or by ``new(updated_node)`` (keeps inner edits)."""
        self._replace[node] = new

    def insert_before(self, statement: Statement, new: Sequence[Statement]) -> None:
        self._before.setdefault(statement, []).extend(new)

    def insert_after(self, statement: Statement, new: Sequence[Statement]) -> None:
        self._after.setdefault(statement, []).extend(new)

    def remove(self, statement: Statement) -> None:
        self._removed.add(statement)

    def pad(self, statement: Statement, blank_lines: int) -> None:
        """At least ``blank_lines`` empty lines above ``statement`` (after an inserted def)."""
        self._padding[statement] = max(blank_lines, self._padding.get(statement, 0))

    def wrap(
        self, first: Statement, last: Statement, build: Callable[[list[Statement]], Statement]
    ) -> None:
        """Replace the statements ``first``..``last`` of one block by ``build(statements)``."""
        self._wraps[first] = _Wrap(last, build)

    def replacement(self, node: cst.CSTNode) -> Replacement | None:
        return self._replace.get(node)

    def apply(self, module: cst.Module) -> cst.Module:
        result = module.visit(_Applier(self))
        assert isinstance(result, cst.Module)
        return result

    def rebuild_body(
        self, original: Sequence[Statement], updated: Sequence[Statement]
    ) -> list[Statement]:
        """The new statement list of one block (``updated`` matches ``original`` item by item)."""
        out: list[Statement] = []
        carried: list[cst.EmptyLine] = []  # comments above a removed statement
        index = 0
        while index < len(original):
            statement = original[index]
            wrap = self._wraps.get(statement)
            if wrap is not None:
                end = next(i for i in range(index, len(original)) if original[i] is wrap.last)
                group = list(updated[index : end + 1])
                lines = getattr(group[0], "leading_lines", ())
                group[0] = group[0].with_changes(leading_lines=())
                new = wrap.build(group).with_changes(leading_lines=lines)
                produced = self._surround(statement, original[end], new)
                index = end + 1
            elif statement in self._removed:
                carried.extend(getattr(updated[index], "leading_lines", ()))
                produced = [*self._before.get(statement, ()), *self._after.get(statement, ())]
                index += 1
            else:
                produced = self._surround(statement, statement, updated[index])
                index += 1
            if produced and carried:
                first = produced[0]
                lines = [*carried, *getattr(first, "leading_lines", ())]
                produced[0] = first.with_changes(leading_lines=lines)
                carried = []
            out.extend(produced)
        return out

    def _surround(self, first: Statement, last: Statement, new: Statement) -> list[Statement]:
        before = list(self._before.get(first, ()))
        if before:
            new, moved = move_leading_lines(new, before[0])
            before[0] = moved
        padding = self._padding.get(first, 0)
        # Blank lines asked for above ``first`` (after a def) go after the last def inserted
        # here, else above the statements inserted before ``first``: those stay with it.
        produced = [*before, new]
        defs = [i for i, s in enumerate(before) if isinstance(s, (cst.FunctionDef, cst.ClassDef))]
        at = defs[-1] + 1 if defs else 0
        produced[at] = _padded(produced[at], padding)
        return [*produced, *self._after.get(last, ())]


def _padded(statement: Statement, padding: int) -> Statement:
    """``statement`` with at least ``padding`` blank lines above it (comments count after)."""
    lines = list(getattr(statement, "leading_lines", ()))
    blank = next((i for i, line in enumerate(lines) if line.comment is not None), len(lines))
    if padding > blank:
        return statement.with_changes(leading_lines=[cst.EmptyLine()] * (padding - blank) + lines)
    return statement


class _Applier(cst.CSTTransformer):
    def __init__(self, edits: ModuleEdits) -> None:
        super().__init__()
        self.edits = edits

    def on_leave(self, original_node: Any, updated_node: Any) -> Any:
        original_body = _body(original_node)
        if original_body is not None:
            new_body = self.edits.rebuild_body(original_body, _body(updated_node) or ())
            updated_node = updated_node.with_changes(body=new_body)
        replacement = self.edits.replacement(original_node)
        if replacement is None:
            return updated_node
        if isinstance(replacement, cst.CSTNode):
            return replacement
        return replacement(updated_node)


def statement(code: str, module: cst.Module) -> Statement:
    """Parse one statement with the module's newline and indentation conventions."""
    return cst.parse_statement(code, config=module.config_for_parsing)


def statements(code: str, module: cst.Module) -> list[Statement]:
    """Parse several statements (a template) with the module's conventions."""
    parsed = cst.parse_module(code, config=module.config_for_parsing)
    body: list[Statement] = list(parsed.body)
    if parsed.header and body:  # comments above the first statement belong to it
        first = body[0]
        body[0] = first.with_changes(
            leading_lines=[*parsed.header, *getattr(first, "leading_lines", ())]
        )
    return body


def with_block(header: str, body: Sequence[Statement], module: cst.Module) -> cst.With:
    """``with <header>:`` around ``body`` (statements keep their own comments)."""
    template = statement(f"with {header}:\n{module.default_indent}pass\n", module)
    assert isinstance(template, cst.With)
    block = template.body
    assert isinstance(block, cst.IndentedBlock)
    return template.with_changes(body=block.with_changes(body=list(body)))
