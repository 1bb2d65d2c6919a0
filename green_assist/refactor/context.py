"""What a refactor works with: the parsed module and its metadata, options, edits, notes.

One :class:`RefactorContext` is made per run. It resolves names through imports
(libcst's ``QualifiedNameProvider``, through the analyzer's
:class:`~green_assist.analysis.names.NameResolver`), knows node positions and
parents, maps nodes to notebook cells, and collects the planned edits, the
imports and top-level definitions to add, and notes for the user.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from typing import Any, NoReturn

import libcst as cst
from libcst.metadata import (
    MetadataWrapper,
    ParentNodeProvider,
    PositionProvider,
    QualifiedNameProvider,
)

from ..analysis.helpers import dotted_name, int_value
from ..analysis.names import ImportTable, NameResolver
from ..analysis.sources import NotebookSource, PythonSource
from ..analysis.walker import children
from ..target import ANY, Target
from .base import RefactorRefused
from .edits import ModuleEdits, Statement
from .imports import ImportPlan, is_docstring, is_import, is_masked_magic

Source = PythonSource | NotebookSource


class RefactorContext:
    """See the module docstring. ``cell`` limits the refactor to one notebook cell (0-based)."""

    def __init__(
        self,
        module: cst.Module,
        source: Source,
        options: Mapping[str, Any],
        cell: int | None = None,
        target: Target = ANY,
    ) -> None:
        wrapper = MetadataWrapper(module)
        self.module = wrapper.module
        metadata = wrapper.resolve_many(
            [QualifiedNameProvider, PositionProvider, ParentNodeProvider]
        )
        self._positions: Mapping[cst.CSTNode, Any] = metadata[PositionProvider]
        self._parents: Mapping[cst.CSTNode, Any] = metadata[ParentNodeProvider]
        self.names = NameResolver(ImportTable.build(self.module), metadata[QualifiedNameProvider])
        self.source = source
        self.options = dict(options)
        self.cell = cell
        self.target = target  # the hardware the notes speak of (the code decides at run time)
        self.edits = ModuleEdits()
        self.notes: list[str] = []
        self.nodes = list(iter_all(self.module))  # every node, in source order
        self.used_names = {node.value for node in self.nodes if isinstance(node, cst.Name)}
        self.imports = ImportPlan(self.module, self.used_names)
        self._definitions: list[tuple[list[Statement], cst.CSTNode]] = []
        # Facts about a node that every step inside it asks for (the calls naming a
        # device in a loop), found once per run: a file of many steps stays linear.
        self.memo: dict[tuple[str, int], Any] = {}

    # -- names -------------------------------------------------------------------------
    def qualified_names(self, node: cst.CSTNode) -> frozenset[str]:
        """Where ``node`` (name, attribute or call) comes from: ``{"torch.autocast"}``."""
        return self.names.qualified_names(node)

    def match(self, node: cst.CSTNode, names: Collection[str]) -> str | None:
        """The first of ``names`` that ``node`` resolves to, or None."""
        return next((name for name in self.qualified_names(node) if name in names), None)

    def reference(
        self,
        qualified: str,
        anchor: cst.CSTNode,
        from_import: bool = False,
        submodule: bool = False,
    ) -> str:
        """Text naming ``qualified`` at ``anchor``, planning an import if needed."""
        return self.imports.reference(qualified, anchor, from_import, submodule)

    def fresh_name(self, wanted: str, *fallbacks: str) -> str:
        """``wanted`` unless the code already uses it; then a fallback or ``wanted_2``..."""
        for candidate in (wanted, *fallbacks):
            if candidate not in self.used_names:
                self.used_names.add(candidate)
                return candidate
        number = 2
        while f"{wanted}_{number}" in self.used_names:
            number += 1
        self.used_names.add(f"{wanted}_{number}")
        return f"{wanted}_{number}"

    def int_constant(self, node: cst.BaseExpression) -> int | None:
        """An integer literal, or a module-level name assigned one exactly once."""
        found = int_value(node)
        if found is not None or not isinstance(node, cst.Name):
            return found
        values = [
            int_value(statement.body[0].value)
            for statement in self.module.body
            if isinstance(statement, cst.SimpleStatementLine)
            and isinstance(statement.body[0], cst.Assign)
            and any(
                isinstance(t.target, cst.Name) and t.target.value == node.value
                for t in statement.body[0].targets
            )
        ]
        return values[0] if len(values) == 1 else None

    # -- structure ---------------------------------------------------------------------
    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        return self._parents.get(node)

    def ancestors(self, node: cst.CSTNode) -> Iterator[cst.CSTNode]:
        current = self._parents.get(node)
        while current is not None:
            yield current
            current = self._parents.get(current)

    def statement_of(self, node: cst.CSTNode) -> Statement | None:
        """The innermost statement (simple line or compound) holding ``node``."""
        current: cst.CSTNode | None = node
        while current is not None and not isinstance(
            current, (cst.SimpleStatementLine, cst.BaseCompoundStatement)
        ):
            current = self._parents.get(current)
        return current

    def block_of(self, statement: Statement) -> tuple[cst.CSTNode, Sequence[Statement], int]:
        """(owner, statements, index): the block that lists ``statement``."""
        owner = self._parents.get(statement)
        if isinstance(owner, (cst.Module, cst.IndentedBlock)):
            key = ("positions", id(owner))
            if key not in self.memo:
                self.memo[key] = {id(s): p for p, s in enumerate(owner.body)}
            return owner, owner.body, self.memo[key][id(statement)]
        raise RefactorRefused(
            "a statement to change shares its line with a compound statement"
            " (`if x: a; b`); put it on its own line first"
        )

    def scope_of(self, node: cst.CSTNode) -> cst.Module | cst.FunctionDef:
        """The function (or the module) whose body holds ``node``."""
        for ancestor in self.ancestors(node):
            if isinstance(ancestor, cst.FunctionDef):
                return ancestor
        return self.module

    def top_level(self, node: cst.CSTNode) -> Statement:
        """The statement of ``module.body`` holding ``node``."""
        current = node
        for ancestor in self.ancestors(node):
            if isinstance(ancestor, cst.Module):
                return current  # type: ignore[return-value]
            current = ancestor
        raise ValueError("node is not in the module")

    def line_of(self, node: cst.CSTNode) -> int:
        return int(self._positions[node].start.line)

    def code(self, node: cst.CSTNode) -> str:
        return self.module.code_for_node(node)

    def short(self, node: cst.CSTNode, limit: int = 60) -> str:
        """One-line source of ``node`` for notes and reasons (without comments above it)."""
        if isinstance(node, cst.SimpleStatementLine):  # without the comment after it
            text = "; ".join(self.code(small) for small in node.body)
        else:
            if getattr(node, "leading_lines", None):
                node = node.with_changes(leading_lines=())
            text = self.code(node)
        text = " ".join(text.split())
        return text if len(text) <= limit else text[: limit - 3] + "..."

    # -- notebooks ---------------------------------------------------------------------
    def cell_of(self, node: cst.CSTNode) -> int | None:
        """0-based index of the notebook cell holding ``node`` (None for ``.py`` files)."""
        if not isinstance(self.source, NotebookSource):
            return None
        found = self.source.cell_at(self.line_of(node))
        return found.index if found is not None else None

    def where(self, node: cst.CSTNode) -> str:
        """``line 12``, or ``cell 4, line 6`` in a notebook (cells counted from 1)."""
        cell, line, _ = self.source.locate(self.line_of(node), 1)
        return f"cell {cell + 1}, line {line}" if cell is not None else f"line {line}"

    def masked_source(self, statement: Statement) -> str | None:
        """The IPython line(s) a masked ``...`` statement stands for (notebooks only)."""
        if not isinstance(self.source, NotebookSource) or not is_masked_magic(statement):
            return None
        assert isinstance(statement, cst.SimpleStatementLine)
        comment = statement.trailing_whitespace.comment
        mask_id = int(comment.value.rsplit(" ", 1)[-1]) if comment is not None else -1
        for cell in self.source.cells:
            if mask_id in cell.masks:
                return "".join(cell.masks[mask_id])
        return None

    def in_scope(self, node: cst.CSTNode) -> bool:
        """False when the run is limited to one cell and ``node`` is elsewhere."""
        return self.cell is None or self.cell_of(node) == self.cell

    # -- results -----------------------------------------------------------------------
    def refuse(self, reason: str) -> NoReturn:
        raise RefactorRefused(reason)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def add_definitions(self, new: list[Statement], anchor: cst.CSTNode) -> None:
        """Top-level statements (a helper function) that the code at ``anchor`` needs.

        In a file they go after the imports; in a notebook, just above the top-level
        statement holding ``anchor`` (in its cell).
        """
        self._definitions.append((new, anchor))

    def drop_unused_imports(self, replaced: set[cst.CSTNode], modules: tuple[str, ...]) -> None:
        """Remove ``from <module> import name`` lines whose names only ``replaced`` nodes used."""
        imports = [n for n in self.nodes if isinstance(n, (cst.Import, cst.ImportFrom))]
        ignored = {id(n) for r in [*replaced, *imports] for n in iter_all(r)}
        used = {n.value for n in self.nodes if isinstance(n, cst.Name) and id(n) not in ignored}
        for node in imports:
            if not isinstance(node, cst.ImportFrom) or isinstance(node.names, cst.ImportStar):
                continue
            module = dotted_name(node.module) if node.module is not None else ""
            if module not in modules or not self.in_scope(node):
                continue
            keep = [a for a in node.names if (a.evaluated_alias or a.evaluated_name) in used]
            if len(keep) == len(node.names):
                continue
            line = self.statement_of(node)
            if not keep and isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1:
                self.edits.remove(line)
            elif keep:
                keep[-1] = keep[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
                self.edits.replace(node, node.with_changes(names=keep))

    def finish(self) -> cst.Module:
        """Apply the planned edits, imports and definitions; return the new module."""
        for planned in self.imports.planned:
            where, after = self._import_position(planned.anchor)
            new = [_parse_statement(planned.code, self.module)]
            if after:
                self.edits.insert_after(where, new)
            else:
                self.edits.insert_before(where, new)
        for definitions, anchor in self._definitions:
            if isinstance(self.source, NotebookSource):
                where, after = self.top_level(anchor), False
            else:
                where, after = self._import_position(anchor)
            body: list[Statement] = list(self.module.body)
            following = body.index(where) + 1 if after else body.index(where)
            if following < len(body):
                self.edits.pad(body[following], 2)  # PEP 8: two blank lines after a def
            if after:
                self.edits.insert_after(where, definitions)
            else:
                self.edits.insert_before(where, definitions)
        return self.edits.apply(self.module)

    def _import_position(self, anchor: cst.CSTNode) -> tuple[Statement, bool]:
        """(statement, after?): after the leading imports of the file or of the anchor's cell."""
        body = list(self.module.body)
        if isinstance(self.source, NotebookSource):
            cell = self.cell_of(anchor)
            segment = [s for s in body if self.cell_of(s) == cell]
        else:
            segment = body
        if not segment:
            return self.top_level(anchor), False
        start = 1 if is_docstring(segment[0]) and not isinstance(self.source, NotebookSource) else 0
        last: Statement | None = segment[0] if start else None
        for statement in segment[start:]:  # imports and magics (%load_ext...) at the top
            if not (is_import(statement) or is_masked_magic(statement)):
                break
            last = statement
        if last is not None:
            return last, True
        return segment[0], False


def _parse_statement(code: str, module: cst.Module) -> Statement:
    return cst.parse_statement(code + module.default_newline, config=module.config_for_parsing)


def iter_all(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """Every meaningful node under ``node`` in source order, nested functions included."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(children(current)))
