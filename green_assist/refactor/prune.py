"""``prune``: magnitude pruning with ``torch.nn.utils.prune`` after training or before fine-tuning.

A helper function ``prune_weights(model, amount)`` is added and called:

* after the training loop of a model trained here from scratch, made permanent at once
  (``prune.remove``): the weights that are zero stay zero in the saved state dict;
* for a model whose weights are loaded before it is trained here (fine-tuning): before
  the loop, with the pruning masks kept while it trains (the pruned weights stay zero and
  the others adapt), and made permanent after the loop (``make_pruning_permanent``);
* for a model only used for inference (``model.eval()``, no training): after its set-up.

Options: ``amount`` (0.3: the fraction of weights zeroed), ``structured`` (whole output
channels by L1 norm instead of single weights), ``global`` (one magnitude threshold across
the layers, unstructured only), ``keep_ends`` (the first convolution and the last linear
layer stay dense: the layers most sensitive to pruning), ``semi_structured`` (torchao's
2:4 sparsity for Linear layers, decided at run time: only NVIDIA GPUs of compute
capability 8.0 or newer run it faster), ``model``.

Zeros alone do not make dense kernels faster: unstructured pruning shrinks compressed
checkpoints and prepares sparse kernels; structured pruning zeroes whole channels, which
only saves time once the channels are removed. The notes say so, with the parameter and
non-zero weight counts before and after where the layer sizes are written in the code.
"""

from __future__ import annotations

import textwrap

import libcst as cst

from ..analysis.helpers import dotted_name, iter_calls, method_name, receiver
from .base import Option, Refactor
from .chains import base_call
from .context import RefactorContext
from .devices import detect_device
from .edits import Statement, statements
from .layers import Layer, count_layers
from .loops import find_training_steps, model_names
from .quantize import last_setup, torchao_available

PRUNE = "torch.nn.utils.prune"
PRUNABLE = ("Conv1d", "Conv2d", "Conv3d", "Linear")
# Calls that set a model up for inference; pruning goes after them.
SETUP_METHODS = frozenset({"eval", "load_state_dict", "to", "cuda", "cpu", "float"})
# Signs that a model's weights were loaded before it trains (fine-tuning).
LOADING_METHODS = frozenset({"load_state_dict", "from_pretrained"})

HELPER = '''
def prune_weights(model, amount):
    """Magnitude pruning of the convolution and linear layers (torch.nn.utils.prune).

{what}

    Written by green-assist. Returns the counts for the log: check the accuracy
    after pruning (fine-tuning for a few epochs usually recovers most of it).
    """
    classes = ({classes})
    layers = [m for m in model.modules() if isinstance(m, classes)]
    {kept}
    pruned = [m for m in layers if all(m is not k for k in kept)]
    before = sum(int(m.weight.count_nonzero()) for m in layers)
    {prune}
    after = sum(int(m.weight.count_nonzero()) for m in layers)
    total = sum(p.numel() for p in model.parameters())
    return (
        f"pruned {{len(pruned)}} of {{len(layers)}} layers: {{total:,}} parameters,"
        f" non-zero weights {{before:,}} -> {{after:,}}"
    )
'''
KEEP_ENDS = (
    "first_convolution = [m for m in layers if not isinstance(m, {linear})][:1]\n"
    "{indent}kept = first_convolution + [m for m in layers if isinstance(m, {linear})][-1:]"
)
PERMANENT = '''
def make_pruning_permanent(model):
    """Fold the pruning masks into the weights (prune.remove). Written by green-assist."""
    for module in model.modules():
        if {prune}.is_pruned(module) and hasattr(module, "weight_mask"):
            {prune}.remove(module, "weight")
'''
SEMI_STRUCTURED = """
if next({model}.parameters()).is_cuda and {capability}() >= (8, 0):
    # 2:4 semi-structured sparsity: sparse tensor-core matmuls for Linear layers (inference)
    {fake}({model})
    {sparsify}({model}, {config}())
"""


class Prune(Refactor):
    name = "prune"
    title = "Prune the model's smallest weights"
    summary = (
        "magnitude pruning (torch.nn.utils.prune) after training or before fine-tuning:"
        " zero the smallest weights of convolution and linear layers, made permanent"
    )
    options = {
        "amount": Option.fraction(0.3, "fraction of the weights to zero"),
        "structured": Option.flag(
            False, "prune whole output channels by L1 norm (conv filters, linear rows)"
        ),
        "global": Option.flag(
            False, "one magnitude threshold across all pruned layers (unstructured only)"
        ),
        "keep_ends": Option.flag(
            True, "leave the first convolution and the last linear layer dense"
        ),
        "semi_structured": Option.flag(
            False,
            "torchao 2:4 sparsity for Linear layers, applied at run time on NVIDIA GPUs of"
            " compute capability 8.0+ only",
        ),
        "model": Option.name("the model variable to prune, when there are several"),
    }

    def apply(self, context: RefactorContext) -> None:
        options = context.options
        if options["structured"] and options["global"]:
            context.refuse(
                "global pruning is unstructured only (torch.nn.utils.prune.global_unstructured);"
                " choose structured=true or global=true"
            )
        if self._pruned_already(context):
            return
        model = self._model(context)
        plan = self._plan(context, model)
        anchor = plan[0]
        call = f"print(prune_weights({model}, amount={options['amount']}))"
        if options["semi_structured"]:
            self._semi_structured(context, model, anchor, plan)
            return
        mode, before, after = plan[1], plan[2], plan[3]
        fine_tune = mode == "fine-tune"
        share = f"{float(options['amount']):.0%}"
        context.add_definitions(self._helper(context, anchor, not fine_tune), anchor)
        if fine_tune:  # masks while the loop trains, folded in after it
            context.edits.insert_before(
                before,
                statements(f"{call}  # {share} zeroed before fine-tuning\n", context.module),
            )
            context.edits.insert_after(
                after,
                statements(
                    f"make_pruning_permanent({model})  # the pruned weights stay zero\n",
                    context.module,
                ),
            )
        else:
            comment = self._comment(options)
            context.edits.insert_after(after, statements(f"{comment}\n{call}\n", context.module))
        self._notes(context, model, mode)

    # -- where ----------------------------------------------------------------------------
    def _pruned_already(self, context: RefactorContext) -> bool:
        for node in context.nodes:
            if not isinstance(node, cst.Call) or not context.in_scope(node):
                continue
            name = dotted_name(node.func) or ""
            if name == "prune_weights" or any(
                n.startswith((PRUNE + ".", "torchao.sparsity."))
                for n in context.qualified_names(node.func)
            ):
                context.note(f"`{context.short(node)}`: the code prunes already")
                return True
        return False

    def _model(self, context: RefactorContext) -> str:
        wanted = context.options["model"]
        trained = self._optimized_models(context)
        names = sorted(trained) or sorted(
            m for m in model_names(context) if self._evaluated(context, m)
        )
        if wanted is not None:
            if wanted not in model_names(context) | trained:
                context.refuse(f"found no model `{wanted}` (trained, or put in eval mode) to prune")
            return str(wanted)
        if not names:
            context.refuse(
                "found no model to prune: none is trained here (an optimizer over"
                " `model.parameters()`) or put in evaluation mode (`model.eval()`)"
            )
        if len(names) > 1:
            context.refuse(
                f"several models ({', '.join(names)}); choose one with --option model=NAME"
            )
        return names[0]

    def _optimized_models(self, context: RefactorContext) -> set[str]:
        """Names whose ``.parameters()`` go to a ``torch.optim`` optimizer."""
        found: set[str] = set()
        for node in context.nodes:
            if isinstance(node, cst.Call) and any(
                n.startswith("torch.optim.") and "lr_scheduler" not in n
                for n in context.qualified_names(node.func)
            ):
                for call in iter_calls(node):
                    owner = receiver(call)
                    if method_name(call) == "parameters" and isinstance(owner, cst.Name):
                        found.add(owner.value)
        return found

    def _evaluated(self, context: RefactorContext, model: str) -> bool:
        return any(
            isinstance(n, cst.Call)
            and method_name(n) == "eval"
            and isinstance(receiver(n), cst.Name)
            and receiver(n).value == model  # type: ignore[union-attr]
            for n in context.nodes
        )

    def _plan(
        self, context: RefactorContext, model: str
    ) -> tuple[cst.CSTNode, str, Statement, Statement]:
        """(anchor, mode, statement to prune before, statement to prune after)."""
        loops = []
        for step in find_training_steps(context):
            outer = self._outer_loop(context, step.statement)
            if outer is not None and self._trains(context, outer, model):
                loops.append(outer)
        if loops:
            first, last = loops[0], loops[-1]
            if self._loaded_before(context, model, first):
                return first, "fine-tune", first, last
            return last, "after training", last, last
        if not self._evaluated(context, model):
            context.refuse(f"`{model}` is neither trained nor put in evaluation mode here")
        line = self._setup_end(context, model)
        return line, "inference", line, line

    def _outer_loop(self, context: RefactorContext, node: cst.CSTNode) -> Statement | None:
        outer: Statement | None = None
        for ancestor in context.ancestors(node):
            if isinstance(ancestor, (cst.FunctionDef, cst.ClassDef)):
                break
            if isinstance(ancestor, (cst.For, cst.While)):
                outer = ancestor
        return outer

    def _trains(self, context: RefactorContext, loop: cst.CSTNode, model: str) -> bool:
        """``loop`` calls ``model(...)`` or one of its methods."""
        return any(
            dotted_name(c.func) == model or dotted_name(receiver(c)) == model
            for c in iter_calls(loop)
        )

    def _loaded_before(self, context: RefactorContext, model: str, loop: Statement) -> bool:
        """Weights loaded into ``model`` before ``loop``: the loop fine-tunes them."""
        start = context.line_of(loop)
        for node in context.nodes:
            if not isinstance(node, cst.Call) or context.line_of(node) >= start:
                continue
            owner = receiver(node)
            if method_name(node) == "load_state_dict" and dotted_name(owner) == model:
                return True
        for node in context.nodes:
            if (
                isinstance(node, cst.Assign)
                and any(dotted_name(t.target) == model for t in node.targets)
                and isinstance(node.value, cst.Call)
                and context.line_of(node) < start
            ):
                built = base_call(node.value)
                if method_name(built) == "from_pretrained" or any(
                    a.keyword is not None and a.keyword.value in ("weights", "pretrained")
                    for a in built.args
                ):
                    return True
        return False

    def _setup_end(self, context: RefactorContext, model: str) -> Statement:
        """The last statement after ``model.eval()`` that still sets the model up."""
        evals = [
            n
            for n in context.nodes
            if isinstance(n, cst.Call)
            and method_name(n) == "eval"
            and dotted_name(receiver(n)) == model
            and context.in_scope(n)
        ]
        if not evals:
            context.refuse(f"`{model}.eval()` is not in the part of the code being changed")
        line = context.statement_of(evals[-1])
        assert line is not None
        return last_setup(context, model, line, SETUP_METHODS)

    # -- code ------------------------------------------------------------------------------
    def _helper(
        self, context: RefactorContext, anchor: cst.CSTNode, permanent: bool
    ) -> list[Statement]:
        options = context.options
        prune = context.reference(PRUNE, anchor, from_import=True, submodule=True)
        classes = ", ".join(context.reference(f"torch.nn.{c}", anchor) for c in PRUNABLE)
        linear = context.reference("torch.nn.Linear", anchor)
        indent = context.module.default_indent
        kept = (
            KEEP_ENDS.format(linear=linear, indent=indent) if options["keep_ends"] else "kept = []"
        )
        if options["global"]:
            what = (
                "Zero the `amount` fraction of the weights with the smallest magnitude across"
                " the convolution and linear layers (one global threshold)"
            )
            code = (
                f'{prune}.global_unstructured(\n{indent * 2}[(m, "weight") for m in pruned],'
                f" pruning_method={prune}.L1Unstructured, amount=amount\n{indent})"
            )
        elif options["structured"]:
            what = (
                "Zero the `amount` fraction of each layer's output channels with the smallest"
                " L1 norm (conv filters, linear rows)"
            )
            code = (
                f"for module in pruned:\n{indent * 2}{prune}.ln_structured(module,"
                ' "weight", amount=amount, n=1, dim=0)'
            )
        else:
            what = "Zero the `amount` fraction of each layer's weights with the smallest magnitude"
            code = (
                f"for module in pruned:\n{indent * 2}{prune}.l1_unstructured(module,"
                ' "weight", amount=amount)'
            )
        if options["keep_ends"]:
            what += ", except the first convolution and the last linear layer"
        if permanent:
            code += f'\n{indent}for module in pruned:\n{indent * 2}{prune}.remove(module, "weight")'
            what += ", and make it permanent."
        else:
            what += "; the masks stay until make_pruning_permanent(model)."
        described = textwrap.fill(what, 84, initial_indent=indent, subsequent_indent=indent)
        text = HELPER.format(what=described, classes=classes, kept=kept, prune=code)
        if not permanent:
            text += "\n" + PERMANENT.format(prune=prune)
        new = statements(text.lstrip("\n"), context.module)
        lines = getattr(new[0], "leading_lines", ())
        new[0] = new[0].with_changes(leading_lines=[cst.EmptyLine(), cst.EmptyLine(), *lines])
        return new

    def _comment(self, options: dict[str, object]) -> str:
        kind = "output channels" if options["structured"] else "weights"
        scope = " (one global threshold)" if options["global"] else ""
        share = f"{float(options['amount']):.0%}"  # type: ignore[arg-type]
        return f"# Prune {share} of the {kind}{scope} by magnitude; re-check the accuracy"

    def _semi_structured(
        self,
        context: RefactorContext,
        model: str,
        anchor: cst.CSTNode,
        plan: tuple[cst.CSTNode, str, Statement, Statement],
    ) -> None:
        device = detect_device(context, anchor, "auto")
        if device.literal == "cpu":
            context.refuse(
                "2:4 semi-structured sparse kernels run only on NVIDIA GPUs of compute"
                " capability 8.0 or newer; this code runs on the CPU, where torchao's"
                " semi-sparse weights are not supported. Use the default magnitude pruning."
            )
        if plan[1] != "inference":
            context.refuse(
                "2:4 semi-structured weights are for inference (they do not train); apply it"
                " to a model put in evaluation mode"
            )
        if not torchao_available():
            context.note("semi_structured=true needs torchao in the kernel: pip install torchao")
        code = SEMI_STRUCTURED.format(
            model=model,
            capability=context.reference("torch.cuda.get_device_capability", anchor),
            fake=context.reference("torchao.sparsity.apply_fake_sparsity", anchor, True),
            sparsify=context.reference("torchao.sparsity.sparsify_", anchor, True),
            config=context.reference("torchao.sparsity.semi_sparse_weight", anchor, True),
        )
        context.edits.insert_after(plan[3], statements(code.lstrip("\n"), context.module))
        context.note(
            f"`{model}`: 2:4 semi-structured sparsity (half of each group of 4 weights zero) for"
            " its Linear layers, applied only when the model is on an NVIDIA GPU of compute"
            " capability 8.0+ (sparse tensor cores: up to 2x faster matrix multiplies for"
            " large layers); elsewhere the model stays dense, as it would be slower or fail."
            " Check the accuracy: 50% sparsity usually needs fine-tuning."
        )

    # -- notes -----------------------------------------------------------------------------
    def _notes(self, context: RefactorContext, model: str, mode: str) -> None:
        options = context.options
        where = {
            "after training": "after its training loop, made permanent at once",
            "fine-tune": (
                "before the loop that fine-tunes its loaded weights (the masks keep the pruned"
                " weights at zero while it trains), made permanent after the loop"
            ),
            "inference": "after its set-up for inference, made permanent at once",
        }[mode]
        context.note(f"`{model}` is pruned {where}")
        layers = self._layers(context, model)
        if layers is None:
            context.note(
                "the parameter and non-zero weight counts before and after are printed when"
                " the code runs (the layer sizes are not all written in the code)"
            )
        else:
            context.note(self._counts(layers, options))
        context.note(
            "accuracy: pruning changes the model; check it on your validation data."
            " Fine-tuning for a few epochs with the masks in place usually recovers most of it."
        )
        if options["structured"]:
            context.note(
                "speed: zeroed channels still cost the same time and energy until they are"
                " removed from the layers (e.g. with torch-pruning); what this buys is a model"
                " ready to be shrunk"
            )
        else:
            context.note(
                "speed: dense kernels (what CPUs and GPUs run by default) take as long with"
                " zeros as without, so unstructured pruning alone does not save time or energy per"
                " step; it shrinks compressed checkpoints and is the first step towards"
                " sparse kernels"
            )
        context.note(self._semi_structured_offer(context))

    def _layers(self, context: RefactorContext, model: str) -> list[Layer] | None:
        values = [
            n.value
            for n in context.nodes
            if isinstance(n, cst.Assign) and any(dotted_name(t.target) == model for t in n.targets)
        ]
        return count_layers(context, values[0]) if len(values) == 1 else None

    def _counts(self, layers: list[Layer], options: dict[str, object]) -> str:
        amount = float(options["amount"])  # type: ignore[arg-type]
        prunable = [layer for layer in layers if layer.prunable]
        kept: list[Layer] = []
        if options["keep_ends"]:
            kept = [layer for layer in prunable if layer.kind != "Linear"][:1]
            kept += [layer for layer in prunable if layer.kind == "Linear"][-1:]
        pruned = [layer for layer in prunable if all(layer is not k for k in kept)]
        total = sum(layer.weights + layer.others for layer in layers)
        weights = sum(layer.weights for layer in prunable)
        if options["global"]:
            zeroed = round(amount * sum(layer.weights for layer in pruned))
        elif options["structured"]:
            zeroed = sum(
                round(amount * layer.channels) * (layer.weights // layer.channels)
                for layer in pruned
            )
        else:
            zeroed = sum(round(amount * layer.weights) for layer in pruned)
        if not weights:
            return (
                f"counts from the layer sizes in the code: {total:,} parameters, none of them in"
                " a convolution or linear layer written there; the script prints the real counts"
            )
        return (
            f"counts from the layer sizes in the code: {total:,} parameters; convolution and"
            f" linear weights {weights:,} non-zero before, {weights - zeroed:,} after"
            f" ({(weights - zeroed) / weights:.0%}; {len(pruned)} of {len(prunable)} layers"
            " pruned)"
        )

    def _semi_structured_offer(self, context: RefactorContext) -> str:
        """Whether 2:4 sparsity would pay off on the refactor's target hardware."""
        if not torchao_available():
            return "2:4 semi-structured sparsity (torchao) is not offered: torchao is not installed"
        target = context.target
        if target.device == "any":
            return (
                "2:4 semi-structured sparsity (semi_structured=true, torchao) runs faster only"
                " on NVIDIA GPUs of compute capability 8.0+; its code checks that at run time"
            )
        capabilities = [gpu.compute_capability for gpu in target.gpus] or [None]
        if target.device == "cuda" and any(c is None or c >= (8, 0) for c in capabilities):
            return (
                f"2:4 semi-structured sparsity pays off on {target.describe()}: pass"
                " semi_structured=true (torchao; Linear layers, for inference)"
            )
        return (
            "2:4 semi-structured sparsity is not offered: it runs faster only on NVIDIA GPUs of"
            f" compute capability 8.0+, not on {target.describe()}"
        )
