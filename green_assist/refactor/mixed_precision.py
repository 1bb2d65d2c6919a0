"""``mixed-precision``: train and evaluate under ``torch.autocast`` (answers GA101-GA104).

The precision is chosen at run time, on the device the code actually runs on: the
refactor writes a small ``autocast_dtype(device_type)`` helper (the policy of
``green_assist.target``: bf16 on Ampere+ GPUs and on CPUs with AMX/AVX-512 BF16, fp16
with a GradScaler on older tensor-core GPUs, ``None`` - FP32 - elsewhere), so the
changed code is never slower on hardware without matrix units for low precision.

What it changes:

* each training step ``loss.backward()``: before its loop, ``amp_dtype =
  autocast_dtype(device_type)``; the statements computing the forward pass and the
  loss (see ``loops.py``) go into ``with torch.autocast(device_type=..., dtype=amp_dtype,
  enabled=amp_dtype is not None):``; backward and optimizer step stay outside, as
  PyTorch's AMP recipe says. Where float16 may be chosen (``dtype=auto``, the default,
  or ``fp16``) a ``torch.amp.GradScaler(..., enabled=amp_dtype == torch.float16)`` is
  created before the loop, the loss is scaled, gradients are unscaled before clipping,
  and ``scaler.step(optimizer)``/``scaler.update()`` replace ``optimizer.step()``
  (disabled, the scaler passes everything through unchanged);
* an autocast that wraps only the loss (GA104) is widened to take in the forward;
* forward passes in evaluation loops under ``torch.no_grad()`` get autocast, no scaler;
* ``TrainingArguments``, ``Accelerator`` and Lightning ``Trainer``/``Fabric`` get their
  precision keyword (GA102);
* deprecated ``torch.cuda.amp``/``torch.cpu.amp`` calls become ``torch.amp`` (GA103).

An existing autocast that already covers the forward pass is left alone.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence

import libcst as cst

from ..analysis.helpers import append_keyword, dotted_name, iter_calls, method_name, receiver
from ..analysis.sources import PythonSource
from ..analysis.tables import DEPRECATED_AMP, DEPRECATED_AMP_POSITIONAL, FRAMEWORK_PRECISION
from ..target import AUTOCAST_HELPER, AUTOCAST_HELPER_NAME, Target
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
from .scaler_home import ScalerHome, checkpoint_scaler, pass_scaler, scaler_home

# The ``allowed`` argument of the generated helper per ``dtype`` option (None: its default,
# bfloat16 then float16).
ALLOWED = {"auto": None, "bf16": ("torch.bfloat16",), "fp16": ("torch.float16",)}
_DTYPE_NAMES = {"torch.bfloat16": "bfloat16", "torch.float16": "float16"}
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
            "auto",
            "low precision to use where the device runs it fast (auto: bf16, or fp16 with a"
            " GradScaler on GPUs without bf16 units; FP32 where neither pays off)",
            "auto",
            "bf16",
            "fp16",
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
        # Mixed precision already in place (a step under autocast or scaled, a framework's
        # precision set): a run that changes nothing then says so instead of refusing.
        self._in_place = False
        self._amp_names: dict[tuple[str, str], str] = {}  # (device, allowed) -> variable
        # (scope, cell, variable) that already set the variable: code after it reuses it.
        self._amp_places: dict[tuple[int, int | None, str], int] = {}  # -> line set on
        self._helper: str | None = None  # how the autocast_dtype helper is called here
        self._after_helper = False  # the next inserted statement follows the helper's def
        self._chosen: set[str] = set()  # allowed-dtype sets used, for the hardware note
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
        self._to_scale: list[tuple[TrainingStep, DeviceType, tuple[str, ...] | None]] = []
        for step in steps:
            self._training_step(context, step, dtype)
        self._grad_scalers(context)
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
        if not context.edits and self._problems and not self._in_place:
            context.refuse(self._problems[0])
        if steps and not context.edits:
            context.note(
                "nothing to change: the training steps already use mixed precision"
                if not self._problems
                else "nothing more to change: the steps noted above need autocast by hand"
            )
        if context.edits and self._chosen:
            context.note(_hardware_note(context.target, self._chosen))

    # -- the run-time precision choice -------------------------------------------------
    def _helper_call(self, context: RefactorContext, anchor: cst.CSTNode) -> str:
        """The ``autocast_dtype`` helper's name, defining it above ``anchor`` if needed."""
        if self._helper is not None:
            return self._helper
        torch_name = context.reference("torch", anchor)
        existing = _existing_helper(context, anchor)
        if existing == "foreign":
            context.refuse(
                f"this code already defines a different `{AUTOCAST_HELPER_NAME}`; rename it so"
                " that the refactor can add its own helper of that name"
            )
        if existing is None:
            text = AUTOCAST_HELPER.replace("torch.", f"{torch_name}.")
            helper = cst.parse_statement(text, config=context.module.config_for_parsing)
            if isinstance(context.source, PythonSource):  # PEP 8: two blank lines above a def
                helper = helper.with_changes(leading_lines=[cst.EmptyLine()] * 2)
                context.add_definitions([helper], anchor)
            else:  # in the notebook cell that needs it, above what uses it
                context.edits.insert_before(context.top_level(anchor), [helper])
                self._after_helper = True
        self._helper = AUTOCAST_HELPER_NAME
        return self._helper

    def _amp_dtype(
        self,
        context: RefactorContext,
        device: DeviceType,
        allowed: tuple[str, ...] | None,
        anchor: Statement,
    ) -> str:
        """A variable holding ``autocast_dtype(device)`` set before ``anchor``'s outer loop."""
        helper = self._helper_call(context, anchor)
        spelled = (
            None
            if allowed is None
            else "("
            + "".join(f"{context.reference(d, anchor)}, " for d in allowed).rstrip(" ")
            + ")"
        )
        key = (device.code, spelled or "")
        self._chosen.add(",".join(allowed or ("torch.bfloat16", "torch.float16")))
        name = self._amp_names.get(key)
        if name is None:
            name = context.fresh_name("amp_dtype", "autocast_type")
            self._amp_names[key] = name
        point = _outer_statement(context, anchor)
        # One assignment serves later code of the same scope (and notebook cell).
        place = (id(context.scope_of(point)), context.cell_of(point), name)
        line = context.line_of(point)
        if self._amp_places.get(place, line + 1) > line:
            self._amp_places[place] = line
            arguments = device.code + (f", allowed={spelled}" if spelled else "")
            assignment = statement(f"{name} = {helper}({arguments})\n", context.module)
            if self._after_helper:  # PEP 8: two blank lines after a def
                assignment = assignment.with_changes(leading_lines=[cst.EmptyLine()] * 2)
                self._after_helper = False
            context.edits.insert_before(point, [assignment])
        return name

    def _autocast_header(
        self, context: RefactorContext, device: DeviceType, amp: str, anchor: cst.CSTNode
    ) -> str:
        autocast = context.reference("torch.autocast", anchor)
        return f"{autocast}({device.code}, dtype={amp}, enabled={amp} is not None)"

    # -- training steps ----------------------------------------------------------------
    def _training_step(self, context: RefactorContext, step: TrainingStep, dtype: str) -> None:
        where = f"`{context.short(step.statement)}` ({context.where(step.statement)})"
        if step.scaled or step.inside_autocast:
            reason = "scales its loss already" if step.scaled else "runs inside autocast"
            context.note(f"{where} {reason}: left as it is")
            self._in_place = True
            return
        if any(arg.keyword is None for arg in step.backward.args):
            # `fabric.backward(loss)`, `accelerator.backward(loss)`: the framework runs the
            # step in the precision it was given (GA102 sets it), not this code.
            context.note(f"{where}: the framework's own backward; its precision setting applies")
            return
        if step.region is None and not step.covered:
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
        body = step.body
        device = detect_device(context, step.statement, context.options["device"])
        if step.region is None:  # covered: its forward is in an earlier step's region
            self._scale_if_needed(context, step, device, dtype)
            return
        start, end = step.region
        if step.autocast_index is not None:
            if start >= step.autocast_index:
                context.note(f"{where}: the forward pass already runs under autocast")
                self._in_place = True
                return
            self._widen(context, body, start, step.autocast_index)
            context.note(
                f"{where}: widened the autocast block to include the forward pass"
                f" `{context.short(body[start])}`"
            )
        else:
            amp = self._scale_if_needed(context, step, device, dtype)
            header = self._autocast_header(context, device, amp, body[start])
            context.edits.wrap(
                body[start], body[end], lambda group: with_block(header, group, context.module)
            )
            context.note(
                f"{where}: forward pass and loss now run under autocast in the precision"
                f" `{self._helper}({device.code})` picks where the code runs (the device comes"
                f" from {device.origin})"
            )

    def _scale_if_needed(
        self, context: RefactorContext, step: TrainingStep, device: DeviceType, dtype: str
    ) -> str:
        """The step's amp-dtype variable; the step joins its loop's GradScaler if float16
        may be chosen (the scaler is set up once per loop by :meth:`_grad_scalers`)."""
        where = f"`{context.short(step.statement)}` ({context.where(step.statement)})"
        allowed = ALLOWED[dtype]
        scaled = allowed is None or "torch.float16" in allowed
        if dtype == "auto" and self._scaler_problem(context, step) is not None:
            allowed, scaled = ALLOWED["bf16"], False
            context.note(
                f"{where}: {self._scaler_problem(context, step)}, so float16 (which needs"
                " a GradScaler) is left out: bfloat16 where it pays off, FP32 elsewhere"
            )
        outer = _outer_statement(context, step.statement)
        amp = self._amp_dtype(context, device, allowed, outer)
        if scaled:
            self._to_scale.append((step, device, allowed))
        return amp

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

    def _scaler_problem(self, context: RefactorContext, step: TrainingStep) -> str | None:
        """Why a GradScaler cannot be set up for ``step`` (None: it can)."""
        scope = context.scope_of(step.statement)
        loops = [
            a
            for a in context.ancestors(step.statement)
            if isinstance(a, (cst.For, cst.While)) and context.scope_of(a) is scope
        ]
        if not loops:
            return "the step is not inside a loop in its function (a scaler must live across steps)"
        if self._optimizer_step(context, step, loops[0]) is None:
            return "no `optimizer.step()` follows the backward in its loop"
        return None

    def _grad_scalers(self, context: RefactorContext) -> None:
        """One GradScaler per training loop, as PyTorch's AMP recipe has it.

        Every loss of the loop is scaled (``scaler.scale(loss).backward()``), every
        optimizer step goes through it (``scaler.step(optimizer)``, after
        ``scaler.unscale_(optimizer)`` where gradients are clipped), and one
        ``scaler.update()`` follows the iteration's last step: a GAN's two players
        share one scaler, updated once per iteration.
        """
        loops: dict[int, list[tuple[TrainingStep, DeviceType, tuple[str, ...] | None]]] = {}
        order: list[cst.For | cst.While] = []
        for planned in self._to_scale:
            outermost = self._loop_of(context, planned[0])
            if id(outermost) not in loops:
                order.append(outermost)
            loops.setdefault(id(outermost), []).append(planned)
        for outermost in order:
            self._grad_scaler(context, outermost, loops[id(outermost)])

    def _loop_of(self, context: RefactorContext, step: TrainingStep) -> cst.For | cst.While:
        """The outermost loop around ``step`` in its function (refuses if there is none)."""
        scope = context.scope_of(step.statement)
        loops: list[cst.For | cst.While] = [
            a
            for a in context.ancestors(step.statement)
            if isinstance(a, (cst.For, cst.While)) and context.scope_of(a) is scope
        ]
        if not loops:
            context.refuse(
                "with dtype=fp16 a GradScaler must live across steps, but"
                f" `{context.short(step.statement)}` is not inside a loop in its function;"
                " create `torch.amp.GradScaler(device_type)` once and pass it in, or use"
                " dtype=bf16 (no scaler needed)"
            )
        return loops[-1]

    def _grad_scaler(
        self,
        context: RefactorContext,
        outermost: cst.For | cst.While,
        planned: list[tuple[TrainingStep, DeviceType, tuple[str, ...] | None]],
    ) -> None:
        _, device, allowed = planned[0]
        optimizer_steps: dict[int, tuple[cst.SimpleStatementLine, str]] = {}
        for step, _, _ in planned:
            loop = next(
                a for a in context.ancestors(step.statement) if isinstance(a, (cst.For, cst.While))
            )
            found = self._optimizer_step(context, step, loop)
            if found is None:
                context.refuse(
                    "with dtype=fp16 the optimizer step must go through the GradScaler, but no"
                    f" `optimizer.step()` follows `{context.short(step.statement)}` in its loop;"
                    " use dtype=bf16, or add the scaler by hand"
                )
            optimizer_steps[id(found[0])] = found
        steps_in_order = sorted(optimizer_steps.values(), key=lambda f: context.line_of(f[0]))
        blocks = {id(context.block_of(statement)[1]) for statement, _ in steps_in_order}
        if len(blocks) > 1:
            shown = ", ".join(f"`{context.short(s)}`" for s, _ in steps_in_order)
            context.refuse(
                f"the optimizer steps of one loop ({shown}) run under different conditions, so"
                " no single place updates a GradScaler once per iteration after them; use"
                " dtype=bf16 (no scaler), or add the scaler by hand"
            )
        scaler = context.fresh_name("scaler", "grad_scaler")
        home = scaler_home(context, outermost, steps_in_order[0][1])
        if isinstance(home, ScalerHome):
            self._scaler_outside(context, home, scaler, allowed, steps_in_order)
        else:
            if home is not None:
                context.note(
                    f"the GradScaler is created in `{context.scope_of(outermost).name.value}()`"  # type: ignore[union-attr]
                    f", which runs every epoch, because {home}: it starts over on each call;"
                    " create it once next to the optimizer and save it with checkpoints by hand"
                )
            amp = self._amp_dtype(context, device, allowed, outermost)
            enabled = f"{amp} == {context.reference('torch.float16', outermost)}"
            scaler_class = context.reference("torch.amp.GradScaler", outermost)
            code = f"{scaler} = {scaler_class}({device.code}, enabled={enabled})\n"
            context.edits.insert_before(outermost, [statement(code, context.module)])
        for step, _, _ in planned:
            context.edits.replace(
                step.loss,
                lambda updated: cst.Call(
                    func=cst.parse_expression(f"{scaler}.scale"),
                    args=[cst.Arg(updated.with_changes(lpar=[], rpar=[]))],
                ),
            )
        for step_statement, optimizer in steps_in_order:
            context.edits.replace(
                step_statement.body[0],
                cst.Expr(cst.parse_expression(f"{scaler}.step({optimizer})")),
            )
            for clip in self._clipping(context, step_statement):
                context.edits.insert_before(
                    clip, [statement(f"{scaler}.unscale_({optimizer})\n", context.module)]
                )
        context.edits.insert_after(
            steps_in_order[-1][0], [statement(f"{scaler}.update()\n", context.module)]
        )
        losses = len(planned)
        context.note(
            f"float16: `{scaler} = GradScaler(...)` is created once before the loop, enabled only"
            " when float16 is the precision picked; "
            + (
                f"its {losses} losses are scaled, each of its {len(steps_in_order)} optimizers"
                " steps through it, and it is updated once per iteration"
                if losses > 1 or len(steps_in_order) > 1
                else "the loss is scaled, gradients are unscaled before clipping, and the scaler"
                " steps the optimizer"
            )
            + " (a disabled scaler changes nothing)"
        )

    def _scaler_outside(
        self,
        context: RefactorContext,
        home: ScalerHome,
        scaler: str,
        allowed: tuple[str, ...] | None,
        steps: list[tuple[cst.SimpleStatementLine, str]],
    ) -> None:
        """Create the scaler once, after the optimizer, outside the per-epoch function."""
        device = detect_device(context, home.after, context.options["device"])
        amp = self._amp_dtype(context, device, allowed, home.after)
        enabled = f"{amp} == {context.reference('torch.float16', home.after)}"
        scaler_class = context.reference("torch.amp.GradScaler", home.after)
        code = f"{scaler} = {scaler_class}({device.code}, enabled={enabled})\n"
        context.edits.insert_after(home.after, [statement(code, context.module)])
        pass_scaler(context, home, scaler)
        function = home.function.name.value
        context.note(
            f"`{function}()` runs every epoch, so its GradScaler is created once, after"
            f" `{context.short(home.after)}`"
            + (f", and passed in (`{function}(..., {scaler}={scaler})`)" if home.calls else "")
            + ": it keeps the loss scale it found from one epoch to the next"
        )
        scopes: list[cst.CSTNode] = [home.scope, home.function]
        if isinstance(home.scope, cst.Module):
            scopes = [home.scope, *(n for n in context.nodes if isinstance(n, cst.FunctionDef))]
        optimizers = {home.optimizer, *(name for _, name in steps)}
        for note in checkpoint_scaler(context, scopes, optimizers, scaler):
            context.note(note)

    def _optimizer_step(
        self, context: RefactorContext, step: TrainingStep, loop: cst.CSTNode
    ) -> tuple[cst.SimpleStatementLine, str] | None:
        key = ("optimizer_steps", id(loop))
        if key not in context.memo:  # once per loop: (line, statement, optimizer), in order
            known = optimizer_names(context)
            found: list[tuple[int, cst.SimpleStatementLine, str]] = []
            for node in iter_all(loop):
                small = (
                    node.body[0]
                    if isinstance(node, cst.SimpleStatementLine) and len(node.body) == 1
                    else None
                )
                if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
                    call = small.value
                    owner = dotted_name(receiver(call) or call.func) or ""
                    if method_name(call) == "step" and not call.args and is_optimizer(owner, known):
                        assert isinstance(node, cst.SimpleStatementLine)
                        found.append((context.line_of(node), node, owner))
            context.memo[key] = found
        steps: list[tuple[int, cst.SimpleStatementLine, str]] = context.memo[key]
        after = context.line_of(step.statement)
        first = bisect.bisect_right([line for line, _, _ in steps], after)
        return (steps[first][1], steps[first][2]) if first < len(steps) else None

    def _clipping(
        self, context: RefactorContext, step_statement: cst.SimpleStatementLine
    ) -> list[Statement]:
        _, body, index = context.block_of(step_statement)
        key = ("clipping", id(body))
        if key not in context.memo:  # once per block: the positions of clipping statements
            context.memo[key] = [
                position
                for position, earlier in enumerate(body)
                if any(
                    context.match(c.func, CLIP_FUNCTIONS)
                    or (method_name(c) or "").startswith("clip_grad_")
                    for c in iter_calls(earlier)
                )
            ]
        positions: list[int] = context.memo[key]
        return [body[p] for p in positions if p < index]

    # -- evaluation --------------------------------------------------------------------
    def _evaluation(self, context: RefactorContext, forward: EvalForward, dtype: str) -> None:
        first, last = forward.body[forward.start], forward.body[forward.end]
        device = detect_device(context, first, context.options["device"])
        # Evaluation has no scaler: float16 is as safe there as bfloat16.
        allowed = ALLOWED[dtype]
        amp = self._amp_dtype(context, device, allowed, _outer_statement(context, first))
        header = self._autocast_header(context, device, amp, first)
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
                self._in_place = True
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
            if dtype == "auto":
                settings = self._framework_at_run_time(context, node, found)
            else:
                settings = [_framework_setting(found, dtype)]
            context.edits.replace(node, _keywords_adder(settings))
            added = ", ".join(f"{key}={value}" for key, value in settings)
            context.note(f"`{shown}`: added {added}")
        return relevant

    def _framework_at_run_time(
        self, context: RefactorContext, node: cst.Call, found: str
    ) -> list[tuple[str, str]]:
        """Framework precision from ``autocast_dtype`` on the device the framework picks."""
        outer = _outer_statement(context, node)
        cuda = context.reference("torch.cuda.is_available", outer)
        device = DeviceType(f'"cuda" if {cuda}() else "cpu"', None, "the framework's default")
        amp = self._amp_dtype(context, device, None, outer)
        bf16 = f"{amp} == {context.reference('torch.bfloat16', outer)}"
        fp16 = f"{amp} == {context.reference('torch.float16', outer)}"
        if found.startswith(("transformers.", "trl.")):
            return [("bf16", bf16), ("fp16", fp16)]
        if found.startswith("accelerate."):
            return [("mixed_precision", f'"bf16" if {bf16} else "fp16" if {fp16} else "no"')]
        return [("precision", f'"bf16-mixed" if {bf16} else "16-mixed" if {fp16} else "32-true"')]

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


def _outer_statement(context: RefactorContext, node: cst.CSTNode) -> Statement:
    """The outermost loop around ``node`` in its function, else its statement in the scope."""
    scope = context.scope_of(node)
    found: Statement | None = None
    outermost_loop: Statement | None = None
    for ancestor in [node, *context.ancestors(node)]:
        if ancestor is scope:
            break
        if isinstance(ancestor, (cst.For, cst.While)) and context.scope_of(ancestor) is scope:
            outermost_loop = ancestor
        if isinstance(ancestor, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            found = ancestor
    result = outermost_loop or found
    assert result is not None
    return result


def _existing_helper(context: RefactorContext, anchor: cst.CSTNode) -> str | None:
    """ "ours" when an earlier top-level ``autocast_dtype`` is the refactor's own helper,
    "foreign" when the name is defined otherwise, None when it is not defined."""
    anchor_line = context.line_of(context.top_level(anchor))
    ours = False
    for node in context.module.body:
        if isinstance(node, cst.FunctionDef) and node.name.value == AUTOCAST_HELPER_NAME:
            if "Written by green-assist" not in context.code(node):
                return "foreign"
            if context.line_of(node) < anchor_line:
                return "ours"
            ours = True  # defined in a later cell: define it again where it is needed
    if not ours and AUTOCAST_HELPER_NAME in context.used_names:
        return "foreign"
    return None


def _hardware_note(target: Target, chosen: set[str]) -> str:
    """What the generated code will do on the target hardware (the diff preview shows it)."""
    if target.device == "any":
        return (
            f"`{AUTOCAST_HELPER_NAME}()` decides where the code runs: bfloat16 on Ampere or newer"
            " GPUs and on CPUs with AMX or AVX-512 BF16, float16 on older tensor-core GPUs, FP32"
            " elsewhere (autocast stays off), so the change is never slower for lack of"
            " low-precision units"
        )
    fast = target.fast_dtypes() or ()
    picks = set()
    for allowed in chosen:
        names = [_DTYPE_NAMES[d] for d in allowed.split(",")]
        picks.add(next((n for n in names if n in fast), "FP32"))
    where = target.describe()
    if picks == {"FP32"}:
        return (
            f"on {where}: `{AUTOCAST_HELPER_NAME}` returns None, so autocast stays off and the"
            " code keeps running in FP32: no saving expected here, and no slowdown. It switches"
            " to low precision by itself on a GPU with tensor cores or a CPU with AMX/AVX-512 BF16"
        )
    shown = " or ".join(sorted(picks))
    return (
        f"on {where}: `{AUTOCAST_HELPER_NAME}` picks {shown}, so the forward pass runs in"
        f" {shown} here. Re-run the cell to measure the change; if it is slower, undo the fix"
    )


def _keywords_adder(settings: list[tuple[str, str]]) -> Callable[[cst.Call], cst.Call]:
    def add(updated: cst.Call) -> cst.Call:
        for key, value in settings:
            updated = append_keyword(updated, key, cst.parse_expression(value))
        return updated

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
