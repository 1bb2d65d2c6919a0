"""Attention written out by hand: ``softmax(q @ k.transpose(-2, -1) * scale) @ v``.

:func:`find_attention` reads a module and returns every place where attention
weights are computed step by step and multiplied with the values:

* scores: ``q @ k.transpose(-2, -1)`` (also ``.mT``, ``permute`` swapping the last two
  dimensions, ``torch.matmul``/``bmm``, ``.matmul``) or ``torch.einsum("bhid,bhjd->bhij",
  q, k)``;
* their scale: ``* s``, ``/ math.sqrt(d)``, ``* d ** -0.5`` (none at all is a scale of 1);
* masks: ``masked_fill(cond, -inf)`` (in place too) and additive masks (``+ mask``), each
  possibly under ``if mask is not None:``. A mask that is exactly the causal one, a lower
  triangle of ones (``torch.tril(torch.ones(T, T))``: inline, in a local variable, or in
  a buffer registered in ``__init__`` and sliced ``[:, :, :T, :T]`` as nanoGPT does), is
  marked ``causal``;
* the softmax over the last dimension (``F.softmax``, ``torch.softmax``, ``.softmax``, an
  ``nn.Softmax(dim=-1)`` module);
* dropout on the weights (an ``nn.Dropout`` module, ``F.dropout``);
* the product with the values (``@``, ``matmul``, ``bmm``, ``einsum``).

The steps may be one expression or several statements of one block. Rule GA116
reports each match; the ``efficient-attention`` refactor rewrites it to
``torch.nn.functional.scaled_dot_product_attention``. ``problem`` says why a match
cannot be rewritten: the weights are used afterwards, a name the call needs is
reassigned in between, a learned scale...
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

import libcst as cst

from .helpers import (
    argument,
    dotted_name,
    int_value,
    iter_calls,
    iter_nodes,
    method_name,
    names_in,
    string_value,
)
from .helpers import receiver as receiver_of
from .names import target_names
from .walker import children

Resolve = Callable[[cst.CSTNode], Collection[str]]
Statement = cst.BaseStatement

SOFTMAX = frozenset(
    {
        "torch.softmax",
        "torch.nn.functional.softmax",
        "torch.special.softmax",
        "torch.Tensor.softmax",
    }
)
SOFTMAX_MODULES = frozenset({"torch.nn.Softmax", "torch.nn.modules.activation.Softmax"})
DROPOUT = frozenset({"torch.nn.functional.dropout", "torch.dropout"})
DROPOUT_MODULES = frozenset({"torch.nn.Dropout", "torch.nn.modules.dropout.Dropout"})
MATMUL = frozenset({"torch.matmul", "torch.bmm"})
EINSUM = frozenset({"torch.einsum", "torch.functional.einsum"})
MASKED_FILL = frozenset({"torch.masked_fill"})
TRIANGLES = frozenset({"torch.tril", "torch.triu"})
ONES = frozenset({"torch.ones", "torch.ones_like"})
FULL = frozenset({"torch.full", "torch.full_like"})
SQUARE_SUBSEQUENT_MASK = frozenset(
    {
        "torch.nn.Transformer.generate_square_subsequent_mask",
        "torch.nn.modules.transformer.Transformer.generate_square_subsequent_mask",
        "torch.nn.modules.transformer._generate_square_subsequent_mask",
    }
)
PARAMETER = frozenset({"torch.nn.Parameter", "torch.nn.parameter.Parameter"})
FUSED_NAME = "scaled_dot_product_attention"
# Tensor methods that make a scale a tensor (``self.logit_scale.exp()``).
TENSOR_MATH = frozenset({"exp", "sqrt", "rsqrt", "clamp", "clamp_min", "clamp_max", "reciprocal"})
# Calls that keep a mask's lower/upper triangle in its last two dimensions.
MASK_PRESERVING_METHODS = frozenset(
    {
        "view",
        "reshape",
        "unsqueeze",
        "bool",
        "to",
        "float",
        "half",
        "int",
        "long",
        "byte",
        "cuda",
        "cpu",
        "contiguous",
        "expand",
        "type_as",
        "detach",
    }
)

MaskKind = Literal["tril", "triu", "causal-additive"]


@dataclass(frozen=True)
class Mask:
    """One mask applied to the scores before the softmax."""

    kind: Literal["fill", "add"]  # masked_fill(node, -inf) / scores + node
    node: cst.BaseExpression  # the fill condition, or the added mask
    causal: bool  # exactly the causal (lower-triangular) mask
    finite: bool = False  # filled with a large finite negative number, not -inf
    condition: cst.BaseExpression | None = None  # ``if <condition>:`` around it


@dataclass(frozen=True)
class Dropout:
    """Dropout on the weights, as text: ``probability if enabled else 0.0``."""

    probability: str
    enabled: str | None  # None: always on (``F.dropout`` without ``training=``)


@dataclass
class Attention:
    """One attention computed by hand (see the module docstring)."""

    output: cst.BaseExpression  # ``att @ v``: what the fused call replaces
    statement: Statement  # the statement holding ``output``
    softmax: cst.CSTNode  # where the finding is reported
    query: cst.BaseExpression
    key: cst.BaseExpression
    value: cst.BaseExpression
    scale: tuple[tuple[str, cst.BaseExpression], ...]  # ("*" | "/", factor), in order
    masks: tuple[Mask, ...]
    dropout: Dropout | None
    chain: list[Statement]  # the other statements of the computation (removed by a rewrite)
    weights: list[str]  # names that held scores or weights
    dead_masks: list[Statement] = field(default_factory=list)  # mask builders used only here
    problem: str | None = None

    @property
    def causal(self) -> bool:
        """The only mask is the causal one, so ``is_causal=True`` replaces it."""
        return len(self.masks) == 1 and self.masks[0].causal and self.masks[0].condition is None


@dataclass(frozen=True)
class _Scores:
    query: cst.BaseExpression
    key: cst.BaseExpression
    scale: tuple[tuple[str, cst.BaseExpression], ...] = ()
    masks: tuple[Mask, ...] = ()
    problem: str | None = None


@dataclass(frozen=True)
class _Weights:
    scores: _Scores
    softmax: cst.CSTNode
    dropout: Dropout | None = None


_Value = _Scores | _Weights


@dataclass(frozen=True)
class _Bound:
    """A name holding scores or weights, and the statements that built it."""

    value: _Value
    statements: tuple[Statement, ...]
    names: tuple[str, ...]


@dataclass
class _Facts:
    """What names and ``self`` attributes hold: masks, dropout and softmax modules."""

    masks: dict[str, MaskKind] = field(default_factory=dict)
    dropouts: dict[str, str] = field(default_factory=dict)  # name -> its nn.Dropout's name
    softmaxes: set[str] = field(default_factory=set)
    parameters: set[str] = field(default_factory=set)
    mask_statements: dict[str, Statement] = field(default_factory=dict)

    def copy(self) -> _Facts:
        return _Facts(
            dict(self.masks),
            dict(self.dropouts),
            set(self.softmaxes),
            set(self.parameters),
            dict(self.mask_statements),
        )

    def forget(self, name: str) -> None:
        self.masks.pop(name, None)
        self.dropouts.pop(name, None)
        self.softmaxes.discard(name)
        self.parameters.discard(name)
        self.mask_statements.pop(name, None)


# -- small syntax questions ---------------------------------------------------------------
def strip_parentheses(node: cst.BaseExpression) -> cst.BaseExpression:
    """``node`` without its parentheses (for comparing and showing)."""
    if not getattr(node, "lpar", None) or isinstance(node, (cst.Tuple, cst.GeneratorExp)):
        return node
    return node.with_changes(lpar=[], rpar=[])


_strip = strip_parentheses


def _number(node: cst.BaseExpression | None) -> float | None:
    """The value of ``3``, ``-1``, ``1e9``, ``-1e9``."""
    if node is None:
        return None
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        inner = _number(node.expression)
        return -inner if inner is not None else None
    if isinstance(node, cst.Integer):
        return int_value(node)
    if isinstance(node, cst.Float):
        try:
            return float(node.value.replace("_", ""))
        except ValueError:
            return None
    return None


def _positional(call: cst.Call) -> list[cst.BaseExpression]:
    return [arg.value for arg in call.args if arg.keyword is None and not arg.star]


def _einsum_tokens(spec: str) -> list[str]:
    tokens, index = [], 0
    while index < len(spec):
        if spec.startswith("...", index):
            tokens.append("...")
            index += 3
        else:
            tokens.append(spec[index])
            index += 1
    return tokens


def _einsum(spec: str) -> tuple[list[str], list[str], list[str]] | None:
    """(first operand, second operand, output) subscripts of a two-operand einsum."""
    spec = "".join(spec.split())
    if spec.count("->") != 1:
        return None
    inputs, output = spec.split("->")
    operands = inputs.split(",")
    if len(operands) != 2:
        return None
    first, second, out = (_einsum_tokens(part) for part in (*operands, output))
    if not (len(first) == len(second) == len(out) >= 2):
        return None
    if not first[:-2] == second[:-2] == out[:-2]:
        return None
    return first, second, out


def _same(first: cst.CSTNode, second: cst.CSTNode) -> bool:
    return _strip(first).deep_equals(_strip(second))  # type: ignore[arg-type]


class _Reader:
    """Recognises the pieces of attention in expressions (see the module docstring)."""

    def __init__(self, module: cst.Module, resolve: Resolve) -> None:
        self.module = module
        self._resolve = resolve

    def code(self, node: cst.CSTNode) -> str:
        return self.module.code_for_node(node)

    def matches(self, node: cst.CSTNode, names: Collection[str]) -> bool:
        return any(name in names for name in self._resolve(node))

    # -- masks ---------------------------------------------------------------------------
    def negative_infinity(self, node: cst.BaseExpression) -> Literal["inf", "finite"] | None:
        """``float("-inf")``, ``-math.inf``, ``torch.finfo(x.dtype).min``, ``-1e9``..."""
        node = _strip(node)
        if isinstance(node, cst.Call) and dotted_name(node.func) == "float":
            text = string_value(node.args[0].value) if len(node.args) == 1 else None
            if text is not None and text.strip().lower() in ("-inf", "-infinity"):
                return "inf"
            return None
        if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
            inner = _strip(node.expression)
            if isinstance(inner, cst.Call) and dotted_name(inner.func) == "float":
                text = string_value(inner.args[0].value) if len(inner.args) == 1 else None
                return "inf" if text and text.strip().lower() in ("inf", "infinity") else None
            if isinstance(inner, cst.Attribute) and inner.attr.value == "inf":
                return "inf"
            if isinstance(inner, cst.Attribute) and inner.attr.value == "max":
                return "finite" if self._finfo(inner.value) else None
        if isinstance(node, cst.Attribute) and node.attr.value == "min" and self._finfo(node.value):
            return "finite"
        number = _number(node)
        if number is not None and number <= -1e4:
            return "finite"
        return None

    def _finfo(self, node: cst.BaseExpression) -> bool:
        return isinstance(node, cst.Call) and self.matches(node.func, {"torch.finfo"})

    def mask_kind(self, node: cst.BaseExpression, facts: _Facts) -> MaskKind | None:
        """Is ``node`` a lower triangle of ones, an upper one above the diagonal, or the
        additive causal mask (-inf above the diagonal)? Top-left slices keep the answer."""
        node = _strip(node)
        if isinstance(node, cst.Name):
            return facts.masks.get(node.value)
        if isinstance(node, cst.Attribute):
            owner = dotted_name(node)
            return facts.masks.get(owner) if owner and owner.startswith("self.") else None
        if isinstance(node, cst.Subscript):
            for element in node.slice:
                part = element.slice
                if isinstance(part, cst.Slice):
                    if part.lower is not None or part.step is not None:
                        return None
                elif not (
                    isinstance(part, cst.Index)
                    and (
                        isinstance(part.value, cst.Ellipsis)
                        or (isinstance(part.value, cst.Name) and part.value.value == "None")
                    )
                ):
                    return None
            return self.mask_kind(node.value, facts)
        if not isinstance(node, cst.Call):
            return None
        method = method_name(node)
        if method in MASK_PRESERVING_METHODS and not self.matches(node.func, ONES | FULL):
            inner = receiver_of(node)
            return self.mask_kind(inner, facts) if inner is not None else None
        if self.matches(node.func, SQUARE_SUBSEQUENT_MASK):
            return "causal-additive"
        return self._triangle(node)

    def _triangle(self, call: cst.Call) -> MaskKind | None:
        if self.matches(call.func, TRIANGLES):
            positional = _positional(call)
            if not positional:
                return None
            source, rest = positional[0], positional[1:]
            which = (dotted_name(call.func) or "").rsplit(".", 1)[-1]
        elif method_name(call) in ("tril", "triu"):
            source, rest = receiver_of(call), _positional(call)  # type: ignore[assignment]
            which = method_name(call) or ""
        else:
            return None
        diagonal_arg = argument(call, "diagonal")
        diagonal = (
            _number(diagonal_arg.value) if diagonal_arg else (_number(rest[0]) if rest else 0)
        )
        filler = self._filler(source)
        if which == "tril" and diagonal == 0 and filler == "ones":
            return "tril"
        if which == "triu" and diagonal == 1 and filler == "ones":
            return "triu"
        if which == "triu" and diagonal == 1 and filler == "-inf":
            return "causal-additive"
        return None

    def _filler(self, node: cst.BaseExpression | None) -> str | None:
        """``ones`` for ``torch.ones(T, T)``, ``-inf`` for ``torch.full((T, T), -inf)``."""
        if not isinstance(node, cst.Call):
            return None
        if self.matches(node.func, ONES):
            return "ones"
        if self.matches(node.func, FULL):
            positional = _positional(node)
            fill = argument(node, "fill_value", 1)
            value = (
                fill.value if fill is not None else (positional[1] if len(positional) > 1 else None)
            )
            if value is None:
                return None
            if _number(value) == 1 or (isinstance(value, cst.Name) and value.value == "True"):
                return "ones"
            if self.negative_infinity(value) == "inf":
                return "-inf"
        return None

    def fill_is_causal(self, condition: cst.BaseExpression, facts: _Facts) -> bool:
        """Does ``masked_fill(condition, -inf)`` mask exactly what lies above the diagonal?"""
        condition = _strip(condition)
        negated: cst.BaseExpression | None = None  # the mask the condition negates
        plain: cst.BaseExpression | None = None  # the mask the condition is
        if isinstance(condition, cst.Comparison) and len(condition.comparisons) == 1:
            operator = condition.comparisons[0].operator
            right = condition.comparisons[0].comparator
            number = _number(right)
            false = isinstance(right, cst.Name) and right.value == "False"
            if isinstance(operator, cst.Equal) and (number == 0 or false):
                negated = condition.left
            elif (
                isinstance(operator, cst.Equal)
                and number == 1
                or isinstance(operator, (cst.NotEqual, cst.GreaterThan))
                and number == 0
            ):
                plain = condition.left
        elif isinstance(condition, cst.UnaryOperation) and isinstance(
            condition.operator, cst.BitInvert
        ):
            negated = condition.expression
        elif isinstance(condition, cst.Call) and method_name(condition) == "logical_not":
            negated = receiver_of(condition)
        elif isinstance(condition, cst.Call) and self.matches(
            condition.func, {"torch.logical_not"}
        ):
            negated = _positional(condition)[0] if condition.args else None
        else:
            plain = condition
        if negated is not None:
            return self.mask_kind(negated, facts) == "tril"
        return plain is not None and self.mask_kind(plain, facts) == "triu"

    # -- scores, softmax, dropout --------------------------------------------------------
    def transposed_key(self, node: cst.BaseExpression) -> cst.BaseExpression | None:
        """``k`` for ``k.transpose(-2, -1)``, ``k.mT``, ``k.permute(0, 1, 3, 2)``..."""
        node = _strip(node)
        if isinstance(node, cst.Attribute) and node.attr.value == "mT":
            return node.value
        if not isinstance(node, cst.Call):
            return None
        positional = _positional(node)
        if method_name(node) in ("transpose", "swapaxes", "swapdims") and len(node.args) == 2:
            if {_number(p) for p in positional} == {-1, -2} and len(positional) == 2:
                return receiver_of(node)
            return None
        if method_name(node) == "permute" and len(positional) >= 2:
            numbers = [_number(p) for p in positional]
            rank = len(numbers)
            wanted = [*range(rank - 2), rank - 1, rank - 2]
            return receiver_of(node) if numbers == wanted else None
        if (
            self.matches(node.func, {"torch.transpose"})
            and len(positional) == 3
            and {_number(p) for p in positional[1:]} == {-1, -2}
        ):
            return positional[0]
        return None

    def matmul_operands(
        self, node: cst.BaseExpression
    ) -> tuple[cst.BaseExpression, cst.BaseExpression] | None:
        node = _strip(node)
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.MatrixMultiply):
            return node.left, node.right
        if isinstance(node, cst.Call):
            positional = _positional(node)
            if len(positional) != len(node.args):
                return None
            if self.matches(node.func, MATMUL) and len(positional) == 2:
                return positional[0], positional[1]
            if method_name(node) in ("matmul", "bmm") and len(positional) == 1:
                owner = receiver_of(node)
                if owner is not None and not self.matches(node.func, MATMUL):
                    return owner, positional[0]
        return None

    def einsum(
        self, node: cst.BaseExpression
    ) -> tuple[list[str], list[str], list[str], cst.BaseExpression, cst.BaseExpression] | None:
        node = _strip(node)
        if not (isinstance(node, cst.Call) and self.matches(node.func, EINSUM)):
            return None
        positional = _positional(node)
        if len(positional) != 3 or len(node.args) != 3:
            return None
        spec = string_value(positional[0])
        parsed = _einsum(spec) if spec is not None else None
        if parsed is None:
            return None
        return (*parsed, positional[1], positional[2])

    def softmax_input(self, node: cst.BaseExpression, facts: _Facts) -> cst.BaseExpression | None:
        """``x`` for a softmax of ``x`` over the last dimension."""
        node = _strip(node)
        if not isinstance(node, cst.Call) or any(arg.star for arg in node.args):
            return None
        if argument(node, "dtype") is not None or argument(node, "_stacklevel") is not None:
            return None
        positional = _positional(node)
        owner = dotted_name(node.func)
        if owner is not None and (owner in facts.softmaxes) and len(positional) == 1:
            return positional[0]
        if (
            isinstance(node.func, cst.Call)
            and len(positional) == 1
            and self.matches(node.func.func, SOFTMAX_MODULES)
        ):
            # ``nn.Softmax(dim=-1)(scores)``: the module built and called at once
            dim = argument(node.func, "dim", 0)
            return positional[0] if dim is not None and _number(dim.value) == -1 else None
        method_form = not positional or _number(positional[0]) is not None
        if method_name(node) == "softmax" and method_form and not self.matches(node.func, SOFTMAX):
            dim = argument(node, "dim", 0)
            owner_node = receiver_of(node)
            if owner_node is not None and dim is not None and _number(dim.value) == -1:
                return owner_node
            return None
        if (self.matches(node.func, SOFTMAX) or method_name(node) == "softmax") and positional:
            dim = argument(node, "dim", 1)
            if dim is not None and _number(dim.value) == -1:
                return positional[0]
        return None

    def dropout(
        self, node: cst.BaseExpression, facts: _Facts
    ) -> tuple[cst.BaseExpression, Dropout] | None:
        """(input, dropout) for ``self.attn_dropout(x)`` or ``F.dropout(x, p, training)``."""
        node = _strip(node)
        if not isinstance(node, cst.Call) or any(arg.star for arg in node.args):
            return None
        positional = _positional(node)
        module = dotted_name(node.func)
        if module is not None and module in facts.dropouts and len(node.args) == 1:
            return positional[0], Dropout(f"{module}.p", f"{module}.training")
        if not self.matches(node.func, DROPOUT) or not positional:
            return None
        probability = argument(node, "p", 1)
        training = argument(node, "training" if "functional" in self._name(node) else "train", 2)
        p = self.code(probability.value) if probability is not None else "0.5"
        if training is None:
            return positional[0], Dropout(p, None)
        return positional[0], Dropout(p, self.code(training.value))

    def _name(self, node: cst.Call) -> str:
        return next(iter(sorted(n for n in self._resolve(node.func) if n in DROPOUT)), "")

    def learned_scale(self, factor: cst.BaseExpression, facts: _Facts) -> bool:
        """A scale that is a tensor (``torch.*`` calls, ``.exp()``, an nn.Parameter)."""
        for current in iter_nodes(factor):
            if not isinstance(current, cst.Call):
                continue
            names = self._resolve(current.func)
            if any(n.startswith("torch.") for n in names):
                return True
            if method_name(current) in TENSOR_MATH and not any(
                n.startswith(("math.", "numpy.", "np.")) for n in names
            ):
                return True
        for current in iter_nodes(factor):
            name = dotted_name(current) if isinstance(current, (cst.Name, cst.Attribute)) else None
            if name is not None and name in facts.parameters:
                return True
        return False


class _Evaluator:
    """Evaluates expressions to scores/weights/output over the names bound so far."""

    def __init__(self, reader: _Reader, env: dict[str, _Bound], facts: _Facts) -> None:
        self.reader = reader
        self.env = env
        self.facts = facts
        self.used: set[str] = set()

    def value(self, node: cst.BaseExpression) -> _Value | None:
        node_ = _strip(node)
        if isinstance(node_, cst.Name):
            bound = self.env.get(node_.value)
            if bound is not None:
                self.used.add(node_.value)
                return bound.value
            return None
        return self.scores(node_) or self.weights(node_)

    def scores(self, node: cst.BaseExpression) -> _Scores | None:
        reader = self.reader
        operands = reader.matmul_operands(node)
        if operands is not None:
            left, right = operands
            key = reader.transposed_key(right)
            if key is not None and self.value(left) is None:
                return _Scores(left, key)
            return None
        einsum = reader.einsum(node)
        if einsum is not None:
            first, second, out, a, b = einsum
            i, j = out[-2], out[-1]
            if first[-1] == second[-1] and first[-1] not in out and i != j:
                if first[-2] == i and second[-2] == j:
                    return _Scores(a, b)
                if first[-2] == j and second[-2] == i:
                    return _Scores(b, a)
            return _channels_first_scores(first, second, out, a, b)
        if isinstance(node, cst.BinaryOperation):
            return self._arithmetic(node.left, node.operator, node.right)
        if isinstance(node, cst.Call):
            return self._method_on_scores(node)
        return None

    def _arithmetic(
        self, left: cst.BaseExpression, operator: cst.BaseBinaryOp, right: cst.BaseExpression
    ) -> _Scores | None:
        first = self.value(left)
        second = self.value(right) if not isinstance(first, _Scores) else None
        if isinstance(first, _Scores) and isinstance(operator, cst.Multiply):
            return self._scaled(first, "*", right)
        if isinstance(second, _Scores) and isinstance(operator, cst.Multiply):
            return self._scaled(second, "*", left)
        if isinstance(first, _Scores) and isinstance(operator, cst.Divide):
            return self._scaled(first, "/", right)
        if isinstance(operator, cst.Add) and (
            isinstance(first, _Scores) or isinstance(second, _Scores)
        ):
            scores, mask = (first, right) if isinstance(first, _Scores) else (second, left)
            assert isinstance(scores, _Scores)
            if self.value(mask) is not None:
                return None
            causal = self.reader.mask_kind(mask, self.facts) == "causal-additive"
            return replace(scores, masks=(*scores.masks, Mask("add", mask, causal)))
        return None

    def _scaled(self, scores: _Scores, operator: str, factor: cst.BaseExpression) -> _Scores | None:
        if self.value(factor) is not None:
            return None
        problem = scores.problem
        if any(mask.kind == "add" for mask in scores.masks):
            problem = problem or (
                "the scores are scaled after an additive mask, so the mask is scaled too;"
                " scaled_dot_product_attention adds its mask after scaling"
            )
        if self.reader.learned_scale(factor, self.facts):
            problem = problem or (
                f"the scale `{self.reader.code(_strip(factor))}` is a tensor (learned or"
                " computed with torch); scaled_dot_product_attention takes it as a plain"
                " number, so it would no longer be trained"
            )
        return replace(scores, scale=(*scores.scale, (operator, factor)), problem=problem)

    def _method_on_scores(self, call: cst.Call) -> _Scores | None:
        method = method_name(call)
        positional = _positional(call)
        if method in ("masked_fill", "masked_fill_") or self.reader.matches(call.func, MASKED_FILL):
            if method in ("masked_fill", "masked_fill_"):
                owner = receiver_of(call)
                rest = positional
            else:
                owner, rest = (positional[0] if positional else None), positional[1:]
            scores = self.value(owner) if owner is not None else None
            if (
                not isinstance(scores, _Scores)
                or len(rest) != 2
                or len(call.args) != len(positional)
            ):
                return None
            return self.masked(scores, rest[0], rest[1])
        if method in ("mul", "div", "add") and len(positional) == 1 == len(call.args):
            owner = receiver_of(call)
            if owner is None:
                return None
            operator: cst.BaseBinaryOp = {
                "mul": cst.Multiply(),
                "div": cst.Divide(),
                "add": cst.Add(),
            }[method]
            scores = self.value(owner)
            if isinstance(scores, _Scores):
                return self._arithmetic(owner, operator, positional[0])
        return None

    def masked(
        self,
        scores: _Scores,
        condition: cst.BaseExpression,
        fill: cst.BaseExpression,
        under: cst.BaseExpression | None = None,
    ) -> _Scores | None:
        infinity = self.reader.negative_infinity(fill)
        if infinity is None or self.value(condition) is not None:
            return None
        causal = self.reader.fill_is_causal(condition, self.facts)
        mask = Mask("fill", condition, causal, infinity == "finite", under)
        return replace(scores, masks=(*scores.masks, mask))

    def weights(self, node: cst.BaseExpression) -> _Weights | None:
        reader = self.reader
        source = reader.softmax_input(node, self.facts)
        if source is not None:
            scores = self.value(source)
            return _Weights(scores, node) if isinstance(scores, _Scores) else None
        found = reader.dropout(node, self.facts)
        if found is not None:
            weights = self.value(found[0])
            if isinstance(weights, _Weights) and weights.dropout is None:
                return replace(weights, dropout=found[1])
        return None

    def output(self, node: cst.BaseExpression) -> tuple[_Weights, cst.BaseExpression] | None:
        """(weights, values) for ``weights @ values`` (or matmul/bmm/einsum)."""
        operands = self.reader.matmul_operands(node)
        if operands is not None:
            weights = self.value(operands[0])
            if isinstance(weights, _Weights) and self.value(operands[1]) is None:
                return weights, operands[1]
            return None
        einsum = self.reader.einsum(node)
        if einsum is None:
            return None
        first, second, out, a, b = einsum
        for weights_spec, values_spec, weights_node, values_node in (
            (first, second, a, b),
            (second, first, b, a),
        ):
            weights = self.value(weights_node)
            if not isinstance(weights, _Weights):
                continue
            i, j, d = weights_spec[-2], weights_spec[-1], values_spec[-1]
            if values_spec[-2] == j and out[-2:] == [i, d] and len({i, j, d}) == 3:
                return weights, values_node
            # ``einsum("bhnm,bhdm->bhdn", attn, v)``: values and output channels first
            rest = [letter for letter in values_spec if letter not in weights_spec]
            if (
                j in values_spec
                and j not in out
                and len(rest) == 1
                and sorted(out[-2:]) == sorted([i, rest[0]])
                and weights_spec[:-2] == values_spec[:-2] == out[:-2]
            ):
                scores = replace(weights.scores, problem=weights.scores.problem or _LAYOUT)
                return replace(weights, scores=scores), values_node
        return None


_LAYOUT = (
    "the queries, keys or values are laid out channels first (the einsum contracts"
    " another axis than the last); scaled_dot_product_attention wants (..., L, E), so they"
    " need transposing first"
)


def _channels_first_scores(
    first: list[str],
    second: list[str],
    out: list[str],
    a: cst.BaseExpression,
    b: cst.BaseExpression,
) -> _Scores | None:
    """``einsum("bhdn,bhdm->bhnm", q, k)``: scores contracted over an axis other than the
    last (``d``, one axis both operands share and the output drops), the output ending in
    the query's and the key's own axes."""
    if len(first) != len(second) or len(out) != len(first) or first[:-2] != out[:-2]:
        return None
    shared = [letter for letter in first if letter in second and letter not in out]
    i, j = out[-2], out[-1]
    if len(shared) != 1 or i == j:
        return None
    if i in first and i not in second and j in second and j not in first:
        return _Scores(a, b, problem=_LAYOUT)
    if j in first and j not in second and i in second and i not in first:
        return _Scores(b, a, problem=_LAYOUT)
    return None


# -- statements ---------------------------------------------------------------------------
# bound_names is asked for the same statements at every nesting level and, after an edit,
# for the unchanged statements of cached pieces again: remember it per node (nodes are
# immutable; the node is kept with its answer so a reused id cannot match).
_BOUND_CACHE_SIZE = 8192
_bound_cache: dict[int, tuple[cst.CSTNode, frozenset[str]]] = {}


def bound_names(statement: cst.CSTNode) -> set[str]:
    """Names a statement (and the statements inside it) binds."""
    known = _bound_cache.get(id(statement))
    if known is not None and known[0] is statement:
        return set(known[1])
    found = _bound_names(statement)
    if len(_bound_cache) >= _BOUND_CACHE_SIZE:
        _bound_cache.clear()
    _bound_cache[id(statement)] = (statement, frozenset(found))
    return found


def _bound_names(statement: cst.CSTNode) -> set[str]:
    found: set[str] = set()
    if type(statement) is cst.SimpleStatementLine:  # the common case: read the targets
        for small in statement.body:
            kind = type(small)
            if kind is cst.Assign:
                for target in small.targets:  # type: ignore[attr-defined]
                    found.update(target_names(target.target))
            elif kind is cst.AnnAssign or kind is cst.AugAssign:
                found.update(target_names(small.target))  # type: ignore[attr-defined]
            elif kind is cst.Import or kind is cst.ImportFrom:
                names = small.names  # type: ignore[attr-defined]
                for alias in names if isinstance(names, Sequence) else ():
                    bound = alias.asname.name if alias.asname else alias.name
                    found.add((dotted_name(bound) or "").split(".")[0])
        return found  # (a walrus inside a simple statement is not followed)
    for node in iter_nodes(statement):
        if isinstance(node, (cst.AssignTarget, cst.AnnAssign, cst.AugAssign, cst.For, cst.CompFor)):
            found.update(target_names(node.target))
        elif isinstance(node, cst.AsName):
            found.update(target_names(node.name))
        elif isinstance(node, cst.NamedExpr):
            found.update(target_names(node.target))
    return found


def _single(statement: Statement) -> cst.BaseSmallStatement | None:
    if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1:
        return statement.body[0]
    return None


def _assignment(statement: Statement) -> tuple[str, cst.BaseExpression] | None:
    """(name, value) for ``name = value``, ``name: T = value``, ``name *= value``..."""
    small = _single(statement)
    if isinstance(small, cst.Assign) and len(small.targets) == 1:
        target = small.targets[0].target
        if isinstance(target, cst.Name):
            return target.value, small.value
    if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name) and small.value:
        return small.target.value, small.value
    if isinstance(small, cst.AugAssign) and isinstance(small.target, cst.Name):
        operator = {
            cst.MultiplyAssign: cst.Multiply(),
            cst.DivideAssign: cst.Divide(),
            cst.AddAssign: cst.Add(),
        }.get(type(small.operator))
        if operator is None:
            return None
        return small.target.value, cst.BinaryOperation(small.target, operator, small.value)
    if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
        call = small.value
        owner = receiver_of(call)
        if method_name(call) == "masked_fill_" and isinstance(owner, cst.Name):
            return owner.value, call
    return None


def _reads(node: cst.CSTNode) -> set[str]:
    """Names a statement reads (assignment targets that are plain names excluded)."""
    if isinstance(node, cst.SimpleStatementLine):
        found: set[str] = set()
        for small in node.body:
            if isinstance(small, cst.Assign):
                found |= names_in(small.value)
                for target in small.targets:
                    if not isinstance(target.target, (cst.Name, cst.Tuple, cst.List)):
                        found |= names_in(target.target)
            elif isinstance(small, cst.AnnAssign):
                found |= names_in(small.value) if small.value is not None else set()
            elif isinstance(small, cst.AugAssign):
                found |= names_in(small.value) | names_in(small.target)
            else:
                found |= names_in(small)
        return found
    return names_in(node)


def _header_reads(statement: Statement) -> set[str]:
    """Names read by a compound statement's own header (``if x:``, ``for a in b:``)."""
    if isinstance(statement, (cst.If, cst.While)):
        return names_in(statement.test)
    if isinstance(statement, cst.For):
        return names_in(statement.iter)
    if isinstance(statement, cst.With):
        return set().union(*(names_in(item.item) for item in statement.items))
    return set()


def _names_outside(node: cst.CSTNode, skip: cst.CSTNode) -> set[str]:
    found: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if current is skip:
            continue
        if isinstance(current, cst.Name):
            found.add(current.value)
        elif isinstance(current, (cst.Attribute, cst.Arg)):
            stack.append(current.value)
        elif isinstance(current, cst.AssignTarget) and isinstance(current.target, cst.Name):
            continue
        else:
            stack.extend(children(current))
    return found


def _flatten(body: Sequence[Statement]) -> Iterator[Statement]:
    """Statements in source order, compound statements before their insides."""
    for statement in body:
        yield statement
        for block in _blocks(statement):
            yield from _flatten(block)


def _blocks(statement: Statement) -> list[Sequence[Statement]]:
    found: list[Sequence[Statement]] = []
    if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
        return found
    pending: list[cst.CSTNode] = [statement]
    while pending:
        node = pending.pop(0)
        for name in ("body", "orelse", "handlers", "finalbody", "cases"):
            part = getattr(node, name, None)
            if part is None:
                continue
            if isinstance(part, cst.IndentedBlock):
                found.append(part.body)
            elif isinstance(part, (cst.SimpleStatementSuite,)):
                continue
            elif isinstance(part, (list, tuple)):
                pending.extend(part)
            elif isinstance(part, cst.CSTNode) and part is not node:
                pending.append(part)
    return found


class _Scanner:
    """Walks one function (or the module's top level) and collects attention."""

    def __init__(self, reader: _Reader, scope_body: Sequence[Statement], facts: _Facts) -> None:
        self.reader = reader
        self.flat = list(_flatten(scope_body))
        self.facts = facts
        self.found: list[Attention] = []
        self._chain_nodes: dict[int, set[int]] = {}

    def scan(self, body: Sequence[Statement], fused: bool) -> None:
        env: dict[str, _Bound] = {}
        facts = self.facts
        for statement in body:
            if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
                for name in bound_names(statement) | {statement.name.value}:
                    env.pop(name, None)
                continue
            if self._conditional_mask(statement, env):
                continue
            if not isinstance(statement, cst.SimpleStatementLine):
                inner_fused = fused or _calls_fused(statement)
                saved = facts.copy()
                for block in _blocks(statement):
                    self.scan(block, inner_fused)
                    self.facts = facts = saved.copy()
                for name in bound_names(statement):
                    env.pop(name, None)
                    facts.forget(name)
                continue
            self._output(statement, env, fused)
            self._bind(statement, env, facts)

    def _bind(
        self, statement: cst.SimpleStatementLine, env: dict[str, _Bound], facts: _Facts
    ) -> None:
        assigned = _assignment(statement)
        names = bound_names(statement)
        if assigned is not None:
            name, value = assigned
            evaluator = _Evaluator(self.reader, env, facts)
            result = evaluator.value(value)
            if result is not None:
                statements: tuple[Statement, ...] = ()
                chain_names: tuple[str, ...] = ()
                for used in sorted(evaluator.used):
                    statements += env[used].statements
                    chain_names += env[used].names
                env[name] = _Bound(
                    result,
                    (*dict.fromkeys((*statements, statement)),),
                    (*dict.fromkeys((*chain_names, name)),),
                )
                facts.forget(name)
                return
        for name in names:
            env.pop(name, None)
            facts.forget(name)
        if assigned is not None:
            learn_fact(self.reader, assigned[0], assigned[1], facts, statement)

    def _conditional_mask(self, statement: Statement, env: dict[str, _Bound]) -> bool:
        """``if mask is not None: scores = scores.masked_fill(mask == 0, -inf)``."""
        if not isinstance(statement, cst.If) or statement.orelse is not None:
            return False
        if not isinstance(statement.body, cst.IndentedBlock) or len(statement.body.body) != 1:
            return False
        inner = statement.body.body[0]
        assigned = _assignment(inner)
        if assigned is None or assigned[0] not in env:
            return False
        name, value = assigned
        bound = env[name]
        if not isinstance(bound.value, _Scores):
            return False
        evaluator = _Evaluator(self.reader, env, self.facts)
        result = evaluator.value(value)
        if not isinstance(result, _Scores) or evaluator.used != {name}:
            return False
        added = result.masks[len(bound.value.masks) :]
        if result.scale != bound.value.scale or len(added) != 1:
            return False
        mask = replace(added[0], condition=statement.test, causal=False)
        scores = replace(result, masks=(*bound.value.masks, mask))
        env[name] = _Bound(scores, (*bound.statements, statement), bound.names)
        return True

    def _output(
        self, statement: cst.SimpleStatementLine, env: dict[str, _Bound], fused: bool
    ) -> None:
        if not any(isinstance(b.value, _Weights) for b in env.values()) and not _may_hold_output(
            statement
        ):
            return
        for node in iter_nodes(statement):
            if not _is_product(node):
                continue
            assert isinstance(node, cst.BaseExpression)
            evaluator = _Evaluator(self.reader, env, self.facts)
            found = evaluator.output(node)
            if found is None:
                continue
            if fused:
                return
            weights, values = found
            chain: list[Statement] = []
            names: list[str] = []
            for used in sorted(evaluator.used):
                chain += [s for s in env[used].statements if s not in chain]
                names += [n for n in env[used].names if n not in names]
            chain.sort(key=self.flat.index)
            scores = weights.scores
            attention = Attention(
                output=node,
                statement=statement,
                softmax=weights.softmax,
                query=scores.query,
                key=scores.key,
                value=values,
                scale=scores.scale,
                masks=scores.masks,
                dropout=weights.dropout,
                chain=chain,
                weights=names,
                problem=scores.problem,
            )
            attention.problem = attention.problem or self._problem(attention)
            if attention.problem is None and attention.causal:
                attention.dead_masks = self._dead_masks(attention)
            self.found.append(attention)
            return

    def _problem(self, attention: Attention) -> str | None:
        reader = self.reader
        weights = set(attention.weights)
        outside = _names_outside(attention.statement, attention.output) & weights
        if outside:
            return _used_reason(sorted(outside)[0], attention.statement, reader)
        moved: list[cst.CSTNode] = [attention.query, attention.key]
        moved += [factor for _, factor in attention.scale]
        masks = [m.node for m in attention.masks] + [
            m.condition for m in attention.masks if m.condition is not None
        ]
        needed = set().union(*(names_in(node) for node in [*moved, *masks]))
        if needed & weights:
            return _used_reason(sorted(needed & weights)[0], attention.statement, reader)
        kinds = {mask.kind for mask in attention.masks}
        if kinds == {"add", "fill"}:
            return (
                "the scores get both a boolean mask (masked_fill) and an additive one;"
                " combine them into one mask first"
            )
        if sum(mask.condition is not None for mask in attention.masks) and len(attention.masks) > 1:
            return (
                "several masks, some applied only under a condition; combine them into one"
                " mask first"
            )
        end = self.flat.index(attention.statement)
        chain_ids = {id(s) for s in attention.chain}
        inside_chain = {id(n) for s in attention.chain for n in iter_nodes(s)}
        live = set(weights)
        if attention.chain:
            for statement in self.flat[self.flat.index(attention.chain[0]) + 1 : end]:
                if id(statement) in chain_ids or id(statement) in inside_chain:
                    continue
                reads = (
                    _reads(statement)
                    if isinstance(statement, cst.SimpleStatementLine)
                    else _header_reads(statement)
                )
                if reads & live:
                    return _used_reason(sorted(reads & live)[0], statement, reader)
        if not attention.causal:  # the mask goes into the call too
            moved += [m.node for m in attention.masks]
            moved += [m.condition for m in attention.masks if m.condition is not None]
        for node in moved:
            problem = self._reassigned(node, attention, end)
            if problem is not None:
                return problem
        for statement in self.flat[end + 1 :]:
            if isinstance(statement, cst.SimpleStatementLine):
                reads = _reads(statement)
                if reads & live:
                    return _used_reason(sorted(reads & live)[0], statement, reader)
                live -= bound_names(statement)
            else:
                reads = _header_reads(statement)
                if reads & live:
                    return _used_reason(sorted(reads & live)[0], statement, reader)
        return None

    def _inside_chain(self, attention: Attention) -> set[int]:
        cached = self._chain_nodes.get(id(attention))
        if cached is None:
            cached = {id(n) for s in attention.chain for n in iter_nodes(s)}
            self._chain_nodes[id(attention)] = cached
        return cached

    def _reassigned(self, node: cst.CSTNode, attention: Attention, end: int) -> str | None:
        """A name ``node`` reads, bound again between where it was read and the new call."""
        owner = next(
            (s for s in attention.chain if any(n is node for n in iter_nodes(s))),
            attention.statement,
        )
        names = names_in(node)
        inside_chain = self._inside_chain(attention)
        for statement in self.flat[self.flat.index(owner) + 1 : end]:
            if id(statement) in inside_chain or not isinstance(statement, cst.SimpleStatementLine):
                continue
            changed = bound_names(statement) & names
            if changed:
                return (
                    f"`{sorted(changed)[0]}` is reassigned (`{_short(self.reader, statement)}`)"
                    " between the attention scores and their use; move that line first"
                )
        return None

    def _dead_masks(self, attention: Attention) -> list[Statement]:
        """Statements building a local causal mask that only this attention reads."""
        mask = attention.masks[0]
        names = names_in(mask.node) & set(self.facts.mask_statements)
        removed = {id(n) for s in [*attention.chain, attention.statement] for n in iter_nodes(s)}
        dead: list[Statement] = []
        for name in names:
            builder = self.facts.mask_statements[name]
            readers = [
                s
                for s in self.flat
                if isinstance(s, cst.SimpleStatementLine)
                and s is not builder
                and id(s) not in removed
                and name in _reads(s)
            ]
            if not readers:
                dead.append(builder)
        return dead


def _is_product(node: cst.CSTNode) -> bool:
    """``a @ b`` or a call that may multiply (``matmul``, ``bmm``, ``einsum``)."""
    kind = type(node)
    if kind is cst.BinaryOperation:
        return type(node.operator) is cst.MatrixMultiply  # type: ignore[attr-defined]
    if kind is cst.Call:
        name = dotted_name(node.func) or ""  # type: ignore[attr-defined]
        return name.rsplit(".", 1)[-1] in ("matmul", "bmm", "einsum")
    return False


def _may_hold_output(statement: cst.CSTNode) -> bool:
    """A softmax and a product in one statement (attention in a single expression)."""
    softmax = product = False
    for node in iter_nodes(statement):
        if type(node) is cst.Call and type(node.func) is cst.Attribute:
            softmax = True  # F.softmax, x.softmax, self.attend: decided by the evaluator
        product = product or _is_product(node)
        if softmax and product:
            return True
    return False


def _mentions_softmax(body: Sequence[Statement]) -> bool:
    """Whether a scope calls anything named softmax, or builds an ``nn.Softmax`` (a cheap
    test before the scan)."""
    for statement in body:
        for node in iter_nodes(statement):
            if type(node) is cst.Call:
                func = node.func
                last = func.attr.value if type(func) is cst.Attribute else dotted_name(func)
                if last in ("softmax", "Softmax"):
                    return True
    return False


def _short(reader: _Reader, node: cst.CSTNode, limit: int = 50) -> str:
    if isinstance(node, cst.SimpleStatementLine):
        text = "; ".join(reader.code(small) for small in node.body)
    else:
        text = reader.code(node)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _used_reason(name: str, statement: cst.CSTNode, reader: _Reader) -> str:
    return (
        f"the attention weights (`{name}`) are used afterwards (`{_short(reader, statement)}`);"
        " scaled_dot_product_attention does not return them. Compute them separately only"
        " where you need them (e.g. when visualising), and use the fused call elsewhere"
    )


def _calls_fused(statement: cst.CSTNode) -> bool:
    """An ``if``/``try`` that also calls scaled_dot_product_attention (nanoGPT's flash switch)."""
    return any(
        (dotted_name(call.func) or "").rsplit(".", 1)[-1] == FUSED_NAME
        for call in iter_calls(statement)
    )


def learn_fact(
    reader: _Reader,
    name: str,
    value: cst.BaseExpression,
    facts: _Facts,
    statement: Statement | None,
) -> None:
    """Remember what ``name = value`` binds: a mask, a dropout/softmax module, a parameter."""
    kind = reader.mask_kind(value, facts)
    if kind is not None:
        facts.masks[name] = kind
        if statement is not None:
            facts.mask_statements[name] = statement
        return
    value = _strip(value)
    if not isinstance(value, cst.Call):
        return
    if reader.matches(value.func, DROPOUT_MODULES):
        facts.dropouts[name] = name
    elif reader.matches(value.func, SOFTMAX_MODULES):
        dim = argument(value, "dim", 0)
        if dim is not None and _number(dim.value) == -1:
            facts.softmaxes.add(name)
    elif reader.matches(value.func, PARAMETER):
        facts.parameters.add(name)


def _class_facts(reader: _Reader, node: cst.ClassDef) -> _Facts:
    """What ``self.<attr>`` holds, from ``self.x = ...`` and ``register_buffer`` in methods."""
    facts = _Facts()
    seen: dict[str, int] = {}
    bindings: list[tuple[str, cst.BaseExpression]] = []
    body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
    for method in body:
        if not isinstance(method, cst.FunctionDef):
            continue
        for current in iter_nodes(method.body):
            if isinstance(current, cst.Assign) and len(current.targets) == 1:
                name = dotted_name(current.targets[0].target)
                if name and name.startswith("self.") and name.count(".") == 1:
                    bindings.append((name, current.value))
            elif isinstance(current, cst.Call) and method_name(current) == "register_buffer":
                owner = receiver_of(current)
                attribute = argument(current, "name", 0)
                tensor = argument(current, "tensor", 1)
                label = string_value(attribute.value) if attribute is not None else None
                if isinstance(owner, cst.Name) and owner.value == "self" and label and tensor:
                    bindings.append((f"self.{label}", tensor.value))
    for name, _ in bindings:
        seen[name] = seen.get(name, 0) + 1
    for name, value in bindings:
        if seen[name] == 1:  # assigned once: its meaning does not depend on the call order
            learn_fact(reader, name, value, facts, None)
    return facts


Scope = tuple[cst.Module | cst.FunctionDef, cst.ClassDef | None]


def scopes_of(module: cst.Module) -> Iterator[Scope]:
    """The module and every function in it, each with the class it is a method of."""
    yield module, None
    stack: list[tuple[cst.CSTNode, cst.ClassDef | None]] = [(module, None)]
    while stack:
        node, owner = stack.pop()
        for child in children(node):
            if isinstance(child, cst.FunctionDef):
                yield child, owner
                stack.append((child, None))
            elif isinstance(child, cst.ClassDef):
                stack.append((child, child))
            elif not isinstance(child, cst.BaseExpression):
                stack.append((child, owner))


def _body(scope: cst.Module | cst.FunctionDef) -> Sequence[Statement]:
    if isinstance(scope, cst.Module):
        return scope.body
    return scope.body.body if isinstance(scope.body, cst.IndentedBlock) else ()


def find_attention(
    module: cst.Module, resolve: Resolve, scopes: Sequence[Scope] | None = None
) -> list[Attention]:
    """Every attention computed by hand in ``module`` (see the module docstring).

    ``scopes`` limits the search to these functions (and the module's top level); by
    default every scope that calls something named ``softmax`` is searched, and the
    methods of classes that build ``nn.Softmax`` modules.
    """
    reader = _Reader(module, resolve)
    found: list[Attention] = []
    class_facts: dict[int, _Facts] = {}
    for scope, owner in scopes if scopes is not None else scopes_of(module):
        body = _body(scope)
        if owner is not None and id(owner) not in class_facts:
            class_facts[id(owner)] = _class_facts(reader, owner)
        facts = class_facts[id(owner)].copy() if owner is not None else _Facts()
        if scopes is None and not facts.softmaxes and not _mentions_softmax(body):
            continue  # no softmax here: no attention
        scanner = _Scanner(reader, body, facts)
        scanner.scan(body, fused=False)
        found += scanner.found
    return found
