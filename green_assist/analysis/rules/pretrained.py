"""Starting from pretrained weights instead of training from scratch."""

from __future__ import annotations

import re

import libcst as cst

from ..findings import Severity
from ..helpers import append_keyword, describe, is_false, is_true, keyword
from ..rule import ProposedFix, Rule, RuleDoc
from ..tables import (
    TIMM_CREATE_MODEL,
    TORCHVISION_BUILDERS,
    TORCHVISION_LEGACY_IMAGENET,
    TORCHVISION_WITH_BACKBONE,
    TRAINING_MARKERS,
    WEIGHT_LOADING_MARKERS,
)

# transformers.BertForSequenceClassification, transformers.GPT2LMHeadModel, transformers.T5Model
_HF_MODEL_CLASS = re.compile(r"^transformers\.(?!Auto|PreTrained|TF|Flax)\w+(Model|For[A-Z]\w*)$")
_HF_FROM_CONFIG = re.compile(r"^transformers\.\w+\.from_config$")
_HF_CLASS_NAME = re.compile(r"^\w+(Model|For[A-Z]\w*)$")


def _torchvision_builder(name: str) -> str | None:
    if not name.startswith("torchvision.models."):
        return None
    builder = name.rsplit(".", 1)[-1]
    return builder if builder in TORCHVISION_BUILDERS else None


def _may_build_model(last: str) -> bool:
    """Cheap test on the last part of a callee's name (see ``_model_builder``)."""
    return (
        last in TORCHVISION_BUILDERS
        or last in ("create_model", "from_config")
        or bool(_HF_CLASS_NAME.match(last))
    )


def _model_builder(name: str, has_args: bool) -> bool:
    """A torchvision/timm builder, or a Hugging Face model built from a config."""
    if _torchvision_builder(name) is not None or name in TIMM_CREATE_MODEL:
        return True
    return bool(_HF_FROM_CONFIG.match(name) or (_HF_MODEL_CLASS.match(name) and has_args))


class TrainingFromScratch(Rule):
    code = "GA105"
    name = "training-from-scratch"
    summary = "models trained from random weights where pretrained weights exist"
    severity = Severity.WARNING
    needs_qualified_names = True
    triggers = ("torchvision", "timm", "transformers", "from_config")
    fixable = True
    doc = RuleDoc(
        what=(
            "In code that trains (it calls `.backward()`, `.fit(`, `.train(` or builds a "
            "`Trainer(`), finds models built with random weights although pretrained ones "
            "exist: torchvision builders with `weights=None` or no weights (detection and "
            "segmentation builders only when `weights_backbone=None` too), deprecated "
            "`pretrained=True/False`, `timm.create_model(...)` without `pretrained=True`, and "
            "Hugging Face `AutoModel*.from_config(...)` or `XxxForYyy(config)`. Silent when the "
            "module loads weights itself (`load_state_dict`, `torch.load`, safetensors...)."
        ),
        why=(
            "Fine-tuning a pretrained model usually reaches a given accuracy with a small "
            "fraction of the compute of training from scratch: the expensive representation "
            "learning was done once and is shared. Pretraining large models costs from "
            "hundreds to hundreds of thousands of kWh; repeating it for every task multiplies "
            "that bill."
        ),
        example=(
            "model = torchvision.models.resnet50()\n"
            "model = AutoModelForSequenceClassification.from_config(config)\n"
        ),
        fix=(
            'Start from pretrained weights: `resnet50(weights="DEFAULT")` (then replace the '
            "classifier head for your classes), `timm.create_model(name, pretrained=True)`, "
            "`AutoModel....from_pretrained(checkpoint)`. Deprecated `pretrained=True` becomes "
            '`weights="IMAGENET1K_V1"` (the same weights, a safe fix); other fixes add '
            '`weights="DEFAULT"` (unsafe: different initial weights).'
        ),
        fixed_example=(
            'model = torchvision.models.resnet50(weights="DEFAULT")\n'
            "model.fc = torch.nn.Linear(model.fc.in_features, num_classes)\n"
            "model = AutoModelForSequenceClassification.from_pretrained(checkpoint)\n"
        ),
        sources=(
            "Yosinski et al., How transferable are features in deep neural networks?, "
            "NeurIPS 2014.",
            "Strubell, Ganesh and McCallum, Energy and Policy Considerations for Deep Learning "
            "in NLP, ACL 2019.",
            "Patterson et al., Carbon Emissions and Large Neural Network Training, "
            "arXiv:2104.10350, 2021.",
            "torchvision documentation, Models and pre-trained weights: "
            "https://pytorch.org/vision/stable/models.html",
        ),
    )

    def setup(self) -> None:
        self._findings: list[tuple[cst.Call, str, ProposedFix]] = []

    def visit_Call(self, node: cst.Call) -> None:
        last = self.context.names.last_name(node.func)
        if last is not None and not _may_build_model(last):
            return
        name = self.find_name(node.func, lambda found: _model_builder(found, bool(node.args)))
        if name is None:
            return
        builder = _torchvision_builder(name)
        if builder is not None:
            self._check_torchvision(node, builder)
        elif name in TIMM_CREATE_MODEL:
            self._check_timm(node)
        else:
            self._note(
                node,
                "initialises a Hugging Face model from a config (random weights)",
                ProposedFix("load a checkpoint with .from_pretrained(...)"),
            )

    def _note(self, node: cst.Call, problem: str, fix: ProposedFix) -> None:
        self._findings.append((node, problem, fix))

    def _check_torchvision(self, node: cst.Call, builder: str) -> None:
        if any(arg.star for arg in node.args) or any(arg.keyword is None for arg in node.args):
            return  # positional weights, or **kwargs: cannot tell
        pretrained = keyword(node, "pretrained")
        weights = keyword(node, "weights")
        default = cst.SimpleString('"DEFAULT"')
        custom_head = keyword(node, "num_classes") is not None
        if pretrained is not None and is_true(pretrained.value):
            replacements: tuple[tuple[cst.CSTNode, cst.CSTNode | str], ...] = ()
            if builder in TORCHVISION_LEGACY_IMAGENET:
                new = pretrained.with_changes(
                    keyword=cst.Name("weights"), value=cst.SimpleString('"IMAGENET1K_V1"')
                )
                replacements = ((pretrained, new),)
            self.report(
                node,
                f"`{describe(self.context.module, node)}` uses deprecated `pretrained=True`;"
                ' pass `weights="IMAGENET1K_V1"` (same weights) or `weights="DEFAULT"`',
                ProposedFix('use weights="IMAGENET1K_V1"', replacements),
            )
            return
        if builder in TORCHVISION_WITH_BACKBONE:
            backbone = keyword(node, "weights_backbone")
            if backbone is None or not isinstance(backbone.value, cst.Name):
                return
            if backbone.value.value != "None":
                return
        if pretrained is not None and is_false(pretrained.value):
            target: cst.CSTNode = pretrained
            new_node: cst.CSTNode = pretrained.with_changes(
                keyword=cst.Name("weights"), value=default
            )
        elif (
            weights is not None
            and isinstance(weights.value, cst.Name)
            and weights.value.value == "None"
        ):
            target, new_node = weights.value, default
        elif weights is None and pretrained is None:
            target, new_node = node, append_keyword(node, "weights", default)
        else:
            return
        edits = () if custom_head else ((target, new_node),)
        self._note(
            node,
            "builds a torchvision model with random weights although pretrained ones exist",
            ProposedFix('start from weights="DEFAULT" and fine-tune', edits, safe=False),
        )

    def _check_timm(self, node: cst.Call) -> None:
        if any(arg.star for arg in node.args) or keyword(node, "checkpoint_path"):
            return
        pretrained = keyword(node, "pretrained")
        positional = [arg for arg in node.args if arg.keyword is None]
        if pretrained is None and len(positional) >= 2:
            return  # create_model(name, pretrained) positionally
        if pretrained is not None and not is_false(pretrained.value):
            return
        if pretrained is not None:
            edit: tuple[tuple[cst.CSTNode, cst.CSTNode | str], ...] = (
                (pretrained.value, cst.Name("True")),
            )
        else:
            edit = ((node, append_keyword(node, "pretrained", cst.Name("True"))),)
        self._note(
            node,
            "creates a timm model with random weights (pretrained defaults to False)",
            ProposedFix("pass pretrained=True and fine-tune", edit, safe=False),
        )

    def leave_Module(self, original_node: cst.Module) -> None:
        text = self.context.text
        if any(marker in text for marker in WEIGHT_LOADING_MARKERS):
            return
        if not any(marker in text for marker in TRAINING_MARKERS):
            return
        for node, problem, fix in self._findings:
            self.report(
                node,
                f"`{describe(self.context.module, node)}` {problem}: fine-tuning pretrained"
                " weights needs a fraction of the training",
                fix,
            )
