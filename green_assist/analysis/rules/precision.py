"""Numeric precision of training: mixed precision used, configured, and applied to the forward."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from ..defaults import Origin
from ..effects import Effects, effects_of
from ..findings import Severity
from ..helpers import (
    DictLiterals,
    argument,
    describe,
    dotted_name,
    effective_keywords,
    is_true,
    iter_calls,
    keyword,
    method_name,
    names_in,
    receiver,
    string_value,
)
from ..names import target_names
from ..rule import ProposedFix, Rule, RuleDoc
from ..tables import (
    AUTOCAST,
    CHEAP_TENSOR_METHODS,
    DEVICE_MARKERS,
    FRAMEWORK_PRECISION,
    GRAD_SCALERS,
    HF_TRAINERS,
    LOSS_FUNCTION_NAMES,
    LOW_PRECISION_DTYPE_NAMES,
    LOW_PRECISION_DTYPES,
    LOW_PRECISION_STRINGS,
    PRECISION_SETTINGS,
)

_MIXED_PRECISION_SOURCES = (
    "Micikevicius et al., Mixed Precision Training, ICLR 2018.",
    "NVIDIA Deep Learning Performance Guide, Train With Mixed Precision: "
    "https://docs.nvidia.com/deeplearning/performance/mixed-precision-training/index.html",
    "PyTorch recipe, Automatic Mixed Precision: "
    "https://pytorch.org/tutorials/recipes/recipes/amp_recipe.html",
)


# Calls that mean mixed precision is in use, or owned by a framework (GA102's business).
_PRECISION_CALLS = (
    AUTOCAST
    | GRAD_SCALERS
    | FRAMEWORK_PRECISION.keys()
    | HF_TRAINERS
    | {"torch.set_float32_matmul_precision"}
)


def _is_optimizer(name: str) -> bool:
    return name.startswith("torch.optim.") and ".lr_scheduler" not in name


def _chooses_precision(arg: cst.Arg) -> bool:
    """``fp16=...``, ``precision=...``, ``dtype="bfloat16"``, ``torch_dtype="auto"``."""
    if arg.keyword is None:
        return False
    if arg.keyword.value in PRECISION_SETTINGS:
        return True
    return arg.keyword.value in ("dtype", "torch_dtype") and (
        string_value(arg.value) in LOW_PRECISION_STRINGS
    )


class Fp32OnlyTraining(Rule):
    code = "GA101"
    name = "fp32-only-training"
    summary = "training loops with no autocast, no half/bf16 model and no precision setting"
    severity = Severity.WARNING
    needs_qualified_names = True
    needs_program = True
    triggers = ("backward",)
    doc = RuleDoc(
        what=(
            "Finds modules (a whole notebook counts as one) that train - a `.backward()` call "
            "and an optimizer `.step()` - on an accelerator (the code mentions cuda, device, "
            "xpu or mps) without any sign of reduced precision: no `torch.autocast`/"
            "`GradScaler`, no `.half()`/`.bfloat16()` or float16/bfloat16 dtype, no precision "
            "keyword or config key (`fp16`, `bf16`, `amp`, `mixed_precision`, `precision`...), "
            "no TF32 setting, and no framework that owns precision (see GA102). Signs that do "
            "nothing on the default path do not count: `autocast(..., enabled=args.amp)` or "
            "`GradScaler(enabled=use_amp)` when the option defaults to off, `model.half()` "
            "under `if args.fp16:`, `fp16=False`."
        ),
        why=(
            "Tensor cores run float16/bfloat16 matrix multiplies several times faster than "
            "FP32 (8-16x peak on recent NVIDIA GPUs) and half-width activations halve memory "
            "traffic. Mixed precision typically speeds training up 1.5-3x at the same accuracy, "
            "and a shorter run on the same hardware is proportionally less energy."
        ),
        example=(
            "for x, y in loader:\n"
            "    x, y = x.to(device), y.to(device)\n"
            "    loss = criterion(model(x), y)\n"
            "    loss.backward()\n"
            "    optimizer.step()\n"
        ),
        fix=(
            "Run the forward pass and the loss under `torch.autocast(device_type, "
            "dtype=torch.bfloat16)` (Ampere or newer GPUs, recent CPUs); with float16 also scale "
            "the loss with `torch.amp.GradScaler`. `green-assist refactor mixed-precision` "
            "(or Fix in the sidebar) does this."
        ),
        fixed_example=(
            "for x, y in loader:\n"
            "    x, y = x.to(device), y.to(device)\n"
            '    with torch.autocast("cuda", dtype=torch.bfloat16):\n'
            "        loss = criterion(model(x), y)\n"
            "    loss.backward()\n"
            "    optimizer.step()\n"
        ),
        sources=_MIXED_PRECISION_SOURCES,
    )

    def setup(self) -> None:
        self._backward: list[cst.Call] = []
        self._optimizer_names: set[str] = set()
        self._steps = False
        # Signs of reduced precision; each is checked on the default path at the end.
        self._signals: list[cst.CSTNode] = []
        self._callees: set[int] = set()  # ``torch.autocast`` in ``torch.autocast(...)``

    def visit_Assign(self, node: cst.Assign) -> None:
        if not isinstance(node.value, cst.Call):
            return
        if self.find_name(node.value.func, _is_optimizer) is None:
            return
        for target in node.targets:
            dotted = dotted_name(target.target)
            if dotted:
                self._optimizer_names.add(dotted)

    def visit_Call(self, node: cst.Call) -> None:
        method = method_name(node)
        if method == "backward":
            self._backward.append(node)
        elif method == "step":
            # optimizer.step(), or scaler.step(optimizer) with a GradScaler
            owners = [receiver(node) or node, *(arg.value for arg in node.args[:1])]
            for owner in owners:
                name = dotted_name(owner) or ""
                if "opt" in name.rsplit(".", 1)[-1].lower() or name in self._optimizer_names:
                    self._steps = True
        elif method in ("half", "bfloat16") and not node.args:
            self._signals.append(node)
        if self.match(node.func, _PRECISION_CALLS):
            self._signals.append(node)
            self._callees.add(id(node.func))  # the call is judged, not its name
        self._signals.extend(arg for arg in node.args if _chooses_precision(arg))

    def visit_Attribute(self, node: cst.Attribute) -> None:
        attribute = node.attr.value
        if attribute in PRECISION_SETTINGS:
            self._signals.append(node)  # cfg.amp, args.fp16, torch.backends...allow_tf32
        elif attribute in LOW_PRECISION_DTYPE_NAMES and self.match(node, LOW_PRECISION_DTYPES):
            self._signals.append(node)

    def visit_Name(self, node: cst.Name) -> None:
        if node.value in LOW_PRECISION_DTYPE_NAMES and self.match(node, LOW_PRECISION_DTYPES):
            self._signals.append(node)  # from torch import bfloat16

    def visit_DictElement(self, node: cst.DictElement) -> None:
        if string_value(node.key) in PRECISION_SETTINGS:
            self._signals.append(node)

    def _off_by_default(self, node: cst.CSTNode, effects: Effects) -> tuple[Origin, ...] | None:
        """Why a sign of reduced precision does nothing on the default path (None: it may
        act): ``enabled=args.amp`` with ``--amp`` off, ``if args.fp16: model.half()``,
        ``fp16=False``, an ``args.amp`` that is False."""
        defaults = effects.defaults
        module = effects.program.module
        if isinstance(node, cst.Call):
            site = effects.program.site_of.get(id(node))
            if site is None:
                return None
            skipped = defaults.skipped_because(site.branch, site.scope)
            if skipped is not None:
                return skipped
            enabled = keyword(node, "enabled")
            if enabled is None:
                return None
            found = defaults.value(enabled.value, site.scope, site.order)
            return (
                found.origins or ((enabled, "`enabled=False`", None),)
                if (found is not None and not found.value)
                else None
            )
        value = node.value if isinstance(node, (cst.Arg, cst.DictElement)) else node
        if isinstance(node, cst.Attribute) and node.attr.value not in PRECISION_SETTINGS:
            return None
        found = defaults.value(value, module)  # type: ignore[arg-type]
        if found is None or found.value:
            return None
        return found.origins or ((node, f"`{describe(self.context.module, node)}`", None),)

    def leave_Module(self, original_node: cst.Module) -> None:
        if not self._backward or not self._steps:
            return
        program = self.context.program
        effects = effects_of(program) if program is not None else None
        off: list[Origin] = []
        for node in self._signals:
            if id(node) in self._callees:
                continue
            why = self._off_by_default(node, effects) if effects is not None else None
            if why is None:
                return  # reduced precision is (or may be) in use
            off.extend(origin for origin in why if origin not in off)
        if not any(marker in self.context.text for marker in DEVICE_MARKERS):
            return
        call = self._backward[0]
        message = (
            f"`{describe(self.context.module, call)}` trains in FP32 only: no autocast,"
            " half/bfloat16 model or mixed-precision setting anywhere in this module"
        )
        if off:
            message = (
                f"`{describe(self.context.module, call)}` trains in FP32 on the default path:"
                f" mixed precision is off unless enabled ({off[0][1]})"
            )
        self.report(
            call,
            message,
            ProposedFix(
                "run the forward pass and loss under torch.autocast(device_type,"
                " dtype=torch.bfloat16) (float16 needs torch.amp.GradScaler too)"
            ),
            tuple(
                (node, f"{shown}: mixed precision stays off", where) for node, shown, where in off
            ),
        )


class FrameworkWithoutMixedPrecision(Rule):
    code = "GA102"
    name = "framework-without-mixed-precision"
    summary = "Trainer/Accelerator/Fabric objects built without a mixed-precision setting"
    severity = Severity.WARNING
    needs_qualified_names = True
    triggers = ("TrainingArguments", "Accelerator", "Fabric", "Trainer", "Config")
    doc = RuleDoc(
        what=(
            "Finds the objects that own training precision built without choosing one: "
            "`transformers.TrainingArguments`/`Seq2SeqTrainingArguments` (and TRL's "
            "`SFTConfig`/`DPOConfig`) without `bf16=`/`fp16=`, a Hugging Face `Trainer` without "
            "`args=`, `accelerate.Accelerator` without `mixed_precision=`, and Lightning "
            "`Fabric`/`Trainer` without `precision=`. Keywords from `**{...}`/`**dict(...)` "
            "literals are read; arguments from any other `**kwargs` or from a parser keep the "
            "rule silent, and so does `use_cpu=`/`no_cuda=`."
        ),
        why=(
            "These frameworks default to FP32. One keyword switches them to mixed precision, "
            "which typically speeds training up 1.5-3x on tensor-core GPUs at the same "
            "accuracy, with proportionally less energy for the run (see GA101)."
        ),
        example=(
            'args = TrainingArguments(output_dir="out", per_device_train_batch_size=16)\n'
            "accelerator = Accelerator()\n"
            "trainer = L.Trainer(max_epochs=10)\n"
        ),
        fix=(
            "Pass `bf16=True` (Ampere or newer GPUs, TPUs, recent CPUs) or `fp16=True` to "
            'TrainingArguments, `mixed_precision="bf16"` (or "fp16") to Accelerator, '
            '`precision="bf16-mixed"` (or "16-mixed") to Fabric/Trainer. Accelerator may '
            "also get it from `accelerate launch --mixed_precision` or `accelerate config`."
        ),
        fixed_example=(
            'args = TrainingArguments(output_dir="out", per_device_train_batch_size=16,'
            " bf16=True)\n"
            'accelerator = Accelerator(mixed_precision="bf16")\n'
            'trainer = L.Trainer(max_epochs=10, precision="bf16-mixed")\n'
        ),
        sources=(
            "Hugging Face Transformers, Efficient training on a single GPU (mixed precision): "
            "https://huggingface.co/docs/transformers/perf_train_gpu_one",
            "Lightning documentation, N-bit precision: "
            "https://lightning.ai/docs/pytorch/stable/common/precision.html",
            *_MIXED_PRECISION_SOURCES[:1],
        ),
    )

    def setup(self) -> None:
        self._literals = DictLiterals()
        self._candidates: list[tuple[cst.Call, str]] = []

    def visit_Assign(self, node: cst.Assign) -> None:
        self._literals.note_statement(node)

    def visit_Call(self, node: cst.Call) -> None:
        self._literals.note_statement(node)
        found = self.match(node.func, FRAMEWORK_PRECISION.keys() | HF_TRAINERS)
        if found is not None:
            self._candidates.append((node, found))

    def leave_Module(self, original_node: cst.Module) -> None:
        for call, found in self._candidates:
            message = self._problem(call, found)
            if message is not None:
                self.report(call, message, ProposedFix(self._advice(found)))

    def _problem(self, call: cst.Call, found: str) -> str | None:
        keywords, complete = effective_keywords(call, self._literals)
        shown = describe(self.context.module, call)
        if found in HF_TRAINERS:
            if complete and "args" not in keywords and argument(call, "args", 1) is None:
                return f"`{shown}` has no args=: default TrainingArguments train in FP32"
            return None
        wanted, positional_slots = FRAMEWORK_PRECISION[found]
        positional = sum(1 for arg in call.args if arg.keyword is None and not arg.star)
        if not complete or positional > positional_slots or any(k in keywords for k in wanted):
            return None
        if is_true(keywords.get("use_cpu")) or is_true(keywords.get("no_cuda")):
            return None
        if found.endswith("Accelerator"):
            return (
                f"`{shown}` sets no mixed_precision: training runs in FP32 unless"
                " `accelerate launch --mixed_precision` or the accelerate config sets it"
            )
        settings = " nor ".join(f"{key}=" for key in wanted)
        quantifier = "neither " if len(wanted) > 1 else "no "
        return f"`{shown}` sets {quantifier}{settings}: it trains in FP32"

    @staticmethod
    def _advice(found: str) -> str:
        if found.endswith("Accelerator"):
            return 'pass mixed_precision="bf16" (or "fp16")'
        if "lightning" in found:
            return 'pass precision="bf16-mixed" (or "16-mixed")'
        return "pass bf16=True (or fp16=True on GPUs without bfloat16)"


def _assigned_names(statement: cst.BaseStatement) -> dict[str, cst.BaseExpression]:
    found: dict[str, cst.BaseExpression] = {}
    if isinstance(statement, cst.SimpleStatementLine):
        for small in statement.body:
            if isinstance(small, cst.Assign):
                for target in small.targets:
                    for element in target_names(target.target):
                        found[element] = small.value
    return found


class AutocastWrapsOnlyLoss(Rule):
    code = "GA104"
    name = "autocast-wraps-only-loss"
    summary = "autocast around the loss while the model forward runs outside it"
    severity = Severity.WARNING
    needs_qualified_names = True
    triggers = ("autocast",)
    doc = RuleDoc(
        what=(
            "Finds `with torch.autocast(...)` blocks that contain only loss computations "
            "(calls named like `loss`/`criterion`, `F.cross_entropy`...) whose input was "
            "computed by a call just before the block, outside it: `out = model(x)` followed "
            "by `with autocast(): loss = criterion(out, y)`."
        ),
        why=(
            "Autocast changes only the operations that run inside it. The forward pass holds "
            "nearly all the matrix multiplies (and the backward pass mirrors it), so leaving it "
            "outside keeps the whole step in FP32: the code pays for the AMP machinery and "
            "gets none of the speed-up or energy saving."
        ),
        example=('out = model(x)\nwith torch.autocast("cuda"):\n    loss = criterion(out, y)\n'),
        fix="Move the forward pass into the autocast block (the backward pass stays outside).",
        fixed_example=(
            'with torch.autocast("cuda"):\n    out = model(x)\n    loss = criterion(out, y)\n'
        ),
        sources=(
            "PyTorch documentation, torch.autocast ('autocast should wrap only the forward "
            "pass(es) of your network, including the loss computation(s)'): "
            "https://pytorch.org/docs/stable/amp.html#autocasting",
            *_MIXED_PRECISION_SOURCES[1:],
        ),
    )

    def visit_Module(self, node: cst.Module) -> None:
        self._check_block(node.body)

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self._check_block(node.body)

    def _check_block(self, statements: Sequence[cst.BaseStatement]) -> None:
        assigned: dict[str, cst.BaseExpression] = {}
        for statement in statements:
            if isinstance(statement, cst.With):
                self._check_with(statement, assigned)
            assigned.update(_assigned_names(statement))

    def _is_loss(self, call: cst.Call) -> bool:
        name = (dotted_name(call.func) or "").rsplit(".", 1)[-1].lower()
        return "loss" in name or "criterion" in name or name in LOSS_FUNCTION_NAMES

    def _check_with(self, node: cst.With, assigned: dict[str, cst.BaseExpression]) -> None:
        autocast = next(
            (
                item.item
                for item in node.items
                if isinstance(item.item, cst.Call) and self.match(item.item.func, AUTOCAST)
            ),
            None,
        )
        if autocast is None:
            return
        losses: list[cst.Call] = []
        for call in iter_calls(node.body):
            if self._is_loss(call):
                losses.append(call)
            elif method_name(call) not in CHEAP_TENSOR_METHODS:
                return  # something else runs under autocast: maybe the forward
        for loss in losses:
            for name in sorted(names_in(loss) - names_in(loss.func)):
                if name not in assigned:
                    continue
                forward = next(
                    (
                        call
                        for call in iter_calls(assigned[name])
                        if not self._is_loss(call) and method_name(call) not in CHEAP_TENSOR_METHODS
                    ),
                    None,
                )
                if forward is not None:
                    module = self.context.module
                    self.report(
                        autocast,
                        f"`{describe(module, autocast)}` wraps only the loss"
                        f" `{describe(module, loss)}`; the forward `{describe(module, forward)}`"
                        " runs outside it in FP32",
                        ProposedFix("move the forward pass into the autocast block"),
                    )
                    return
