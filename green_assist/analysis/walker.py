"""One pass over a parsed module that dispatches each node to every rule's visitor methods.

libcst's own traversal rebuilds every node it visits (so that transformers can
replace children); for read-only rules that is most of the cost. This walker
reads the child fields directly, in source order, skipping whitespace, comments
and punctuation, and calls the same ``visit_<Node>`` / ``leave_<Node>`` methods
that ``libcst.visit_batched`` would. Rules stay ordinary libcst visitors.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Sequence
from typing import Any

import libcst as cst

from .context import RuleContext

Handler = Callable[[Any], Any]

# Fields that only ever hold formatting (whitespace, comments, brackets, commas, operators).
_TRIVIA_FIELDS = frozenset(
    {
        "leading_lines",
        "lines_after_decorators",
        "header",
        "footer",
        "lpar",
        "rpar",
        "comma",
        "dot",
        "semicolon",
        "colon",
        "equal",
        "lbracket",
        "rbracket",
        "lbrace",
        "rbrace",
        "operator",
        "trailing_whitespace",
        "star",
        "newline",
        "indent",
        "prefix",
        "arrow",
        "walrus",
        "asynchronous",
        "relative",
        "first_colon",
        "second_colon",
    }
)
# Types whose dataclass field order differs from source order.
_SOURCE_ORDER: dict[type[cst.CSTNode], tuple[str, ...]] = {
    cst.FunctionDef: ("decorators", "name", "type_parameters", "params", "returns", "body"),
    cst.ClassDef: ("decorators", "name", "type_parameters", "bases", "keywords", "body"),
    cst.Arg: ("keyword", "value"),
    cst.IfExp: ("body", "test", "orelse"),
    cst.ExceptHandler: ("type", "name", "body"),
    cst.ImportFrom: ("module", "names"),
    cst.Parameters: (
        "posonly_params",
        "posonly_ind",
        "params",
        "star_arg",
        "kwonly_params",
        "star_kwarg",
    ),
    cst.MatchCase: ("pattern", "guard", "body"),
}
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


def child_fields(node_type: type) -> tuple[str, ...]:
    """Names of the fields of ``node_type`` that may hold meaningful child nodes."""
    found = _CHILD_FIELDS.get(node_type)
    if found is None:
        order = _SOURCE_ORDER.get(node_type)
        if order is None:
            order = tuple(
                f.name
                for f in dataclasses.fields(node_type)
                if f.name not in _TRIVIA_FIELDS and "whitespace" not in f.name
            )
        found = _CHILD_FIELDS[node_type] = order
    return found


def children(node: cst.CSTNode) -> list[cst.CSTNode]:
    """Meaningful child nodes of ``node`` in source order (no whitespace or punctuation)."""
    found: list[cst.CSTNode] = []
    for name in child_fields(type(node)):
        value = getattr(node, name)
        if type(value) in _NODE_CLASSES:
            found.append(value)
        elif type(value) is tuple or type(value) is list:
            found.extend(item for item in value if type(item) in _NODE_CLASSES)
    return found


def _node_types() -> dict[str, type[cst.CSTNode]]:
    return {
        name: value
        for name, value in vars(cst).items()
        if isinstance(value, type) and issubclass(value, cst.CSTNode)
    }


def _subclasses(base: type) -> set[type]:
    found: set[type] = set(base.__subclasses__())
    for child in list(found):
        found |= _subclasses(child)
    return found


_NODE_TYPES = _node_types()
_NODE_CLASSES = frozenset(_subclasses(cst.CSTNode))


@functools.cache
def _methods_by_type(visitor_class: type, prefix: str) -> dict[type, tuple[str, ...]]:
    """For each concrete node type, the names of the class's methods that handle it."""
    table: dict[type, list[str]] = {}
    for attribute in dir(visitor_class):
        if not attribute.startswith(prefix):
            continue
        method = getattr(visitor_class, attribute)
        if method is getattr(cst.BatchableCSTVisitor, attribute, None):
            continue  # libcst's no-op default
        type_name = attribute[len(prefix) :]
        node_type = _NODE_TYPES.get(type_name)
        if node_type is None:
            raise TypeError(
                f"{visitor_class.__name__}.{attribute}: {type_name!r} is not a libcst node"
                " type (attribute visitors such as visit_Call_func are not dispatched)"
            )
        # A handler for a base class (BaseExpression) serves each concrete subclass.
        for concrete in _NODE_TYPES.values():
            if issubclass(concrete, node_type):
                table.setdefault(concrete, []).append(attribute)
    return {node_type: tuple(names) for node_type, names in table.items()}


def _handlers(
    visitors: Sequence[cst.BatchableCSTVisitor], prefix: str
) -> dict[type, tuple[Handler, ...]]:
    table: dict[type, list[Handler]] = {}
    for visitor in visitors:
        for node_type, names in _methods_by_type(type(visitor), prefix).items():
            table.setdefault(node_type, []).extend(getattr(visitor, name) for name in names)
    return {node_type: tuple(found) for node_type, found in table.items()}


# Nodes that own the positions of the expressions inside them (see positions.py).
_STATEMENTS = frozenset(
    node_type
    for node_type in _NODE_TYPES.values()
    if issubclass(node_type, (cst.SimpleStatementLine, cst.BaseCompoundStatement))
)


def walk(
    module: cst.Module, visitors: Sequence[cst.BatchableCSTVisitor], context: RuleContext
) -> None:
    """Visit ``module`` once, calling each visitor's ``visit_*``/``leave_*`` methods.

    On the way it fills ``context.statements``: the innermost statement of every node
    and all statements in source order, which is what positions are computed from.
    """
    visit_table = _handlers(visitors, "visit_")
    leave_table = _handlers(visitors, "leave_")
    node_fields = _CHILD_FIELDS
    node_classes = _NODE_CLASSES  # a set lookup: isinstance on libcst's ABCs is slow
    statements = context.statements
    owner = statements.owner
    sequence = statements.sequence
    current: cst.CSTNode | None = None

    def visit(node: Any) -> None:
        nonlocal current
        node_type = type(node)
        enclosing = current
        if node_type in _STATEMENTS:
            sequence.append(node)
            if id(node) not in statements.elifs:
                current = node  # a statement owns itself
            if node_type is cst.If and isinstance(node.orelse, cst.If):
                statements.elifs.add(id(node.orelse))
        elif node_type is cst.SimpleStatementSuite:
            sequence.append(node)
        owner[id(node)] = current
        handlers = visit_table.get(node_type)
        if handlers:
            for handler in handlers:
                handler(node)
        names = node_fields.get(node_type) or child_fields(node_type)
        for name in names:
            value = getattr(node, name)
            value_type = type(value)
            if value_type in node_classes:
                visit(value)
            elif value_type is tuple or value_type is list:
                for child in value:
                    if type(child) in node_classes:
                        visit(child)
        handlers = leave_table.get(node_type)
        if handlers:
            for handler in handlers:
                handler(node)
        current = enclosing

    for handler in visit_table.get(cst.Module, ()):
        handler(module)
    for statement in module.body:
        visit(statement)
    for handler in leave_table.get(cst.Module, ()):
        handler(module)
