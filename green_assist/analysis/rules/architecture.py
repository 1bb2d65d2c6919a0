"""Model architecture: parameters whose work is thrown away."""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from ..findings import Severity
from ..helpers import (
    append_keyword,
    argument,
    call_assignment,
    describe,
    dotted_name,
    is_false,
    is_true,
    iter_nodes,
)
from ..rule import ProposedFix, Rule, RuleDoc
from ..tables import BATCH_NORMS, CONVOLUTIONS, ORDERED_DICT, SEQUENTIAL


@dataclass
class _Layers:
    """Layers bound to names (``self.conv1 = nn.Conv2d(...)``) in one class or module."""

    constructors: dict[str, cst.Call] = field(default_factory=dict)
    pairs: list[tuple[str, str]] = field(default_factory=list)


def _single_input(call: cst.Call) -> cst.BaseExpression | None:
    positional = [arg for arg in call.args if arg.keyword is None and not arg.star]
    return positional[0].value if len(call.args) == 1 and positional else None


class ConvBiasBeforeBatchNorm(Rule):
    code = "GA110"
    name = "conv-bias-before-batchnorm"
    summary = "convolution with a bias directly followed by batch norm"
    severity = Severity.INFO
    needs_qualified_names = True
    triggers = ("BatchNorm",)
    fixable = True
    doc = RuleDoc(
        what=(
            "Finds `nn.Conv1d/2d/3d` (and transposed/lazy variants) created with a bias (the "
            "default) whose output goes straight into a batch norm: consecutive layers in "
            "`nn.Sequential(...)` (also with an `OrderedDict`), `self.bn(self.conv(x))`, or "
            "`x = self.conv(x)` followed by `x = self.bn(x)`."
        ),
        why=(
            "Batch norm subtracts the per-channel mean, so a per-channel bias added just before "
            "it is cancelled exactly: its addition in the forward pass, its gradient in the "
            "backward pass and its optimizer state are computed every step for nothing. The "
            "saving per layer is small, but it is free and repeats for every layer and step."
        ),
        example=(
            "nn.Sequential(\n"
            "    nn.Conv2d(3, 64, kernel_size=3, padding=1),\n"
            "    nn.BatchNorm2d(64),\n"
            "    nn.ReLU(),\n"
            ")\n"
        ),
        fix=(
            "Pass `bias=False` to the convolution (batch norm's own shift takes its role). The "
            "automatic fix is unsafe only in that state-dict keys change: old checkpoints "
            "with a `conv.bias` entry need `strict=False` to load."
        ),
        fixed_example=(
            "nn.Sequential(\n"
            "    nn.Conv2d(3, 64, kernel_size=3, padding=1, bias=False),\n"
            "    nn.BatchNorm2d(64),\n"
            "    nn.ReLU(),\n"
            ")\n"
        ),
        sources=(
            "Ioffe and Szegedy, Batch Normalization: Accelerating Deep Network Training by "
            "Reducing Internal Covariate Shift, ICML 2015 (section 3.2: the bias 'can be "
            "ignored').",
            "PyTorch Performance Tuning Guide, 'Disable bias for convolutions directly followed "
            "by a batch norm': https://pytorch.org/tutorials/recipes/recipes/tuning_guide.html",
        ),
    )

    def setup(self) -> None:
        self._scopes: list[_Layers] = [_Layers()]
        self._reported: set[int] = set()

    def _conv_with_bias(self, call: cst.BaseExpression) -> str | None:
        if not isinstance(call, cst.Call):
            return None
        found = self.match(call.func, CONVOLUTIONS)
        if found is None:
            return None
        bias = argument(call, "bias", CONVOLUTIONS[found])
        if bias is None or is_true(bias.value):
            return found
        return None  # bias=False, or an expression we cannot judge

    def _is_batch_norm(self, call: cst.BaseExpression) -> bool:
        return isinstance(call, cst.Call) and self.match(call.func, BATCH_NORMS) is not None

    def _report(self, conv: cst.Call, norm: cst.Call | str) -> None:
        if id(conv) in self._reported:
            return
        self._reported.add(id(conv))
        module = self.context.module
        bias = argument(conv, "bias", CONVOLUTIONS[self._conv_with_bias(conv) or ""])
        if bias is not None and not is_false(bias.value):
            new: cst.CSTNode = bias.value
            replacement: cst.CSTNode | str = cst.Name("False")
        else:
            new, replacement = conv, append_keyword(conv, "bias", cst.Name("False"))
        shown_norm = norm if isinstance(norm, str) else describe(module, norm.func)
        self.report(
            conv,
            f"`{describe(module, conv)}` has a bias that the following `{shown_norm}` cancels;"
            " pass bias=False",
            ProposedFix("pass bias=False to the convolution", ((new, replacement),), safe=False),
        )

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._scopes.append(_Layers())

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._finish(self._scopes.pop())

    def leave_Module(self, original_node: cst.Module) -> None:
        self._finish(self._scopes[0])

    def _finish(self, layers: _Layers) -> None:
        for conv_name, norm_name in layers.pairs:
            conv = layers.constructors.get(conv_name)
            norm = layers.constructors.get(norm_name)
            if conv is None or norm is None:
                continue
            if self._is_batch_norm(norm) and self._conv_with_bias(conv):
                self._report(conv, norm_name)

    def visit_Assign(self, node: cst.Assign) -> None:
        if not isinstance(node.value, cst.Call):
            return
        for target in node.targets:
            name = dotted_name(target.target)
            if name:
                self._scopes[-1].constructors[name] = node.value

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        # x = self.conv(x) followed by x = self.bn(x), or by x = F.relu(self.bn(x))
        previous: tuple[str, str] | None = None
        for statement in node.body:
            if previous:
                consumer = _only_layer_reading(statement, previous[0])
                if consumer:
                    self._scopes[-1].pairs.append((previous[1], consumer))
            current = _layer_step(statement)
            previous = (current[0], current[2]) if current else None

    def visit_Call(self, node: cst.Call) -> None:
        inner = _single_input(node)
        if isinstance(inner, cst.Call):  # self.bn(self.conv(x))
            outer_name, inner_name = dotted_name(node.func), dotted_name(inner.func)
            if outer_name and inner_name and isinstance(node.func, (cst.Name, cst.Attribute)):
                self._scopes[-1].pairs.append((inner_name, outer_name))
        if self.match(node.func, SEQUENTIAL):
            layers = [arg.value for arg in node.args if arg.keyword is None and not arg.star]
            first_layer = layers[0] if len(layers) == 1 else None
            if isinstance(first_layer, cst.Call) and self.match(first_layer.func, ORDERED_DICT):
                layers = _ordered_dict_layers(first_layer)
            for first, second in zip(layers, layers[1:], strict=False):
                if self._conv_with_bias(first) and self._is_batch_norm(second):
                    assert isinstance(first, cst.Call) and isinstance(second, cst.Call)
                    self._report(first, second)


def _layer_step(statement: cst.BaseStatement) -> tuple[str, str, str] | None:
    """(assigned name, input name, layer name) for ``x = self.layer(h)``."""
    found = call_assignment(statement)
    if found is None:
        return None
    target, call = found
    source = _single_input(call)
    layer = dotted_name(call.func) if isinstance(call.func, (cst.Name, cst.Attribute)) else None
    if not isinstance(source, cst.Name) or not layer:
        return None
    return target, source.value, layer


def _only_layer_reading(statement: cst.BaseStatement, name: str) -> str | None:
    """The layer of ``self.bn(x)`` when that call is the statement's only read of ``x``
    (``x = F.relu(self.bn(x))``); None when ``x`` goes anywhere else too."""
    if not isinstance(statement, cst.SimpleStatementLine):
        return None
    reads = 0
    layer: str | None = None
    for node in iter_nodes(statement):
        if isinstance(node, cst.Name) and node.value == name:
            reads += 1
        elif isinstance(node, cst.Call) and isinstance(node.func, (cst.Name, cst.Attribute)):
            source = _single_input(node)
            if isinstance(source, cst.Name) and source.value == name:
                layer = dotted_name(node.func)
    for small in statement.body:
        if isinstance(small, cst.Assign):  # the target ``x =`` is a write, not a read
            reads -= sum(
                isinstance(t.target, cst.Name) and t.target.value == name for t in small.targets
            )
    return layer if reads == 1 else None


def _ordered_dict_layers(call: cst.Call) -> list[cst.BaseExpression]:
    """The modules of ``OrderedDict([("conv", nn.Conv2d(...)), ("bn", nn.BatchNorm2d(...))])``."""
    if len(call.args) != 1 or not isinstance(call.args[0].value, (cst.List, cst.Tuple)):
        return []
    layers: list[cst.BaseExpression] = []
    for element in call.args[0].value.elements:
        pair = element.value
        if isinstance(pair, cst.Tuple) and len(pair.elements) == 2:
            layers.append(pair.elements[1].value)
    return layers
