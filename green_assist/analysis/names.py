"""Resolve names through imports: ``amp.autocast`` -> ``torch.cuda.amp.autocast``.

Two resolvers answer the same question:

* :class:`ImportTable`, built from the module's import statements in a cheap
  statement-level pass. It is exact as long as no name bound by an import is
  bound again (by another import of something else, an assignment, a parameter,
  a loop variable...) where it is looked up, which is true of nearly all code.
* libcst's ``QualifiedNameProvider`` (scope analysis of the whole module, several
  times slower than parsing). The engine uses it when the import table cannot be
  trusted: :class:`RebindingCollector` watches every binding during the rule
  pass, and when an imported name was looked up in a scope where it is also
  bound some other way, the pass is re-run with ``QualifiedNameProvider``
  (computed once for the module).

Both return, for a node, the set of qualified names of imported things it may
refer to; a dotted name whose root no import binds resolves to its own text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import libcst as cst
from libcst.metadata import QualifiedName, QualifiedNameSource

_STATEMENT_LISTS = (
    cst.Module,
    cst.IndentedBlock,
    cst.SimpleStatementLine,
    cst.SimpleStatementSuite,
)
_BLOCK_OWNERS = (
    cst.BaseCompoundStatement,
    cst.Else,
    cst.Finally,
    cst.ExceptHandler,
    cst.ExceptStarHandler,
    cst.MatchCase,
)
_NESTED_BLOCKS = ("body", "orelse", "handlers", "finalbody", "cases")


def last_part(name: str | None) -> str:
    """``GCNConv`` for ``torch_geometric.nn.GCNConv`` (``""`` for None)."""
    return (name or "").rsplit(".", 1)[-1]


def dotted_name(node: cst.CSTNode | None) -> str | None:
    """``a.b.c`` for a Name/Attribute chain (the callee for a Call); None otherwise."""
    # Exact type checks: libcst's classes are ABCs, and isinstance on them is slow.
    if type(node) is cst.Call:
        node = node.func
    if type(node) is cst.Name:
        return node.value
    parts: list[str] = []
    while type(node) is cst.Attribute:
        parts.append(node.attr.value)
        node = node.value
    if type(node) is not cst.Name:
        return None
    parts.append(node.value)
    return ".".join(reversed(parts))


def _module_name(node: cst.BaseExpression | None) -> str:
    return dotted_name(node) or "" if node is not None else ""


# Names nearly every file imports under the same alias: where a file uses one without
# importing it (a snippet, a notebook exported without its import cell, or ``from helpers
# import *`` that brings it), it is that module or class.
CONVENTIONAL_ALIASES = {
    "np": "numpy",
    "pd": "pandas",
    "nn": "torch.nn",
    "DataLoader": "torch.utils.data.DataLoader",
    "TensorDataset": "torch.utils.data.TensorDataset",
}


def unbound_name(dotted: str) -> str:
    """``np.linspace`` with no ``np`` bound is ``numpy.linspace``, a bare ``DataLoader``
    is torch's; other names stay as written."""
    root, dot, rest = dotted.partition(".")
    module = CONVENTIONAL_ALIASES.get(root)
    return module + dot + rest if module is not None else dotted


class ImportTable:
    """Local name -> qualified name, from every import statement in the module."""

    def __init__(self) -> None:
        self.bindings: dict[str, str] = {}
        self.conflicts: set[str] = set()

    @classmethod
    def build(cls, module: cst.Module) -> ImportTable:
        table = cls()
        table._scan(module)
        return table

    def _bind(self, local: str, qualified: str) -> None:
        previous = self.bindings.setdefault(local, qualified)
        if previous != qualified:
            self.conflicts.add(local)

    def _scan(self, node: Any) -> None:
        """Visit statements only (imports can hide in if/try/with/def/class bodies)."""
        if isinstance(node, cst.Import):
            self._add_import(node)
        elif isinstance(node, cst.ImportFrom):
            self._add_import_from(node)
        elif isinstance(node, _STATEMENT_LISTS):
            for child in node.body:
                self._scan(child)
        elif isinstance(node, _BLOCK_OWNERS):
            for attribute in _NESTED_BLOCKS:
                nested = getattr(node, attribute, None)
                if isinstance(nested, (list, tuple)):
                    for item in nested:
                        self._scan(item)
                elif nested is not None:
                    self._scan(nested)

    def _add_import(self, node: cst.Import) -> None:
        for alias in node.names:
            full = _module_name(alias.name)
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                self._bind(alias.asname.name.value, full)
            else:
                root = full.split(".", 1)[0]
                self._bind(root, root)

    def _add_import_from(self, node: cst.ImportFrom) -> None:
        if isinstance(node.names, cst.ImportStar):
            return
        module = "." * len(node.relative) + _module_name(node.module)
        prefix = module if module.endswith(".") or not module else module + "."
        for alias in node.names:
            imported = _module_name(alias.name)
            local = imported
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = alias.asname.name.value
            self._bind(local, prefix + imported)

    def resolve(self, dotted: str) -> str:
        root, dot, rest = dotted.partition(".")
        bound = self.bindings.get(root)
        if bound is None:
            return unbound_name(dotted)
        return bound + dot + rest


class NameResolver:
    """Answers :meth:`qualified_names` from the import table or from QualifiedNameProvider."""

    def __init__(
        self,
        table: ImportTable,
        provider: Mapping[cst.CSTNode, Any] | None = None,
        collector: RebindingCollector | None = None,
    ) -> None:
        self.table = table
        self.provider = provider
        self.collector = collector
        # Several rules ask about the same callee: answer each node once per pass.
        self._cache: dict[int, frozenset[str]] = {}

    @property
    def uses_provider(self) -> bool:
        return self.provider is not None

    def qualified_names(self, node: cst.CSTNode, record: bool = True) -> frozenset[str]:
        """Qualified names ``node`` may refer to; see the module docstring.

        ``record=False`` leaves the lookup out of the rebinding check; the caller then
        calls :meth:`record` when it acted on the answer (see ``Rule.find_name``).
        """
        if type(node) is cst.Call:
            node = node.func
        elif type(node) is cst.Decorator:
            node = node.decorator
        if record:
            self.record(node)
        cached = self._cache.get(id(node))
        if cached is None:
            cached = self._cache[id(node)] = self._resolve(node)
        return cached

    def _resolve(self, node: cst.CSTNode) -> frozenset[str]:
        dotted = dotted_name(node)
        if self.provider is None:
            return frozenset((self.table.resolve(dotted),)) if dotted else frozenset()
        found: Any = self.provider.get(node, ())
        if callable(found):  # libcst computes qualified names lazily (LazyValue)
            found = found()
        names = {
            _strip_builtins(q)
            for q in found
            if q.source in (QualifiedNameSource.IMPORT, QualifiedNameSource.BUILTIN)
        }
        if names:
            return frozenset(names)
        if not found and dotted:
            return frozenset((unbound_name(dotted),))  # a snippet without its imports
        if dotted and self._module_passed_in(dotted, found):
            return frozenset((self.table.resolve(dotted),))
        return frozenset()

    def _module_passed_in(self, dotted: str, found: Any) -> bool:
        """``torch.no_grad`` in a marimo cell ``def _(model, torch):``: in a marimo app, a
        local name (a parameter) spelled like a module that the file imports under that
        name is that module, which the cells pass to each other."""
        root = dotted.partition(".")[0]
        if "marimo" not in self.table.bindings:
            return False
        if self.table.bindings.get(root) != root or root in self.table.conflicts:
            return False
        return all(
            q.source is QualifiedNameSource.LOCAL and q.name.endswith(f"<locals>.{dotted}")
            for q in found
        )

    def last_name(self, node: cst.CSTNode) -> str | None:
        """The last part of ``node``'s qualified name, cheaply (None: resolve to know).

        ``amp.autocast`` ends in ``autocast`` however ``amp`` was imported; a bare
        name may be an import alias (``ac`` for ``torch.autocast``).
        """
        if type(node) is cst.Call:
            node = node.func
        if type(node) is cst.Attribute:
            return node.attr.value
        if type(node) is cst.Name:
            if self.provider is not None:
                return None
            bound = self.table.bindings.get(node.value)
            return node.value if bound is None else bound.rpartition(".")[2]
        return ""

    def record(self, node: cst.CSTNode) -> None:
        """Note that a rule acted on how ``node``'s root name resolved (import table only)."""
        if self.provider is not None or self.collector is None:
            return
        if type(node) is cst.Call:
            node = node.func
        elif type(node) is cst.Decorator:
            node = node.decorator
        dotted = dotted_name(node)
        root = dotted.partition(".")[0] if dotted else None
        if root in self.table.bindings:
            self.collector.looked_up(root)


def _strip_builtins(name: QualifiedName) -> str:
    if name.source is QualifiedNameSource.BUILTIN:
        return name.name.removeprefix("builtins.")
    return name.name


def target_names(
    node: cst.BaseExpression | cst.BaseAssignTargetExpression | None,
) -> frozenset[str]:
    """Plain names an assignment or loop target binds (``i``, ``(x, y)``, ``first, *rest``).

    Attributes and subscripts (``self.x``, ``d[k]``) bind no name.
    """
    if isinstance(node, cst.Name):
        return frozenset((node.value,))
    if isinstance(node, (cst.Tuple, cst.List)):
        return frozenset(name for element in node.elements for name in target_names(element.value))
    if isinstance(node, cst.StarredElement):
        return target_names(node.value)
    return frozenset()


class RebindingCollector(cst.BatchableCSTVisitor):
    """Notes where imported names are bound again, and which lookups that affects.

    Scopes are functions and classes (lambdas and comprehensions count as their
    enclosing function: conservative). A lookup of ``torch.x`` is *tainted* when
    ``torch`` is bound some other way at module level or in a scope enclosing the
    lookup; only then must the engine fall back to ``QualifiedNameProvider``.
    """

    def __init__(self, table: ImportTable) -> None:
        super().__init__()
        self.imported = table.bindings
        self.conflicts = table.conflicts
        self.rebound: dict[str, set[int]] = {}
        self.chain: tuple[int, ...] = (0,)  # 0 is the module
        self.lookups: list[tuple[str, tuple[int, ...]]] = []

    def looked_up(self, root: str) -> None:
        self.lookups.append((root, self.chain))

    @property
    def tainted(self) -> bool:
        for root, chain in self.lookups:
            if root in self.conflicts:
                return True
            scopes = self.rebound.get(root)
            if scopes and (0 in scopes or any(scope in scopes for scope in chain)):
                return True
        return False

    def _bound(self, *names: str, scope: int | None = None) -> None:
        for name in names:
            if name in self.imported:
                self.rebound.setdefault(name, set()).add(self.chain[-1] if scope is None else scope)

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._bound(*target_names(node.target))

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._bound(*target_names(node.target))

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._bound(*target_names(node.target))

    def visit_For(self, node: cst.For) -> None:
        self._bound(*target_names(node.target))

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._bound(*target_names(node.target))

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._bound(*target_names(node.target))

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self._bound(*target_names(node.asname.name))

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        if node.name is not None:
            self._bound(*target_names(node.name.name))

    def visit_Param(self, node: cst.Param) -> None:
        self._bound(node.name.value)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._bound(node.name.value)
        self.chain = (*self.chain, id(node))

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.chain = self.chain[:-1]

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._bound(node.name.value)
        self.chain = (*self.chain, id(node))

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.chain = self.chain[:-1]

    def visit_Global(self, node: cst.Global) -> None:
        self._bound(*(item.name.value for item in node.names), scope=0)

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        self._bound(*(item.name.value for item in node.names), scope=0)

    def visit_MatchAs(self, node: cst.MatchAs) -> None:
        if node.name is not None:
            self._bound(node.name.value)

    def visit_MatchStar(self, node: cst.MatchStar) -> None:
        if node.name is not None:
            self._bound(node.name.value)


# For ``EMPTY_MODULE.code_for_node(node)``: a node's source text, as written.
EMPTY_MODULE = cst.Module(body=())
