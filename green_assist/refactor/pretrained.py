"""``pretrained``: start from pretrained weights instead of random ones (answers GA105).

* torchvision builders: ``weights="DEFAULT"`` (deprecated ``pretrained=True`` becomes
  ``weights="IMAGENET1K_V1"``, the same weights). A ``num_classes=K`` argument cannot be
  combined with pretrained weights, so it is removed and the classifier head is
  replaced after the model is built: ``model.fc = nn.Linear(model.fc.in_features, K)``.
  Detection/segmentation builders with ``num_classes`` get a pretrained backbone.
* ``timm.create_model(...)``: ``pretrained=True`` (timm resizes the head itself).
* Hugging Face ``AutoModelFor...from_config(config)`` and ``BertFor...(config)``, where
  ``config`` came from ``...Config.from_pretrained(checkpoint)``:
  ``...from_pretrained(checkpoint, config=config)``.
* ``freeze=true``: the pretrained backbone is frozen (``model.requires_grad_(False)``)
  before the new head is attached, so only the head trains.
"""

from __future__ import annotations

import re

import libcst as cst

from ..analysis.helpers import append_keyword, argument, is_false, is_true, iter_calls
from ..analysis.tables import (
    TIMM_CREATE_MODEL,
    TORCHVISION_BUILDERS,
    TORCHVISION_CLASSIFICATION,
    TORCHVISION_WITH_BACKBONE,
)
from .base import Option, Refactor
from .chains import base_call, is_chain_on, replace_base
from .context import RefactorContext
from .edits import statements

# Classifier head of each torchvision family (first matching prefix wins); None: not a Linear.
TORCHVISION_HEADS: tuple[tuple[str, str | None], ...] = (
    ("resnet", "fc"),
    ("resnext", "fc"),
    ("wide_resnet", "fc"),
    ("regnet", "fc"),
    ("googlenet", "fc"),
    ("inception", "fc"),
    ("shufflenet", "fc"),
    ("densenet", "classifier"),
    ("vit_", "heads.head"),
    ("swin_", "head"),
    ("vgg", "classifier[-1]"),
    ("alexnet", "classifier[-1]"),
    ("efficientnet", "classifier[-1]"),
    ("mobilenet", "classifier[-1]"),
    ("mnasnet", "classifier[-1]"),
    ("convnext", "classifier[-1]"),
    ("maxvit", "classifier[-1]"),
    ("squeezenet", None),
)
_HF_MODEL_CLASS = re.compile(r"^transformers\.(?!Auto|PreTrained|TF|Flax)\w+(Model|For[A-Z]\w*)$")
_HF_FROM_CONFIG = re.compile(r"^transformers\.\w+\.from_config$")


def torchvision_head(builder: str) -> str | None:
    return next((head for prefix, head in TORCHVISION_HEADS if builder.startswith(prefix)), None)


class Pretrained(Refactor):
    name = "pretrained"
    title = "Use pretrained weights"
    summary = (
        "start from pretrained weights (torchvision, timm, Hugging Face), optionally freeze"
        " the backbone and replace the classifier head"
    )
    answers = ("GA105",)
    options = {
        "freeze": Option.flag(False, "freeze the pretrained backbone; only the new head trains"),
        "num_classes": Option.count("classes of the new head (default: num_classes= in the code)"),
    }

    def apply(self, context: RefactorContext) -> None:
        self._new_heads = 0
        found = 0
        for node in context.nodes:
            if not isinstance(node, cst.Call) or not context.in_scope(node):
                continue
            names = context.qualified_names(node.func)
            builder = next(
                (
                    n.rsplit(".", 1)[-1]
                    for n in names
                    if n.startswith("torchvision.models.")
                    and n.rsplit(".", 1)[-1] in TORCHVISION_BUILDERS
                ),
                None,
            )
            if builder is not None:
                found += 1
                self._torchvision(context, node, builder)
            elif names & TIMM_CREATE_MODEL:
                found += 1
                self._timm(context, node)
            elif any(_HF_FROM_CONFIG.match(n) or _HF_MODEL_CLASS.match(n) for n in names):
                found += 1
                self._hugging_face(context, node)
        if not found:
            context.refuse(
                "found no model to start from pretrained weights: no torchvision model builder,"
                " timm.create_model, or Hugging Face from_config(...)/Model(config)"
            )
        if context.options["freeze"] and context.edits and not self._new_heads:
            context.refuse(
                "freeze=true trains only a new classifier head, but the number of classes is not"
                " in the code (num_classes=); pass --option num_classes=K"
            )
        if not context.edits:
            context.note("nothing to change: the models start from pretrained weights already")

    # -- torchvision -------------------------------------------------------------------
    def _torchvision(self, context: RefactorContext, call: cst.Call, builder: str) -> None:
        weights = argument(call, "weights")
        legacy = argument(call, "pretrained")
        if weights is not None and not _is_none(weights.value):
            return  # pretrained already
        if legacy is not None and not (is_true(legacy.value) or is_false(legacy.value)):
            context.note(
                f"`{context.short(call)}`: set weights= by hand (pretrained= is not a literal)"
            )
            return
        value = '"IMAGENET1K_V1"' if legacy is not None and is_true(legacy.value) else '"DEFAULT"'
        classes_arg = argument(call, "num_classes")
        classes = (
            context.code(classes_arg.value)
            if classes_arg is not None
            else str(context.options["num_classes"] or "") or None
        )
        args = [a for a in call.args if a is not legacy and a is not weights]
        shown = context.short(call)
        if builder in TORCHVISION_WITH_BACKBONE and classes_arg is not None:
            backbone = argument(call, "weights_backbone")
            if backbone is not None and not _is_none(backbone.value):
                return  # a pretrained backbone already
            args = [a for a in args if a is not backbone]
            new = _with_keyword(call, args, "weights_backbone", '"DEFAULT"')
            context.edits.replace(call, new)
            context.note(
                f'`{shown}`: pretrained backbone (weights_backbone="DEFAULT"); the detection'
                f" head is new, for your {classes} classes"
            )
            return
        if classes is not None and builder not in TORCHVISION_CLASSIFICATION:
            context.refuse(
                f"`{shown}`: pretrained {builder} weights have their own classes; replace its"
                " head by hand for your classes"
            )
        if classes is not None:
            head = torchvision_head(builder)
            if head is None:
                context.refuse(
                    f"`{shown}`: {builder}'s classifier is not a Linear layer; load the"
                    " pretrained model and replace its head by hand"
                )
            args = [a for a in args if a is not classes_arg]
            self._new_head(context, call, head, classes)
        elif context.options["freeze"]:
            context.note(f"`{shown}`: not frozen, as no class count for a new head is known")
        context.edits.replace(call, _with_keyword(call, args, "weights", value))
        context.note(
            f"`{shown}`: starts from pretrained weights (weights={value}); they download once"
            f" to ~/.cache/torch. Preprocess inputs as the weights expect (the weights enum's"
            " .transforms()), and expect to need far fewer epochs and a lower learning rate"
        )

    def _new_head(self, context: RefactorContext, call: cst.Call, head: str, classes: str) -> None:
        """After ``target = builder(...)``: freeze (optional) and a new head for ``classes``."""
        line = context.statement_of(call)
        small = line.body[0] if isinstance(line, cst.SimpleStatementLine) else None
        if not (
            isinstance(small, cst.Assign)
            and len(small.targets) == 1
            and isinstance(small.targets[0].target, (cst.Name, cst.Attribute))
            and is_chain_on(small.value, call)
        ):
            context.refuse(
                f"`{context.short(call)}` is not assigned to a variable, so its head cannot be"
                " replaced after it is built; assign the model first (model = ...)"
            )
        assert isinstance(line, cst.SimpleStatementLine) and isinstance(small, cst.Assign)
        target = context.code(small.targets[0].target)
        linear = context.reference("torch.nn.Linear", call)
        code = ""
        if context.options["freeze"]:
            code += f"{target}.requires_grad_(False)  # freeze the pretrained backbone\n"
        code += (
            f"{target}.{head} = {linear}({target}.{head}.in_features, {classes})"
            "  # a new head for your classes\n"
        )
        if small.value is not call:  # model = builder(...).to(device): move after the new head
            rest = replace_base(small.value, call, cst.parse_expression(target))
            code += f"{target} = {context.module.code_for_node(rest)}\n"
            context.edits.replace(
                small, lambda updated: updated.with_changes(value=base_call(updated.value))
            )
        context.edits.insert_after(line, statements(code, context.module))
        count = classes if classes.isdigit() else f"`{classes}`"
        self._new_heads += 1
        context.note(
            f"the classifier head `{target}.{head}` is replaced for {count} classes"
            + ("; only the head trains (backbone frozen)" if context.options["freeze"] else "")
        )

    # -- timm --------------------------------------------------------------------------
    def _timm(self, context: RefactorContext, call: cst.Call) -> None:
        pretrained = argument(call, "pretrained", 1)
        if pretrained is not None and not is_false(pretrained.value):
            return
        args = [a for a in call.args if a is not pretrained]
        if pretrained is not None and pretrained.keyword is None:
            context.note(f"`{context.short(call)}`: pretrained is positional; set it by hand")
            return
        context.edits.replace(call, _with_keyword(call, args, "pretrained", "True"))
        if context.options["freeze"]:
            self._freeze_after(
                context,
                call,
                "{m}.requires_grad_(False)\n{m}.get_classifier().requires_grad_(True)\n",
            )
        context.note(
            f"`{context.short(call)}`: pretrained=True (timm downloads the weights once from the"
            " Hugging Face Hub and resizes the classifier for num_classes)"
        )

    # -- Hugging Face ------------------------------------------------------------------
    def _hugging_face(self, context: RefactorContext, call: cst.Call) -> None:
        config_arg = argument(call, "config", 0)
        shown = context.short(call)
        if config_arg is None or not isinstance(config_arg.value, cst.Name):
            context.note(f"`{shown}`: pass the checkpoint to from_pretrained by hand")
            return
        checkpoint = _config_checkpoint(context, config_arg.value.value)
        if checkpoint is None:
            context.note(
                f"`{shown}`: `{config_arg.value.value}` is not loaded from a named checkpoint"
                " (it is built here, perhaps with custom sizes), so there are no pretrained"
                " weights to load for it"
            )
            return
        func = call.func
        if isinstance(func, cst.Attribute) and func.attr.value == "from_config":
            func = func.with_changes(attr=cst.Name("from_pretrained"))
        else:
            func = cst.Attribute(value=func, attr=cst.Name("from_pretrained"))
        config = config_arg.value.value
        new = cst.parse_expression(
            f"{context.module.code_for_node(func)}({checkpoint}, config={config})"
        )
        context.edits.replace(call, new)
        if context.options["freeze"]:
            self._freeze_after(context, call, "{m}.base_model.requires_grad_(False)\n")
        context.note(
            f"`{shown}`: loads the pretrained weights of {checkpoint} (keeping `{config}`);"
            " the task head stays new and trainable"
        )

    def _freeze_after(self, context: RefactorContext, call: cst.Call, template: str) -> None:
        line = context.statement_of(call)
        small = line.body[0] if isinstance(line, cst.SimpleStatementLine) else None
        if not isinstance(small, cst.Assign) or len(small.targets) != 1:
            context.refuse(f"`{context.short(call)}`: assign the model to a variable to freeze it")
        assert isinstance(line, cst.SimpleStatementLine)
        target = context.code(small.targets[0].target)
        new = statements(
            "# freeze the pretrained backbone; only the head trains\n" + template.format(m=target),
            context.module,
        )
        context.edits.insert_after(line, new)


def _is_none(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


def _with_keyword(call: cst.Call, args: list[cst.Arg], name: str, value: str) -> cst.Call:
    """``call`` with only ``args`` kept, then ``name=value`` added last."""
    if args:
        args[-1] = args[-1].with_changes(comma=call.args[-1].comma)
        kept = call.with_changes(args=args)
    else:  # all arguments went: no line break left inside empty parentheses
        kept = call.with_changes(args=[], whitespace_before_args=cst.SimpleWhitespace(""))
    return append_keyword(kept, name, cst.parse_expression(value))


def _config_checkpoint(context: RefactorContext, name: str) -> str | None:
    """The checkpoint expression in ``name = XConfig.from_pretrained(checkpoint, ...)``."""
    for node in context.nodes:
        if not isinstance(node, cst.Assign) or not any(
            isinstance(t.target, cst.Name) and t.target.value == name for t in node.targets
        ):
            continue
        value = node.value
        for call in iter_calls(value):
            names = context.qualified_names(call.func)
            if any(n.startswith("transformers.") and n.endswith(".from_pretrained") for n in names):
                first = argument(call, "pretrained_model_name_or_path", 0)
                return context.code(first.value) if first is not None else None
    return None
