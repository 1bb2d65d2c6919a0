"""Parameter counts of a model built in the code with literal layer sizes.

:func:`count_layers` reads the call that builds a model (``nn.Sequential(...)`` or a
class defined in the same code, whose ``__init__`` builds ``nn.*`` layers) and returns
its layers in registration order, each with its weight and other parameter counts.
It returns None as soon as one layer's size is not a whole number written in the code
or a layer is not one it knows: an estimate is never passed off as a count.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import libcst as cst

from ..analysis.helpers import argument, is_false
from .chains import base_call
from .context import RefactorContext

# Layers without parameters.
NO_PARAMETERS = frozenset(
    {
        "ReLU",
        "ReLU6",
        "GELU",
        "SiLU",
        "Mish",
        "Tanh",
        "Sigmoid",
        "LeakyReLU",
        "ELU",
        "Hardswish",
        "Softmax",
        "LogSoftmax",
        "Dropout",
        "Dropout1d",
        "Dropout2d",
        "Dropout3d",
        "Flatten",
        "Unflatten",
        "Identity",
        "MaxPool1d",
        "MaxPool2d",
        "MaxPool3d",
        "AvgPool1d",
        "AvgPool2d",
        "AvgPool3d",
        "AdaptiveAvgPool1d",
        "AdaptiveAvgPool2d",
        "AdaptiveAvgPool3d",
        "AdaptiveMaxPool1d",
        "AdaptiveMaxPool2d",
    }
)
NORMS = ("BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "LayerNorm", "GroupNorm")


@dataclass(frozen=True)
class Layer:
    kind: str  # "Conv2d", "Linear", ...
    weights: int  # entries of ``weight`` (0 for layers without one)
    others: int  # bias and norm parameters
    channels: int  # output channels / rows of ``weight`` (what structured pruning removes)

    @property
    def prunable(self) -> bool:
        return self.kind.startswith("Conv") or self.kind == "Linear"


def _number(context: RefactorContext, node: cst.BaseExpression | None) -> int | None:
    """An integer: a literal, a module-level name assigned one once, or arithmetic on them."""
    if node is None:
        return None
    if isinstance(node, cst.BinaryOperation):  # 64 * 8 * 8
        left, right = _number(context, node.left), _number(context, node.right)
        if left is None or right is None:
            return None
        operator = type(node.operator)
        if operator is cst.Multiply:
            return left * right
        if operator is cst.Add:
            return left + right
        if operator is cst.Subtract:
            return left - right
        if operator is cst.FloorDivide and right:
            return left // right
        return None
    return context.int_constant(node)


def _kernel(context: RefactorContext, node: cst.BaseExpression | None, dims: int) -> int | None:
    if isinstance(node, (cst.Tuple, cst.List)):
        sizes = [_number(context, e.value) for e in node.elements]
        known = [size for size in sizes if size is not None]
        return math.prod(known) if len(known) == len(sizes) else None
    size = _number(context, node)
    return size**dims if size is not None else None


def _layer(context: RefactorContext, call: cst.Call, kind: str) -> Layer | None:
    if kind in NO_PARAMETERS:
        return Layer(kind, 0, 0, 0)
    bias_arg = argument(call, "bias")
    bias = not (bias_arg is not None and is_false(bias_arg.value))
    if kind == "Linear":
        inputs = _number(context, _value(argument(call, "in_features", 0)))
        outputs = _number(context, _value(argument(call, "out_features", 1)))
        if inputs is None or outputs is None:
            return None
        return Layer(kind, inputs * outputs, outputs if bias else 0, outputs)
    if kind in ("Conv1d", "Conv2d", "Conv3d"):
        inputs = _number(context, _value(argument(call, "in_channels", 0)))
        outputs = _number(context, _value(argument(call, "out_channels", 1)))
        kernel = _kernel(context, _value(argument(call, "kernel_size", 2)), int(kind[4]))
        groups_arg = argument(call, "groups")
        groups = _number(context, groups_arg.value) if groups_arg is not None else 1
        if bias_arg is None:
            bias_arg = argument(call, "bias", 7)
            bias = not (bias_arg is not None and is_false(bias_arg.value))
        if inputs is None or outputs is None or kernel is None or not groups:
            return None
        return Layer(kind, outputs * inputs // groups * kernel, outputs if bias else 0, outputs)
    if kind in NORMS:
        size_arg = argument(call, "num_channels", 1) if kind == "GroupNorm" else None
        size = _number(context, _value(size_arg or argument(call, "normalized_shape", 0)))
        if kind.startswith("BatchNorm"):
            size = _number(context, _value(argument(call, "num_features", 0)))
        return Layer(kind, 0, 2 * size, 0) if size is not None else None
    if kind == "Embedding":
        count = _number(context, _value(argument(call, "num_embeddings", 0)))
        width = _number(context, _value(argument(call, "embedding_dim", 1)))
        return Layer(kind, count * width, 0, 0) if count and width else None
    return None


def _value(arg: cst.Arg | None) -> cst.BaseExpression | None:
    return arg.value if arg is not None else None


def _nn_kind(context: RefactorContext, call: cst.Call) -> str | None:
    for name in context.qualified_names(call.func):
        if name.startswith("torch.nn.") and name.count(".") == 2:
            return name.rsplit(".", 1)[-1]
    return None


def _layers_in(context: RefactorContext, node: cst.CSTNode) -> list[Layer] | None:
    """``nn.*`` layers built under ``node``, in source order (Sequential arguments inline)."""
    found: list[Layer] = []
    stack: list[cst.CSTNode] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Call):
            kind = _nn_kind(context, current)
            if kind in ("Sequential", "ModuleList"):
                if kind == "ModuleList" or any(a.star or a.keyword for a in current.args):
                    return None
                stack.extend(reversed([a.value for a in current.args]))
                continue
            if kind is not None and kind[0].isupper():
                layer = _layer(context, current, kind)
                if layer is None:
                    return None
                found.append(layer)
                continue
            if _user_class(context, current) is not None:
                return None  # a sub-module defined in the code: not followed
        if isinstance(current, (cst.For, cst.ListComp, cst.GeneratorExp)):
            return None  # layers built in a loop: the count depends on the loop
        stack.extend(reversed(current.children))
    return found


def _user_class(context: RefactorContext, call: cst.Call) -> cst.ClassDef | None:
    if not isinstance(call.func, cst.Name):
        return None
    return next(
        (
            n
            for n in context.nodes
            if isinstance(n, cst.ClassDef) and n.name.value == call.func.value
        ),
        None,
    )


def count_layers(context: RefactorContext, value: cst.BaseExpression) -> list[Layer] | None:
    """The layers of the model that ``value`` (``Net()``, ``nn.Sequential(...).to(d)``) builds."""
    if not isinstance(value, cst.Call):
        return None
    call = base_call(value)
    if _nn_kind(context, call) == "Sequential":
        return _layers_in(context, call)
    owner = _user_class(context, call)
    if owner is None or not isinstance(owner.body, cst.IndentedBlock):
        return None
    init = next(
        (
            s
            for s in owner.body.body
            if isinstance(s, cst.FunctionDef) and s.name.value == "__init__"
        ),
        None,
    )
    if init is None:
        return None
    return _layers_in(context, init.body)
