"""Deprecated APIs whose replacements keep the energy-saving feature working."""

from __future__ import annotations

import libcst as cst

from ..findings import Severity
from ..helpers import describe, dotted_name, iter_nodes
from ..rule import ProposedFix, Rule, RuleDoc
from ..tables import (
    DEPRECATED_AMP,
    DEPRECATED_AMP_POSITIONAL,
    DEPRECATED_QUANTIZATION_FUNCTIONS,
    DEPRECATED_QUANTIZATION_PACKAGES,
)


class DeprecatedAmpApi(Rule):
    code = "GA103"
    name = "deprecated-amp-api"
    summary = "deprecated AMP APIs: `torch.cuda.amp.*`, `torch.cpu.amp.*`"
    severity = Severity.WARNING
    needs_qualified_names = True
    triggers = ("amp",)
    fixable = True
    hardware = (
        "any hardware; the GradScaler findings only for accelerators (a GradScaler does"
        " nothing on a CPU)"
    )
    doc = RuleDoc(
        what=(
            "Finds uses of `torch.cuda.amp.autocast`, `torch.cuda.amp.GradScaler`, "
            "`torch.cuda.amp.custom_fwd/custom_bwd` and `torch.cpu.amp.autocast/GradScaler`, "
            "however they are imported (`import torch.cuda.amp as amp`, "
            "`from torch.cuda.amp import autocast as ac`). A fallback for older PyTorch "
            "(in any `except` handler of a `try:` that calls `torch.amp.*`, or a name imported "
            "from `torch.amp` in a `try:` and from `torch.cuda.amp` in its `except`) is left "
            "alone."
        ),
        why=(
            "Mixed precision is one of the largest energy savers in training (see GA101), and "
            "these entry points are deprecated since PyTorch 2.4: every call emits a "
            "FutureWarning and they will be removed. Code that breaks on an upgrade tends to "
            "lose its AMP rather than be ported. The device-generic `torch.amp` API is the one "
            "that is maintained, and it also runs bfloat16 autocast on CPUs and other devices."
        ),
        example=(
            "scaler = torch.cuda.amp.GradScaler()\n"
            "with torch.cuda.amp.autocast():\n"
            "    loss = model(x).sum()\n"
        ),
        fix=(
            'Use `torch.amp.autocast("cuda", ...)` and `torch.amp.GradScaler("cuda", ...)` '
            '(`"cpu"` for the `torch.cpu.amp` variants), and '
            '`torch.amp.custom_fwd(device_type="cuda")`. The automatic fix rewrites calls '
            "spelled `torch.cuda.amp.X(...)`/`torch.cpu.amp.X(...)`, turning positional "
            "arguments into keywords because the new signatures take the device first."
        ),
        fixed_example=(
            'scaler = torch.amp.GradScaler("cuda")\n'
            'with torch.amp.autocast("cuda"):\n'
            "    loss = model(x).sum()\n"
        ),
        sources=(
            "PyTorch documentation, Automatic Mixed Precision package - torch.amp: "
            "https://pytorch.org/docs/stable/amp.html",
            "PyTorch 2.4 release notes (deprecation of torch.cuda.amp/torch.cpu.amp): "
            "https://github.com/pytorch/pytorch/releases/tag/v2.4.0",
        ),
    )

    def setup(self) -> None:
        # Each enclosing ``try``, and whether its body calls ``torch.amp.*``.
        self._tries: list[bool] = []
        self._fallbacks = 0  # inside ``except`` after a ``try`` that uses ``torch.amp``

    def visit_Try(self, node: cst.Try) -> None:
        self._tries.append(_new_api_tried(node))

    def leave_Try(self, original_node: cst.Try) -> None:
        self._tries.pop()

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        self._fallbacks += bool(self._tries and self._tries[-1])

    def leave_ExceptHandler(self, original_node: cst.ExceptHandler) -> None:
        self._fallbacks -= bool(self._tries and self._tries[-1])

    def _applies(self, found: str) -> bool:
        """GradScaler advice is for accelerators: on a CPU target a scaler does nothing.
        A fallback for older PyTorch (``try: torch.amp.GradScaler("cuda")`` / ``except
        TypeError: torch.cuda.amp.GradScaler()``) already prefers the new API."""
        if self._fallbacks:
            return False
        return self.context.target.accelerator or not found.endswith("GradScaler")

    def visit_Call(self, node: cst.Call) -> None:
        found = self.match(node.func, DEPRECATED_AMP)
        if found is not None and self._applies(found) and not self._new_api_imported(node):
            self.report(node, self._message(node, found), self._fix_call(node, found))

    def _new_api_imported(self, node: cst.Call) -> bool:
        """``GradScaler`` imported from ``torch.amp`` in a ``try:`` and from ``torch.cuda.amp``
        in its ``except`` (for older PyTorch): the name is the new API wherever it exists."""
        names = self.context.names.qualified_names(node.func, record=False)
        return any(name.startswith("torch.amp.") for name in names)

    def visit_Decorator(self, node: cst.Decorator) -> None:
        # Bare decorators (``@torch.cuda.amp.custom_fwd``); called ones are Calls above.
        if isinstance(node.decorator, cst.Call):
            return
        found = self.match(node.decorator, DEPRECATED_AMP)
        if found is not None and self._applies(found):
            self.report(
                node.decorator, self._message(node.decorator, found), self._fix_bare(node, found)
            )

    def _message(self, node: cst.CSTNode, found: str) -> str:
        replacement, device = DEPRECATED_AMP[found]
        return (
            f"`{describe(self.context.module, node)}` uses deprecated `{found}`;"
            f' use `{replacement}` with device "{device}"'
        )

    def _description(self, found: str) -> str:
        replacement, device = DEPRECATED_AMP[found]
        if replacement in DEPRECATED_AMP_POSITIONAL:
            return f'call `{replacement}("{device}", ...)`'
        return f'use `{replacement}(device_type="{device}")`'

    def _fix_call(self, node: cst.Call, found: str) -> ProposedFix:
        description = self._description(found)
        # Only calls spelled out as ``torch.cuda.amp.X``: an alias would need new imports.
        if dotted_name(node.func) != found or any(arg.star for arg in node.args):
            return ProposedFix(description)
        replacement, device = DEPRECATED_AMP[found]
        new_func = cst.parse_expression(replacement)
        device_literal = cst.SimpleString(f'"{device}"')
        if replacement not in DEPRECATED_AMP_POSITIONAL:  # custom_fwd / custom_bwd
            device_arg = cst.Arg(
                value=device_literal, keyword=cst.Name("device_type"), equal=_no_space_equal()
            )
            args = [*node.args, device_arg]
            if len(args) > 1:
                args[-2] = args[-2].with_changes(comma=_comma())
            return ProposedFix(description, ((node, node.with_changes(func=new_func, args=args)),))
        names = DEPRECATED_AMP_POSITIONAL[replacement]
        converted: list[cst.Arg] = []
        for index, arg in enumerate(node.args):
            if arg.keyword is None:
                if index >= len(names):
                    return ProposedFix(description)
                arg = arg.with_changes(keyword=cst.Name(names[index]), equal=_no_space_equal())
            converted.append(arg)
        first = cst.Arg(
            value=device_literal, comma=_comma() if converted else cst.MaybeSentinel.DEFAULT
        )
        new_call = node.with_changes(func=new_func, args=[first, *converted])
        return ProposedFix(description, ((node, new_call),))

    def _fix_bare(self, node: cst.Decorator, found: str) -> ProposedFix:
        description = self._description(found)
        if dotted_name(node.decorator) != found:
            return ProposedFix(description)
        replacement, device = DEPRECATED_AMP[found]
        new = cst.parse_expression(f'{replacement}(device_type="{device}")')
        return ProposedFix(description, ((node.decorator, new),))


def _new_api_tried(node: cst.Try) -> bool:
    """The ``try`` body calls ``torch.amp.*``: its handlers are fallbacks for old versions."""
    return any(
        type(inner) is cst.Call and (dotted_name(inner.func) or "").startswith("torch.amp.")
        for inner in iter_nodes(node.body)
    )


def _comma() -> cst.Comma:
    return cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))


def _no_space_equal() -> cst.AssignEqual:
    return cst.AssignEqual(
        whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
    )


def _is_deprecated_quantization(name: str) -> bool:
    return name.startswith(DEPRECATED_QUANTIZATION_PACKAGES) and (
        name.rsplit(".", 1)[-1] in DEPRECATED_QUANTIZATION_FUNCTIONS
    )


class DeprecatedQuantizationApi(Rule):
    code = "GA114"
    name = "deprecated-quantization-api"
    summary = "deprecated quantization APIs (`torch.ao.quantization.quantize_dynamic` and friends)"
    severity = Severity.WARNING
    needs_qualified_names = True
    triggers = ("quantiz",)
    doc = RuleDoc(
        what=(
            "Finds calls of the eager and FX quantization entry points of "
            "`torch.ao.quantization` and its older alias `torch.quantization`: "
            "`quantize_dynamic`, `quantize`, `quantize_qat`, `prepare`, `prepare_qat`, "
            "`convert`, `fuse_modules`, `prepare_fx`, `convert_fx`..."
        ),
        why=(
            "Quantized inference is one of the cheapest energy savings (int8 weights are 4x "
            "smaller; dynamic quantization made a CPU MLP about 2x faster in our measurements). "
            "These APIs are deprecated - PyTorch warns that `torch.ao.quantization` will be "
            "removed - so code built on them stops working on upgrade. torchao is the "
            "maintained replacement, with GPU int8/int4/float8 paths these APIs never had."
        ),
        example=(
            "qmodel = torch.ao.quantization.quantize_dynamic(\n"
            "    model, {torch.nn.Linear}, dtype=torch.qint8\n"
            ")\n"
        ),
        fix=(
            "Eager mode: `from torchao.quantization import quantize_, "
            "Int8DynamicActivationInt8WeightConfig` then "
            "`quantize_(model, Int8DynamicActivationInt8WeightConfig())` (in place; compile "
            "the model with `torch.compile` for speed). FX mode: torchao's PT2E flow "
            "(`prepare_pt2e`, `convert_pt2e`). `green-assist refactor quantize` can migrate "
            "`quantize_dynamic` calls."
        ),
        fixed_example=(
            "from torchao.quantization import Int8DynamicActivationInt8WeightConfig, quantize_\n"
            "quantize_(model, Int8DynamicActivationInt8WeightConfig())\n"
        ),
        sources=(
            "PyTorch deprecation notice for torch.ao.quantization, migration guide: "
            "https://github.com/pytorch/ao/issues/2259",
            "torchao documentation, Quantization overview: https://docs.pytorch.org/ao/stable/",
        ),
    )

    def visit_Call(self, node: cst.Call) -> None:
        last = self.context.names.last_name(node.func)
        if last is not None and last not in DEPRECATED_QUANTIZATION_FUNCTIONS:
            return
        found = self.find_name(node.func, _is_deprecated_quantization)
        if found is None:
            return
        eager = found.rsplit(".", 1)[-1] in ("quantize_dynamic", "quantize", "quantize_qat")
        replacement = (
            "torchao's quantize_(model, Int8DynamicActivationInt8WeightConfig())"
            if eager
            else "torchao's PT2E quantization (prepare_pt2e / convert_pt2e)"
        )
        self.report(
            node,
            f"`{describe(self.context.module, node)}` uses deprecated `{found}`; use {replacement}",
            ProposedFix(f"migrate to {replacement}"),
        )
