"""Small questions rules ask about libcst nodes: arguments, literals, method calls.

Kept free of rule logic so the refactors (``green_assist.refactor``) can use them too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import libcst as cst

from .names import dotted_name

__all__ = [
    "BlockEvents",
    "DictLiterals",
    "append_keyword",
    "argument",
    "call_assignment",
    "describe",
    "dotted_name",
    "effective_keywords",
    "int_value",
    "is_false",
    "is_true",
    "iter_calls",
    "iter_nodes",
    "keyword",
    "method_name",
    "names_in",
    "receiver",
    "string_value",
]


def keyword(call: cst.Call, name: str) -> cst.Arg | None:
    """The ``name=...`` argument of ``call``."""
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg
    return None


def argument(call: cst.Call, name: str, position: int | None = None) -> cst.Arg | None:
    """The argument bound to parameter ``name``: by keyword, or at ``position`` (0-based)."""
    found = keyword(call, name)
    if found is not None or position is None:
        return found
    positional = [arg for arg in call.args if arg.keyword is None and not arg.star]
    if any(arg.star == "*" for arg in call.args):
        return None  # *args: positions are unknown
    return positional[position] if position < len(positional) else None


def method_name(call: cst.Call) -> str | None:
    """``"item"`` for ``loss.item()``; None when the callee is not an attribute."""
    func = call.func
    return func.attr.value if type(func) is cst.Attribute else None


def is_backward_call(call: cst.Call) -> bool:
    """``loss.backward()``, not ``self.backward(model, x, t)``: a class's own method of that
    name (a diffusion model's reverse step), which autograd never is."""
    func = call.func
    if type(func) is not cst.Attribute or func.attr.value != "backward":
        return False
    owner = func.value
    return not (type(owner) is cst.Name and owner.value in ("self", "cls"))


def receiver(call: cst.Call) -> cst.BaseExpression | None:
    """``loss`` for ``loss.item()``; None when the callee is not an attribute."""
    func = call.func
    return func.value if type(func) is cst.Attribute else None


def is_true(node: cst.BaseExpression | None) -> bool:
    return isinstance(node, cst.Name) and node.value == "True"


def is_false(node: cst.BaseExpression | None) -> bool:
    return isinstance(node, cst.Name) and node.value == "False"


def int_value(node: cst.BaseExpression | None) -> int | None:
    """The value of an integer literal (``4096``, ``4_096``, ``2**12`` is not folded)."""
    if isinstance(node, cst.Integer):
        try:
            return int(node.value.replace("_", ""), 0)
        except ValueError:
            return None
    return None


def string_value(node: cst.BaseExpression | None) -> str | None:
    """The value of a plain string literal (not an f-string or a concatenation)."""
    if type(node) is not cst.SimpleString:
        return None
    raw: str = node.value
    quote = raw[-1]
    if raw[0] == quote and "\\" not in raw and raw[:3] != quote * 3:
        return raw[1:-1]  # the common case, without evaluating the literal
    value = node.evaluated_value
    return value if isinstance(value, str) else None


def describe(module: cst.Module, node: cst.CSTNode, limit: int = 60) -> str:
    """Short one-line source of ``node`` for messages: ``DataLoader(ds, batch_size=64)``.

    Long calls are shortened to ``callee(...)``.
    """
    code = " ".join(module.code_for_node(node).split())
    if len(code) <= limit:
        return code
    if isinstance(node, cst.Call):
        callee = " ".join(module.code_for_node(node.func).split())
        if len(callee) <= limit - 5:
            return callee + "(...)"
    return code[: limit - 3] + "..."


def iter_calls(node: cst.CSTNode) -> Iterator[cst.Call]:
    """Every call inside ``node`` (including ``node``), not entering nested defs or lambdas."""
    for current in iter_nodes(node):
        if isinstance(current, cst.Call):
            yield current


def iter_nodes(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """``node`` and its descendants in source order, not entering nested defs or lambdas."""
    from .walker import children

    stack: list[cst.CSTNode] = [node]
    while stack:
        current = stack.pop()
        yield current
        if current is not node and isinstance(current, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            continue
        stack.extend(reversed(children(current)))


def names_in(node: cst.CSTNode) -> set[str]:
    """Names read in ``node``: ``logits`` in ``logits.float(dim=1)``, not ``float``/``dim``."""
    from .walker import children

    found: set[str] = set()
    stack: list[cst.CSTNode] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Name):
            found.add(current.value)
        elif isinstance(current, (cst.Attribute, cst.Arg)):
            stack.append(current.value)
        elif current is node or not isinstance(
            current, (cst.FunctionDef, cst.ClassDef, cst.Lambda)
        ):
            stack.extend(children(current))
    return found


def call_assignment(statement: cst.CSTNode) -> tuple[str, cst.Call] | None:
    """(name, call) for a statement line that is just ``name = call(...)``."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    assign = statement.body[0]
    if not isinstance(assign, cst.Assign) or len(assign.targets) != 1:
        return None
    target, value = assign.targets[0].target, assign.value
    if not isinstance(target, cst.Name) or not isinstance(value, cst.Call):
        return None
    return target.value, value


def append_keyword(call: cst.Call, name: str, value: cst.BaseExpression) -> cst.Call:
    """``call`` with ``name=value`` added last, following the call's own layout."""
    new_arg = cst.Arg(
        value=value,
        keyword=cst.Name(name),
        equal=cst.AssignEqual(
            whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
        ),
    )
    args = list(call.args)
    if not args:
        return call.with_changes(args=[new_arg])
    last = args[-1]
    if isinstance(last.comma, cst.Comma):
        # A trailing comma (one argument per line): reuse the layout of the lines above.
        separator = args[-2].comma if len(args) >= 2 else None
        if not isinstance(separator, cst.Comma):
            separator = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        args[-1] = last.with_changes(comma=separator)
        args.append(new_arg.with_changes(comma=last.comma))
    else:
        args[-1] = last.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        args.append(new_arg)
    return call.with_changes(args=args)


# Picks the branch of a conditional expression taken on the default path (None: unknown).
Branches = Callable[[cst.IfExp], "cst.BaseExpression | None"]


class DictLiterals:
    """Names bound exactly once to a dict literal (``{...}`` or ``dict(k=v)``), never mutated.

    Rules feed it assignments and mutations while they walk, then ask for the keys
    a ``**name`` argument supplies. Anything it cannot be sure of answers None.
    """

    def __init__(self) -> None:
        self._values: dict[str, cst.BaseExpression | None] = {}

    def assigned(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        if isinstance(target, cst.Name):
            name = target.value
            self._values[name] = None if name in self._values else value

    def mutated(self, name: str) -> None:
        self._values[name] = None

    def note_statement(self, node: cst.CSTNode) -> None:
        """Record what an Assign / AugAssign / mutation call means for tracked names."""
        if isinstance(node, cst.Assign):
            for target in node.targets:
                if isinstance(target.target, cst.Subscript):
                    root = dotted_name(target.target.value)
                    if root:
                        self.mutated(root)
                else:
                    self.assigned(target.target, node.value)
        elif isinstance(node, cst.Call) and method_name(node) in {"update", "setdefault", "pop"}:
            root = dotted_name(receiver(node) or node)
            if root:
                self.mutated(root)

    def keys(
        self, node: cst.BaseExpression, choose: Branches | None = None
    ) -> dict[str, cst.BaseExpression] | None:
        """Keys and values a ``**node`` argument supplies, or None when unknown. ``choose``
        picks the branch of ``{...} if test else {...}`` that runs by default."""
        if isinstance(node, cst.Name):
            value = self._values.get(node.value)
            if isinstance(value, cst.IfExp) and choose is not None:
                value = choose(value)
            return None if value is None else _literal_keys(value)
        return _literal_keys(node)


def _literal_keys(node: cst.BaseExpression) -> dict[str, cst.BaseExpression] | None:
    if isinstance(node, cst.Dict):
        found: dict[str, cst.BaseExpression] = {}
        for element in node.elements:
            if not isinstance(element, cst.DictElement):
                return None  # {**other}
            key = string_value(element.key)
            if key is None:
                return None
            found[key] = element.value
        return found
    if isinstance(node, cst.Call) and dotted_name(node.func) == "dict":
        found = {}
        for arg in node.args:
            if arg.keyword is None:
                return None
            found[arg.keyword.value] = arg.value
        return found
    return None


def effective_keywords(
    call: cst.Call, literals: DictLiterals, choose: Branches | None = None
) -> tuple[dict[str, cst.BaseExpression], bool]:
    """Keyword arguments of ``call`` including those from ``**dict`` literals.

    Returns (keywords, complete): ``complete`` is False when some ``**`` argument
    could not be resolved, so a missing keyword may still be passed.
    """
    found: dict[str, cst.BaseExpression] = {}
    complete = True
    for arg in call.args:
        if arg.keyword is not None:
            found[arg.keyword.value] = arg.value
        elif arg.star == "**":
            keys = literals.keys(arg.value, choose)
            if keys is None:
                complete = False
            else:
                found.update(keys)
        elif arg.star == "*":
            complete = False
    return found, complete


class BlockEvents:
    """Mixin for visitors: ``_enter_block``/``_leave_block`` around every block, indented
    or on one line (``if x: y``), so a visitor can track what each block is under."""

    def _enter_block(self, node: cst.BaseSuite) -> None:
        raise NotImplementedError

    def _leave_block(self) -> None:
        raise NotImplementedError

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self._enter_block(node)

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock) -> None:
        self._leave_block()

    def visit_SimpleStatementSuite(self, node: cst.SimpleStatementSuite) -> None:
        self._enter_block(node)

    def leave_SimpleStatementSuite(self, original_node: cst.SimpleStatementSuite) -> None:
        self._leave_block()
