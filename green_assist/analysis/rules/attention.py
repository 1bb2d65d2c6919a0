"""Attention: weights computed and stored by hand where a fused kernel exists."""

from __future__ import annotations

import libcst as cst

from ..attention import Attention, Scope, find_attention
from ..helpers import dotted_name
from ..rule import ProposedFix, Rule, RuleDoc


def describe_attention(code: cst.Module, attention: Attention) -> str:
    """``q @ kᵀ, scaled, causal mask, softmax, dropout, @ v`` for messages and notes."""
    steps = [f"`{code.code_for_node(attention.query)} @ {code.code_for_node(attention.key)}ᵀ`"]
    if attention.scale:
        steps.append("scaled")
    if attention.causal:
        steps.append("causal mask")
    elif attention.masks:
        steps.append("mask" if len(attention.masks) == 1 else f"{len(attention.masks)} masks")
    steps.append("softmax")
    if attention.dropout is not None:
        steps.append("dropout")
    steps.append(f"`@ {code.code_for_node(attention.value)}`")
    return ", ".join(steps)


class ManualAttention(Rule):
    code = "GA116"
    name = "manual-attention"
    summary = "attention written out by hand (`softmax(q @ k.transpose(-2, -1)) @ v`)"
    needs_qualified_names = True
    triggers = ("softmax", "Softmax")
    doc = RuleDoc(
        what=(
            "Finds attention computed step by step: scores `q @ k.transpose(-2, -1)` (or "
            '`.mT`, `torch.matmul`, `einsum`, also channels first: `einsum("bhdn,bhdm->bhnm", '
            "q, k)`, reported with no automatic fix since it needs transposes), scaled "
            "(`/ math.sqrt(d)`, `* d ** -0.5`), "
            "optionally masked (`masked_fill(mask == 0, float('-inf'))`, a causal "
            "`torch.tril` mask inline, in a variable or in a registered buffer, an additive "
            "mask), a softmax over the last dimension (also an `nn.Softmax(dim=-1)` module, "
            "kept in an attribute or built and called inline), optionally dropout, and the product "
            "with the values. The steps may span several statements of one block. Code that "
            "already switches between `scaled_dot_product_attention` and a manual fallback "
            "(nanoGPT's `if self.flash:`) is left alone."
        ),
        why=(
            "Written out, attention materialises the full L x S score matrix, then a softmax "
            "copy of it, then a dropout copy, each written to and read back from memory; for "
            "long sequences that traffic, not arithmetic, dominates time and energy, and it "
            "needs O(L*S) memory per head. `torch.nn.functional.scaled_dot_product_attention` "
            "computes the same result in one fused kernel (FlashAttention or the "
            "memory-efficient kernel on GPUs, a fused C++ kernel on CPUs) without storing the "
            "weights, and skips the masked half of the work when told the mask is causal."
        ),
        example=(
            "att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))\n"
            "att = att.masked_fill(self.bias[:, :, :T, :T] == 0, float('-inf'))\n"
            "att = F.softmax(att, dim=-1)\n"
            "att = self.attn_dropout(att)\n"
            "y = att @ v\n"
        ),
        fix=(
            "Call `F.scaled_dot_product_attention(q, k, v, ...)` with the same scale "
            "(`scale=`), `is_causal=True` for a causal mask or `attn_mask=` for another one "
            "(boolean: True where attention is allowed), and dropout only in training. The "
            "`efficient-attention` refactor does it; it refuses where the weights themselves "
            "are used afterwards (returned, stored, visualised), since the fused call does "
            "not return them."
        ),
        fixed_example=(
            "y = F.scaled_dot_product_attention(\n"
            "    q, k, v,\n"
            "    dropout_p=self.attn_dropout.p if self.attn_dropout.training else 0.0,\n"
            "    is_causal=True,\n"
            "    scale=1.0 / math.sqrt(k.size(-1)),\n"
            ")\n"
        ),
        sources=(
            "PyTorch documentation, torch.nn.functional.scaled_dot_product_attention "
            "(kernels, attn_mask semantics, is_causal, scale).",
            "Dao, Fu, Ermon, Rudra and Re, FlashAttention: Fast and Memory-Efficient Exact "
            "Attention with IO-Awareness, NeurIPS 2022 (2-4x faster attention, memory linear "
            "in sequence length).",
            "Rabe and Staats, Self-attention Does Not Need O(n^2) Memory, arXiv:2112.05682, "
            "2021 (the memory-efficient kernel).",
            "Dao, FlashAttention-2: Faster Attention with Better Parallelism and Work "
            "Partitioning, ICLR 2024.",
        ),
    )

    def setup(self) -> None:
        self._stack: list[cst.FunctionDef | cst.ClassDef] = []
        self._functions: list[tuple[cst.FunctionDef, cst.ClassDef | None]] = []
        self._softmax_in: set[int] = set()  # functions (or 0: the top level) calling softmax
        self._softmax_classes: set[int] = set()  # classes building nn.Softmax modules

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._stack.append(node)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._stack.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        owner = self._stack[-1] if self._stack else None
        self._functions.append((node, owner if isinstance(owner, cst.ClassDef) else None))
        self._stack.append(node)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._stack.pop()

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        last = func.attr.value if type(func) is cst.Attribute else dotted_name(func)
        if last == "softmax":
            function = next((s for s in reversed(self._stack) if type(s) is cst.FunctionDef), None)
            self._softmax_in.add(id(function) if function is not None else 0)
        elif last == "Softmax":
            owner = next((s for s in reversed(self._stack) if type(s) is cst.ClassDef), None)
            if owner is not None:
                self._softmax_classes.add(id(owner))
            # ``nn.Softmax(dim=-1)(scores)``: built and called where it is used
            function = next((s for s in reversed(self._stack) if type(s) is cst.FunctionDef), None)
            self._softmax_in.add(id(function) if function is not None else 0)

    def leave_Module(self, original_node: cst.Module) -> None:
        scopes: list[Scope] = [(original_node, None)] if 0 in self._softmax_in else []
        scopes += [
            (function, owner)
            for function, owner in self._functions
            if id(function) in self._softmax_in
            or (owner is not None and id(owner) in self._softmax_classes)
        ]
        if not scopes:
            return
        reported: set[int] = set()
        for attention in find_attention(original_node, self.qualified_names, scopes):
            if id(attention.softmax) in reported:
                continue
            reported.add(id(attention.softmax))
            message = (
                f"attention written out by hand ({describe_attention(original_node, attention)}):"
                " scaled_dot_product_attention computes it in one fused kernel without"
                " storing the weights"
            )
            if attention.problem is not None:
                message += f"; no automatic fix: {attention.problem}"
            self.report(
                attention.softmax,
                message,
                ProposedFix("call torch.nn.functional.scaled_dot_product_attention instead"),
            )
