"""Which device type the code runs on, as an expression autocast and GradScaler accept.

Looked for near the code being changed first (its loop, then its function), then in
the whole module:

* ``x.to(device)`` / ``device=device`` with ``device = torch.device(...)``: ``device.type``;
* ``device = "cuda" if ... else "cpu"`` (plain strings): ``device`` itself;
* any other variable or attribute (``args.device``): ``torch.device(args.device).type``,
  which accepts both strings and devices;
* ``"cuda:0"`` literals and ``.cuda()`` calls: ``"cuda"``;
* nothing at all: ``"cpu"`` (the code never leaves the CPU), said in a note.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from ..analysis.helpers import argument, iter_calls, method_name, string_value
from .context import RefactorContext
from .loops import assigned_names

DEVICE_TYPES = ("cuda", "cpu", "mps", "xpu")


@dataclass(frozen=True)
class DeviceType:
    code: str  # an expression: '"cuda"', 'device.type', 'torch.device(args.device).type'
    literal: str | None  # the device type when it is fixed in the code
    origin: str  # where it came from, for the notes


def _literal(value: str | None) -> str | None:
    if value is None:
        return None
    kind = value.split(":", 1)[0]
    return kind if kind in DEVICE_TYPES else None


def _device_argument(context: RefactorContext, call: cst.Call) -> cst.BaseExpression | None:
    if method_name(call) == "to":
        found = argument(call, "device", 0)
        if found is not None and _is_device_like(found.value):
            return found.value
        return None
    keyword = argument(call, "device")
    return keyword.value if keyword is not None else None


def _is_device_like(node: cst.BaseExpression) -> bool:
    """``.to(device)``/``.to("cuda")``, not ``.to(torch.float16)``."""
    if isinstance(node, cst.SimpleString):
        return _literal(string_value(node)) is not None
    if isinstance(node, cst.Name):
        return "device" in node.value.lower() or node.value.lower() in ("dev", "gpu")
    if isinstance(node, cst.Attribute):
        return "device" in node.attr.value.lower()
    return isinstance(node, cst.Call) and method_name(node) is None


def _assignment(
    context: RefactorContext, name: str, near: cst.CSTNode
) -> cst.BaseExpression | None:
    """The value last assigned to ``name`` at the top of ``near``'s function or the module."""
    scopes = [context.scope_of(near), context.module]
    for scope in scopes:
        body = scope.body.body if isinstance(scope, cst.FunctionDef) else scope.body
        found: cst.BaseExpression | None = None
        for statement in body:
            if isinstance(statement, cst.SimpleStatementLine) and name in assigned_names(statement):
                small = statement.body[0]
                found = small.value if isinstance(small, cst.Assign) else None
        if found is not None:
            return found
    return None


def _classify(
    context: RefactorContext, node: cst.BaseExpression, near: cst.CSTNode
) -> DeviceType | None:
    code = context.code(node)
    if isinstance(node, cst.SimpleString):
        literal = _literal(string_value(node))
        return DeviceType(f'"{literal}"', literal, f"`{code}`") if literal else None
    if isinstance(node, cst.Call) and context.match(node.func, {"torch.device"}):
        first = argument(node, "type", 0)
        literal = _literal(string_value(first.value)) if first is not None else None
        return DeviceType(f'"{literal}"', literal, f"`{code}`") if literal else None
    if isinstance(node, cst.Name):
        value = _assignment(context, node.value, near)
        origin = f"`{node.value} = {context.short(value)}`" if value is not None else f"`{code}`"
        if isinstance(value, cst.Call) and context.match(value.func, {"torch.device"}):
            return DeviceType(f"{code}.type", None, origin)
        if isinstance(value, cst.SimpleString):
            literal = _literal(string_value(value))
            if literal:
                return DeviceType(f'"{literal}"', literal, origin)
        if isinstance(value, cst.IfExp):
            branches = [string_value(value.body), string_value(value.orelse)]
            if all(b is not None and b in DEVICE_TYPES for b in branches):
                return DeviceType(code, None, origin)
    torch_device = context.reference("torch.device", near)
    return DeviceType(f"{torch_device}({code}).type", None, f"`{code}`")


def detect_device(context: RefactorContext, near: cst.CSTNode, option: str) -> DeviceType:
    """The device type for autocast at ``near`` (``option`` other than "auto" wins)."""
    if option != "auto":
        return DeviceType(f'"{option}"', option, "the `device` option")
    loops = [a for a in context.ancestors(near) if isinstance(a, (cst.For, cst.While))]
    places: list[cst.CSTNode] = [*loops[-1:], context.scope_of(near), context.module]
    for place in places:
        for call, value in _device_calls(context, place):
            if value is None:
                return DeviceType('"cuda"', "cuda", f"`{context.short(call)}`")
            found = _classify(context, value, near)
            if found is not None:
                return found
    return DeviceType('"cpu"', "cpu", "the code, which never leaves the CPU")


def _device_calls(
    context: RefactorContext, place: cst.CSTNode
) -> list[tuple[cst.Call, cst.BaseExpression | None]]:
    """The calls in ``place`` that name a device, with the device (None for ``.cuda()``)."""
    key = ("device_calls", id(place))
    if key not in context.memo:
        found: list[tuple[cst.Call, cst.BaseExpression | None]] = []
        for call in iter_calls(place):
            if method_name(call) == "cuda" and not call.args:
                found.append((call, None))
            else:
                value = _device_argument(context, call)
                if value is not None:
                    found.append((call, value))
        context.memo[key] = found
    calls: list[tuple[cst.Call, cst.BaseExpression | None]] = context.memo[key]
    return calls
