"""Starting from pretrained weights instead of training from scratch."""

from __future__ import annotations

import re

import libcst as cst

from ..context import Evidence
from ..effects import Effects, effects_of
from ..findings import Severity
from ..helpers import append_keyword, describe, is_false, is_true, iter_nodes, keyword, string_value
from ..program import Site
from ..rule import ProposedFix, Rule, RuleDoc
from ..tables import (
    TIMM_CREATE_MODEL,
    TORCHVISION_BUILDERS,
    TORCHVISION_LEGACY_WEIGHTS,
    TORCHVISION_WITH_BACKBONE,
    TRAINING_MARKERS,
    WEIGHT_LOADING_MARKERS,
)

# transformers.BertForSequenceClassification, transformers.GPT2LMHeadModel, transformers.T5Model
# (not transformers.DataCollatorForSeq2Seq and the other collators: they build no model).
_HF_MODEL_CLASS = re.compile(
    r"^transformers\.(?!Auto|PreTrained|TF|Flax|DataCollator)\w+(Model|For[A-Z]\w*)$"
)
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
    needs_program = True
    triggers = ("torchvision", "timm", "transformers", "from_config", "scratch")
    fixable = True
    doc = RuleDoc(
        what=(
            "In code that trains (it calls `.backward()`, `.fit(`, `.train(` or builds a "
            "`Trainer(`), finds models built with random weights although pretrained ones "
            "exist: torchvision builders with `weights=None` or no weights (detection and "
            "segmentation builders only when `weights_backbone=None` too), deprecated "
            "`pretrained=True/False`, `timm.create_model(...)` without `pretrained=True`, and "
            "Hugging Face `AutoModel*.from_config(...)` or `XxxForYyy(config)`. Silent when the "
            "module loads weights itself on the default path (`load_state_dict`, `torch.load`, "
            "safetensors...; a load behind an option that is off by default does not count). "
            "Settings are read on the default path: `pretrained=args.pretrained` with "
            "`--pretrained` off, `models.__dict__[args.arch](...)`, and "
            "`if init_from == 'scratch':` taken by default beside a branch that calls "
            "`from_pretrained`. A model built only behind a setting that is off by default "
            "(`if opt.vgg_loss:`) is not reported. Deprecated `pretrained=True` (pretrained "
            "weights, an old "
            "spelling) is reported in any code, trained here or not."
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
            "the weights it loaded, a safe fix: `IMAGENET1K_V1` for classifiers, `COCO_V1` "
            "for detectors, `COCO_WITH_VOC_LABELS_V1` for segmenters, `KINETICS400_V1` for "
            'the ResNet video models; other fixes add `weights="DEFAULT"` (unsafe: different '
            "initial weights)."
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
        self._findings: list[tuple[cst.Call, str, ProposedFix, tuple[Evidence, ...]]] = []
        self._flagged: list[tuple[cst.Call, str]] = []  # pretrained=/weights= from settings
        self._scratch_branches: list[tuple[cst.If, cst.BaseExpression]] = []

    def visit_If(self, node: cst.If) -> None:
        """``if init_from == "scratch":`` with a pretrained branch beside it."""
        test = node.test
        if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
            return
        target = test.comparisons[0]
        if not isinstance(target.operator, cst.Equal):
            return
        for side, other in ((test.left, target.comparator), (target.comparator, test.left)):
            if string_value(side) == "scratch":
                self._scratch_branches.append((node, other))

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Subscript):
            self._check_model_table(node)
            return
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

    def _note(
        self, node: cst.Call, problem: str, fix: ProposedFix, related: tuple[Evidence, ...] = ()
    ) -> None:
        self._findings.append((node, problem, fix, related))

    def _check_model_table(self, node: cst.Call) -> None:
        """``models.__dict__[args.arch](pretrained=args.pretrained)``: decided in leave_Module."""
        table = node.func.value  # type: ignore[attr-defined]
        if not (isinstance(table, cst.Attribute) and table.attr.value == "__dict__"):
            return
        if self.find_name(table.value, lambda name: name == "torchvision.models") is not None:
            self._flagged.append((node, ""))

    def _check_torchvision(self, node: cst.Call, builder: str) -> None:
        if any(arg.star for arg in node.args) or any(arg.keyword is None for arg in node.args):
            return  # positional weights, or **kwargs: cannot tell
        pretrained = keyword(node, "pretrained")
        weights = keyword(node, "weights")
        for chosen in (pretrained, weights):
            if chosen is not None and isinstance(chosen.value, (cst.Attribute, cst.Subscript)):
                self._flagged.append((node, builder))  # pretrained=args.pretrained
                return
        default = cst.SimpleString('"DEFAULT"')
        custom_head = keyword(node, "num_classes") is not None
        if pretrained is not None and is_true(pretrained.value):
            replacements: tuple[tuple[cst.CSTNode, cst.CSTNode | str], ...] = ()
            legacy = TORCHVISION_LEGACY_WEIGHTS.get(builder)
            if legacy is not None:
                new = pretrained.with_changes(
                    keyword=cst.Name("weights"), value=cst.SimpleString(f'"{legacy}"')
                )
                replacements = ((pretrained, new),)
            same = f'`weights="{legacy}"` (same weights) or ' if legacy else ""
            self.report(
                node,
                f"`{describe(self.context.module, node)}` uses deprecated `pretrained=True`;"
                f' pass {same}`weights="DEFAULT"`',
                ProposedFix(f'use weights="{legacy or "DEFAULT"}"', replacements),
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
        if not any(marker in text for marker in TRAINING_MARKERS):
            return
        program = self.context.program
        effects = effects_of(program) if program is not None else None
        if effects is not None:
            self._check_flagged(effects)
            self._check_scratch_branches(effects)
            if self._loads_weights(effects):
                return
        elif any(marker in text for marker in WEIGHT_LOADING_MARKERS):
            return
        for node, problem, fix, related in self._findings:
            site = program.site_of.get(id(node)) if program is not None else None
            if site is not None and effects is not None and effects.left_out_by_default(site):
                continue  # built only when an option that is off asks (``if opt.vgg_loss:``)
            self.report(
                node,
                f"`{describe(self.context.module, node)}` {problem}: fine-tuning pretrained"
                " weights needs a fraction of the training",
                fix,
                related,
            )

    @staticmethod
    def _loads_weights(effects: Effects) -> bool:
        """Weights are loaded on the default path (``load_state_dict(torch.load(...))``); a
        load behind a flag that is off by default (``if args.resume:``) does not count."""
        for scope in effects.program.scopes:
            for site in scope.sites:
                callee = site.callee or ""
                last = callee.rsplit(".", 1)[-1]
                if (
                    last in _WEIGHT_LOADERS or callee == "torch.load" or "safetensors" in callee
                ) and effects.defaults.reachable(site.branch, scope):
                    return True
                if any(
                    arg.keyword is not None and arg.keyword.value == "resume_from_checkpoint"
                    for arg in site.node.args
                ):
                    return True
        return False

    def _check_flagged(self, effects: Effects) -> None:
        """Builders whose weights come from a setting: read it on the default path."""
        module = self.context.module
        for node, builder in self._flagged:
            site = effects.program.site_of.get(id(node))
            if site is None:
                continue
            origins: tuple[tuple[cst.CSTNode, str, str | None], ...] = ()
            if not builder:  # models.__dict__[args.arch]
                key = node.func.slice[0].slice  # type: ignore[attr-defined]
                arch = effects.defaults.value(getattr(key, "value", None), site.scope)
                if arch is None or arch.value not in TORCHVISION_BUILDERS:
                    continue
                builder, origins = arch.value, arch.origins
            pretrained = keyword(node, "pretrained")
            weights = keyword(node, "weights")
            chosen = pretrained if pretrained is not None else weights
            if chosen is None or any(arg.star for arg in node.args):
                continue
            found = effects.defaults.value(chosen.value, site.scope, site.order)
            if found is None or found.value not in (False, None):
                continue
            if chosen is weights and found.value is not None:
                continue
            if builder in TORCHVISION_WITH_BACKBONE:
                continue
            related = tuple(
                (origin, f"{shown}: the model starts from random weights", where)
                for origin, shown, where in (*origins, *found.origins)
            )
            setting = describe(module, chosen.value)
            self._note(
                node,
                f"builds torchvision `{builder}` with random weights by default (`{setting}`"
                " is off unless set)",
                ProposedFix('start from weights="DEFAULT" (or turn the option on by default)'),
                related,
            )

    def _check_scratch_branches(self, effects: Effects) -> None:
        """``if init_from == "scratch":`` taken by default, with a pretrained branch beside it."""
        module = self.context.module
        for node, setting in self._scratch_branches:
            site = _first_site(node.body, effects)
            if site is None:
                continue
            found = effects.defaults.value(setting, site.scope, site.order)
            if found is None or found.value != "scratch":
                continue
            alternative = _pretrained_call(node.orelse, effects)
            if alternative is None or not effects.trains_anywhere():
                continue
            related: list[Evidence] = [
                (origin, f"{shown}: the default picks the random-weights branch", where)
                for origin, shown, where in found.origins
            ]
            related.append(
                (
                    alternative.node,
                    f"`{describe(module, alternative.node)}` would start from pretrained weights",
                    None if alternative.scope.is_module else alternative.scope.name,
                )
            )
            self.report(
                node.test,
                f"`{describe(module, node.test)}` holds by default: the model trains from random"
                " weights although this code can start from pretrained ones",
                ProposedFix(
                    "start from the pretrained branch (fine-tune) unless pretraining is the goal"
                ),
                tuple(related),
            )


_WEIGHT_LOADERS = frozenset(
    {"load_state_dict", "load_checkpoint", "load_model", "load_pretrained", "load_file"}
)


def _first_site(node: cst.CSTNode, effects: Effects) -> Site | None:
    for current in iter_nodes(node):
        if isinstance(current, cst.Call):
            site = effects.program.site_of.get(id(current))
            if site is not None:
                return site
    return None


def _pretrained_call(node: cst.CSTNode | None, effects: Effects) -> Site | None:
    """A ``from_pretrained(...)`` call in the other branches of an ``if`` chain."""
    if node is None:
        return None
    for current in iter_nodes(node):
        if isinstance(current, cst.Call):
            func = current.func
            if isinstance(func, cst.Attribute) and func.attr.value == "from_pretrained":
                return effects.program.site_of.get(id(current))
    return None
