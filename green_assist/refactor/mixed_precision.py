"""``mixed-precision``: train and evaluate under ``torch.autocast`` (answers GA101-GA104).

What it changes:

* each training step ``loss.backward()``: the statements computing the forward pass
  and the loss (see ``loops.py``) go into ``with torch.autocast(device_type=...,
  dtype=torch.bfloat16):``; backward and optimizer step stay outside, as PyTorch's
  AMP recipe says. With ``dtype=fp16`` a ``torch.amp.GradScaler`` is created before
  the loop, the loss is scaled, gradients are unscaled before clipping, and
  ``scaler.step(optimizer)``/``scaler.update()`` replace ``optimizer.step()``;
* an autocast that wraps only the loss (GA104) is widened to take in the forward;
* forward passes in evaluation loops under ``torch.no_grad()`` get autocast, no scaler;
* ``TrainingArguments``, ``Accelerator`` and Lightning ``Trainer``/``Fabric`` get their
  precision keyword (GA102);
* deprecated ``torch.cuda.amp``/``torch.cpu.amp`` calls become ``torch.amp`` (GA103).

An existing autocast that already covers the forward pass is left alone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import libcst as cst

from ..analysis.helpers import append_keyword, dotted_name, iter_calls, method_name, receiver
from ..analysis.tables import DEPRECATED_AMP, DEPRECATED_AMP_POSITIONAL, FRAMEWORK_PRECISION
from .base import Option, Refactor
from .context import RefactorContext, iter_all
from .devices import DeviceType, detect_device
from .edits import Statement, statement, with_block
from .loops import (
    EvalForward,
    TrainingStep,
    find_eval_forwards,
    find_training_steps,
    is_optimizer,
    model_names,
    optimizer_names,
)

DTYPES = {"bf16": "torch.bfloat16", "fp16": "torch.float16"}
CLIP_FUNCTIONS = frozenset(
    {
        "torch.nn.utils.clip_grad_norm_",
        "torch.nn.utils.clip_grad_value_",
        "torch.nn.utils.clip_grad.clip_grad_norm_",
        "torch.nn.utils.clip_grad.clip_grad_value_",
    }
)


class MixedPrecision(Refactor):
    name = "mixed-precision"
    title = "Convert to mixed precision"
    summary = (
        "run forward passes and losses under torch.autocast (bf16, or fp16 with a GradScaler);"
        " set framework precision; port deprecated torch.cuda.amp calls"
    )
    answers = ("GA101", "GA102", "GA103", "GA104")
    options = {
        "dtype": Option.choice(
            "bf16", "bf16 needs no scaler; fp16 adds torch.amp.GradScaler", "bf16", "fp16"
        ),
        "device": Option.choice(
            "auto",
            "device type for autocast (auto: read from the code)",
            "auto",
            "cuda",
            "cpu",
            "mps",
            "xpu",
        ),
    }

    def apply(self, context: RefactorContext) -> None:
        dtype: str = context.options["dtype"]
        self._problems: list[str] = []  # training steps that could not be changed, and why
        self._low_precision_model = next(
            (
                context.short(node)
                for node in context.nodes
                if isinstance(node, cst.Call)
                and method_name(node) in ("half", "bfloat16")
                and not node.args
            ),
            "",
        )
        relevant = self._port_deprecated(context)
        relevant |= self._frameworks(context, dtype)
        steps = find_training_steps(context)
        for step in steps:
            self._training_step(context, step, dtype)
        models = model_names(context) | _forward_callees(context, steps)
        forwards = find_eval_forwards(context, models)
        for forward in forwards:
            self._evaluation(context, forward, dtype)
        if not (relevant or steps or forwards):
            context.refuse(
                "found nothing to run in mixed precision: no training step (`loss.backward()`),"
                " no evaluation loop under `torch.no_grad()` calling a model, and no"
                " TrainingArguments/Accelerator/Lightning Trainer"
            )
        if not context.edits and self._problems:
            context.refuse(self._problems[0])
        if steps and not context.edits:
            context.note("nothing to change: the training steps already use mixed precision")

    # -- training steps ----------------------------------------------------------------
    def _autocast_header(
        self, context: RefactorContext, device: DeviceType, dtype: str, anchor: cst.CSTNode
    ) -> str:
        autocast = context.reference("torch.autocast", anchor)
        torch_dtype = context.reference(DTYPES[dtype], anchor)
        return f"{autocast}(device_type={device.code}, dtype={torch_dtype})"

    def _training_step(self, context: RefactorContext, step: TrainingStep, dtype: str) -> None:
        where = f"`{context.short(step.statement)}` ({context.where(step.statement)})"
        if step.scaled or step.inside_autocast:
            reason = "scales its loss already" if step.scaled else "runs inside autocast"
            context.note(f"{where} {reason}: left as it is")
            return
        if step.region is None:
            problem = step.problem or (
                "the statements that compute the loss are not in the same block just before"
                " it; wrap the forward pass and the loss in `with torch.autocast(...)` by hand"
            )
            self._problems.append(f"{where}: {problem}")
            context.note(self._problems[-1])
            return
        if self._low_precision_model:
            context.note(
                f"{where}: the model runs in low precision already"
                f" (`{self._low_precision_model}`); no autocast added"
            )
            return
        start, end = step.region
        body = step.body
        device = detect_device(context, step.statement, context.options["device"])
        if step.autocast_index is not None:
            if start >= step.autocast_index:
                context.note(f"{where}: the forward pass already runs under autocast")
                return
            self._widen(context, body, start, step.autocast_index)
            context.note(
                f"{where}: widened the autocast block to include the forward pass"
                f" `{context.short(body[start])}`"
            )
        else:
            header = self._autocast_header(context, device, dtype, body[start])
            context.edits.wrap(
                body[start], body[end], lambda group: with_block(header, group, context.module)
            )
            context.note(
                f"{where}: forward pass and loss now run under autocast"
                f" ({'bfloat16' if dtype == 'bf16' else 'float16'}) on device type"
                f" {device.code} (from {device.origin})"
            )
        if dtype == "fp16":
            self._grad_scaler(context, step, device)
        if device.literal == "cpu" and dtype == "bf16":
            context.note(
                "on a CPU, bfloat16 autocast pays off for large matrix multiplies (it was 2.9x"
                " faster for an MLP at batch 512 but slower at batch 64 on our test machine):"
                " measure before keeping it"
            )

    def _widen(
        self, context: RefactorContext, body: Sequence[Statement], start: int, index: int
    ) -> None:
        def build(group: list[Statement]) -> Statement:
            existing = group[-1]
            assert isinstance(existing, cst.With) and isinstance(existing.body, cst.IndentedBlock)
            inner = list(existing.body.body)
            if existing.leading_lines and inner:  # comments above the old `with` stay with it
                first = inner[0]
                inner[0] = first.with_changes(
                    leading_lines=[*existing.leading_lines, *getattr(first, "leading_lines", ())]
                )
            return existing.with_changes(
                leading_lines=(), body=existing.body.with_changes(body=[*group[:-1], *inner])
            )

        context.edits.wrap(body[start], body[index], build)

    def _grad_scaler(
        self, context: RefactorContext, step: TrainingStep, device: DeviceType
    ) -> None:
        loops = [
            a for a in context.ancestors(step.statement) if isinstance(a, (cst.For, cst.While))
        ]
        scope = context.scope_of(step.statement)
        loops = [loop for loop in loops if context.scope_of(loop) is scope]
        if not loops:
            context.refuse(
                "with dtype=fp16 a GradScaler must live across steps, but"
                f" `{context.short(step.statement)}` is not inside a loop in its function;"
                " create `torch.amp.GradScaler(device_type)` once and pass it in, or use"
                " dtype=bf16 (no scaler needed)"
            )
        outermost = loops[-1]
        optimizer_step = self._optimizer_step(context, step, loops[0])
        if optimizer_step is None:
            context.refuse(
                "with dtype=fp16 the optimizer step must go through the GradScaler, but no"
                f" `optimizer.step()` follows `{context.short(step.statement)}` in its loop;"
                " use dtype=bf16, or add the scaler by hand"
            )
        step_statement, optimizer = optimizer_step
        scaler = context.fresh_name("scaler", "grad_scaler")
        scaler_class = context.reference("torch.amp.GradScaler", outermost)
        context.edits.insert_before(
            outermost, [statement(f"{scaler} = {scaler_class}({device.code})\n", context.module)]
        )
        loss = step.loss
        context.edits.replace(
            loss,
            lambda updated: cst.Call(
                func=cst.parse_expression(f"{scaler}.scale"),
                args=[cst.Arg(updated.with_changes(lpar=[], rpar=[]))],
            ),
        )
        context.edits.replace(
            step_statement.body[0],
            cst.Expr(cst.parse_expression(f"{scaler}.step({optimizer})")),
        )
        context.edits.insert_after(
            step_statement, [statement(f"{scaler}.update()\n", context.module)]
        )
        for clip in self._clipping(context, step_statement):
            context.edits.insert_before(
                clip, [statement(f"{scaler}.unscale_({optimizer})\n", context.module)]
            )
        context.note(
            f"fp16: `{scaler} = GradScaler(...)` is created before the loop; the loss is scaled,"
            " gradients are unscaled before clipping, and the scaler steps the optimizer"
        )

    def _optimizer_step(
        self, context: RefactorContext, step: TrainingStep, loop: cst.CSTNode
    ) -> tuple[cst.SimpleStatementLine, str] | None:
        known = optimizer_names(context)
        after = context.line_of(step.statement)
        for node in iter_all(loop):
            if not isinstance(node, cst.SimpleStatementLine) or context.line_of(node) <= after:
                continue
            small = node.body[0] if len(node.body) == 1 else None
            if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
                call = small.value
                owner = dotted_name(receiver(call) or call.func) or ""
                if method_name(call) == "step" and not call.args and is_optimizer(owner, known):
                    return node, owner
        return None

    def _clipping(
        self, context: RefactorContext, step_statement: cst.SimpleStatementLine
    ) -> list[Statement]:
        _, body, index = context.block_of(step_statement)
        found = []
        for earlier in body[:index]:
            calls = iter_calls(earlier)
            if any(
                context.match(c.func, CLIP_FUNCTIONS)
                or (method_name(c) or "").startswith("clip_grad_")
                for c in calls
            ):
                found.append(earlier)
        return found

    # -- evaluation --------------------------------------------------------------------
    def _evaluation(self, context: RefactorContext, forward: EvalForward, dtype: str) -> None:
        first, last = forward.body[forward.start], forward.body[forward.end]
        device = detect_device(context, first, context.options["device"])
        header = self._autocast_header(context, device, dtype, first)
        context.edits.wrap(first, last, lambda group: with_block(header, group, context.module))
        context.note(
            f"evaluation `{context.short(first)}` ({context.where(first)}) now runs"
            " under autocast (no GradScaler: nothing is trained there); its outputs are"
            " low-precision tensors, call `.float()` on them before long sums if needed"
        )

    # -- frameworks --------------------------------------------------------------------
    def _frameworks(self, context: RefactorContext, dtype: str) -> bool:
        relevant = False
        for node in context.nodes:
            if not isinstance(node, cst.Call) or not context.in_scope(node):
                continue
            found = context.match(node.func, FRAMEWORK_PRECISION)
            if found is None:
                continue
            relevant = True
            wanted, slots = FRAMEWORK_PRECISION[found]
            keywords = {a.keyword.value for a in node.args if a.keyword is not None}
            shown = context.short(node)
            if keywords & set(wanted):
                continue
            if any(a.star for a in node.args):
                context.note(f"`{shown}`: its **kwargs may set the precision; left as it is")
                continue
            if sum(1 for a in node.args if a.keyword is None) > slots:
                continue
            if any(
                a.keyword is not None
                and a.keyword.value in ("use_cpu", "no_cuda")
                and isinstance(a.value, cst.Name)
                and a.value.value == "True"
                for a in node.args
            ):
                context.note(f"`{shown}` trains on the CPU: left in float32 (as GA102 does)")
                continue
            key, value = _framework_setting(found, dtype)
            context.edits.replace(node, _keyword_adder(key, value))
            context.note(f"`{shown}`: added {key}={value}")
        return relevant

    # -- deprecated AMP ----------------------------------------------------------------
    def _port_deprecated(self, context: RefactorContext) -> bool:
        replaced: set[cst.CSTNode] = set()
        for node in context.nodes:
            if isinstance(node, cst.Decorator) and not isinstance(node.decorator, cst.Call):
                target: cst.CSTNode = node.decorator
            elif isinstance(node, cst.Call):
                target = node
            else:
                continue
            if not context.in_scope(node):
                continue
            found = context.match(target, DEPRECATED_AMP)
            if found is None:
                continue
            new = self._ported(context, target, found)
            if new is None:
                context.note(f"`{context.short(target)}`: port it to torch.amp by hand")
                continue
            context.edits.replace(target, new)
            replaced.add(target.func if isinstance(target, cst.Call) else target)
            context.note(f"`{context.short(target)}` -> `{context.short(new)}`")
        if replaced:
            context.drop_unused_imports(replaced, ("torch.cuda.amp", "torch.cpu.amp"))
        return bool(replaced)

    def _ported(self, context: RefactorContext, node: cst.CSTNode, found: str) -> cst.Call | None:
        replacement, device = DEPRECATED_AMP[found]
        func = cst.parse_expression(context.reference(replacement, node))
        device_literal = cst.SimpleString(f'"{device}"')
        if not isinstance(node, cst.Call):  # bare @custom_fwd decorator
            return cst.Call(
                func, [cst.Arg(device_literal, keyword=cst.Name("device_type"), equal=_equal())]
            )
        if any(arg.star for arg in node.args):
            return None
        if replacement not in DEPRECATED_AMP_POSITIONAL:
            return node.with_changes(
                func=func,
                args=[
                    *node.args,
                    cst.Arg(device_literal, keyword=cst.Name("device_type"), equal=_equal()),
                ],
            )
        names = DEPRECATED_AMP_POSITIONAL[replacement]
        converted: list[cst.Arg] = [cst.Arg(device_literal)]
        for index, arg in enumerate(node.args):
            if arg.keyword is None:
                if index >= len(names):
                    return None
                arg = arg.with_changes(keyword=cst.Name(names[index]), equal=_equal())
            converted.append(arg)
        return node.with_changes(func=func, args=converted)


def _keyword_adder(key: str, value: str) -> Callable[[cst.Call], cst.Call]:
    def add(updated: cst.Call) -> cst.Call:
        return append_keyword(updated, key, cst.parse_expression(value))

    return add


def _equal() -> cst.AssignEqual:
    return cst.AssignEqual(
        whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
    )


def _framework_setting(found: str, dtype: str) -> tuple[str, str]:
    if found.startswith(("transformers.", "trl.")):
        return ("bf16" if dtype == "bf16" else "fp16"), "True"
    if found.startswith("accelerate."):
        return "mixed_precision", f'"{dtype}"'
    return "precision", '"bf16-mixed"' if dtype == "bf16" else '"16-mixed"'


def _forward_callees(context: RefactorContext, steps: list[TrainingStep]) -> set[str]:
    """Names called in training forward regions (``model`` in ``out = model(x)``)."""
    found: set[str] = set()
    for step in steps:
        if step.region is None:
            continue
        start, end = step.region
        for statement_ in step.body[start : end + 1]:
            for call in iter_calls(statement_):
                if isinstance(call.func, cst.Name):
                    found.add(call.func.value)
    return found
