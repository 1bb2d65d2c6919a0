"""Numeric precision of training: mixed precision used, configured, and applied to the forward."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import libcst as cst

from ...target import AUTOCAST_HELPER_NAME, Target
from ..context import Evidence
from ..defaults import Origin
from ..effects import Effects, effects_of
from ..findings import Severity
from ..helpers import (
    DictLiterals,
    argument,
    describe,
    dotted_name,
    effective_keywords,
    is_backward_call,
    is_true,
    iter_calls,
    keyword,
    method_name,
    names_in,
    receiver,
    string_value,
)
from ..names import last_part, target_names
from ..program import Loop
from ..rule import ProposedFix, Rule, RuleDoc
from ..tables import (
    AUTOCAST,
    CHEAP_TENSOR_METHODS,
    FLOAT64,
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


# Precision signals that hold for the whole module (a half model, a precision setting);
# autocast and GradScaler are per training loop (see Fp32OnlyTraining).
_MODULE_PRECISION_CALLS = _PRECISION_CALLS - AUTOCAST - GRAD_SCALERS


_MIXED_PRECISION_HARDWARE = (
    "accelerators (CUDA with tensor cores, MPS, XPU) and CPUs with AMX or AVX-512 BF16;"
    " silent for `--target cpu` and for CPUs without them"
)


def _low_precision_pays_off(target: Target) -> bool:
    return target.low_precision_pays_off


def _cpu_units_note(target: Target) -> str:
    """Which CPUs mixed precision pays off on, and whether this one is among them."""
    if target.device != "cpu" or not target.known:
        return ""
    return (
        f" ({target.describe()}: bf16 autocast pays off on CPUs only with AMX or AVX-512 BF16,"
        " as this one has, and mostly for large matrices; re-run the cell to measure it)"
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
            "Finds each training loop (a loop with a `.backward()` call, in a module that calls "
            "an optimizer's `.step()`) that runs its forward pass in FP32 on an accelerator "
            "(the code moves work with `.cuda()`, `.to(...)` or `device=`, and names cuda, xpu "
            "or mps, or a `device` that is not the CPU; `x.device` alone, commented-out "
            "lines, `torch.cuda.manual_seed(...)`, `torch.cuda.is_available()`, questions such "
            "as `torch.cuda.get_device_name(0)` or `device_count()` and a "
            '`DEVICE = "cpu"` do not count, nor does code whose every `device` is the CPU: a '
            '`device="cpu"` parameter that callers pass `"cpu"`, a config dataclass field '
            '`device: str = "cpu"` read as `cfg.device`): one finding per loop, so fixing one '
            "loop leaves the others reported (a whole notebook counts as one module); a "
            "backward in a function with no loop of its own that loops call "
            "(`for i in range(500): training_step(opt)`) is reported at each calling loop's "
            "header, with the backward as related evidence; a training step that no loop in "
            "the file calls (an agent's `learn()` that another file's episode loop runs) is "
            "reported at its backward. A loop "
            "is fine when `torch.autocast` wraps it or runs inside it (a `GradScaler` alone "
            "does not make it mixed precision), or when the module shows reduced precision "
            "anywhere else: an "
            "autocast created outside a `with` or in a helper function, `.half()`/"
            "`.bfloat16()` or a float16/bfloat16 dtype, a precision keyword or config key "
            "(`fp16`, `bf16`, `amp`, `mixed_precision`, `precision`...; not a metric such as "
            '`{"precision": precision_score(y, pred)}`), a TF32 setting, or a '
            "framework that owns precision (see GA102). Signs that do nothing on the default path "
            "do not count: `autocast(..., enabled=args.amp)` or `GradScaler(enabled=use_amp)` "
            "when the option defaults to off, `model.half()` under `if args.fp16:`, "
            "`fp16=False`. A model converted with `.double()` (or every model, after "
            "`torch.set_default_dtype(torch.float64)`) trains in float64, which autocast "
            "leaves alone: that is GA109's finding. A loop that trains after `prepare_qat(...)` "
            "(or a helper named for QAT) in the same scope is quantization-aware training, "
            "which simulates int8 with fake-quantize observers in FP32: left alone. "
            "Hardware: with `--target cpu` (or a CPU without AMX or AVX-512 BF16 as the "
            "target) the rule is silent, because bf16 "
            "autocast is slower than FP32 there; on a CPU that has them it also reports "
            "CPU-only code and says so."
        ),
        why=(
            "Tensor cores run float16/bfloat16 matrix multiplies several times faster than "
            "FP32 (8-16x peak on recent NVIDIA GPUs) and half-width activations halve memory "
            "traffic. Mixed precision typically speeds training up 1.5-3x at the same accuracy, "
            "and a shorter run on the same hardware is proportionally less energy. Without "
            "matrix units for the low precision (CPUs without AMX/AVX-512 BF16, GPUs before "
            "compute capability 7.0) autocast only adds conversions and is slower."
        ),
        example=(
            "for x, y in loader:\n"
            "    x, y = x.to(device), y.to(device)\n"
            "    loss = criterion(model(x), y)\n"
            "    loss.backward()\n"
            "    optimizer.step()\n"
        ),
        fix=(
            "Run the forward pass and the loss under `torch.autocast` in a precision the "
            "device has matrix units for: bfloat16 on Ampere or newer GPUs and on CPUs with "
            "AMX or AVX-512 BF16, float16 with `torch.amp.GradScaler` on older tensor-core "
            "GPUs, FP32 elsewhere. The mixed-precision refactor (`green-assist refactor "
            "mixed-precision`) writes a small `autocast_dtype(device_type)` helper that makes "
            "this choice at run time, so the changed code is never slower on the device it "
            "runs on."
        ),
        fixed_example=(
            "amp_dtype = autocast_dtype(device.type)  # None: FP32 is fastest here\n"
            "scaler = torch.amp.GradScaler(device.type, enabled=amp_dtype == torch.float16)\n"
            "for x, y in loader:\n"
            "    x, y = x.to(device), y.to(device)\n"
            "    with torch.autocast(\n"
            "        device.type, dtype=amp_dtype, enabled=amp_dtype is not None\n"
            "    ):\n"
            "        loss = criterion(model(x), y)\n"
            "    scaler.scale(loss).backward()\n"
            "    scaler.step(optimizer)\n"
            "    scaler.update()\n"
        ),
        sources=_MIXED_PRECISION_SOURCES,
    )

    hardware = _MIXED_PRECISION_HARDWARE

    @classmethod
    def applies_to(cls, target: Target) -> bool:
        return _low_precision_pays_off(target)

    def setup(self) -> None:
        self._optimizer_names: set[str] = set()
        self._steps = False
        # Module-wide signs of reduced precision; each is checked on the default path at
        # the end (a switch that is off by default does not count).
        self._signals: list[cst.CSTNode] = []
        self._with_autocasts: list[tuple[cst.Call, cst.CSTNode | None, set[int | None]]] = []
        # Enclosing functions and loops, innermost last (kind, node).
        self._frames: list[tuple[str, cst.CSTNode]] = []
        self._open_autocasts: list[cst.Call] = []  # `with torch.autocast(...)` around here
        # Autocast with-blocks around each loop's backward() calls.
        self._enclosing: dict[int | None, list[cst.Call]] = {}
        # Inside autocast arguments, comparisons or the refactor's dtype helper, a
        # bfloat16/float16 name chooses or tests autocast's dtype: not a module-wide sign.
        self._dtype_talk = 0
        self._in_autocast_call = 0  # `torch.cuda.amp.autocast`: its `amp` is no setting
        self._autocast_items: set[int] = set()  # ids of autocast calls that are with-items
        self._autocast_calls: set[int] = set()  # ids of every autocast call
        self._trains: set[int] = set()  # ids of functions with a backward() call
        # Uncovered backward() calls by their loop (or function, or None: the module).
        self._groups: dict[int | None, list[cst.Call]] = {}
        self._region_nodes: dict[int, cst.CSTNode] = {}
        # Calls made inside ``with torch.autocast(...)`` (id -> the autocasts around them).
        self._under_autocast: dict[int, list[cst.Call]] = {}
        self._doubles: list[cst.Call] = []  # `.double()` calls (a float64 model?)
        self._float64_default: list[cst.Call] = []  # torch.set_default_dtype(torch.float64)
        self._qat_prepares: list[cst.Call] = []  # prepare_qat(model), prepare_model_for_qat(...)
        # ``amp_dtype = torch.float16 if cuda else torch.bfloat16``: dtype signs bound to a
        # name (signal id -> names), the targets being bound, and such names read anywhere
        # but in an autocast call (then the dtype may cast a model: a sign after all).
        self._dtype_bound: dict[int, tuple[str, ...]] = {}
        self._binding_targets: list[tuple[str, ...]] = []
        self._target_ids: set[int] = set()
        self._dtype_read_elsewhere: set[str] = set()

    # -- where we are ----------------------------------------------------------------
    def _function(self) -> cst.CSTNode | None:
        return next((node for kind, node in reversed(self._frames) if kind == "def"), None)

    def _region(self) -> cst.CSTNode | None:
        """The innermost loop of the current function, else the function (None: module)."""
        return self._frames[-1][1] if self._frames else None

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._frames.append(("def", node))
        if node.name.value == AUTOCAST_HELPER_NAME:
            self._dtype_talk += 1

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._frames.pop()
        if original_node.name.value == AUTOCAST_HELPER_NAME:
            self._dtype_talk -= 1

    def visit_Comparison(self, node: cst.Comparison) -> None:
        self._dtype_talk += 1

    def leave_Comparison(self, original_node: cst.Comparison) -> None:
        self._dtype_talk -= 1

    def visit_For(self, node: cst.For) -> None:
        self._frames.append(("loop", node))

    def leave_For(self, original_node: cst.For) -> None:
        self._frames.pop()

    def visit_While(self, node: cst.While) -> None:
        self._frames.append(("loop", node))

    def leave_While(self, original_node: cst.While) -> None:
        self._frames.pop()

    def visit_With(self, node: cst.With) -> None:
        autocasts = [
            item.item
            for item in node.items
            if isinstance(item.item, cst.Call) and self.match(item.item.func, AUTOCAST)
        ]
        if autocasts:
            self._open_autocasts.extend(autocasts)
            self._autocast_items.update(id(call) for call in autocasts)
            regions: set[int | None] = {id(node) for _, node in self._frames}
            if self._function() is None:
                regions.add(None)
            for call in autocasts:
                self._with_autocasts.append((call, self._function(), regions))

    def leave_With(self, original_node: cst.With) -> None:
        for item in original_node.items:
            if id(item.item) in self._autocast_items:
                self._open_autocasts.pop()

    # -- what the code does ----------------------------------------------------------
    def visit_Assign(self, node: cst.Assign) -> None:
        names = tuple(t.target.value for t in node.targets if isinstance(t.target, cst.Name))
        self._binding_targets.append(names)
        self._target_ids.update(id(t.target) for t in node.targets)
        if not isinstance(node.value, cst.Call):
            return
        if self.find_name(node.value.func, _is_optimizer) is None:
            return
        for target in node.targets:
            dotted = dotted_name(target.target)
            if dotted:
                self._optimizer_names.add(dotted)

    def leave_Assign(self, original_node: cst.Assign) -> None:
        self._binding_targets.pop()

    def _dtype_sign(self, node: cst.CSTNode) -> None:
        names = self._binding_targets[-1] if self._binding_targets else ()
        if names:
            self._dtype_bound[id(node)] = names
        self._signals.append(node)

    def leave_Call(self, original_node: cst.Call) -> None:
        if id(original_node) in self._autocast_calls:
            self._dtype_talk -= 1
            self._in_autocast_call -= 1

    def visit_Call(self, node: cst.Call) -> None:
        if self._open_autocasts:
            self._under_autocast[id(node)] = list(self._open_autocasts)
        method = method_name(node)
        if self.match(node.func, AUTOCAST) or (
            isinstance(node.func, cst.Name) and node.func.value == AUTOCAST_HELPER_NAME
        ):
            self._autocast_calls.add(id(node))
            self._dtype_talk += 1
            self._in_autocast_call += 1
        if is_backward_call(node):
            self._backward(node)
        elif method == "step":
            # optimizer.step(), or scaler.step(optimizer) with a GradScaler
            owners = [receiver(node) or node, *(arg.value for arg in node.args[:1])]
            for owner in owners:
                name = dotted_name(owner) or ""
                if "opt" in name.rsplit(".", 1)[-1].lower() or name in self._optimizer_names:
                    self._steps = True
        elif method in ("half", "bfloat16") and not node.args:
            self._signals.append(node)
        elif method == "double" and not node.args:
            self._doubles.append(node)
        elif (
            method == "set_default_dtype"
            and node.args
            and self.match(node.func, _SET_DEFAULT_DTYPE)
            and self.match(node.args[0].value, FLOAT64)
        ):
            self._float64_default.append(node)  # every new tensor and layer is float64
        if "qat" in last_part(dotted_name(node.func) or "").lower():
            self._qat_prepares.append(node)
        autocast = id(node) in self._autocast_calls
        if autocast and id(node) not in self._autocast_items and self.match(node.func, AUTOCAST):
            self._signals.append(node)  # an autocast kept in a variable or used as a decorator
        elif self.match(node.func, _MODULE_PRECISION_CALLS):
            self._signals.append(node)
        if not autocast:
            self._signals.extend(arg for arg in node.args if _chooses_precision(arg))

    def _backward(self, node: cst.Call) -> None:
        function = self._function()
        if function is not None:
            self._trains.add(id(function))
        region = self._region()
        key = id(region) if region is not None else None
        if region is not None:
            self._region_nodes[id(region)] = region
        self._groups.setdefault(key, []).append(node)
        if self._open_autocasts:  # inside `with torch.autocast(...)`: covered if that is on
            self._enclosing.setdefault(key, []).extend(self._open_autocasts)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        attribute = node.attr.value
        if attribute in PRECISION_SETTINGS:
            root = (dotted_name(node.value) or "").split(".", 1)[0]
            module_path = root == "torch" and attribute in ("amp", "autocast")  # `torch.amp`
            if not self._in_autocast_call and not module_path:
                self._signals.append(node)  # cfg.amp, args.fp16, torch.backends...allow_tf32
        elif (
            attribute in LOW_PRECISION_DTYPE_NAMES
            and not self._dtype_talk
            and self.match(node, LOW_PRECISION_DTYPES)
        ):
            self._dtype_sign(node)

    def visit_Name(self, node: cst.Name) -> None:
        value = node.value
        if (
            value in LOW_PRECISION_DTYPE_NAMES
            and not self._dtype_talk
            and self.match(node, LOW_PRECISION_DTYPES)
        ):
            self._dtype_sign(node)  # from torch import bfloat16
        elif not self._in_autocast_call and id(node) not in self._target_ids:
            self._dtype_read_elsewhere.add(value)

    def visit_DictElement(self, node: cst.DictElement) -> None:
        key = string_value(node.key)
        # (not a metric: ``{"precision": precision_score(y, pred)}`` computes, it sets nothing;
        # ``{"fp16": dict(enabled=True)}`` is a setting)
        if key in PRECISION_SETTINGS and not (
            key == "precision" and isinstance(node.value, cst.Call)
        ):
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
        if not self._groups or not self._steps:
            return
        program = self.context.program
        effects = effects_of(program) if program is not None else None
        if effects is not None and (
            any(_float64_model(call, effects) for call in self._doubles)
            or any(_runs_by_default(call, effects) for call in self._float64_default)
        ):
            return  # autocast leaves float64 alone: GA109's advice (train in FP32) comes first
        off: list[Origin] = []

        def active(node: cst.CSTNode) -> bool:
            why = self._off_by_default(node, effects) if effects is not None else None
            if why is not None:
                off.extend(origin for origin in why if origin not in off)
            return why is None

        if any(active(node) for node in self._signals if not self._autocast_dtype_only(node)):
            return  # reduced precision is (or may be) in use for the whole module
        covered: set[int | None] = set()
        for call, function, regions in self._with_autocasts:
            if not active(call):
                continue
            if function is not None and id(function) not in self._trains:
                return  # an autocast in a helper that trains nothing: what a loop may call
            covered |= regions
        target = self.context.target
        cpu_note = _cpu_units_note(target)
        if not cpu_note and (
            not self.context.mentions_device
            or (effects is not None and effects.cpu_code(self.context.code))
        ):
            return  # CPU code: no device, or the device it names is the CPU as written
        for region, calls in self._groups.items():
            call = _first_on_default_path(calls, effects)
            if effects is not None and _follows_qat_prepare(call, self._qat_prepares, effects):
                continue  # quantization-aware training: fake-quantized FP32 on purpose
            if region in covered:
                continue  # autocast runs inside this loop (around the forward pass)
            if any(active(node) for node in self._enclosing.get(region, ())):
                continue  # the whole loop runs under autocast
            evidence = tuple(
                (node, f"{text}: mixed precision stays off", where) for node, text, where in off
            )
            steps = self._step_calls(region, effects, active)
            if steps is None:
                where = "this loop's forward pass"
                step = self._region_nodes.get(region) if region is not None else None
                if isinstance(step, cst.FunctionDef):  # no loop here: another file's runs it
                    where = f"the forward pass of `{step.name.value}`, a training step"
                self._report_loop(call, where, off, cpu_note, evidence)
                continue
            module = self.context.module
            function = self._region_nodes[region]  # type: ignore[index]
            name = function.name.value  # type: ignore[attr-defined]
            for step, loop in steps:
                header = loop.node.iter if isinstance(loop.node, cst.For) else loop.node.test
                kind = "for ... in" if isinstance(loop.node, cst.For) else "while"
                self._report_loop(
                    header,
                    f"the forward pass of `{name}`, which it calls every step",
                    off,
                    cpu_note,
                    (
                        (step, f"`{describe(module, step)}` runs a training step", None),
                        (call, f"`{describe(module, call)}` in `{name}`", name),
                        *evidence,
                    ),
                    f"training loop `{kind} {describe(module, header)}`",
                )

    def _report_loop(
        self,
        node: cst.BaseExpression,
        where: str,
        off: list[Origin],
        cpu_note: str,
        evidence: tuple[Evidence, ...],
        shown: str | None = None,
    ) -> None:
        shown = shown or f"`{describe(self.context.module, node)}`"
        message = (
            f"{shown} trains in FP32 only: no autocast around {where},"
            f" and no half/bfloat16 model or mixed-precision setting in this module{cpu_note}"
        )
        if off:
            message = (
                f"{shown} trains in FP32 on the default path: mixed precision is off"
                f" unless enabled ({off[0][1]}){cpu_note}"
            )
        self.report(
            node,
            message,
            ProposedFix(
                "run the forward pass and loss under torch.autocast in a precision the"
                " device has matrix units for (refactor mixed-precision decides at run time)"
            ),
            evidence,
        )

    def _step_calls(
        self,
        region: int | None,
        effects: Effects | None,
        active: Callable[[cst.CSTNode], bool],
    ) -> list[tuple[cst.Call, Loop]] | None:
        """A backward in a function with no loop of its own (``def training_step(...)``):
        the calls of that function from loops, one per loop, each a training loop to report
        at its header (None: report the backward itself). Calls under an autocast are
        covered."""
        function = self._region_nodes.get(region) if region is not None else None
        if effects is None or not isinstance(function, cst.FunctionDef):
            return None
        program = effects.program
        scope = next((s for s in program.scopes if s.node is function), None)
        if scope is None:
            return None
        calls: list[tuple[cst.Call, Loop]] = []
        loops: set[int] = set()
        for site in program.callers(scope):
            if site.loop is None:
                return None  # also called once, outside a loop: name the backward
            if id(site.loop) in loops:
                continue
            loops.add(id(site.loop))
            if any(active(a) for a in self._under_autocast.get(id(site.node), ())):
                continue
            calls.append((site.node, site.loop))
        return calls if loops else None

    def _autocast_dtype_only(self, node: cst.CSTNode) -> bool:
        """A dtype bound to names that only autocast calls read: the autocast decides."""
        names = self._dtype_bound.get(id(node), ())
        return bool(names) and not any(n in self._dtype_read_elsewhere for n in names)


def _first_on_default_path(calls: list[cst.Call], effects: Effects | None) -> cst.Call:
    """The loop's first backward that runs by default (not ``scaler.scale(loss).backward()``
    under an ``if use_amp:`` that is off): the one the finding names."""
    if effects is not None:
        return next((call for call in calls if _runs_by_default(call, effects)), calls[0])
    return calls[0]


def _follows_qat_prepare(backward: cst.Call, prepares: list[cst.Call], effects: Effects) -> bool:
    """The loop trains after ``prepare_qat(model)`` (or a helper named for QAT) in the same
    function or cell sequence: quantization-aware training simulates int8 in FP32 with
    fake-quantize observers, so autocast is not the advice for it."""
    site = effects.program.site_of.get(id(backward))
    if site is None:
        return False
    for prepare in prepares:
        before = effects.program.site_of.get(id(prepare))
        if before is not None and before.scope is site.scope and before.order < site.order:
            return True
    return False


def _runs_by_default(call: cst.Call, effects: Effects) -> bool:
    site = effects.program.site_of.get(id(call))
    return site is not None and effects.defaults.reachable(site.branch, site.scope)


_SET_DEFAULT_DTYPE = frozenset({"torch.set_default_dtype"})


def _float64_model(call: cst.Call, effects: Effects) -> bool:
    """``model.double()`` (also ``Net().to(device).double()``): the model trains in float64."""
    site = effects.program.site_of.get(id(call))
    owner = receiver(call)
    while isinstance(owner, cst.Call) and method_name(owner) in ("to", "cuda", "train"):
        owner = receiver(owner)
    return site is not None and effects.is_model_expression(owner, site.scope)


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

    hardware = _MIXED_PRECISION_HARDWARE

    @classmethod
    def applies_to(cls, target: Target) -> bool:
        return _low_precision_pays_off(target)

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
