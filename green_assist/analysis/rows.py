"""How many rows (first dimension) a tensor or array has, on the default path.

Full-batch training feeds the whole training set to the model every step. Tutorials
build that set in a few lines the program model can follow:
``X, y = make_blobs(n_samples=3000)``, ``X = torch.from_numpy(X).float()``,
``X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)`` or
``X_train = X[:int(0.8 * len(X))]``. :func:`rows_of` follows those steps and returns
the row count with the lines that decide it; anything else is unknown (None).
"""

from __future__ import annotations

import math

import libcst as cst

from .defaults import Known, defaults_of
from .names import dotted_name
from .program import Program, Scope

# Factories whose first positional argument (or first element of a size tuple) is rows.
_SIZED = frozenset({"randn", "rand", "zeros", "ones", "empty", "full", "normal"})
# scikit-learn generators: n_samples (default 100).
_GENERATORS = frozenset(
    {"make_blobs", "make_circles", "make_moons", "make_classification", "make_regression"}
)
# Calls and methods that keep the row count of their first argument / receiver.
_KEEPS_ROWS = frozenset(
    {
        "from_numpy",
        "tensor",
        "as_tensor",
        "Tensor",
        "FloatTensor",
        "float",
        "double",
        "half",
        "long",
        "int",
        "to",
        "cuda",
        "type",
        "astype",
        "detach",
        "clone",
        "contiguous",
        "requires_grad_",
        "array",
        "asarray",
        "squeeze",
    }
)
_MAX_DEPTH = 8


def rows_of(
    node: cst.BaseExpression,
    scope: Scope,
    program: Program,
    depth: int = 0,
    order: int | None = None,
) -> Known | None:
    """Rows of ``node`` evaluated in ``scope`` at text position ``order`` (with the
    origins that decide it)."""
    if depth > _MAX_DEPTH:
        return None
    kind = type(node)
    if kind is cst.Name:
        return _name_rows(node.value, scope, program, depth, order)  # type: ignore[attr-defined]
    if kind is cst.Subscript:
        return _slice_rows(node, scope, program, depth, order)  # type: ignore[arg-type]
    if kind is not cst.Call:
        return None
    call: cst.Call = node  # type: ignore[assignment]
    callee = dotted_name(call.func) or ""
    func = call.func
    last = func.attr.value if type(func) is cst.Attribute else callee.rsplit(".", 1)[-1]
    positional = [arg.value for arg in call.args if arg.keyword is None and not arg.star]
    if last in _GENERATORS:
        return _generated(call, scope, program)
    if last in _SIZED and callee.startswith(("torch.", "np.", "numpy.", "np.random.")):
        first = positional[0] if positional else None
        if type(first) in (cst.Tuple, cst.List):
            elements = first.elements  # type: ignore[union-attr]
            first = elements[0].value if elements else None
        found = defaults_of(program).value(first, scope) if first is not None else None
        return found if found is not None and type(found.value) is int else None
    if last == "linspace" and len(positional) >= 3:
        return _int(defaults_of(program).value(positional[2], scope))
    if last in _KEEPS_ROWS:
        if type(call.func) is cst.Attribute and last not in ("tensor", "from_numpy", "array"):
            return rows_of(call.func.value, scope, program, depth + 1, order)
        if positional:
            return rows_of(positional[0], scope, program, depth + 1, order)
    if last == "unsqueeze" and type(call.func) is cst.Attribute:
        dim = defaults_of(program).value(positional[0], scope) if positional else None
        if dim is not None and dim.value != 0:
            return rows_of(call.func.value, scope, program, depth + 1, order)
    return None


def _int(found: Known | None) -> Known | None:
    return found if found is not None and type(found.value) is int else None


def _generated(call: cst.Call, scope: Scope, program: Program) -> Known | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == "n_samples":
            found = _int(defaults_of(program).value(arg.value, scope))
            return found.with_origins(((call, f"`{_short(call)}`", None),)) if found else None
    if any(arg.keyword is None for arg in call.args):
        return None  # positional n_samples: read it only by keyword
    return Known(100, ((call, f"`{_short(call)}` (100 samples by default)", None),))


def _short(node: cst.CSTNode) -> str:
    code = " ".join(cst.Module(body=()).code_for_node(node).split())
    return code if len(code) <= 60 else code[:57] + "..."


def _name_rows(
    name: str, scope: Scope, program: Program, depth: int, order: int | None
) -> Known | None:
    current: Scope | None = scope
    while current is not None:
        bindings = current.bindings.get(name)
        if bindings:
            if order is not None and current is scope:
                bindings = [b for b in bindings if b.order < order]
            if not bindings or any(b.loop is not None or b.augmented for b in bindings):
                return None
            binding = bindings[-1]
            value = binding.value
            if value is None:
                return None
            if binding.element is not None:
                return _element_rows(value, binding.element, current, program, depth, binding.order)
            return rows_of(value, current, program, depth + 1, binding.order)
        current = current.parent
    return None


def _element_rows(
    value: cst.BaseExpression,
    element: int,
    scope: Scope,
    program: Program,
    depth: int,
    order: int,
) -> Known | None:
    """Rows of element ``element`` of ``X, y = value``."""
    if type(value) in (cst.Tuple, cst.List):
        elements = value.elements  # type: ignore[attr-defined]
        if element < len(elements) and type(elements[element]) is cst.Element:
            return rows_of(elements[element].value, scope, program, depth + 1, order)
        return None
    if type(value) is not cst.Call:
        return None
    callee = (dotted_name(value.func) or "").rsplit(".", 1)[-1]
    if callee in _GENERATORS:
        return _generated(value, scope, program)
    if callee != "train_test_split":
        return None
    arrays = [a.value for a in value.args if a.keyword is None]
    if not arrays:
        return None
    source = rows_of(arrays[element // 2], scope, program, depth + 1, order)
    if source is None:
        return None
    test_size = next(
        (a.value for a in value.args if a.keyword and a.keyword.value == "test_size"),
        None,
    )
    fraction = defaults_of(program).value(test_size, scope) if test_size is not None else None
    share = 0.25 if test_size is None else fraction.value if fraction is not None else None
    if not isinstance(share, (int, float)) or isinstance(share, bool):
        return None
    total = source.value
    test = math.ceil(share * total) if isinstance(share, float) else share
    count = total - test if element % 2 == 0 else test
    return Known(count, source.origins)


def _slice_rows(
    node: cst.Subscript, scope: Scope, program: Program, depth: int, order: int | None
) -> Known | None:
    """``X[:n]``, ``X[n:]``, ``X[a:b]`` with bounds that may use ``len(X)``."""
    if len(node.slice) < 1 or type(node.slice[0].slice) is not cst.Slice:
        return None
    part: cst.Slice = node.slice[0].slice
    if part.step is not None:
        return None
    total = rows_of(node.value, scope, program, depth + 1, order)
    if total is None:
        return None
    lower = _bound(part.lower, total.value, scope, program) if part.lower is not None else 0
    upper = _bound(part.upper, total.value, scope, program) if part.upper is not None else None
    if lower is None or (part.upper is not None and upper is None):
        return None
    stop = total.value if upper is None else upper
    start = lower + total.value if lower < 0 else lower
    stop = stop + total.value if stop < 0 else stop
    return Known(max(0, min(stop, total.value) - start), total.origins)


def _bound(node: cst.BaseExpression, total: int, scope: Scope, program: Program) -> int | None:
    """A slice bound: a value the defaults know, or arithmetic over ``len(...)`` of the data."""
    found = defaults_of(program).value(node, scope)
    if found is not None:
        return int(found.value) if isinstance(found.value, (int, float)) else None
    kind = type(node)
    if kind is cst.Call:
        callee = dotted_name(node.func)  # type: ignore[attr-defined]
        args = node.args  # type: ignore[attr-defined]
        if callee == "len" and len(args) == 1:
            return total
        if callee in ("int", "round") and len(args) == 1:
            inner = _bound(args[0].value, total, scope, program)
            return int(inner) if inner is not None else None
        return None
    if kind is cst.BinaryOperation:
        left = _number(node.left, total, scope, program)  # type: ignore[attr-defined]
        right = _number(node.right, total, scope, program)  # type: ignore[attr-defined]
        if left is None or right is None:
            return None
        operator = type(node.operator)  # type: ignore[attr-defined]
        if operator is cst.Multiply:
            return int(left * right)
        if operator is cst.Add:
            return int(left + right)
        if operator is cst.Subtract:
            return int(left - right)
        if operator is cst.FloorDivide and right:
            return int(left // right)
    return None


def _number(node: cst.BaseExpression, total: int, scope: Scope, program: Program) -> float | None:
    found = defaults_of(program).value(node, scope)
    if found is not None and isinstance(found.value, (int, float)):
        return float(found.value)
    bound = _bound(node, total, scope, program)
    return float(bound) if bound is not None else None
