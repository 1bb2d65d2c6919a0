"""``efficient-attention``: attention written out by hand -> one fused call (answers GA116).

Each match of :func:`~green_assist.analysis.attention.find_attention` becomes
``torch.nn.functional.scaled_dot_product_attention(q, k, v, ...)`` in place of the
``weights @ v`` product, and the statements that only built the weights go:

* the scale is kept as written (``scale=1.0 / math.sqrt(k.size(-1))``; no scale at
  all is ``scale=1.0``, since the fused call would otherwise divide by sqrt(d));
* a causal mask (a lower triangle of ones: inline, in a variable, in a registered
  buffer) becomes ``is_causal=True``; any other mask becomes ``attn_mask=``: the
  negation of a ``masked_fill`` condition (True where attention is allowed) or the
  additive mask itself, ``... if mask is not None else None`` where it was conditional;
* dropout on the weights becomes ``dropout_p=<p> if <module>.training else 0.0`` (the
  fused call drops whenever ``dropout_p > 0``, so the training switch is explicit).

Matches whose weights are used afterwards are refused with the reason.
"""

from __future__ import annotations

import libcst as cst

from ..analysis.attention import Attention, Mask, find_attention
from ..analysis.attention import strip_parentheses as _strip
from ..analysis.helpers import dotted_name, method_name, receiver
from ..analysis.rules.attention import describe_attention
from .base import Refactor
from .context import RefactorContext

SDPA = "torch.nn.functional.scaled_dot_product_attention"
LINE_LIMIT = 99
ATOMIC = (cst.Name, cst.Attribute, cst.Call, cst.Subscript, cst.Integer, cst.Float)


class EfficientAttention(Refactor):
    name = "efficient-attention"
    title = "Use fused attention (scaled_dot_product_attention)"
    summary = (
        "attention written out by hand -> torch.nn.functional.scaled_dot_product_attention"
        " (same scale and masks, is_causal for causal masks, dropout only in training)"
    )
    answers = ("GA116",)

    def apply(self, context: RefactorContext) -> None:
        found = [
            a
            for a in find_attention(context.module, context.qualified_names)
            if context.in_scope(a.statement)
        ]
        ready = [a for a in found if a.problem is None]
        fused = self._calls_fused(context)
        for attention in found:
            if attention.problem is not None and (ready or fused):
                context.note(
                    f"{context.where(attention.statement)}: left as it is: {attention.problem}"
                )
        if not ready:
            if fused:  # done already; what is left (noted above) cannot be rewritten
                context.note("the code calls scaled_dot_product_attention already")
                return
            if found:
                context.refuse(str(found[0].problem))
            context.refuse(
                "found no attention written out by hand (softmax(q @ k.transpose(-2, -1))"
                " @ v, in one expression or in consecutive statements of one block)"
            )
        for attention in ready:
            self._rewrite(context, attention)
        context.note(
            "scaled_dot_product_attention gives the same result up to float rounding and picks"
            " the best kernel the device has: FlashAttention or the memory-efficient kernel on"
            " CUDA GPUs, a fused flash kernel on CPUs, the plain math kernel elsewhere. It does"
            " not store the L x S weights, so activation memory no longer grows with the square"
            " of the sequence length. It is not slower on any of these devices: on a CPU it"
            " took 0.3-0.8x the time of the written-out attention from sequence length 8 to"
            " 512, and about half for a training step at 1024 (bench/strategies.py); on GPUs"
            " FlashAttention is 2-4x faster (Dao et al., 2022)."
        )

    @staticmethod
    def _calls_fused(context: RefactorContext) -> bool:
        return any(
            method_name(node) == "scaled_dot_product_attention" or context.match(node.func, {SDPA})
            for node in context.nodes
            if isinstance(node, cst.Call) and context.in_scope(node)
        )

    def _rewrite(self, context: RefactorContext, attention: Attention) -> None:
        for statement in [*attention.chain, *attention.dead_masks]:
            context.edits.remove(statement)
        keywords = self._keywords(context, attention)
        function = context.reference(SDPA, attention.statement)
        arguments = [
            context.code(_strip(n)) for n in (attention.query, attention.key, attention.value)
        ]
        arguments += [f"{key}={value}" for key, value in keywords]
        call = f"{function}({', '.join(arguments)})"
        indent = self._indent(context, attention.statement)
        bare = attention.statement.with_changes(leading_lines=())  # without comments above
        line = context.code(bare).strip().splitlines()[0]
        width = len(indent) + len(line) - len(context.code(attention.output)) + len(call)
        if width > LINE_LIMIT:  # libcst adds the statement's own indentation to these lines
            step = context.module.default_indent
            joined = ", ".join(arguments)
            if len(indent + step) + len(joined) <= LINE_LIMIT:
                call = f"{function}(\n{step}{joined}\n)"
            else:
                body = "".join(f"{step}{argument},\n" for argument in arguments)
                call = f"{function}(\n{body})"
        new = cst.parse_expression(call, config=context.module.config_for_parsing)
        context.edits.replace(attention.output, new)
        self._notes(context, attention, keywords)

    def _keywords(self, context: RefactorContext, attention: Attention) -> list[tuple[str, str]]:
        keywords: list[tuple[str, str]] = []
        if attention.masks and not attention.causal:
            keywords.append(("attn_mask", self._mask(context, attention.masks)))
        dropout = attention.dropout
        if dropout is not None and dropout.enabled != "False":
            if dropout.enabled in (None, "True"):
                keywords.append(("dropout_p", dropout.probability))
            else:
                keywords.append(
                    ("dropout_p", f"{dropout.probability} if {dropout.enabled} else 0.0")
                )
        if attention.causal:
            keywords.append(("is_causal", "True"))
        keywords.append(("scale", self._scale(context, attention)))
        return keywords

    def _mask(self, context: RefactorContext, masks: tuple[Mask, ...]) -> str:
        if masks[0].kind == "add":
            parts = [self._operand(context, mask.node, "+") for mask in masks]
            text = " + ".join(parts)
        else:
            keeps = [self._keep(context, mask.node) for mask in masks]
            if len(keeps) == 1:
                text = keeps[0]
            else:
                text = " & ".join(k if self._atomic_text(k) else f"({k})" for k in keeps)
        condition = masks[0].condition
        if condition is not None:
            return f"{text} if {context.code(_strip(condition))} else None"
        return text

    @staticmethod
    def _atomic_text(text: str) -> bool:
        try:
            node = cst.parse_expression(text)
        except cst.ParserSyntaxError:
            return False
        return isinstance(node, ATOMIC)

    def _keep(self, context: RefactorContext, condition: cst.BaseExpression) -> str:
        """Where attention is allowed: the negation of a ``masked_fill`` condition."""
        condition = _strip(condition)
        if isinstance(condition, cst.Comparison) and len(condition.comparisons) == 1:
            target = condition.comparisons[0]
            flipped = {cst.Equal: "!=", cst.NotEqual: "=="}.get(type(target.operator))
            if flipped is not None:
                left, right = context.code(condition.left), context.code(target.comparator)
                return f"{left} {flipped} {right}"
        if isinstance(condition, cst.UnaryOperation) and isinstance(
            condition.operator, cst.BitInvert
        ):
            return context.code(condition.expression)
        if isinstance(condition, cst.Call):
            owner = receiver(condition)
            if (
                method_name(condition) == "logical_not"
                and owner is not None
                and not condition.args
                and not context.match(condition.func, {"torch.logical_not"})
            ):
                return context.code(owner)
            if context.match(condition.func, {"torch.logical_not"}) and len(condition.args) == 1:
                return context.code(condition.args[0].value)
        text = context.code(condition)
        return f"~{text}" if isinstance(condition, ATOMIC) else f"~({text})"

    def _operand(self, context: RefactorContext, node: cst.BaseExpression, operator: str) -> str:
        """``node``'s text, parenthesised where ``operator`` would bind it differently."""
        node = _strip(node)
        text = context.code(node)
        if isinstance(node, ATOMIC) or (
            isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Power)
        ):
            return text
        if operator == "+" and isinstance(node, cst.BinaryOperation):
            return text
        return f"({text})"

    def _scale(self, context: RefactorContext, attention: Attention) -> str:
        if not attention.scale:
            return "1.0"
        text = ""
        for index, (operator, factor) in enumerate(attention.scale):
            operand = self._operand(context, factor, operator)
            if index == 0 and operator == "*":
                stripped = _strip(factor)
                text = (
                    context.code(stripped)
                    if isinstance(stripped, (*ATOMIC, cst.BinaryOperation))
                    else operand
                )
            elif index == 0:
                text = f"1 / {operand}"
            else:
                text = f"{text} {operator} {operand}"
        return text

    @staticmethod
    def _indent(context: RefactorContext, statement: cst.CSTNode) -> str:
        levels = [
            block.indent if block.indent is not None else context.module.default_indent
            for block in context.ancestors(statement)
            if isinstance(block, cst.IndentedBlock)
        ]
        return "".join(reversed(levels))

    def _notes(
        self, context: RefactorContext, attention: Attention, keywords: list[tuple[str, str]]
    ) -> None:
        shown = ", ".join(f"{key}={value}" for key, value in keywords if key != "scale")
        context.note(
            f"{context.where(attention.statement)}: {describe_attention(context.module, attention)}"
            f" -> scaled_dot_product_attention({shown + ', ' if shown else ''}same scale)"
        )
        masks = attention.masks
        if attention.causal and masks[0].kind == "fill":
            buffers = sorted(_self_attributes(masks[0].node))
            if buffers:
                context.note(
                    f"`{buffers[0]}` (the causal mask) is no longer read by forward; it stays"
                    " registered so that saved checkpoints still load. Drop it when they no"
                    " longer need to."
                )
        if any(mask.finite for mask in masks):
            context.note(
                "the mask was filled with a large finite number, not -inf: results are the"
                " same except for rows where every key is masked (uniform weights before,"
                " zeros now)"
            )
        if any(mask.kind == "add" for mask in masks) and not attention.causal:
            context.note(
                "an additive attn_mask must have the query's dtype (or be boolean);"
                " scaled_dot_product_attention adds it after scaling, as the code did"
            )
        dropout = attention.dropout
        if dropout is not None:
            if dropout.enabled in (None, "True"):
                context.note(
                    "the dropout on the weights ran in evaluation too (F.dropout without"
                    " training=self.training); kept as it was. Make dropout_p 0.0 outside"
                    " training to drop only while training."
                )
            context.note(
                "dropout: the same probability, applied inside the fused kernel"
                + ("" if dropout.enabled in (None, "True") else " only while training")
                + "; its random pattern differs from the written-out code's"
            )


def _self_attributes(node: cst.CSTNode) -> set[str]:
    """``self.bias`` in ``self.bias[:, :, :T, :T] == 0``."""
    found: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Attribute):
            name = dotted_name(current)
            if name is not None and name.startswith("self.") and name.count(".") == 1:
                found.add(name)
                continue
        stack.extend(current.children)
    return found
