"""Spell a qualified name the way the code imports it, adding an import when none does.

``reference("torch.autocast")`` gives ``torch.autocast`` after ``import torch``,
``th.autocast`` after ``import torch as th`` and ``autocast`` after
``from torch import autocast``; with no usable import it plans ``import torch``.
New imports go after the existing imports at the top of the file, or in a
notebook at the top of the cell that needs them, so that running that cell works.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from ..analysis.names import ImportTable, RebindingCollector


@dataclass
class PlannedImport:
    module: str  # "torch" for ``import torch``; "torchao.quantization" for a from-import
    names: list[str]  # empty for ``import module``
    anchor: cst.CSTNode  # a node of the code that needs it (chooses the notebook cell)

    @property
    def code(self) -> str:
        if not self.names:
            return f"import {self.module}"
        return f"from {self.module} import {', '.join(sorted(self.names))}"


class ImportPlan:
    """Existing bindings of the module, and the imports a refactor adds."""

    def __init__(self, module: cst.Module, used_names: set[str]) -> None:
        table = ImportTable.build(module)
        collector = RebindingCollector(table)
        cst.visit_batched(module, [collector])
        # Names bound by an import and never rebound: safe to use anywhere.
        self.bindings = {
            local: qualified
            for local, qualified in table.bindings.items()
            if local not in collector.rebound
        }
        self.taken = set(used_names) | set(table.bindings)
        self.planned: list[PlannedImport] = []

    def spell(self, qualified: str) -> str | None:
        """How existing imports reach ``qualified`` (the most specific binding), or None."""
        best: tuple[str, str] | None = None
        for local, bound in self.bindings.items():
            if (qualified == bound or qualified.startswith(bound + ".")) and (
                best is None or len(bound) > len(best[1])
            ):
                best = (local, bound)
        if best is None:
            return None
        return best[0] + qualified[len(best[1]) :]

    def reference(
        self,
        qualified: str,
        anchor: cst.CSTNode,
        from_import: bool = False,
        submodule: bool = False,
    ) -> str:
        """Text that names ``qualified`` here; plans an import when none reaches it.

        ``from_import`` adds ``from package import name`` (for names such as
        ``quantize_`` that read better bare); otherwise ``import root``.
        ``submodule``: ``qualified`` is a module its package does not import
        (``torch.nn.utils.prune``), so only an import of it exactly reaches it.
        """
        spelled = self._exact(qualified) if submodule else self.spell(qualified)
        if spelled is not None:
            return spelled
        module, _, name = qualified.rpartition(".")
        if submodule and (not from_import or name in self.taken):
            self._plan(qualified, None, anchor)
            return qualified
        if from_import and module and name not in self.taken:
            self._plan(module, name, anchor)
            self.bindings[name] = qualified
            self.taken.add(name)
            return name
        root = qualified.split(".", 1)[0]
        self._plan(root, None, anchor)
        self.bindings[root] = root
        return qualified

    def _exact(self, qualified: str) -> str | None:
        """The local name an import binds to ``qualified`` itself, or ``qualified`` when
        this plan already imports it whole (``import torch.nn.utils.prune``)."""
        for local, bound in self.bindings.items():
            if bound == qualified:
                return local
        for planned in self.planned:
            if planned.module == qualified and not planned.names:
                return qualified
        return None

    def _plan(self, module: str, name: str | None, anchor: cst.CSTNode) -> None:
        for planned in self.planned:
            if planned.module == module and bool(planned.names) == (name is not None):
                if name is not None and name not in planned.names:
                    planned.names.append(name)
                return
        self.planned.append(PlannedImport(module, [name] if name else [], anchor))


def is_import(statement: cst.BaseStatement) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and all(
        isinstance(small, (cst.Import, cst.ImportFrom)) for small in statement.body
    )


def is_docstring(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def is_masked_magic(statement: cst.BaseStatement) -> bool:
    """A notebook line of IPython syntax, masked as ``...`` (see ``analysis/masking.py``)."""
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], (cst.Expr, cst.Assign))  # `%time x` / `x = !ls`
        and isinstance(statement.body[0].value, cst.Ellipsis)
        and statement.trailing_whitespace.comment is not None
        and "green-assist: masked" in statement.trailing_whitespace.comment.value
    )
