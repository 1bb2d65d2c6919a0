"""Positions of reported nodes, computed only for the statements that hold findings.

libcst's ``PositionProvider`` regenerates the whole module to know where every
node is; findings are rare, so this computes it per top-level statement: the
statement is wrapped in a one-statement module, positioned there, and shifted
by the number of lines before it (counted from the generated code of the
statements above, which is cheap next to position tracking).
"""

from __future__ import annotations

from collections.abc import Mapping

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

from .sources import split_lines


class PositionIndex:
    """``range_of(node)``: the node's 1-based start/end (end exclusive) in the module."""

    def __init__(self, module: cst.Module) -> None:
        self.module = module
        self._line_offsets: list[int] = [len(module.header)]
        self._ranges: dict[int, Mapping[cst.CSTNode, CodeRange]] = {}
        self._statement_of: dict[int, int] | None = None

    def _offset(self, index: int) -> int:
        """Lines before top-level statement ``index``."""
        body = self.module.body
        while len(self._line_offsets) <= index:
            previous = len(self._line_offsets) - 1
            code = self.module.code_for_node(body[previous])
            self._line_offsets.append(self._line_offsets[-1] + len(split_lines(code)))
        return self._line_offsets[index]

    def _statement_ranges(self, index: int) -> Mapping[cst.CSTNode, CodeRange]:
        ranges = self._ranges.get(index)
        if ranges is None:
            single = self.module.with_changes(body=[self.module.body[index]], header=[], footer=[])
            wrapper = MetadataWrapper(single, unsafe_skip_copy=True)
            ranges = self._ranges[index] = wrapper.resolve(PositionProvider)
        return ranges

    def _find_statement(self, node: cst.CSTNode) -> int | None:
        if self._statement_of is None:
            from .walker import child_fields

            owner: dict[int, int] = {}

            def mark(child: object, index: int) -> None:
                owner[id(child)] = index
                for name in child_fields(type(child)):
                    value = getattr(child, name)
                    if isinstance(value, cst.CSTNode):
                        mark(value, index)
                    elif isinstance(value, (tuple, list)):
                        for item in value:
                            if isinstance(item, cst.CSTNode):
                                mark(item, index)

            for index, statement in enumerate(self.module.body):
                mark(statement, index)
            self._statement_of = owner
        return self._statement_of.get(id(node))

    def range_of(self, node: cst.CSTNode, hint: int | None = None) -> tuple[int, int, int, int]:
        """(line, column, end_line, end_column), 1-based; ``hint`` is a statement index guess."""
        if isinstance(node, cst.Module):
            lines = split_lines(self.module.code)
            return 1, 1, max(len(lines), 1), 1
        found: CodeRange | None = None
        index = hint
        if index is not None and 0 <= index < len(self.module.body):
            found = self._statement_ranges(index).get(node)
        if found is None:
            index = self._find_statement(node)
            if index is None:
                raise LookupError(f"{type(node).__name__} node is not part of the module")
            found = self._statement_ranges(index)[node]
        assert index is not None
        shift = self._offset(index)
        start, end = found.start, found.end
        return start.line + shift, start.column + 1, end.line + shift, end.column + 1
