"""``quantize``: post-training int8 quantization of a model used for inference (answers GA114).

The model is the one put in evaluation mode (``model.eval()``) and not trained
afterwards. Right after it is set up (weights loaded, moved to its device), the
refactor adds one of:

* ``backend=torchao``: ``quantize_(model, Int8DynamicActivationInt8WeightConfig())``,
  torchao's maintained API. It changes the model in place and returns None. It
  covers ``nn.Linear`` only; on a CPU it is faster than float32 only when the model
  is compiled with ``torch.compile``.
* ``backend=quantize_dynamic``: ``model = torch.ao.quantization.quantize_dynamic(model,
  {torch.nn.Linear}, dtype=torch.qint8)`` (LSTM/GRU layers added when the code has
  them). Deprecated but present in torch 2.13; its int8 kernels run on the CPU only.

``backend=auto`` picks torchao when it can be imported. Existing ``quantize_dynamic``
calls are migrated to torchao when that backend is chosen.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Collection

import libcst as cst

from ..analysis.helpers import argument, dotted_name, method_name, receiver
from ..analysis.tables import CONVOLUTION_CLASSES, DEPRECATED_QUANTIZATION_PACKAGES
from .base import Option, Refactor
from .context import RefactorContext
from .devices import detect_device
from .edits import Statement, statement, statements
from .model_facts import (
    ACCELERATORS,
    accelerator,
    distributed_wrapper,
    model_layers,
    runs_every_epoch,
)

TORCHAO_QUANTIZE = frozenset(
    {
        "torchao.quantization.quantize_",
        "torchao.quantization.quant_api.quantize_",
        "torchao.quantize_",
    }
)
TORCHAO_CONFIG = "torchao.quantization.Int8DynamicActivationInt8WeightConfig"
# Layers quantize_dynamic handles besides Linear (no dynamic backend covers CONVOLUTION_CLASSES).
DYNAMIC_RECURRENT = ("LSTM", "GRU", "LSTMCell", "GRUCell", "RNNCell")
# Methods that set a model up for inference; quantization goes after them.
SETUP_METHODS = frozenset(
    {"eval", "load_state_dict", "to", "cuda", "cpu", "float", "requires_grad_"}
)


# Why int8 on a CPU goes through quantize_dynamic (measured on this project's test machines,
# see BUILD_NOTES: quantize_dynamic ~2x faster MLP inference in eager mode; torchao's
# Int8DynamicActivationInt8Weight slower than FP32 unless the model is compiled).
_CPU_TORCHAO = (
    "torchao's int8 runs slower than FP32 unless the model is also compiled (torch.compile),"
    " while quantize_dynamic's int8 kernels (fbgemm on x86, qnnpack on Arm) pay off as they are"
)


def last_setup(
    context: RefactorContext, model: str, line: Statement, methods: Collection[str]
) -> Statement:
    """The last of ``line`` and the statements right after it that call one of ``methods``
    on ``model`` (``model.load_state_dict(...)``, ``model.to(device)``)."""
    _, body, index = context.block_of(line)
    last = line
    for following in body[index + 1 :]:
        if not isinstance(following, cst.SimpleStatementLine) or len(following.body) != 1:
            break
        small = following.body[0]
        value = small.value if isinstance(small, (cst.Expr, cst.Assign)) else None
        if not isinstance(value, cst.Call) or method_name(value) not in methods:
            break
        if dotted_name(receiver(value)) != model:
            break
        last = following
    return last


def torchao_available() -> bool:
    return importlib.util.find_spec("torchao") is not None


class Quantize(Refactor):
    name = "quantize"
    title = "Quantize model for inference"
    summary = (
        "int8 post-training quantization of a model used for inference (torchao quantize_,"
        " or torch.ao quantize_dynamic)"
    )
    answers = ("GA114",)
    options = {
        "backend": Option.choice(
            "auto",
            "auto: torchao when importable, else quantize_dynamic",
            "auto",
            "torchao",
            "quantize_dynamic",
        ),
        "model": Option.name("the model variable to quantize, when there are several"),
    }

    def apply(self, context: RefactorContext) -> None:
        backend = self._backend(context)
        layers = self._layers(context)
        if self._existing(context, backend, layers):
            return
        model, anchor = self._inference_model(context)
        where = self._insertion_point(context, model, anchor)
        device = detect_device(context, anchor, "auto")
        if (
            backend == "torchao"
            and context.options["backend"] == "auto"
            and device.literal == "cpu"
        ):
            backend = "quantize_dynamic"
            context.note(
                "backend: quantize_dynamic after all, because this model runs on the CPU, where"
                f" {_CPU_TORCHAO}"
            )
        self._refuse_unsuitable(context, backend, model, anchor, device.literal)
        if backend == "torchao":
            new = self._torchao(context, model, where)
        else:
            new = self._quantize_dynamic(context, model, where, layers)
        context.edits.insert_after(where, new)
        self._notes(context, backend, model, layers, device.literal)

    # -- choices -----------------------------------------------------------------------
    def _backend(self, context: RefactorContext) -> str:
        chosen: str = context.options["backend"]
        if chosen != "auto":
            return chosen
        if context.target.device == "cpu":
            context.note(
                f"backend: quantize_dynamic, because the target is {context.target.describe()},"
                f" where {_CPU_TORCHAO}"
            )
            return "quantize_dynamic"
        if torchao_available():
            context.note("backend: torchao (importable here)")
            return "torchao"
        context.note(
            "backend: quantize_dynamic, because torchao is not importable here"
            " (pip install torchao, then pass backend=torchao)"
        )
        return "quantize_dynamic"

    def _layers(self, context: RefactorContext) -> set[str]:
        """Names of the torch.nn layer classes the module builds (``LSTM``, ``Conv2d``...)."""
        found: set[str] = set()
        for node in context.nodes:
            if isinstance(node, cst.Call):
                for name in context.qualified_names(node.func):
                    if name.startswith("torch.nn."):
                        found.add(name.rsplit(".", 1)[-1])
        return found

    # -- existing quantization -------------------------------------------------------
    def _existing(self, context: RefactorContext, backend: str, layers: set[str]) -> bool:
        """Handle code that quantizes already; True when there is nothing more to add."""
        found = False
        for node in context.nodes:
            if not isinstance(node, cst.Call) or not context.in_scope(node):
                continue
            names = context.qualified_names(node.func)
            if names & TORCHAO_QUANTIZE:
                context.note(f"`{context.short(node)}`: the model is quantized already")
                found = True
            elif any(
                n.startswith(DEPRECATED_QUANTIZATION_PACKAGES) and n.endswith(".quantize_dynamic")
                for n in names
            ):
                found = True
                # Only when asked for: under backend=auto the existing call may well be
                # the auto choice of an earlier run (CPU code), and must stay.
                if backend == "torchao" and context.options["backend"] == "torchao":
                    self._migrate(context, node)
                else:
                    context.note(
                        f"`{context.short(node)}` quantizes already, with the deprecated"
                        " torch.ao API; pass backend=torchao to migrate it"
                    )
        return found

    def _migrate(self, context: RefactorContext, call: cst.Call) -> None:
        line = context.statement_of(call)
        model = argument(call, "model", 0)
        dtype = argument(call, "dtype", 2)
        shown = context.short(call)
        small = line.body[0] if isinstance(line, cst.SimpleStatementLine) else None
        simple = (
            isinstance(small, cst.Assign)
            and small.value is call
            and len(small.targets) == 1
            and isinstance(small.targets[0].target, cst.Name)
        )
        if not simple or model is None or not isinstance(model.value, cst.Name):
            context.note(f"`{shown}`: migrate it to torchao by hand (`quantize_` works in place)")
            return
        if dtype is not None and not context.match(dtype.value, {"torch.qint8"}):
            context.note(f"`{shown}`: only qint8 maps onto torchao's int8 config; left as it is")
            return
        layers = argument(call, "qconfig_spec", 1)
        if not self._only_linear(context, layers):
            context.note(
                f"`{shown}`: left as it is, because torchao's int8 config covers nn.Linear"
                " only and this call quantizes other layers (LSTM/GRU) too"
            )
            return
        assert isinstance(small, cst.Assign) and isinstance(line, cst.SimpleStatementLine)
        target = small.targets[0].target
        assert isinstance(target, cst.Name)
        source = model.value.value
        new: list[Statement] = []
        if target.value != source:  # quantize_dynamic copied the model; keep the float one
            deepcopy = context.reference("copy.deepcopy", line)
            new.append(statement(f"{target.value} = {deepcopy}({source})\n", context.module))
        new += self._torchao(context, target.value, line, comment=False)
        last = new[-1]
        if isinstance(last, cst.SimpleStatementLine):  # the line's own comment stays
            new[-1] = last.with_changes(trailing_whitespace=line.trailing_whitespace)
        context.edits.insert_before(line, new)
        context.edits.remove(line)
        context.drop_unused_imports({call}, ("torch.ao.quantization", "torch.quantization"))
        context.note(f"`{shown}` -> torchao `quantize_` (in place, covers nn.Linear only)")

    def _only_linear(self, context: RefactorContext, layers: cst.Arg | None) -> bool:
        """Does ``quantize_dynamic``'s layer set cover nn.Linear only?"""
        if layers is None:  # the default set: Linear and the recurrent layers
            return not self._layers(context) & set(DYNAMIC_RECURRENT)
        if not isinstance(layers.value, (cst.Set, cst.List, cst.Tuple)):
            return False
        return all(
            context.match(element.value, {"torch.nn.Linear", "torch.nn.modules.linear.Linear"})
            for element in layers.value.elements
        )

    # -- the inference model ---------------------------------------------------------
    def _eval_statements(self, context: RefactorContext) -> list[tuple[str, Statement]]:
        found: list[tuple[str, Statement]] = []
        for node in context.nodes:
            if not isinstance(node, cst.Call) or method_name(node) != "eval" or node.args:
                continue
            line = context.statement_of(node)
            if not isinstance(line, cst.SimpleStatementLine) or not context.in_scope(line):
                continue
            small = line.body[0]
            owner = receiver(node)
            if isinstance(small, cst.Expr) and small.value is node and isinstance(owner, cst.Name):
                found.append((owner.value, line))
            elif (
                isinstance(small, cst.Assign)
                and len(small.targets) == 1
                and isinstance(small.targets[0].target, cst.Name)
                and small.value is node
            ):
                found.append((small.targets[0].target.value, line))
        return found

    def _inference_model(self, context: RefactorContext) -> tuple[str, Statement]:
        wanted = context.options["model"]
        candidates = [(m, s) for m, s in self._eval_statements(context) if wanted in (None, m)]
        if not candidates:
            which = f"`{wanted}`" if wanted else "a model"
            context.refuse(
                f"found no statement that puts {which} in evaluation mode (`model.eval()`):"
                " quantization is for a trained model used for inference; add `model.eval()`"
                " before inference (or pass --option model=NAME)"
            )
        models = sorted({m for m, _ in candidates})
        if len(models) > 1:
            context.refuse(
                f"several models are put in evaluation mode ({', '.join(models)});"
                " choose one with --option model=NAME"
            )
        problem = ""
        for model, line in reversed(candidates):
            problem = self._trained_later(context, model, line)
            if not problem:
                return model, line
        context.refuse(problem)

    def _trained_later(self, context: RefactorContext, model: str, line: Statement) -> str:
        if any(isinstance(a, (cst.For, cst.While)) for a in context.ancestors(line)):
            return (
                f"`{context.short(line)}` is inside a loop (evaluation during training);"
                " quantize the trained model once, after training, for inference"
            )
        repeated = runs_every_epoch(context, line)
        if repeated is not None:
            return (
                f"`{context.short(line)}` ({context.where(line)}) runs every epoch: {repeated}."
                " That is evaluation during training; quantize the trained model once, after"
                " training, for inference"
            )
        after = context.line_of(line)
        for call in context.nodes:
            if not isinstance(call, cst.Call) or context.line_of(call) <= after:
                continue
            owner = receiver(call)
            if method_name(call) == "backward" or (
                method_name(call) == "train"
                and isinstance(owner, cst.Name)
                and owner.value == model
            ):
                return (
                    f"`{model}` is trained again after `{context.short(line)}`"
                    f" (`{context.short(call)}`); an int8 model cannot be trained: quantize it"
                    " after training"
                )
        return ""

    def _insertion_point(self, context: RefactorContext, model: str, line: Statement) -> Statement:
        """The last statement after ``line`` that still sets ``model`` up (weights, device)."""
        return last_setup(context, model, line, SETUP_METHODS)

    def _refuse_unsuitable(
        self,
        context: RefactorContext,
        backend: str,
        model: str,
        anchor: Statement,
        device: str | None,
    ) -> None:
        """Refuse models this quantization would break, or would leave as they are."""
        wrapper = distributed_wrapper(context, model)
        if wrapper is not None:
            context.refuse(
                f"`{model}` is wrapped for distributed training (`{wrapper}`): its parameters"
                " are sharded or replicated across processes, and int8 post-training"
                " quantization is for the trained model used for inference. Save the trained"
                " weights, then quantize a plain copy of the model in an inference script"
            )
        on_gpu = device in ACCELERATORS and device or accelerator(context, model, anchor)
        if backend == "quantize_dynamic" and on_gpu:
            context.refuse(
                f"`{model}` runs on an accelerator (`{on_gpu}`), but quantize_dynamic's int8"
                " kernels run on the CPU only; install torchao and use backend=torchao, or"
                " quantize a CPU copy for CPU inference"
            )
        layers = model_layers(context, model)
        covered = {"Linear"} | (set(DYNAMIC_RECURRENT) if backend == "quantize_dynamic" else set())
        if layers is not None and not layers & covered:
            what = "torchao's int8 config" if backend == "torchao" else "quantize_dynamic"
            built = ", ".join(sorted(layers)) or "no torch.nn layer"
            context.refuse(
                f"`{model}` has no layer that {what} quantizes (it is built from {built});"
                " int8 dynamic quantization covers nn.Linear"
                + (" and recurrent layers" if backend == "quantize_dynamic" else "")
                + ", so it would change nothing. Convolutions need static quantization with"
                " calibration data"
            )

    # -- code --------------------------------------------------------------------------
    def _torchao(
        self, context: RefactorContext, model: str, anchor: cst.CSTNode, comment: bool = True
    ) -> list[Statement]:
        quantize = context.reference("torchao.quantization.quantize_", anchor, from_import=True)
        config = context.reference(TORCHAO_CONFIG, anchor, from_import=True)
        header = "# int8 weights and activations for inference (quantize_ works in place)\n"
        code = f"{header if comment else ''}{quantize}({model}, {config}())\n"
        return statements(code, context.module)

    def _quantize_dynamic(
        self, context: RefactorContext, model: str, anchor: cst.CSTNode, layers: set[str]
    ) -> list[Statement]:
        function = context.reference("torch.ao.quantization.quantize_dynamic", anchor)
        covered = ["Linear", *sorted(layers & set(DYNAMIC_RECURRENT))]
        classes = ", ".join(context.reference(f"torch.nn.{name}", anchor) for name in covered)
        qint8 = context.reference("torch.qint8", anchor)
        code = (
            "# int8 weights for inference; activations are quantized on the fly (CPU only)\n"
            f"{model} = {function}({model}, {{{classes}}}, dtype={qint8})\n"
        )
        return statements(code, context.module)

    def _notes(
        self,
        context: RefactorContext,
        backend: str,
        model: str,
        layers: set[str],
        device: str | None,
    ) -> None:
        convolutions = sorted(layers & CONVOLUTION_CLASSES)
        recurrent = sorted(layers & set(DYNAMIC_RECURRENT))
        if backend == "torchao":
            uncovered = convolutions + recurrent
            context.note(
                f"`{model}`: torchao int8 dynamic quantization covers nn.Linear layers"
                + (f"; {', '.join(uncovered)} stay in float" if uncovered else "")
            )
            context.note(
                "trade-off: int8 weights are 4x smaller; on a CPU, torchao int8 is slower than"
                " float32 unless the model is compiled (`model = torch.compile(model)`: 3-4x"
                " faster at batch >= 64 in our measurements); on recent GPUs it uses int8"
                " matrix kernels. Check the accuracy on your validation data."
            )
            return
        covered = ", ".join(["Linear", *recurrent])
        context.note(
            f"`{model}`: quantize_dynamic covers {covered} layers"
            + (
                f"; {', '.join(convolutions)} stay in float (dynamic quantization does not"
                " cover convolutions; static quantization with calibration data would)"
                if convolutions
                else ""
            )
        )
        context.note(
            "trade-off: int8 Linear weights are 4x smaller and CPU inference was about 2x"
            " faster on an MLP in our measurements, with ~2.5% relative error on its outputs:"
            " check the accuracy on your validation data. torch.ao.quantization is deprecated"
            " (GA114); torchao (backend=torchao) is the maintained path."
        )
        if device is None:
            context.note(
                "quantize_dynamic's int8 kernels run on the CPU only: keep the quantized model"
                " and its inputs on the CPU"
            )
